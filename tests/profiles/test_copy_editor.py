"""The report copy editor (issue 19 lines 3-4): sample profiles scored by the real engine, one
field per text, saving only changed texts (all or none), the preview, publishing through the
diff, the sample report and the phone-width respondent preview; existing reports unchanged."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from assessments import copy_edit, queries, services
from assessments.copy_release import COPY_2_FILE as COPY_2
from assessments.models import ReadOnlyError, ReportCopyVersion
from assessments.scoring.score_1 import reference
from profiles import copy_preview, copy_samples
from profiles import services as profile_services
from profiles.models import ResultSnapshot
from tests.factories import ProfileFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

NAME = "admin:assessments_reportcopyversion"
STATUSES = {"well_developed", "developing", "miscalibrated", "underdeveloped", "not_scored"}
PATTERNS = {
    "CTX-CLOSE", "CTX-WORK", "MEN-STRAIN", "EMP-COLD", "EMP-FLOOD", "REG-TRIGGER",
    "TRU-GUARDED", "TRU-UNCHECKED", "REP-RECEIVE", "REP-OFFER", "BON-CONTAINED", "BON-LONGING",
}  # fmt: skip
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def field(*keys: str) -> str:
    return copy_edit.field_name(keys)


@pytest.fixture
def published():
    return queries.published_copy()


@pytest.fixture
def draft(published):
    return services.create_copy_draft_from(source=published, version="copy-4")


def url(name: str, report_copy: ReportCopyVersion) -> str:
    return reverse(f"{NAME}_{name}", args=[report_copy.pk])


# ----------------------------------------------------------------------------- samples
def test_samples_cover_every_status_pattern_focus_key_and_quality_level(published):
    samples = copy_samples.samples()
    statuses = {d["status"] for s in samples for d in s.data["dimensions"].values()}
    patterns = {p["code"] for s in samples for p in s.data["patterns"]}
    targets = {
        s.data["focus"][k]["target"] for s in samples for k in ("primary", "secondary")
        if s.data["focus"][k]
    }  # fmt: skip
    reasons = {f for s in samples for f in s.data["quality"]["flags"]}

    assert statuses == STATUSES
    assert patterns == PATTERNS
    assert targets == set(published.texts["suggestions"])  # 12 facets, 12 contexts, MAINTAIN
    assert {s.data["quality"]["level"] for s in samples} == {"ok", "caution", "low"}
    assert reasons >= {"TOO_FAST", "ATTENTION", "LONGSTRING", "LOW_VARIABILITY", "CONTRADICTORY"}
    assert {s.data["support"] for s in samples} == {"none", "gentle", "urgent"}
    assert {s.data["mode"] for s in samples} == {"both", "close_only", "work_only"}
    assert any(s.data["gasi_notable"] for s in samples)
    assert any(s.data["company_note"] for s in samples)
    assert any(s.data["focus"]["primary"] is None for s in samples)


def test_samples_are_generated_sheets_scored_by_the_engine_not_numbers_typed_in():
    instrument = queries.published_instrument()
    spec = queries.instrument_spec(instrument.pk)
    for plan, sample in zip(copy_samples.plans(), copy_samples.samples(), strict=True):
        sheet = copy_samples.answer_sheet(spec, plan)
        pages = {item.page: plan.page_ms for item in spec.items}
        again = reference.score(spec, sheet, mode=plan.mode, page_ms=pages).as_dict()
        assert sample.data == again, plan.key  # the reference engine agrees with the fast one
        assert all(v is None or 1 <= v <= 7 for v in sheet.values())


# ----------------------------------------------------------------------------- the texts page
def test_texts_page_lists_each_text_with_its_key_where_and_placeholders(admin_client, draft):
    response = admin_client.get(url("texts", draft), {"group": "patterns"})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="copy-field') == 24  # 12 patterns x (title, meaning)
    assert "<code>patterns.EMP-COLD.meaning</code>" in content
    assert "Report card: the title and meaning of an uneven pattern" in content
    assert "<code>{dimension}</code>" in content
    assert f'name="{escape(field("patterns", "EMP-COLD", "meaning"))}"' in content
    assert "suggestions.MEN1" not in content  # another group


def test_texts_page_searches_every_group_and_lists_groups_it_has_never_heard_of(
    admin_client, draft
):
    texts = dict(draft.texts, pauses={"reminder": {"title": "A small pause today"}})
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)

    found = admin_client.get(url("texts", draft), {"group": "", "q": "small pause"})
    grouped = admin_client.get(url("texts", draft), {"group": "pauses"})

    for response in (found, grouped):
        content = response.content.decode()
        assert content.count('class="copy-field') == 1
        assert "<code>pauses.reminder.title</code>" in content
        assert "Texts of the “pauses” group" in content
    assert '<option value="pauses"' in grouped.content.decode()


def test_saving_writes_only_the_changed_texts(admin_client, draft):
    meaning = field("patterns", "EMP-COLD", "meaning")
    title = field("patterns", "EMP-COLD", "title")
    before = json.loads(json.dumps(draft.texts))

    response = admin_client.post(
        url("texts", draft) + "?group=patterns",
        {
            meaning: "You may read {dimension} well\r\nfrom the outside.",
            title: before["patterns"]["EMP-COLD"]["title"],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("texts", draft) + "?group=patterns"
    draft.refresh_from_db()
    expected = copy_edit.with_changes(
        before,
        {("patterns", "EMP-COLD", "meaning"): "You may read {dimension} well\nfrom the outside."},
    )
    assert draft.texts == expected


def test_a_rejected_placeholder_is_shown_in_place_and_nothing_is_written(admin_client, draft):
    before = json.loads(json.dumps(draft.texts))
    good, bad = field("intro"), field("patterns", "EMP-COLD", "meaning")

    response = admin_client.post(
        url("texts", draft) + "?group=patterns",
        {good: "A new welcome.", bad: "Your {dimenson} so far."},
    )

    content = response.content.decode()
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.texts == before
    row = content[content.index("<code>patterns.EMP-COLD.meaning</code>") :]
    row = row[: row.index("</textarea>")]
    assert "uses an unknown placeholder {dimenson}." in row
    assert "Your {dimenson} so far." in row  # what was typed is kept
    assert 'aria-invalid="true"' in row
    assert "A new welcome." in content  # the other change, outside the group, is kept too
    assert "Nothing was saved" in content


def test_an_empty_text_is_refused(admin_client, draft):
    response = admin_client.post(url("texts", draft), {field("intro"): "   "})

    assert response.status_code == 400
    assert "“intro” must be a non-empty text." in response.content.decode()


def test_a_field_naming_no_text_of_the_draft_is_refused(admin_client, draft):
    response = admin_client.post(url("texts", draft), {field("intro", "nested"): "x"})

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.texts["intro"] == queries.published_copy().texts["intro"]


def test_published_copy_texts_are_read_only(admin_client, published):
    page = admin_client.get(url("texts", published))
    response = admin_client.post(url("texts", published), {field("intro"): "Changed."})

    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.texts["intro"] != "Changed."


def test_staff_without_permission_see_none_of_the_copy_pages(client, draft):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    for name in ("texts", "text_preview", "publish", "report_preview", "report_frame"):
        assert client.get(url(name, draft)).status_code == 403, name
    staff.user_permissions.add(Permission.objects.get(codename="view_reportcopyversion"))
    assert client.get(url("texts", draft)).status_code == 200
    assert client.post(url("texts", draft), {field("intro"): "x y"}).status_code == 403


@pytest.mark.parametrize("extra", [0, 3000])
def test_saving_one_text_takes_at_most_10_queries_whatever_the_number_of_texts(
    admin_client, draft, django_assert_max_num_queries, extra
):
    texts = dict(draft.texts, extra={f"t{n}": {"text": f"Text {n}."} for n in range(extra)})
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    assert len(copy_edit.flat(texts)) >= 288 + extra

    with django_assert_max_num_queries(10):
        response = admin_client.post(url("texts", draft), {field("intro"): "A new welcome."})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.texts["intro"] == "A new welcome."


# ----------------------------------------------------------------------------- preview
def test_preview_renders_the_report_card_that_uses_the_text(admin_client, draft):
    response = admin_client.get(
        url("text_preview", draft),
        {"field": field("patterns", "EMP-COLD", "meaning"), "text": "Felt {dimension} waits."},
    )

    data = response.json()
    assert response.status_code == 200
    assert data["on_report"] is True
    assert data["problems"] == []
    assert data["html"].startswith('<article class="report-card')
    assert '<mark class="copy-preview-mark">Felt embodied empathy waits.</mark>' in data["html"]
    sample = copy_samples.sample(data["sample"])
    assert "EMP-COLD" in sample.data["dimensions"]["EMP"]["patterns"]
    draft.refresh_from_db()
    assert "waits" not in json.dumps(draft.texts)  # a preview stores nothing


def test_preview_against_a_chosen_sample_and_of_a_text_no_sample_report_shows(admin_client, draft):
    low = admin_client.get(
        url("text_preview", draft),
        {
            "field": field("quality", "low", "heading"),
            "text": "About these answers",
            "sample": "low-fast",
        },
    ).json()
    elsewhere = admin_client.get(
        url("text_preview", draft),
        {"field": field("history", "chart_title"), "text": "{name} over {time}"},
    ).json()

    assert low["sample"] == "low-fast"
    assert "About these answers" in low["html"] and low["html"].startswith("<section")
    assert elsewhere["on_report"] is False
    assert elsewhere["html"] == '<p class="copy-example">{name} over {time}</p>'
    assert elsewhere["problems"] == ["“history.chart_title” uses an unknown placeholder {time}."]


def test_preview_without_javascript_posts_and_saves_nothing(admin_client, draft):
    meaning = field("patterns", "EMP-COLD", "meaning")

    response = admin_client.post(
        url("texts", draft) + "?group=patterns",
        {meaning: "Felt {dimension} waits.", "_preview": meaning},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="copy-preview-mark">Felt embodied empathy waits.</mark>' in content
    draft.refresh_from_db()
    assert "waits" not in json.dumps(draft.texts)


def test_preview_refuses_a_field_that_is_not_a_text(admin_client, draft):
    response = admin_client.get(url("text_preview", draft), {"field": field("patterns")})

    assert response.status_code == 400


def test_every_sample_report_shows_most_texts_of_the_copy(published):
    shown = copy_preview.appearances(copy_samples.samples(), published.texts)
    report_texts = [p for p in shown if p[0] not in ("comparison", "change", "changes", "history")]

    assert all(shown[("suggestions", key, "practice")] for key in published.texts["suggestions"])
    assert all(shown[("patterns", code, "meaning")] for code in PATTERNS)
    assert sum(1 for p in report_texts if shown[p]) >= 200


# ----------------------------------------------------------------------------- publish
def test_publish_confirmation_lists_every_change_then_publishes(admin_client, draft, published):
    texts = copy_edit.with_changes(draft.texts, {("intro",): "A new welcome."})
    del texts["suggestions"]["MAINTAIN"]["why"]
    texts["pauses"] = {"title": "A small pause"}  # a group no copy has
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)

    page = admin_client.get(url("publish", draft))

    content = page.content.decode()
    assert page.status_code == 200
    assert (
        "<code>intro</code></th><td><del>" + published.texts["intro"].replace("'", "&#x27;")
        in content
    )
    assert "<ins>A new welcome.</ins>" in content
    assert "<code>pauses.title</code></th><td><ins>A small pause</ins>" in content
    assert "<code>suggestions.MAINTAIN.why</code>" in content
    assert "1 changed, 1 added, 1 removed" in content
    # Removing a text copy-3 has blocks publishing, and says which.
    assert "“suggestions.MAINTAIN.why” is missing." in content
    assert 'type="submit"' not in content.split("publish-blocked")[1]
    refused = admin_client.post(url("publish", draft))
    assert refused.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "draft"

    texts["suggestions"]["MAINTAIN"]["why"] = published.texts["suggestions"]["MAINTAIN"]["why"]
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    first = admin_client.post(url("publish", draft))
    second = admin_client.post(url("publish", draft))

    draft.refresh_from_db()
    published.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert draft.status == "published" and published.status == "retired"
    assert ReportCopyVersion.objects.filter(status="published").count() == 1


def test_editing_and_publishing_a_copy_leaves_existing_reports_byte_identical(
    client, admin_client, draft
):
    person = UserFactory()
    profile = ProfileFactory(user=person)
    answer_all(profile, 3)
    profile_services.submit_profile(profile=profile)
    snapshot = ResultSnapshot.objects.get(profile=profile)
    client.force_login(person)
    report = profile.get_absolute_url()
    before = CSRF_VALUE.sub(r"\1", client.get(report).content.decode())

    changes = {
        field("intro"): "A brand new welcome.",
        field("disclaimer"): "A new disclaimer, still not a diagnosis.",
        field("dimensions", "REG", "name"): "Steadiness",
    }
    assert admin_client.post(url("texts", draft) + "?group=", changes).status_code == 302
    assert admin_client.post(url("publish", draft)).status_code == 302
    queries.clear_caches()
    after = CSRF_VALUE.sub(r"\1", client.get(report).content.decode())

    assert snapshot.copy_version == "copy-3"
    assert after == before
    assert "A brand new welcome." not in after
    assert queries.published_copy().version == "copy-4"


# ----------------------------------------------------------------------------- report preview
def test_report_preview_frames_the_sample_report_as_a_person_sees_it(admin_client, draft):
    ReportCopyVersion.objects.filter(pk=draft.pk).update(
        texts=copy_edit.with_changes(draft.texts, {("intro",): "Draft welcome."})
    )
    page = admin_client.get(
        url("report_preview", draft), {"sample": "REG-TRIGGER", "width": "phone"}
    )
    frame = admin_client.get(url("report_frame", draft), {"sample": "REG-TRIGGER"})
    chosen = admin_client.get(
        url("report_frame", draft), {"sample": "REG-TRIGGER", "copy": "copy-3"}
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert 'width="360"' in content and "report-frame-phone" in content
    assert "?sample=REG-TRIGGER&amp;copy=copy-4" in content
    body = frame.content.decode()
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    assert '<link rel="stylesheet" href="/static/css/relcap.css' in body  # the person's layout
    assert "Draft welcome." in body
    assert "Pattern REG-TRIGGER" not in body  # the label is the admin's, not the person's
    sample = copy_samples.sample("REG-TRIGGER")
    draft.refresh_from_db()
    assert copy_preview.render_body(sample, draft.texts) in body
    assert "Draft welcome." not in chosen.content.decode()
    assert admin_client.get(url("report_frame", draft), {"sample": "nobody"}).status_code == 400
    assert admin_client.get(url("report_frame", draft), {"copy": "copy-99"}).status_code == 400


def test_other_pages_may_not_frame_the_admin(client):
    response = client.get(reverse("admin:index"))
    assert response["X-Frame-Options"] == "DENY"


# ----------------------------------------------------------------------------- respondent preview
def test_respondent_preview_at_phone_width_frames_the_respondents_layout(admin_client):
    instrument = queries.published_instrument()
    preview = reverse("admin:assessments_instrumentversion_preview", args=[instrument.pk])
    frame = reverse("admin:assessments_instrumentversion_preview_frame", args=[instrument.pk])

    phone = admin_client.get(preview, {"width": "phone", "mode": "work_only"})
    full = admin_client.get(preview)
    inside = admin_client.get(frame, {"mode": "work_only"})

    content = phone.content.decode()
    assert f'src="{frame}?mode=work_only"' in content and 'width="360"' in content
    assert '<strong aria-current="true">Phone width (360 px)</strong>' in content
    assert "iframe" not in full.content.decode()
    body = inside.content.decode()
    assert inside["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inside["Content-Security-Policy"]
    assert '<link rel="stylesheet" href="/static/css/relcap.css' in body
    assert body.count('<fieldset class="statement">') == 36 + 4  # work only: 36 scored, QC, WB
    assert body.count('type="radio"') == 40 * 8  # seven answers and Skip, as on a real page
    assert admin_client.post(frame).status_code == 405


# ----------------------------------------------------------------------------- the service
def test_save_copy_texts_refuses_all_when_one_text_is_refused(draft):
    before = json.loads(json.dumps(draft.texts))
    changes = {("intro",): "A new welcome.", ("not_scored",): "{answered:d} of {total}"}

    with pytest.raises(services.CopyEditError) as refused:
        services.save_copy_texts(report_copy=draft, changes=changes)

    assert list(refused.value.problems) == [("not_scored",)]
    draft.refresh_from_db()
    assert draft.texts == before


def test_save_copy_texts_refuses_a_copy_that_is_no_longer_a_draft(draft):
    services.publish_copy(report_copy=draft)

    with pytest.raises(ReadOnlyError):
        services.save_copy_texts(report_copy=draft, changes={("intro",): "Too late."})

    draft.refresh_from_db()
    assert draft.texts["intro"] != "Too late."


def test_a_post_with_preview_never_saves_even_for_an_unknown_field_name(admin_client, draft):
    response = admin_client.post(
        url("texts", draft), {field("intro"): "Not saved.", "_preview": "nonsense"}
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.texts["intro"] != "Not saved."


@pytest.mark.parametrize("extra", [0, 1000])
def test_the_texts_page_and_a_preview_ask_the_same_queries_whatever_the_number_of_texts(
    admin_client, draft, django_assert_max_num_queries, extra
):
    texts = dict(draft.texts, extra={f"t{n}": f"Text {n}." for n in range(extra)})
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    admin_client.get(url("texts", draft))  # scores the samples once per process

    with django_assert_max_num_queries(8):
        page = admin_client.get(url("texts", draft))
    with django_assert_max_num_queries(8):
        preview = admin_client.get(
            url("text_preview", draft), {"field": field("intro"), "text": "Hello."}
        )

    every_text_but_its_name = len(copy_edit.flat(texts)) - 1
    assert page.content.decode().count('class="copy-field') == every_text_but_its_name
    assert preview.json()["html"].startswith("<h1>")


def test_renaming_a_draft_renames_its_texts_own_version_too(admin_client, draft):
    response = admin_client.post(
        reverse(f"{NAME}_change", args=[draft.pk]), {"version": "copy-4-plain"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.texts["version"]) == ("copy-4-plain", "copy-4-plain")


def test_every_text_of_copy_2_has_its_own_description_of_where_it_appears():
    texts = json.loads(COPY_2.read_text(encoding="utf-8"))

    generic = [t.dotted for t in copy_edit.texts_of(texts) if t.where.startswith("Texts of the")]

    assert generic == []
    assert copy_edit.where(("pauses", "intro")) == (
        "Texts of the “pauses” group, read by the feature that added it."
    )


def test_every_text_of_the_live_copy_3_says_where_it_appears(published):
    """copy-3's own groups (the brief, openers, moments, organisations) are named too, not
    only copy-2's: 421 of its 709 texts once said only which group they belong to."""
    texts = list(copy_edit.texts_of(published.texts))
    generic = [t.dotted for t in texts if t.where.startswith("Texts of the")]

    assert published.version == "copy-3"
    assert generic == []
    assert copy_edit.where(("openers", "REG.W", "2")).startswith("Pre-session brief")
    assert copy_edit.where(("brief", "split", "caption")).startswith("Pre-session brief")
    assert copy_edit.where(("moments_views", "shared_heading")).startswith("Client page")
    assert copy_edit.where(("moments_views", "share_none")).startswith("Sharing page")
    assert copy_edit.where(("moments_reminders", "email_body")) == (
        "Live moments: the reminder e-mail."
    )
    assert copy_edit.where(("organisations", "email_body")).startswith("Organisations: the e-mail")


