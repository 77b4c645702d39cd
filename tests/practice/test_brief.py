"""The pre-session brief (PRACTICE.md §5, issue 17 line 5): screen and one-page PDF, rendered
from shared snapshots and versioned copy only; what a share level does not cover is absent."""

import io
import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.checks import copy_problems
from assessments.copy_release import COPY_3_DIR, copy_3_texts
from assessments.copy_text import placeholder_problems
from assessments.queries import copy_texts
from practice import brief, brief_pdf, queries, services
from practice.models import BriefPdf, ShareAccess
from tests.practice.helpers import client_for, connect, practitioner
from tests.profiles.test_report import EXAMPLE_3, page_text, raw_answers, submitted, uniform

pytestmark = pytest.mark.django_db

COPY = copy_3_texts()
WORDS = COPY["brief"]
# ASSESSMENT.md §7.2: words that never appear in copy ("diagnosis" is allowed only where the
# disclaimer says relcap is not one).
AVOIDED = (
    "disorder", "dysfunctional", "broken", "abnormal", "pathological", "toxic", "avoidant",
    "anxious", "trauma", "normal",
)  # fmt: skip
FAKE_PDF = b"%PDF-1.7 brief made for the test"
# Example 3 with Example 1's regulation answers (REG 54.17 instead of 79.17, §3.9).
EARLIER = dict(EXAMPLE_3, REG="3 2 6 4 3 5 6 5 3 6 6 2")


def brief_url(connection) -> str:
    return reverse("practice:brief", args=[connection.public_id])


def pdf_url(connection) -> str:
    return reverse("practice:brief_pdf", args=[connection.public_id])


@pytest.fixture
def robin():
    return practitioner()


@pytest.fixture
def kim(django_user_model):
    return django_user_model.objects.create_user("kim", "kim@example.org", "a long password")


def share(connection, profile, level="summary"):
    profile.refresh_from_db()
    return services.set_share(connection=connection, profile=profile, level=level)


def example_3(user, **extra):
    return submitted(raw_answers(EXAMPLE_3, **extra.pop("overrides", {})), user=user, **extra)


@pytest.fixture
def shared_summary(robin, kim):
    connection = connect(robin, kim)
    profile = example_3(kim)
    share(connection, profile)
    connection.person_display_name = "Kim Sample"
    connection.save()
    return connection, profile


def text_of(response) -> str:
    return page_text(response)


# --------------------------------------------------------------------------- the copy
def test_copy_3_has_three_openers_for_every_focus_key_and_they_pass_the_copy_checks():
    focus_keys = set(COPY["suggestions"])
    assert len(focus_keys) == 25  # 12 facets, 12 contexts, MAINTAIN (ASSESSMENT.md §3.7)
    assert set(COPY["openers"]) == focus_keys
    texts = [
        (f"openers.{key}.{n}", text)
        for key, openers in COPY["openers"].items()
        for n, text in openers.items()
    ]
    assert len(texts) == 75
    for key, openers in COPY["openers"].items():
        assert sorted(openers) == ["1", "2", "3"], key
    for path, text in texts:
        assert placeholder_problems(text, path) == [], path
        assert text.strip().endswith("?"), path  # questions a practitioner can ask
        assert not any(re.search(rf"\b{w}", text, re.I) for w in AVOIDED), path
    assert len({text for _, text in texts}) == 75  # no opener repeated


def test_the_brief_texts_pass_the_copy_checks_and_avoid_pathologising_words():
    assert copy_problems(COPY) == []
    data = json.loads((COPY_3_DIR / "brief.json").read_text(encoding="utf-8"))
    assert set(data) == {"brief", "openers"}  # new top-level groups only

    def leaves(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, f"{path}.{key}")
        else:
            yield path, node

    for path, text in leaves(data["brief"], "brief"):
        assert placeholder_problems(text, path) == [], path
        assert not any(re.search(rf"\b{w}", text, re.I) for w in AVOIDED), path


