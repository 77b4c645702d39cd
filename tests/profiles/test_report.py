"""The profile report, its PDF and "My profiles": rendered from stored snapshots only."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.scoring.spec import DIMENSIONS
from profiles import services
from profiles.models import Answer, PageTime, Profile, ResultSnapshot
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# §2.2 canonical order of a dimension's twelve items.
CANONICAL = [
    f"{facet}-{context}{n}" for facet in (1, 2) for context in ("C", "W") for n in (1, 2, 3)
]
# §3.9 Example 3, raw answers in canonical order.
EXAMPLE_3 = {
    "MEN": "6 5 3 6 6 2 4 4 4 6 5 2",
    "EMP": "3 3 5 4 4 4 3 2 6 3 3 5",
    "REG": "5 5 3 6 6 2 5 6 3 7 6 1",
    "TRU": "4 3 5 5 5 3 5 5 4 6 6 2",
    "REP": "4 4 4 6 6 2 3 4 5 6 5 2",
    "BON": "3 3 5 5 5 3 3 4 5 4 5 4",
}
CHECKS_PASSED = {"QC1": 2, "QC3": 5, "QC2": 1, "WB1": 1}
CALM_PAGE_MS = 10 * 60 * 1000  # far above the TOO_FAST floor


def raw_answers(rows: dict[str, str], **overrides: int | None) -> dict[str, int | None]:
    """Answers by item code from rows of raw values in canonical order ("-" = skipped)."""
    answers: dict[str, int | None] = {}
    for dimension, values in rows.items():
        for suffix, value in zip(CANONICAL, values.split(), strict=True):
            answers[f"{dimension}{suffix}"] = None if value == "-" else int(value)
    return answers | CHECKS_PASSED | overrides


def uniform(value: int) -> dict[str, str]:
    return {dimension: " ".join([str(value)] * 12) for dimension in DIMENSIONS}


def submitted(
    answers: dict[str, int | None],
    *,
    user=None,
    mode: str = "both",
    page_ms: int = CALM_PAGE_MS,
    when=None,
    instrument=None,
    locale: str = "en",
) -> Profile:
    """A profile answered with `answers` (by item code), submitted through the real service."""
    extra = {"instrument_version": instrument} if instrument is not None else {}
    profile = ProfileFactory(user=user, context_mode=mode, locale=locale, **extra)
    items = {i.code: i for i in profile.instrument_version.items.all()}
    shown = [c for c in answers if mode == "both" or not _hidden(items[c], mode)]
    Answer.objects.bulk_create(
        Answer(profile=profile, item_version=items[code], value=answers[code]) for code in shown
    )
    pages = {item.page for item in items.values()}
    PageTime.objects.bulk_create(
        PageTime(profile=profile, page=page, total_ms=page_ms, visits=1) for page in pages
    )
    services.submit_profile(profile=profile)
    profile.refresh_from_db()
    if when is not None:
        Profile.objects.filter(pk=profile.pk).update(submitted_at=when)
        profile.refresh_from_db()
    return profile


def _hidden(item, mode: str) -> bool:
    return item.kind == "scored" and item.context == {"close_only": "W", "work_only": "C"}[mode]


def page_text(response) -> str:
    """The page as plain text with single spaces, for checking sentences across tags."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def example_3(person):
    return submitted(raw_answers(EXAMPLE_3), user=person)


def card_html(content: str, code: str) -> str:
    start = content.index(f'id="card-{code}"')
    return content[start : content.index("</article>", start)]