def test_a_draft_missing_a_text_still_opens_in_the_editor_and_says_why_no_report_renders(
    admin_client, draft
):
    texts = dict(draft.texts)
    del texts["growth_reminder"]
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)

    page = admin_client.get(url("texts", draft))
    preview = admin_client.get(
        url("text_preview", draft), {"field": field("intro"), "text": "Hello."}
    )
    frame = admin_client.get(url("report_frame", draft))

    assert page.status_code == 200 and "<code>intro</code>" in page.content.decode()
    assert preview.json()["on_report"] is False
    assert frame.status_code == 400
    assert "“growth_reminder” is missing." in frame.content.decode()


def test_every_placeholder_a_text_may_take_has_an_example_for_the_preview():
    """A text no sample report or page preview shows (comparison, history, e-mails) is
    previewed with example values: none may be left as a bare [name]."""
    from assessments.copy_text import PLACEHOLDERS

    names = set().union(*(allowed for _, allowed in PLACEHOLDERS))

    assert sorted(names - set(copy_preview.EXAMPLES)) == []
    shown = copy_preview.example_text(
        ("organisations", "removed_message"), "{practitioner} is no longer part of {organisation}."
    )
    assert (
        shown == '<p class="copy-example">Sam Rivera is no longer part of Harbour Counselling.</p>'
    )


