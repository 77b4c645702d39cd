"""Every URL of the project against owner, other person, anonymous visitor and plain staff.

The test walks the URL configuration, so a new URL pattern without an entry in COVERAGE
fails here until someone decides who may open it.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from profiles import services
from tests.factories import ProfileFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

PUBLIC, TOKEN, SIGNED_IN, DRAFT, SUBMITTED, PAIR = (
    "public", "token", "signed_in", "draft", "submitted", "pair",
)  # fmt: skip
# The practice area (PRACTICE.md §8): the person's own connection, the practitioner's own pages,
# invitations and connections, and a profile shared with them.
CONNECTION, PRACTITIONER, INVITATION, CLIENT, SHARED = (
    "connection", "practitioner", "invitation", "client", "shared",
)  # fmt: skip
# Organisations (§6): the admin's own area, one of its memberships, and the accent stylesheet
# (public: it holds one colour and nothing else).
ORGANISATION, MEMBER, ACCENT = "organisation", "member", "accent"
# Live moments (PRACTICE.md §7): a signed-in person's own moments pages (everyone signed in has
# their own), and one moment, named by its client id.
MOMENTS_OWN, MOMENT = "moments_own", "moment"
# A practitioner's private note on one of their connections (PRACTICE.md §5).
NOTE = "note"
PRACTICE_KINDS = (
    CONNECTION,
    PRACTITIONER,
    INVITATION,
    CLIENT,
    SHARED,
    ORGANISATION,
    MEMBER,
    ACCENT,
    MOMENTS_OWN,
    MOMENT,
    NOTE,
)
COVERAGE = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "support": PUBLIC,
    # The footer's language switcher: same-origin POSTs only (relcap/accounts/language.py).
    "set_language": PUBLIC,
    "signup": PUBLIC,
    "signup_done": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_complete": PUBLIC,
    "profiles:start": PUBLIC,
    "activate": TOKEN,
    "password_reset_confirm": TOKEN,
    "profiles:resume_link": TOKEN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "profiles:mine": SIGNED_IN,
    "profiles:account": SIGNED_IN,
    "profiles:account_export": SIGNED_IN,
    "profiles:account_delete": SIGNED_IN,
    "profiles:consent_withdraw": SIGNED_IN,
    "profiles:resume": DRAFT,
    "profiles:answer_page": DRAFT,
    "profiles:saved": DRAFT,
    "profiles:review": DRAFT,
    "profiles:attach": DRAFT,
    "profiles:email_link": DRAFT,
    "profiles:report": SUBMITTED,
    "profiles:profile_support": SUBMITTED,
    "profiles:profile_delete": SUBMITTED,
    "profiles:report_pdf": SUBMITTED,
    "profiles:profile_export": SUBMITTED,
    "profiles:compare": PAIR,
    "practice:request_status": SIGNED_IN,
    "practice:sharing": SIGNED_IN,
    "practice:invitation": TOKEN,
    "practice:share": CONNECTION,
    "practice:choices": CONNECTION,
    "practice:person_end": CONNECTION,
    # The reminder-to-share e-mail's switch-off link carries a signed token (PRACTICE.md §5).
    "practice:share_reminders_off": TOKEN,
    "practice:clients": PRACTITIONER,
    "practice:invite": PRACTITIONER,
    "practice:invitation_detail": INVITATION,
    "practice:remind": INVITATION,
    "practice:client": CLIENT,
    "practice:practitioner_end": CLIENT,
    "practice:client_remind": CLIENT,
    "practice:note_add": CLIENT,
    "practice:notes_export": CLIENT,
    "practice:agreed_practice": CLIENT,
    "practice:note_edit": NOTE,
    "practice:note_delete": NOTE,
    "practice:brief": CLIENT,
    "practice:brief_pdf": CLIENT,
    "practice:shared": SHARED,
    "practice:shared_pdf": SHARED,
    "practice:organisation": ORGANISATION,
    "practice:organisation_invite": ORGANISATION,
    "practice:organisation_branding": ORGANISATION,
    "practice:organisation_remove": MEMBER,
    "practice:organisation_join": TOKEN,
    "practice:accent_css": ACCENT,
    "moments:practice": MOMENTS_OWN,
    "moments:consent": MOMENTS_OWN,
    "moments:log": MOMENTS_OWN,
    "moments:keep": MOMENTS_OWN,
    "moments:delete_all": MOMENTS_OWN,
    "moments:follow_up": MOMENT,
    "moments:delete": MOMENT,
    "moments:manifest": PUBLIC,
    "moments:service_worker": PUBLIC,
    # Live moments (PRACTICE.md §7): a person's own views and reminder choice; the reminder
    # e-mail's unsubscribe link carries a signed token (see the identities test below).
    "moments:views": SIGNED_IN,
    "moments:reminders": SIGNED_IN,
    "moments:unsubscribe": TOKEN,
}
# POSTs that need no CSRF token: RFC 8058 one-click unsubscribe comes from a mail client with
# no session; the signed single-purpose token in the URL is the proof (moments/reminders.py).
CSRF_EXEMPT = {"moments:unsubscribe", "practice:share_reminders_off"}
POST_ONLY = {
    "set_language",
    "profiles:attach",
    "profiles:email_link",
    "logout",
    "practice:share",
    "practice:choices",
    "practice:person_end",
    "practice:remind",
    "practice:practitioner_end",
    "practice:client_remind",
    "practice:note_add",
    "practice:note_delete",
    "practice:agreed_practice",
    "practice:organisation_remove",
    "moments:keep",
    "moments:follow_up",
}


def url_names(patterns=None, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin has its own permission tests
            inner = pattern.namespace or namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_pattern_is_covered_by_this_matrix():
    assert url_names() == set(COVERAGE)


@pytest.fixture
def world():
    owner, other = UserFactory(), UserFactory()
    draft = ProfileFactory(user=owner)
    submitted = [ProfileFactory(user=owner), ProfileFactory(user=owner)]
    for profile in submitted:
        answer_all(profile, value=5)
        services.submit_profile(profile=profile)
    world = {"owner": owner, "other": other, "draft": draft, "submitted": submitted}
    return world | practice_world(owner, submitted[0]) | moments_data(owner)


def moments_data(person) -> dict:
    """The person agreed to live moments and logged one, already asked about (a follow-up)."""
    from django.utils import timezone

    from tests.moments.helpers import consented, moment

    consented(person)
    return {"moment": moment(person, hours_ago=13, follow_up_asked_at=timezone.now())}


def practice_world(person, profile) -> dict:
    """An approved practitioner connected with the person, one profile shared at `report`."""
    from practice import notes
    from practice import services as practice_services
    from tests.practice.helpers import (
        connect,
        invite,
        join,
        organisation,
        organisation_admin,
        practitioner,
    )

    profile.refresh_from_db()
    robin, other = practitioner(), practitioner("Alex Other")
    connection = connect(robin, person)
    connection.share_checkin = True  # so the report's PDF, with its support notice, is shared
    connection.save()
    share = practice_services.set_share(connection=connection, profile=profile, level="report")
    note, _created = notes.add_note(
        connection=connection, nonce=uuid.uuid4(), body="Private note zq7"
    )
    invitation, _token = invite(robin, email="kim@example.org")
    harbour = organisation(accent="#1a5c8e")
    membership = join(harbour, robin)
    return {
        "practitioner": robin.user,
        "other_practitioner": other.user,
        "connection": connection,
        "share": share,
        "note": note,
        "invitation": invitation,
        "membership": membership,
        "organisation_admin": organisation_admin(harbour),
        "other_organisation_admin": organisation_admin(organisation("Other Place")),
    }


def target(name: str, world: dict) -> str:
    kind = COVERAGE[name]
    if kind == DRAFT:
        args = [world["draft"].public_id] + ([1] if name == "profiles:answer_page" else [])
        return reverse(name, args=args)
    if kind == SUBMITTED:
        return reverse(name, args=[world["submitted"][0].public_id])
    if kind == PAIR:
        a, b = world["submitted"]
        return f"{reverse(name)}?a={a.public_id}&b={b.public_id}"
    if kind in (CONNECTION, CLIENT):
        return reverse(name, args=[world["connection"].public_id])
    if kind == PRACTITIONER:
        return reverse(name)
    if kind == INVITATION:
        return reverse(name, args=[world["invitation"].public_id])
    if kind == SHARED:
        return reverse(name, args=[world["connection"].public_id, world["submitted"][0].public_id])
    if kind == ORGANISATION:
        return reverse(name)
    if kind == MEMBER:
        return reverse(name, args=[world["membership"].public_id])
    if kind == ACCENT:
        return reverse(name, args=["1a5c8e"])
    if kind == MOMENTS_OWN:
        return reverse(name)
    if kind == MOMENT:
        return reverse(name, args=[world["moment"].client_id])
    if kind == NOTE:
        return reverse(name, args=[world["connection"].public_id, world["note"].public_id])

    raise AssertionError(name)


def fetch(client: Client, name: str, url: str):
    return client.post(url) if name in POST_ONLY else client.get(url)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


OBJECT_URLS = sorted(n for n, k in COVERAGE.items() if k in (DRAFT, SUBMITTED, PAIR))


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_owner_reaches_their_own_object(world, name):
    response = fetch(client_for(world["owner"]), name, target(name, world))

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert reverse("login") not in response.url


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_person_gets_404(world, name):
    response = fetch(client_for(world["other"]), name, target(name, world))

    assert response.status_code == 404


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_staff_without_permission_gets_404(world, name):
    response = fetch(client_for(UserFactory(is_staff=True)), name, target(name, world))

    assert response.status_code == 404


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_anonymous_visitor_gets_404_or_the_sign_in_page(world, name):
    response = fetch(Client(), name, target(name, world))

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k == SIGNED_IN))
def test_signed_in_pages_send_anonymous_visitors_to_sign_in(name):
    response = Client().get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k == SIGNED_IN))
def test_signed_in_pages_never_show_another_persons_profiles(world, name):
    response = client_for(world["other"]).get(reverse(name))

    body = response.content.decode(errors="replace")
    for profile in [world["draft"], *world["submitted"]]:
        assert str(profile.public_id) not in body


def test_profile_urls_use_unguessable_ids_not_sequential_ones(world):
    url = target("profiles:report", world)

    assert str(world["submitted"][0].public_id) in url
    assert f"/{world['submitted'][0].pk}/" not in url


@pytest.mark.parametrize(
    "url",
    [
        "/r/" + "A" * 43 + "/",
        "/accounts/activate/MQ/abc-123/",
        "/accounts/password/reset/MQ/set-password/",
    ],
)
def test_forged_tokens_open_nothing(world, url):
    response = Client().get(url, follow=True)

    body = response.content.decode()
    assert all(str(p.public_id) not in body for p in [world["draft"], *world["submitted"]])
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("name", sorted(set(COVERAGE) - CSRF_EXEMPT))
def test_every_url_refuses_a_post_without_a_csrf_token(world, name):
    kind = COVERAGE[name]
    if kind in (DRAFT, SUBMITTED, PAIR, *PRACTICE_KINDS):
        url = target(name, world)
    elif kind == TOKEN:
        url = {
            "activate": "/accounts/activate/MQ/abc-123/",
            "password_reset_confirm": "/accounts/password/reset/MQ/set-password/",
            "profiles:resume_link": "/r/" + "A" * 43 + "/",
            "practice:invitation": "/invitation/" + "a" * 43 + "/",
            "practice:organisation_join": "/organisation/join/" + "a" * 43 + "/",
        }[name]
    else:
        url = reverse(name)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])

    response = client.post(url, {"nav": "next"})

    assert response.status_code == 403


def test_the_csrf_exempt_unsubscribe_changes_nothing_with_a_forged_token(world):
    from moments import reminders
    from moments.models import MomentsSettings, Reminder

    MomentsSettings.objects.filter(person=world["owner"]).update(reminder_frequency="daily")
    reminder = Reminder.objects.create(person=world["owner"], due_at=timezone.now())
    token = reminders.unsubscribe_token(reminder)
    client = Client(enforce_csrf_checks=True)

    for forged in ("forged", token[:-2] + "xx", reminders.prompted_token(reminder)):
        response = client.post(reverse("moments:unsubscribe", args=[forged]))
        assert response.status_code == 404
    assert MomentsSettings.objects.get(person=world["owner"]).reminder_frequency == "daily"


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k != TOKEN))
def test_every_page_carries_the_privacy_and_security_headers(world, name):
    url = (
        target(name, world)
        if COVERAGE[name] in (DRAFT, SUBMITTED, PAIR, *PRACTICE_KINDS)
        else reverse(name)
    )

    response = fetch(client_for(world["owner"]), name, url)

    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- the practice area against every identity of PRACTICE.md §8 ---------------------------------
ORGANISATION_ROLES = ("organisation_admin", "other_organisation_admin")
# The practitioner belongs to the first admin's organisation; an organisation admin still never
# reaches a person's connection or share (§1.2).
IDENTITIES = [
    "practitioner",
    "other_practitioner",
    "person",
    "other_person",
    "organisation_admin",
    "other_organisation_admin",
    "staff",
    "staff_with_view_individual_data",
    "anonymous",
]
# Who reaches each kind; everyone else gets 404 (or, for a person's own pages, the sign-in page
# when anonymous).
OWNER_OF = {
    CONNECTION: {"person"},
    # Every approved practitioner has their own clients list and invitation form.
    PRACTITIONER: {"practitioner", "other_practitioner"},
    INVITATION: {"practitioner"},
    CLIENT: {"practitioner"},
    SHARED: {"practitioner"},
    NOTE: {"practitioner"},
    # Each admin has their own organisation's pages; a membership is its own admin's alone.
    ORGANISATION: {"organisation_admin", "other_organisation_admin"},
    MEMBER: {"organisation_admin"},
    ACCENT: set(IDENTITIES),
    # Everyone signed in has their own practice page and moments; none sees another's.
    MOMENTS_OWN: set(IDENTITIES) - {"anonymous"},
    MOMENT: {"person"},
}
PRACTICE_URLS = sorted(n for n, k in COVERAGE.items() if k in PRACTICE_KINDS)
POST_DATA = {
    "practice:share": lambda world: {
        "profile": world["submitted"][0].public_id,
        "level": "summary",
    },
    "practice:choices": lambda world: {
        f"{str(world['connection'].public_id)[:8]}-future_level": "summary"
    },
    "moments:follow_up": lambda world: {"answer": "no_need"},
    "practice:note_add": lambda world: {"body": "Another", "nonce": str(uuid.uuid4())},
    "practice:agreed_practice": lambda world: {"text": "Pause first"},
}


def identity(name: str, world: dict):
    from django.contrib.auth.models import Permission

    if name == "anonymous":
        return None
    if name == "person":
        return world["owner"]
    if name == "other_person":
        return world["other"]
    if name in ORGANISATION_ROLES or name in ("practitioner", "other_practitioner"):
        return world[name]
    staff = UserFactory(is_staff=True)
    if name == "staff_with_view_individual_data":
        staff.user_permissions.add(Permission.objects.get(codename="view_individual_data"))
    return staff


@pytest.mark.parametrize("who", IDENTITIES)
@pytest.mark.parametrize("name", PRACTICE_URLS)
def test_practice_urls_open_only_for_their_owner(world, name, who):
    url = target(name, world)
    client = client_for(identity(who, world))
    if name in POST_ONLY:
        response = client.post(url, POST_DATA.get(name, lambda w: {})(world))
    else:
        response = client.get(url)

    kind = COVERAGE[name]
    if who in OWNER_OF[kind]:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert reverse("login") not in response.url
    elif who == "anonymous" and kind in (CONNECTION, MOMENTS_OWN, MOMENT):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404, response.status_code
    body = response.content.decode(errors="replace")
    if who not in OWNER_OF[kind] or who in ("other_practitioner", *ORGANISATION_ROLES):
        assert str(world["connection"].public_id) not in body
        assert str(world["submitted"][0].public_id) not in body
    if who != "person":
        assert str(world["moment"].client_id) not in body
    if kind == MOMENT and who != "person":
        world["moment"].refresh_from_db()
        assert world["moment"].follow_up == ""  # nothing was answered for the person
    if kind in (CLIENT, NOTE) and who not in OWNER_OF[kind]:
        from practice.models import AgreedPractice, PractitionerNote

        assert list(PractitionerNote.objects.values_list("body", flat=True)) == ["Private note zq7"]
        assert not AgreedPractice.objects.exists()  # nothing was written for anyone else
    if who != "practitioner":
        assert "Private note zq7" not in body


@pytest.mark.parametrize("who", IDENTITIES)
def test_the_sharing_page_shows_only_ones_own_connections(world, who):
    response = client_for(identity(who, world)).get(reverse("practice:sharing"))

    body = response.content.decode(errors="replace")
    if who == "person":
        assert str(world["connection"].public_id) in body
    else:
        assert str(world["connection"].public_id) not in body


@pytest.mark.parametrize("who", IDENTITIES)
def test_the_organisation_join_page_shows_only_the_organisation_and_joins_only_a_practitioner(
    world, who
):
    """The join link is opened by whoever holds it: it names the organisation and nothing of
    anyone; posting it makes a membership only for a practitioner (here: the one not yet in an
    organisation)."""
    from practice import organisations, tokens
    from practice.models import Membership, Organisation

    invitation, _created = organisations.invite_practitioner(
        organisation=Organisation.objects.get(name="Other Place"),
        invited_by=None,
        email="alex@example.org",
        nonce=uuid.uuid4(),
    )
    url = reverse(
        "practice:organisation_join", args=[tokens.organisation_invitation_token(invitation.nonce)]
    )
    client = client_for(identity(who, world))

    page = client.get(url)
    posted = client.post(url)

    assert page.status_code == 200
    body = page.content.decode(errors="replace") + posted.content.decode(errors="replace")
    assert str(world["connection"].public_id) not in body
    assert str(world["submitted"][0].public_id) not in body
    joined = Membership.objects.filter(organisation__name="Other Place")
    if who == "other_practitioner":
        assert posted.status_code == 302 and joined.get().practitioner.user == world[who]
    elif who == "practitioner":  # already in the first organisation: refused
        assert posted.status_code == 400 and not joined.exists()
    elif who == "anonymous":
        assert posted.status_code == 302 and posted.url.startswith(reverse("login"))
        assert not joined.exists()
    else:
        assert posted.status_code == 400 and not joined.exists()


# --- the moments area against every identity of PRACTICE.md §8 ----------------------------------
MOMENTS_OWN_PAGES = sorted(
    n for n, k in COVERAGE.items() if n.startswith("moments:") and k == SIGNED_IN
)


@pytest.fixture
def moments_world(world):
    from moments.models import Moment, MomentsSettings, Reminder

    Moment.objects.create(
        person=world["owner"], occurred_at=timezone.now(), context="close", intensity=7,
        trigger_text="only-the-owner-wrote-this", copy_version="copy-3",
    )  # fmt: skip
    MomentsSettings.objects.update_or_create(  # the world's person agreed to moments already
        person=world["owner"],
        defaults={"reminder_frequency": "weekly", "time_zone": "Pacific/Chatham"},
    )
    world["reminder"] = Reminder.objects.create(person=world["owner"], due_at=timezone.now())
    return world


@pytest.mark.parametrize("who", IDENTITIES)
@pytest.mark.parametrize("name", MOMENTS_OWN_PAGES)
def test_moments_pages_show_each_identity_only_their_own(moments_world, name, who):
    from moments.models import Moment

    user = identity(who, moments_world)

    response = client_for(user).get(reverse(name))

    if user is None:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "only-the-owner-wrote-this" not in body  # never an entry's words, even the owner's
    if name == "moments:views":
        own = Moment.objects.filter(person=user).count()  # the person's two, nobody else's
        assert response.context["moments_summary"].summary.n == own == (2 if who == "person" else 0)
    if name == "moments:reminders":
        assert ("Pacific/Chatham" in body) is (who == "person")


@pytest.mark.parametrize("who", IDENTITIES)
def test_the_unsubscribe_link_works_only_by_its_token_for_any_identity(moments_world, who):
    from moments import reminders
    from moments.models import MomentsSettings

    token = reminders.unsubscribe_token(moments_world["reminder"])
    client = client_for(identity(who, moments_world))

    forged = client.post(reverse("moments:unsubscribe", args=["A" * 40]))
    shown = client.get(reverse("moments:unsubscribe", args=[token]))

    assert forged.status_code == 404 and shown.status_code == 200
    assert str(moments_world["owner"].email) not in shown.content.decode()
    assert MomentsSettings.objects.get(person=moments_world["owner"]).reminder_frequency == "weekly"


# --- the reminder-to-share switch-off link (PRACTICE.md §5) ------------------------------------
def test_the_csrf_exempt_share_reminders_off_changes_nothing_with_a_forged_token(world):
    from moments import reminders
    from moments.models import Reminder
    from practice import tokens
    from practice.models import Connection, ShareReminder

    reminder = ShareReminder.objects.create(connection=world["connection"])
    token = tokens.share_reminders_off_token(reminder.pk)
    other_purpose = reminders.unsubscribe_token(
        Reminder.objects.create(pk=reminder.pk, person=world["owner"], due_at=timezone.now())
    )
    client = Client(enforce_csrf_checks=True)

    for forged in (
        "forged",
        token[:-2] + "xx",
        other_purpose,
        tokens.invitation_token(uuid.uuid4()),
    ):
        response = client.post(reverse("practice:share_reminders_off", args=[forged]))
        assert response.status_code == 404
    assert Connection.objects.get(pk=world["connection"].pk).allows_share_reminders is True


@pytest.mark.parametrize("who", IDENTITIES)
def test_the_share_reminders_off_link_works_only_by_its_token_for_any_identity(world, who):
    from practice import tokens
    from practice.models import Connection, ShareReminder

    reminder = ShareReminder.objects.create(connection=world["connection"])
    token = tokens.share_reminders_off_token(reminder.pk)
    client = client_for(identity(who, world))

    forged = client.post(reverse("practice:share_reminders_off", args=["A" * 40]))
    shown = client.get(reverse("practice:share_reminders_off", args=[token]))

    assert forged.status_code == 404 and shown.status_code == 200
    body = shown.content.decode()
    assert str(world["owner"].email) not in body
    assert str(world["connection"].public_id) not in body
    assert "Robin Example" not in body  # the page names nobody
    assert Connection.objects.get(pk=world["connection"].pk).allows_share_reminders is True