def test_example_3_report_shows_each_capacity_score_and_status(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    expected = {
        "MEN": ("71", "Developing"),
        "EMP": ("35", "Uneven — worth recalibrating"),
        "REG": ("79", "Well-developed"),
        "TRU": ("63", "Developing"),
        "REP": ("63", "Uneven — worth recalibrating"),
        "BON": ("49", "Uneven — worth recalibrating"),
    }
    for code, (score, status) in expected.items():
        card = card_html(content, code)
        assert f'<span class="score-number">{score}</span>' in card
        assert f'<span class="status-label">{status}</span>' in card


def test_example_3_report_orders_cards_by_group_then_score(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    order = re.findall(r'id="card-([A-Z]{3})"', response.content.decode())
    # well-developed REG; developing MEN 70.83 then TRU 62.50; uneven REP 62.50, BON, EMP.
    assert order == ["REG", "MEN", "TRU", "REP", "BON", "EMP"]


def test_example_3_report_shows_levels_of_uneven_capacities(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert "· level: Less developed so far" in card_html(content, "EMP")
    assert "· level: Developing" in card_html(content, "REP")
    assert "· level: Less developed so far" in card_html(content, "BON")


def test_example_3_report_explains_each_fired_pattern_on_its_card(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert "Understanding more than feeling" in card_html(content, "EMP")
    assert "Stronger at work than in close relationships" in card_html(content, "REP")
    assert "Work often has clear roles" in card_html(content, "REP")
    assert "{dimension}" not in content
    bonding = card_html(content, "BON")
    assert "Stronger at work than in close relationships" in bonding
    assert "Steady, but warmth feels muted" in bonding
    assert "Stronger at work" not in card_html(content, "TRU")


def test_example_3_regulation_card_cross_references_containment(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    assert "read it together with this one" in card_html(response.content.decode(), "REG")


def test_example_3_report_shows_facets_contexts_and_asymmetry_notes(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    repair = card_html(response.content.decode(), "REP")
    assert "<dt>Offering repair</dt><dd>67</dd>" in repair
    assert "<dt>Receiving repair</dt><dd>58</dd>" in repair
    assert "<dt>Close relationships</dt><dd>44</dd>" in repair
    assert "<dt>Work</dt><dd>81</dd>" in repair
    assert "Right now, repair shows up clearly more at work" in repair
    mentalizing = card_html(response.content.decode(), "MEN")
    assert "shows up clearly more" not in mentalizing  # ASI 19.44 is not notable


def test_example_3_focus_is_felt_resonance_then_bonding_at_home(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    text = page_text(response)
    focus = text[text.index("What to practise next") :]
    assert "Your main growth edge right now" in focus
    assert "Why here: Understanding more than feeling." in focus
    assert "Embodied empathy · Felt resonance" in focus
    assert "Let it land" in focus  # EMP2
    assert "Another place to grow" in focus
    assert "Bonding in close relationships" in focus
    assert "One warm moment, said out loud" in focus  # BON.C
    assert focus.index("Let it land") < focus.index("One warm moment")


def test_example_3_headline_opens_with_strengths_and_the_work_split(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    text = page_text(response)
    headline = text[text.index("Your strengths") : text.index("Your six capacities at a glance")]
    assert "Your strongest capacities at the moment: Regulation (79)" in headline
    assert "these capacities show up more at work than in your close relationships" in headline
    assert text.index("Your strengths") < text.index("Capacity by capacity")


def test_example_3_lower_scores_are_paired_with_what_is_intact(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert "What you can lean on: Regulation (79)" in card_html(content, "EMP")
    assert "What is already working here: Felt warmth and safety (50)." in card_html(content, "BON")
    assert "What is already working here: Offering repair (67)." in card_html(content, "REP")
    assert "card-intact" not in card_html(content, "MEN")


def test_report_states_it_is_self_reflection_not_diagnosis_near_the_top(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    text = page_text(response)
    assert text.index("not a diagnosis") < text.index("Your strengths")


def test_report_chart_is_labelled_svg_with_a_table_twin(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    start = content.index('<svg class="chart-wide"')
    wide = content[start : content.index("</svg>", start)]
    start = content.index('<svg class="chart-narrow"')
    narrow = content[start : content.index("</svg>", start)]
    assert 'role="img"' in wide and 'role="img"' in narrow
    assert 'aria-labelledby="capacity-chart-title capacity-chart-desc"' in wide
    assert 'aria-labelledby="capacity-chart-narrow-title capacity-chart-desc"' in narrow
    assert wide.count("<rect x=") == 6 and narrow.count("<rect x=") == 6
    assert ">Uneven — worth recalibrating</text>" in wide
    assert "</tspan> · Uneven — worth recalibrating</text>" in narrow
    assert '<th scope="row">Embodied empathy</th><td>35</td>' in content


def test_report_never_uses_inline_styles_or_scripts(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert "style=" not in content
    assert "<style" not in content
    # Scripts come only from static files (the private link's copy button), never inline.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, flags=re.S)
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)


def test_report_shows_no_quality_or_support_notice_for_a_clean_profile(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    content = response.content.decode()
    assert "quality-notice" not in content
    assert "support-panel" not in content
    assert "support-gentle" not in content
    assert "company-note" not in content


def test_not_scored_dimension_shows_counts_and_no_number(signed_in, person):
    rows = dict(EXAMPLE_3, REP="5 - 3 - 6 2 4 - 4 5 - 3")  # §3.9 Example 2: 8 of 12
    profile = submitted(raw_answers(rows), user=person)

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    repair = card_html(content, "REP")
    assert "You answered 8 of 12 statements about repair; 9 are needed for a result." in repair
    assert "score-number" not in repair
    assert "Not enough answers yet" in repair
    assert re.findall(r'id="card-([A-Z]{3})"', content)[-1] == "REP"
    assert '<th scope="row">Repair</th><td>not enough answers</td>' in content


def test_report_with_too_few_scored_asks_for_a_retake_instead_of_a_focus(signed_in, person):
    rows = {d: "- - - - - - - - - - - -" for d in ("MEN", "EMP", "REG")}
    profile = submitted(raw_answers(dict(EXAMPLE_3, **rows)), user=person)

    response = signed_in.get(profile.get_absolute_url())

    text = page_text(response)
    assert "Fewer than four capacities have enough answers" in text
    assert "Your main growth edge right now" not in text


def test_urgent_wellbeing_answer_puts_the_support_panel_first(signed_in, person):
    profile = submitted(raw_answers(EXAMPLE_3, WB1=6), user=person)

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    panel = content[content.index('class="support-panel"') :]
    assert "contact emergency services now" in panel
    assert f'href="{reverse("support")}"' in panel
    assert content.index("support-panel") < content.index("Your strengths")


def test_gentle_wellbeing_answer_shows_one_support_line(signed_in, person):
    profile = submitted(raw_answers(EXAMPLE_3, WB1=5), user=person)

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    assert "support-gentle" in content
    assert "support is here when you want it" in content
    assert "support-panel" not in content


def test_low_quality_report_names_the_issue_and_offers_a_retake(signed_in, person):
    profile = submitted(raw_answers(EXAMPLE_3), user=person, page_ms=1000)  # TOO_FAST

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    notice = content[
        content.index("quality-low") : content.index("</section>", content.index("quality-low"))
    ]
    assert "These results may not reflect you well" in notice
    assert "The answers came in very quickly" in notice
    assert "Your profile is still shown below" in notice
    assert f'href="{reverse("profiles:start")}"' in notice
    assert "Retake the questionnaire" in notice
    assert "score-number" in content  # results are never hidden


def test_caution_quality_report_names_the_reason_in_plain_words(signed_in, person):
    profile = submitted(raw_answers(EXAMPLE_3, QC1=4), user=person)  # one failed check

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    assert "quality-caution" in content
    assert "One check question was answered differently than asked" in content
    assert "quality-low" not in content


def test_many_underdeveloped_capacities_add_the_company_note_with_support(signed_in, person):
    profile = submitted(raw_answers(uniform(2)), user=person)

    response = signed_in.get(profile.get_absolute_url())

    content = response.content.decode()
    note = content[content.index("report-company-note") :]
    assert "often grow more easily with company" in note
    assert f'href="{reverse("support")}"' in note.split("</p>")[0]
    assert "None of your capacities reached the well-developed range" in content


def test_report_shows_growth_reminder_retake_and_counsellor_offer(signed_in, example_3):
    response = signed_in.get(example_3.get_absolute_url())

    text = page_text(response)
    assert "retake the questionnaire in 6 to 12 weeks" in text
    assert "A counsellor or therapist can help" in text
    assert text.index("What to practise next") < text.index("6 to 12 weeks")


def test_rescored_profile_shows_newest_snapshot_with_recalculated_note(signed_in, example_3):
    first = example_3.snapshots.get()
    data = dict(first.data, gasi_notable=False)
    ResultSnapshot.objects.create(
        profile=example_3,
        scoring_version=first.scoring_version,
        copy_version=first.copy_version,
        reason=ResultSnapshot.Reason.RESCORE,
        data=data,
    )

    response = signed_in.get(example_3.get_absolute_url())

    text = page_text(response)
    assert "This result was recalculated" in text
    assert "show up more at work than in your close relationships" not in text


def test_report_of_someone_else_answers_404(client, example_3):
    client.force_login(UserFactory())

    response = client.get(example_3.get_absolute_url())

    assert response.status_code == 404


def test_report_pdf_of_someone_else_answers_404(client, example_3):
    client.force_login(UserFactory())

    response = client.get(reverse("profiles:report_pdf", args=[example_3.public_id]))

    assert response.status_code == 404


def test_report_pdf_is_a_pdf_file_with_the_report_text(signed_in, example_3):
    response = signed_in.get(reverse("profiles:report_pdf", args=[example_3.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="relcap-profile-')
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Your relational capacity profile" in text
    assert "not a diagnosis" in text
    assert "Uneven — worth recalibrating" in text
    assert "Let it land" in text
    assert "One warm moment, said out loud" in text


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_report_query_count_does_not_grow_with_the_number_of_profiles(
    signed_in, person, example_3, django_assert_max_num_queries
):
    url = example_3.get_absolute_url()
    signed_in.get(url)  # warms the per-process copy cache
    with_one = queries_for(signed_in, url)
    for value in (3, 5, 6, 2):
        submitted(raw_answers(uniform(value)), user=person)

    # session, user, profile, newest snapshot, the previous profile (none: a first profile)
    with django_assert_max_num_queries(5):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert queries_for(signed_in, url) == with_one


def test_mine_lists_profiles_newest_first_with_a_summary(signed_in, person):
    now = timezone.now()
    older = submitted(raw_answers(EXAMPLE_3), user=person, when=now - timedelta(days=60))
    newer = submitted(raw_answers(uniform(6)), user=person, when=now)
    draft = ProfileFactory(user=person)

    response = signed_in.get(reverse("profiles:mine"))

    content = response.content.decode()
    assert content.index(str(newer.public_id)) < content.index(str(older.public_id))
    assert "Strongest so far: Regulation" in content
    assert "Practice: Let it land" in content
    assert "questionnaire version 1.0" in content
    assert reverse("profiles:resume", args=[draft.public_id]) in content
    assert "Not finished yet" in content


def test_mine_offers_a_compare_form_preselecting_the_two_newest(signed_in, person):
    now = timezone.now()
    older = submitted(raw_answers(EXAMPLE_3), user=person, when=now - timedelta(days=60))
    newer = submitted(raw_answers(uniform(6)), user=person, when=now)

    response = signed_in.get(reverse("profiles:mine"))

    content = response.content.decode()
    assert f'action="{reverse("profiles:compare")}"' in content
    assert 'name="a"' in content
    assert 'name="b"' in content
    assert f'value="{older.public_id}" selected' in content.split('name="b"')[0]
    assert f'value="{newer.public_id}" selected' in content.split('name="b"')[1]
    assert "Your capacities over time" not in content  # two profiles draw no lines yet


def test_mine_with_three_profiles_draws_a_line_per_capacity_with_a_table(signed_in, person):
    now = timezone.now()
    for days, value in ((90, 4), (45, 5), (0, 6)):
        submitted(raw_answers(uniform(value)), user=person, when=now - timedelta(days=days))

    response = signed_in.get(reverse("profiles:mine"))

    content = response.content.decode()
    assert "Your capacities over time" in content
    assert content.count("<polyline") == 6
    assert content.count('role="img"') == 6
    assert len(re.findall(r'<tr><th scope="row">[^<]+</th><td>50</td></tr>', content)) == 6
    assert "style=" not in content


def test_mine_query_count_does_not_grow_with_the_number_of_profiles(
    signed_in, person, django_assert_max_num_queries
):
    url = reverse("profiles:mine")
    submitted(raw_answers(EXAMPLE_3), user=person)
    signed_in.get(url)  # warms the per-process copy cache
    with_one = queries_for(signed_in, url)
    for value in (3, 4, 5, 6, 2):
        submitted(raw_answers(uniform(value)), user=person)
    ProfileFactory(user=person)

    # session, user, submitted profiles, their snapshots (one query), drafts
    with django_assert_max_num_queries(5):
        response = signed_in.get(url)

    assert response.content.decode().count("<polyline") == 6
    assert queries_for(signed_in, url) == with_one


def test_mine_shows_only_the_signed_in_persons_profiles(signed_in, person):
    mine = submitted(raw_answers(EXAMPLE_3), user=person)
    theirs = submitted(raw_answers(EXAMPLE_3), user=UserFactory())

    response = signed_in.get(reverse("profiles:mine"))

    content = response.content.decode()
    assert str(mine.public_id) in content
    assert str(theirs.public_id) not in content


# Issue 14 line 9 (copy-2): a card opens with what the capacity is, then the person's level,
# and the work/close split is said once, by the one-line note.
def test_each_card_opens_with_what_the_capacity_is_then_the_level(signed_in, example_3):
    content = signed_in.get(example_3.get_absolute_url()).content.decode()

    for code in DIMENSIONS:
        card = card_html(content, code)
        about, status = card.index('class="card-about"'), card.index('class="card-status"')
        assert about < status < card.index('class="score-number"'), code
        assert card.count('class="card-about"') == 1, code
        assert "Where you are now:" in card[status : card.index("</p>", status)], code


def test_the_work_close_split_is_said_once_on_a_card_with_a_ctx_pattern(signed_in, example_3):
    content = signed_in.get(example_3.get_absolute_url()).content.decode()

    for code, words in (("REP", "repair"), ("BON", "bonding")):
        card = re.sub(r"<[^>]+>", " ", card_html(content, code))
        assert card.count("more at work than in close relationships") == 1, code
        assert "comes more easily at work" not in card, code
        assert f"Right now, {words} shows up clearly more at work" in card, code