# ----------------------------------------------------------------------------- other pages
# Texts of the brief, the live-moments pages and organisations preview on their own page,
# through the renderers practice and moments register (profiles/copy_previews.py).
PAGE_TEXTS = [
    (("brief", "split", "heading"), "Work and close, side by side", "Pre-session brief"),
    (("brief", "meta"), "Profile of {date} · {mode} · {quality}", "Pre-session brief"),
    (("openers", "REG.W", "2"), "What helps you steady yourself at work?", "Pre-session brief"),
    (("moments", "page", "week_heading"), "Your week so far", "Live moments pages"),
    (("moments", "form", "time_label"), "About what time?", "Live moments pages"),
    (("moments", "consent", "title"), "Before you start", "Live moments pages"),
    (("moments_views", "row_count"), "Moments noted", "Live moments views"),
    (("moments_reminders", "intro"), "Choose when a reminder comes.", "Reminder settings"),
    (("organisations", "join_title"), "Join {organisation}", "Organisation invitation"),
    (("organisations", "accent_refused"), "Choose a darker colour.", "Organisation invitation"),
]


def test_the_practice_and_moments_apps_register_where_their_groups_preview():
    from profiles import copy_previews

    labels = {
        group: copy_previews.entry_for((group, "x")).label
        for group in ("brief", "openers", "moments", "moments_views", "moments_reminders")
    }

    assert labels == {
        "brief": "Pre-session brief",
        "openers": "Pre-session brief",
        "moments": "Live moments pages",
        "moments_views": "Live moments views",
        "moments_reminders": "Reminder settings",
    }
    assert copy_previews.entry_for(("organisations", "join_title")).label == (
        "Organisation invitation"
    )
    assert copy_previews.entry_for(("intro",)) is None  # report texts preview on the report