def test_the_brief_reads_its_own_texts_from_the_snapshot_copy_or_else_the_published_one():
    copy_2, copy_3 = copy_texts("copy-2"), copy_texts("copy-3")

    assert "openers" not in copy_2
    assert brief.brief_copy(copy_2, "en")["version"] == "copy-3"  # the published copy
    assert brief.brief_copy(copy_3, "en") is copy_3


# --------------------------------------------------------------------------- the screen
def test_the_summary_brief_shows_the_summary_strengths_first(robin, shared_summary):
    connection, profile = shared_summary

    response = client_for(robin.user).get(brief_url(connection))

    assert response.status_code == 200
    text = text_of(response)
    assert "Pre-session brief: Kim Sample" in text
    assert "· Both · Answer quality: no concerns" in text or "Answer quality: no concerns" in text
    # Strengths first (§7.2), then the work/close split, capacities, focus, change.
    order = [
        WORDS["strengths"]["heading"],
        WORDS["split"]["heading"],
        WORDS["capacities"]["heading"],
        WORDS["focus"]["heading"],
        WORDS["change"]["heading"],
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Well-developed at the moment: Regulation 79" in text
    # GASI 23.15 → notable, more at work; REP: C 44, W 81, ASI +36 notable.
    assert "more at work than in close relationships (average gap +23 points)" in text
    assert "Repair 44 81 +36 (wider than noise)" in text
    assert "Mentalizing 61 81 +19 Embodied" in text  # not notable: no note
    # Each pattern in plain words with what is intact beside it.
    for code in ("EMP-COLD", "BON-CONTAINED", "CTX-CLOSE"):
        assert COPY["patterns"][code]["title"] in text
    # A CTX pattern is explained once, beside the split, for every capacity it marks.
    assert "Stronger at work than in close relationships (Repair, Bonding) : Work often" in text
    assert "which can make repair and bonding easier to use there" in text
    assert text.count("Work often has clear roles") == 1
    assert "What is already working here" in text or "already" in text
    # Primary EMP2, secondary BON.C, each with its suggestion and three openers.
    html = response.content.decode()
    for key in ("EMP2", "BON.C"):
        assert f'data-focus-key="{key}"' in html
        assert COPY["suggestions"][key]["title"] in text
        for opener in COPY["openers"][key].values():
            assert opener.replace("'", "&#x27;") in html
    assert WORDS["change"]["first"] in text
    assert WORDS["disclaimer"] in text


def test_a_summary_brief_leaves_out_what_the_summary_does_not_cover(robin, shared_summary):
    connection, profile = shared_summary

    response = client_for(robin.user).get(brief_url(connection))

    html = response.content.decode()
    text = text_of(response)
    # No link to the full report, no item answers, no full-report texts.
    assert reverse("practice:shared", args=[connection.public_id, profile.public_id]) not in html
    first_item = profile.instrument_version.items.filter(kind="scored").first()
    assert first_item.text not in text
    for code in ("MEN", "REG"):
        assert COPY["dimensions"][code]["what_it_is"] not in text
        assert COPY["dimensions"][code]["level_text"]["developing"] not in text
    assert COPY["growth_reminder"] not in text
    assert COPY["intro"] not in text
    # The check-in is a separate choice, off: absent, not greyed.
    assert WORDS["checkin"]["heading"] not in text


def test_at_the_report_level_the_brief_links_the_full_report_but_holds_no_answers(robin, kim):
    connection = connect(robin, kim)
    profile = example_3(kim)
    share(connection, profile, "report_answers")

    response = client_for(robin.user).get(brief_url(connection))

    html = response.content.decode()
    assert reverse("practice:shared", args=[connection.public_id, profile.public_id]) in html
    assert "Open the full report and answers" in html
    assert WORDS["level"]["report_answers"] in html
    first_item = profile.instrument_version.items.filter(kind="scored").first()
    assert first_item.text not in text_of(response)


def test_the_check_in_appears_only_when_the_person_shares_it(robin, kim):
    connection = connect(robin, kim)
    profile = example_3(kim, overrides={"WB1": 6})  # §7.3 urgent
    share(connection, profile)
    client = client_for(robin.user)

    hidden = text_of(client.get(brief_url(connection)))
    connection.share_checkin = True
    connection.save()
    shown = text_of(client.get(brief_url(connection)))

    assert WORDS["checkin"]["urgent"] not in hidden
    assert WORDS["checkin"]["heading"] not in hidden
    assert WORDS["checkin"]["urgent"] in shown


def test_quality_notes_and_capacities_without_a_result_are_named(robin, kim):
    connection = connect(robin, kim)
    rows = dict(EXAMPLE_3, REP="5 - 3 - 6 2 4 - 4 5 - 3")  # §3.9 Example 2: REP not scored
    profile = submitted(raw_answers(rows), user=kim, page_ms=1000)  # TOO_FAST → low
    share(connection, profile)

    text = text_of(client_for(robin.user).get(brief_url(connection)))

    assert "Answer quality: may not reflect them well" in text
    assert WORDS["quality_notes"]["TOO_FAST"] in text
    assert WORDS["quality_notes"]["low"] in text
    assert "Repair: 8 of 12 statements answered, 9 needed for a result." in text


def test_the_name_is_the_one_the_person_chose_or_says_none_was_given(robin, kim):
    connection = connect(robin, kim)
    share(connection, example_3(kim))
    client = client_for(robin.user)

    before = text_of(client.get(brief_url(connection)))
    prefix = str(connection.public_id)[:8]
    client_for(kim).post(
        reverse("practice:choices", args=[connection.public_id]),
        {f"{prefix}-future_level": "summary", f"{prefix}-display_name": "  Kim S.  "},
    )
    after = text_of(client.get(brief_url(connection)))

    assert "Name not given (connected on" in before
    assert "Pre-session brief: Kim S." in after


# --------------------------------------------------------------------------- change since
def test_change_is_since_the_previous_shared_profile_with_reliable_change_labels(robin, kim):
    connection = connect(robin, kim)
    now = timezone.now()
    first = submitted(raw_answers(EARLIER), user=kim, when=now - timedelta(days=70))
    not_shared = submitted(raw_answers(uniform(7)), user=kim, when=now - timedelta(days=40))
    latest = example_3(kim)
    share(connection, first)
    share(connection, latest)

    response = client_for(robin.user).get(brief_url(connection))

    html = response.content.decode()
    text = text_of(response)
    day = timezone.localtime(first.submitted_at).strftime("%-d %B %Y")
    assert f"Compared with the profile of {day} they shared with you" in text
    found = re.findall(r'data-change="(\w+)"><th scope="row">([^<]+)</th>', html)
    labels = {name: label for label, name in found}
    # REG 54.17 → 79.17: Δ +25 ≥ 18.6 → reliable increase; EMP unchanged → about the same.
    assert labels["Regulation"] == "reliable_increase"
    assert labels["Embodied empathy"] == "about_the_same"
    assert "Regulation 54 79 +25, clear increase" in text
    assert "Embodied empathy 35 35 0, about the same (within measurement noise)" in text
    assert not_shared.submitted_at.strftime("%-d %B %Y") not in text  # never shown
    # Both shared profiles were seen, so both are in the person's log.
    logged = set(ShareAccess.objects.values_list("profile_public_id", flat=True))
    assert logged == {first.public_id, latest.public_id}


def test_change_is_not_directly_comparable_when_an_earlier_profile_is_low_quality(robin, kim):
    connection = connect(robin, kim)
    now = timezone.now()
    rushed = submitted(raw_answers(EARLIER), user=kim, page_ms=1000, when=now - timedelta(days=70))
    share(connection, rushed)
    share(connection, example_3(kim))

    text = text_of(client_for(robin.user).get(brief_url(connection)))

    assert "Regulation 54 79 +25, not directly comparable" in text
    assert WORDS["change"]["reasons"]["low_quality"] in text
    assert "clear increase" not in text


# --------------------------------------------------------------------------- access
def test_every_view_is_logged_for_the_person(robin, kim, shared_summary):
    connection, profile = shared_summary

    client_for(robin.user).get(brief_url(connection))

    entry = ShareAccess.objects.get()
    assert (entry.what, entry.profile_public_id) == ("brief", profile.public_id)
    assert entry.practitioner_name == robin.display_name
    sharing = client_for(kim).get(reverse("practice:sharing")).content.decode()
    assert "the pre-session brief" in sharing


def test_a_revoked_share_answers_404_on_the_next_request(robin, kim, shared_summary):
    connection, profile = shared_summary
    theirs = client_for(robin.user)
    assert theirs.get(brief_url(connection)).status_code == 200

    client_for(kim).post(
        reverse("practice:share", args=[connection.public_id]),
        {"profile": profile.public_id, "level": "none"},
    )

    assert theirs.get(brief_url(connection)).status_code == 404
    assert theirs.get(pdf_url(connection)).status_code == 404


def test_an_ended_connection_and_a_connection_with_nothing_shared_answer_404(robin, kim):
    connection = connect(robin, kim)
    profile = example_3(kim)
    client = client_for(robin.user)
    assert client.get(brief_url(connection)).status_code == 404

    share(connection, profile)
    assert client.get(brief_url(connection)).status_code == 200
    services.end_connection(connection=connection, by="person")

    assert client.get(brief_url(connection)).status_code == 404


def test_another_practitioner_and_the_person_get_404(robin, kim, shared_summary):
    connection, _profile = shared_summary

    assert client_for(practitioner("Alex").user).get(brief_url(connection)).status_code == 404
    assert client_for(kim).get(brief_url(connection)).status_code == 404
    assert client_for(None).get(brief_url(connection)).status_code == 404


@pytest.mark.parametrize("count", [1, 2, 20])
def test_the_brief_takes_a_constant_number_of_queries(robin, kim, count, django_assert_num_queries):
    connection = connect(robin, kim)
    now = timezone.now()
    for n in range(count):
        share(connection, submitted(raw_answers(EXAMPLE_3), user=kim, when=now - timedelta(n)))
    client = client_for(robin.user)
    client.get(brief_url(connection))  # the copy and the item lineage are read once

    # session, user, practitioner, connection, shares, snapshots, a log row per profile shown;
    # with two or more shared, the comparison adds the item lineage and the reliability set.
    expected = 10 if count > 1 else 7
    with django_assert_num_queries(expected):
        assert client.get(brief_url(connection)).status_code == 200


# --------------------------------------------------------------------------- the PDF
@pytest.fixture
def fake_render():
    with mock.patch.object(brief_pdf, "render", return_value=FAKE_PDF) as render:
        yield render


def test_the_pdf_is_made_once_per_set_of_inputs_and_served_from_storage(
    robin, kim, shared_summary, fake_render
):
    connection, profile = shared_summary
    client = client_for(robin.user)

    first, second = client.get(pdf_url(connection)), client.get(pdf_url(connection))

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content == FAKE_PDF
    assert fake_render.call_count == 1
    stored = BriefPdf.objects.get()
    assert default_storage.open(stored.file.name).read() == FAKE_PDF
    assert list(ShareAccess.objects.values_list("what", flat=True)) == ["brief_pdf"] * 2


def test_a_changed_share_never_gets_the_stale_pdf(robin, kim, shared_summary, fake_render):
    connection, profile = shared_summary
    client = client_for(robin.user)
    client.get(pdf_url(connection))
    old = BriefPdf.objects.get()

    share(connection, profile, "report")  # the person raises the level
    assert not BriefPdf.objects.exists()  # deleted with the change, file after commit
    client.get(pdf_url(connection))
    raised = BriefPdf.objects.get()
    later = submitted(raw_answers(uniform(5)), user=kim)
    share(connection, later)
    client.get(pdf_url(connection))
    newest = BriefPdf.objects.get()

    assert fake_render.call_count == 3
    assert len({old.key, raised.key, newest.key}) == 3
    assert newest.share.profile_id == later.pk


def test_the_cache_key_changes_with_every_input(robin, kim, shared_summary):
    connection, profile = shared_summary

    def key() -> str:
        source = queries.brief_source(robin, connection.public_id)
        return brief.brief_context(source)["cache_key"]

    keys = [key()]
    connection.share_checkin = True
    connection.save()
    keys.append(key())
    connection.person_display_name = "K."
    connection.save()
    keys.append(key())
    share(connection, profile, "report")
    keys.append(key())
    branding = mock.Mock(accent="#225577")
    branding.name = "Harbour Practice"
    with mock.patch.object(brief, "branding_for", return_value=branding):
        keys.append(key())
        branding.accent = "#553322"
        keys.append(key())

    assert len(set(keys)) == len(keys)
    assert key() == keys[3]  # the same inputs (level report, no branding) give the same key


# Keyed values per cell (F1-C, F1-W, F2-C, F2-W) chosen so that 13 patterns fire at once, the
# most score-1 allows: CTX-CLOSE on all six, MEN-STRAIN, EMP-COLD, REG-TRIGGER, TRU-GUARDED,
# REP-RECEIVE, BON-CONTAINED and BON-LONGING (raw rows in canonical order, §3.9).
MOST_PATTERNS = {
    "MEN": "4 4 4 7 7 1 1 1 7 4 4 4",
    "EMP": "1 1 7 4 4 4 1 1 7 4 4 4",
    "REG": "1 1 7 4 4 4 4 4 4 7 7 1",
    "TRU": "1 1 7 4 4 4 4 4 4 7 7 1",
    "REP": "4 4 4 7 7 1 1 1 7 4 4 4",
    "BON": "1 1 7 1 1 7 1 1 7 7 7 1",
}


@pytest.mark.parametrize(
    "rows",
    [dict(EXAMPLE_3, TRU="4 - 5 - 5 3 - 5 4 - 6 2"), MOST_PATTERNS],
    ids=["example-3-with-a-capacity-not-scored", "thirteen-patterns"],
)
def test_the_fullest_summary_brief_is_one_a4_page(
    robin, kim, rows, django_capture_on_commit_callbacks
):
    connection = connect(robin, kim)
    connection.share_checkin = True
    connection.person_display_name = "Kimberly Alexandra Sample-Longname"
    connection.save()
    now = timezone.now()
    # Low quality with several notes, an urgent check-in, and a change table with its notes
    # (not comparable, under 28 days apart, patterns new and resolved).
    earlier = submitted(raw_answers(EARLIER), user=kim, when=now - timedelta(days=20))
    latest = submitted(raw_answers(rows, WB1=6, QC1=7), user=kim, page_ms=1000)
    share(connection, earlier)
    share(connection, latest)
    if rows is MOST_PATTERNS:
        assert len(latest.snapshots.get().data["patterns"]) == 13

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(robin.user).get(pdf_url(connection))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Pre-session brief" in text
    assert WORDS["checkin"]["urgent"] in text
    assert WORDS["change"]["reasons"]["low_quality"] in text
    for block in ("primary", "secondary"):
        target = latest.snapshots.get().data["focus"][block]["target"]
        for opener in COPY["openers"][target].values():
            assert " ".join(opener.split()[:4]) in text
    assert WORDS["disclaimer"] in text


def test_revoking_deletes_the_stored_file(
    robin, kim, shared_summary, fake_render, django_capture_on_commit_callbacks
):
    connection, profile = shared_summary
    client_for(robin.user).get(pdf_url(connection))
    name = BriefPdf.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        share(connection, profile, "none")

    assert not default_storage.exists(name)
    assert not BriefPdf.objects.exists()


def test_files_left_by_a_deleted_profile_are_swept(robin, kim, shared_summary, fake_render):
    connection, profile = shared_summary
    client_for(robin.user).get(pdf_url(connection))
    name = BriefPdf.objects.get().file.name

    profile.delete()  # its share, and with it the brief PDF row, go by cascade

    assert not BriefPdf.objects.exists()
    assert brief_pdf.sweep_orphans() == 0  # younger than an hour: may still be getting a row
    assert brief_pdf.sweep_orphans(now=timezone.now() + timedelta(hours=2)) == 1
    assert not default_storage.exists(name)


def test_ending_the_connection_or_deleting_the_account_removes_the_brief_pdfs(
    robin, kim, shared_summary, fake_render, django_capture_on_commit_callbacks
):
    connection, _profile = shared_summary
    client_for(robin.user).get(pdf_url(connection))
    name = BriefPdf.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        kim.delete()

    assert not BriefPdf.objects.exists()
    assert not default_storage.exists(name)


def test_with_a_broker_the_pdf_download_says_it_is_being_prepared(robin, shared_summary, settings):
    connection, _profile = shared_summary
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"  # queued after commit, not run here

    response = client_for(robin.user).get(pdf_url(connection))

    assert response.status_code == 202
    assert reverse("practice:brief_pdf", args=[connection.public_id]) in response.content.decode()
    assert not BriefPdf.objects.exists()
    assert not ShareAccess.objects.exists()  # nothing was seen yet


def test_a_bad_display_name_is_refused_and_nothing_is_written(robin, kim, shared_summary):
    connection, _profile = shared_summary
    prefix = str(connection.public_id)[:8]

    response = client_for(kim).post(
        reverse("practice:choices", args=[connection.public_id]),
        {f"{prefix}-future_level": "summary", f"{prefix}-display_name": "x" * 101},
    )

    assert response.status_code == 400
    connection.refresh_from_db()
    assert connection.person_display_name == "Kim Sample"


@pytest.mark.parametrize("pinned", ["copy-1", "copy-2"])
def test_a_profile_pinned_to_an_older_copy_keeps_its_report_words_and_gets_copy_3_openers(
    robin, kim, pinned, monkeypatch
):
    from assessments.models import ReportCopyVersion
    from profiles import services as profile_services

    read = profile_services.queries.with_answers

    def under_older_copy(*args):  # submitting pins the copy read with the answers
        state = read(*args)
        return state and (*state[:2], ReportCopyVersion.objects.get(version=pinned).version)

    monkeypatch.setattr(profile_services.queries, "with_answers", under_older_copy)
    connection = connect(robin, kim)
    profile = example_3(kim)
    assert profile.snapshots.get().copy_version == pinned
    share(connection, profile)

    response = client_for(robin.user).get(brief_url(connection))

    assert response.status_code == 200
    html = response.content.decode()
    old = copy_texts(pinned)
    # The person's report texts come from their snapshot's copy (copy-1's CTX meaning differs).
    meaning = old["patterns"]["CTX-CLOSE"]["meaning"].split("{dimension}")[0]
    assert meaning.split(".")[0] in html
    assert old["suggestions"]["EMP2"]["title"] in html
    # The brief's own texts come from the published copy.
    made = brief.build_brief(queries.brief_source(robin, connection.public_id))
    assert (made.copy_version, made.brief_copy_version) == (pinned, "copy-3")
    for opener in COPY["openers"]["EMP2"].values():
        assert opener.replace("'", "&#x27;") in html


def test_the_branding_slot_shows_the_organisation_when_there_is_one(robin, shared_summary):
    connection, _profile = shared_summary
    client = client_for(robin.user)

    plain = client.get(brief_url(connection)).content.decode()
    branding = mock.Mock(accent="#225577")
    branding.name = "Harbour Practice"
    with mock.patch.object(brief, "branding_for", return_value=branding):
        branded = client.get(brief_url(connection)).content.decode()

    assert "brief-branding" not in plain  # None: nothing, not an empty box
    assert "Harbour Practice" in branded
    assert 'fill="#225577"' in branded


# ------------------------------------------------- organisation branding and live moments
def test_a_member_practitioners_brief_carries_the_organisations_name_and_colour(
    robin, shared_summary, django_assert_num_queries
):
    from tests.practice.helpers import join, organisation

    connection, _profile = shared_summary
    client = client_for(robin.user)
    plain = client.get(brief_url(connection)).content.decode()
    join(organisation(display_name="Harbour Counselling", accent="#1a5c8e"), robin)

    with django_assert_num_queries(7):  # the membership comes with the connection
        branded = client.get(brief_url(connection)).content.decode()

    assert "brief-branding" not in plain
    assert "Harbour Counselling" in branded and 'fill="#1a5c8e"' in branded


def test_the_live_moments_summary_is_in_the_brief_only_while_the_person_shares_it(
    robin, kim, shared_summary
):
    from tests.moments.helpers import consented, moment

    connection, _profile = shared_summary
    consented(kim)
    for hours in (2, 30, 100):
        moment(kim, hours_ago=hours, intensity=6)
    moment(kim, hours_ago=24 * 40)  # older than four weeks
    heading = copy_texts(copy_3_texts()["version"])["moments_views"]
    client = client_for(robin.user)

    before = client.get(brief_url(connection))
    services.set_choices(
        connection=connection,
        show_submission_dates=True,
        share_checkin=False,
        share_future=False,
        future_level="summary",
        share_moments=True,
    )
    shared = client.get(brief_url(connection))
    summary = shared.context["moments_summary"].summary
    services.set_choices(
        connection=connection,
        show_submission_dates=True,
        share_checkin=False,
        share_future=False,
        future_level="summary",
        share_moments=False,
    )
    after = client.get(brief_url(connection))

    assert before.context["moments_summary"] is None and after.context["moments_summary"] is None
    assert "brief-moments" not in before.content.decode() + after.content.decode()
    assert summary.weeks == 4 and summary.n == 3  # the four weeks, never the older one
    assert "brief-moments" in shared.content.decode()
    assert heading["table_caption"] in page_text(shared)


def test_the_moments_part_of_the_pdf_key_follows_the_moments_not_the_clock(robin, kim):
    from tests.moments.helpers import consented, moment

    connection = connect(robin, kim)
    connection.share_moments = True
    connection.save()
    consented(kim)
    moment(kim, hours_ago=3)
    words = copy_texts(copy_3_texts()["version"])["moments_views"]
    from moments import summary as moments_summary

    now = timezone.now()
    first = moments_summary.presented_for(kim.pk, 4, now, words)
    a_minute_on = moments_summary.presented_for(kim.pk, 4, now + timedelta(minutes=1), words)
    moment(kim, hours_ago=1)
    one_more = moments_summary.presented_for(kim.pk, 4, now + timedelta(minutes=2), words)

    assert brief.moments_key(first) == brief.moments_key(a_minute_on)
    assert brief.moments_key(one_more) != brief.moments_key(first)
    assert brief.moments_key(None) is None


def test_the_fullest_brief_with_moments_and_branding_is_still_one_a4_page(
    robin, kim, django_capture_on_commit_callbacks
):
    from tests.moments.helpers import consented, moment
    from tests.practice.helpers import join, organisation

    join(
        organisation(display_name="Harbour Counselling and Family Practice", accent="#1a5c8e"),
        robin,
    )
    connection = connect(robin, kim)
    connection.share_checkin = connection.share_moments = True
    connection.person_display_name = "Kimberly Alexandra Sample-Longname"
    connection.save()
    consented(kim)
    for day in range(27):  # a moment on nearly every day, close and work
        moment(kim, hours_ago=24 * day + 1, intensity=day % 11, context=("close", "work")[day % 2])
    now = timezone.now()
    earlier = submitted(raw_answers(EARLIER), user=kim, when=now - timedelta(days=20))
    latest = submitted(raw_answers(MOST_PATTERNS, WB1=6, QC1=7), user=kim, page_ms=1000)
    share(connection, earlier)
    share(connection, latest)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(robin.user).get(pdf_url(connection))

    reader = PdfReader(io.BytesIO(response.content))
    assert response.status_code == 200 and len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    words = copy_texts(copy_3_texts()["version"])["moments_views"]
    assert words["table_caption"].split()[0] in text
    assert "Harbour Counselling" in text
    assert WORDS["disclaimer"] in text