@pytest.mark.parametrize(("path", "text", "page"), PAGE_TEXTS)
def test_a_text_of_another_page_previews_in_its_place_with_the_unsaved_wording(
    admin_client, draft, path, text, page
):
    response = admin_client.get(url("text_preview", draft), {"field": field(*path), "text": text})

    data = response.json()
    assert response.status_code == 200
    assert data["on_report"] is True and data["page"] == page and data["problems"] == []
    marked = re.findall(r'<mark class="copy-preview-mark">(.*?)</mark>', data["html"])
    assert len(marked) == 1 and marked[0] and "{" not in marked[0]  # placeholders filled
    # A picture of the page, not a form: nothing in it can be sent with the editor's form.
    assert "<form" not in data["html"] and ' name="' not in data["html"]
    assert 'type="hidden"' not in data["html"]
    assert re.search(r"<(input|select|textarea|button)(?! disabled)\b", data["html"]) is None
    ids = re.findall(r'\bid="([^"]*)"', data["html"])
    assert all(i.startswith("pv") for i in ids)
    draft.refresh_from_db()
    assert copy_edit.text_at(draft.texts, path) != text  # a preview stores nothing


def test_a_brief_text_previews_in_the_brief_built_from_the_sample(admin_client, draft):
    data = admin_client.get(
        url("text_preview", draft),
        {"field": field("brief", "meta"), "text": "{date}: {mode}, {quality}", "sample": "well"},
    ).json()

    assert data["sample"] == "well"
    # The top of the brief (before its first section): the organisation band and the header.
    assert '<header class="brief-header">' in data["html"] and "<section" not in data["html"]
    assert 'class="brief-org">Harbour Counselling<' in data["html"]
    assert '<mark class="copy-preview-mark">2 November 2026: ' in data["html"]
    assert "Every capacity well-developed" not in data["html"]  # the brief, not the admin label


def test_an_opener_previews_on_a_sample_whose_focus_it_belongs_to(admin_client, draft):
    data = admin_client.get(
        url("text_preview", draft),
        {"field": field("openers", "REG.W", "2"), "text": "What steadies you at work?"},
    ).json()

    focus = copy_samples.sample(data["sample"]).data["focus"]
    assert "REG.W" in {focus[k]["target"] for k in ("primary", "secondary") if focus[k]}
    assert 'data-focus-key="REG.W"' in data["html"]
    assert '<mark class="copy-preview-mark">What steadies you at work?</mark>' in data["html"]


def test_a_moments_text_previews_on_its_page_with_sample_entries(admin_client, draft):
    data = admin_client.get(
        url("text_preview", draft),
        {"field": field("moments", "page", "week_heading"), "text": "Your week so far"},
    ).json()

    assert data["html"].startswith("<section")
    assert data["html"].count('<article class="moment"') == 3  # the sample week's moments
    assert "They checked their phone while I talked." in data["html"]


def test_a_text_of_another_page_it_does_not_show_previews_with_example_values(admin_client, draft):
    data = admin_client.get(
        url("text_preview", draft),
        {"field": field("moments_reminders", "email_body"), "text": "Time for a moment."},
    ).json()

    assert data["on_report"] is False and data["page"] == ""
    assert data["html"] == '<p class="copy-example">Time for a moment.</p>'


def test_preview_of_a_brief_text_without_javascript_posts_and_saves_nothing(admin_client, draft):
    heading = field("brief", "split", "heading")

    response = admin_client.post(
        url("texts", draft) + "?group=brief", {heading: "Side by side", "_preview": heading}
    )

    assert response.status_code == 200
    assert '<mark class="copy-preview-mark">Side by side</mark>' in response.content.decode()
    draft.refresh_from_db()
    assert draft.texts["brief"]["split"]["heading"] != "Side by side"


def test_every_preview_asks_the_same_queries_whether_on_a_report_or_another_page(
    admin_client, draft
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin_client.get(url("texts", draft))  # scores the samples once per process
    counts = {}
    for path, text, _page in [((("intro",)), "Hello.", ""), *PAGE_TEXTS]:
        with CaptureQueriesContext(connection) as queries_made:
            response = admin_client.get(
                url("text_preview", draft), {"field": field(*path), "text": text}
            )
        assert response.status_code == 200
        counts[copy_edit.dotted(path)] = len(queries_made)

    assert len(set(counts.values())) == 1, counts
    assert counts["intro"] <= 8


def test_the_texts_page_says_on_which_page_a_text_of_another_page_shows(admin_client, draft):
    page = admin_client.get(url("texts", draft), {"group": "openers", "q": "openers.REG.W.2"})

    content = page.content.decode()
    assert "Shown on Pre-session brief for 2 samples." in content
    report = admin_client.get(url("texts", draft), {"group": "patterns", "q": "EMP-COLD.meaning"})
    assert re.search(r"Shown on \d+ sample reports?\.", report.content.decode())


def test_the_brief_preview_shows_change_since_the_previous_shared_sample(admin_client, draft):
    data = admin_client.get(
        url("text_preview", draft),
        {"field": field("brief", "change", "labels", "reliable_increase"), "text": "grew"},
    ).json()

    assert data["on_report"] is True and data["page"] == "Pre-session brief"
    assert data["html"].startswith('<section class="brief-section"')
    assert '<mark class="copy-preview-mark">grew</mark>' in data["html"]
