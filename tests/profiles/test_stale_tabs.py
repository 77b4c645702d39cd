"""Two tabs or devices on one page: a save changes only what its form changed, and a clash
with an answer saved elsewhere shows both versions instead of overwriting (issue 13, line 1)."""

import re

import pytest
from django.test import Client

from profiles.forms import RENDER_SALT
from profiles.models import Answer, PageTime
from tests.profiles.helpers import page_fields, page_url, start

pytestmark = pytest.mark.django_db


def open_tab(client: Client, profile, page: int = 1) -> tuple[list[str], dict[str, str]]:
    """Render the page in a tab of the same browser: its statement names and hidden fields."""
    return page_fields(client, profile, page)


def stored(profile) -> dict[str, int | None]:
    return {f"q{a.item_version_id}": a.value for a in Answer.objects.filter(profile=profile)}


def save(client: Client, profile, hidden: dict, answers: dict, nav: str = "next", page: int = 1):
    return client.post(page_url(profile, page), {**hidden, "nav": nav, **answers})


def hidden_forms(html: str) -> list[dict[str, list[str]]]:
    """The fields of each form on the conflict page that posts to the questionnaire (the
    footer's language switcher is no choice of the conflict)."""
    forms = []
    for body in re.findall(r"<form method=\"post\" action=\"/a/[^>]*>(.*?)</form>", html, re.S):
        fields: dict[str, list[str]] = {}
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', body):
            fields.setdefault(name, []).append(value)
        forms.append(fields)
    return forms


def post_form(client: Client, profile, fields: dict[str, list[str]], page: int = 1):
    return client.post(page_url(profile, page), {k: v[-1] for k, v in fields.items()})


def test_a_stale_tab_saving_three_answers_keeps_the_nine_saved_in_the_other(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {n: "6" for n in names[3:]})

    response = save(client, profile, tab_a, {n: "2" for n in names[:3]})

    assert response.status_code == 302
    assert stored(profile) == {**{n: 2 for n in names[:3]}, **{n: 6 for n in names[3:]}}


def test_a_true_conflict_shows_both_versions_and_writes_nothing(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {n: "6" for n in names})
    before = (stored(profile), list(PageTime.objects.values_list("total_ms", "visits")))

    response = save(client, profile, tab_a, {n: "2" for n in names[:3]})

    html = response.content.decode()
    assert response.status_code == 409
    assert "was changed somewhere else" in html
    assert html.count('class="conflict"') == 3
    assert html.count("<dt>This tab's answer</dt><dd>Disagree</dd>") == 3
    assert html.count("<dt>Saved elsewhere</dt><dd>Agree</dd>") == 3
    assert (stored(profile), list(PageTime.objects.values_list("total_ms", "visits"))) == before


def test_keeping_this_tabs_answers_stores_them_and_leaves_the_rest(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {n: "6" for n in names})
    conflict = save(client, profile, tab_a, {n: "2" for n in names[:3]}).content.decode()
    keep_mine, _ = hidden_forms(conflict)

    response = post_form(client, profile, keep_mine)

    assert response.status_code == 302
    assert response.url == page_url(profile, 2)  # the Next that was pressed in tab A
    assert stored(profile) == {**{n: 2 for n in names[:3]}, **{n: 6 for n in names[3:]}}


def test_keeping_the_answers_saved_elsewhere_still_saves_this_tabs_other_changes(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {names[0]: "6", names[1]: "6"})
    conflict = save(client, profile, tab_a, {names[0]: "2", names[5]: "3"}, nav="save")
    _, keep_theirs = hidden_forms(conflict.content.decode())

    response = post_form(client, profile, keep_theirs)

    assert conflict.status_code == 409
    assert "Your one other change on this page will be saved either way" in (
        conflict.content.decode()
    )
    assert response.url.endswith("/saved/")
    skipped_by_next_in_b = {n: None for n in names}
    assert stored(profile) == {**skipped_by_next_in_b, names[0]: 6, names[1]: 6, names[5]: 3}


def test_the_same_answer_saved_in_both_tabs_is_no_conflict(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {n: "4" for n in names[:6]}, nav="save")

    response = save(client, profile, tab_a, {names[0]: "4", names[8]: "5"})

    assert response.status_code == 302
    assert stored(profile) == {**{n: 4 for n in names[:6]}, names[8]: 5} | {
        n: None
        for n in names[6:]
        if n != names[8]  # tab A pressed Next
    }


def test_a_change_elsewhere_after_the_conflict_page_is_caught_again(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {names[0]: "6"})
    keep_mine, _ = hidden_forms(save(client, profile, tab_a, {names[0]: "2"}).content.decode())
    _, tab_c = open_tab(client, profile)
    save(client, profile, tab_c, {names[0]: "7"})

    again = post_form(client, profile, keep_mine)

    assert again.status_code == 409
    assert "<dt>Saved elsewhere</dt><dd>Strongly agree</dd>" in again.content.decode()
    assert stored(profile)[names[0]] == 7


def test_skip_in_a_stale_tab_is_a_change_and_clashes_with_a_newer_answer(client):
    profile = start(client)
    names, first = open_tab(client, profile)
    save(client, profile, first, {names[0]: "5"})
    _, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {names[0]: "3"})

    response = save(client, profile, tab_a, {names[0]: ""})

    assert response.status_code == 409
    assert "<dt>This tab's answer</dt><dd>No answer</dd>" in response.content.decode()
    assert stored(profile)[names[0]] == 3


def test_skip_takes_an_answer_back_and_is_kept(client):
    profile = start(client)
    names, first = open_tab(client, profile)
    save(client, profile, first, {n: "5" for n in names})
    _, again = open_tab(client, profile)

    response = save(client, profile, again, {**{n: "5" for n in names}, names[2]: ""})

    assert response.status_code == 302
    assert stored(profile)[names[2]] is None
    assert sum(value == 5 for value in stored(profile).values()) == 11
    html = client.get(page_url(profile, 1)).content.decode()
    assert f'value="" id="id_{names[2]}_skip" checked' in html


def test_a_field_the_body_does_not_carry_is_left_as_stored(client):
    profile = start(client)
    names, first = open_tab(client, profile)
    save(client, profile, first, {n: "5" for n in names})
    _, again = open_tab(client, profile)

    response = save(client, profile, again, {names[0]: "1"})

    assert response.status_code == 302
    assert stored(profile) == {**{n: 5 for n in names}, names[0]: 1}


def test_a_conflict_counts_no_time_and_the_choice_counts_it_once_from_the_first_render(client):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)
    save(client, profile, tab_b, {names[0]: "6"})
    after_b = PageTime.objects.get(profile=profile, page=1)
    keep_mine, _ = hidden_forms(save(client, profile, tab_a, {names[0]: "2"}).content.decode())
    after_conflict = PageTime.objects.get(profile=profile, page=1)

    post_form(client, profile, keep_mine)
    post_form(client, profile, keep_mine)  # a double click on the choice

    timing = PageTime.objects.get(profile=profile, page=1)
    assert (after_conflict.visits, after_conflict.total_ms) == (after_b.visits, after_b.total_ms)
    assert timing.visits == 2
    assert timing.total_ms >= 2 * after_b.total_ms  # tab A's time began before tab B's save


def test_a_replayed_page_post_counts_its_time_once_and_writes_nothing_more(client):
    profile = start(client)
    names, hidden = open_tab(client, profile)
    save(client, profile, hidden, {n: "4" for n in names})
    first = (stored(profile), PageTime.objects.get(profile=profile, page=1))
    answered_at = list(Answer.objects.values_list("answered_at", flat=True))

    replay = save(client, profile, hidden, {n: "4" for n in names})

    timing = PageTime.objects.get(profile=profile, page=1)
    assert replay.status_code == 302
    assert stored(profile) == first[0]
    assert (timing.visits, timing.total_ms) == (first[1].visits, first[1].total_ms)
    assert list(Answer.objects.values_list("answered_at", flat=True)) == answered_at


@pytest.mark.parametrize("stamp", ["", "forged", "old-format"])
def test_a_form_without_a_usable_stamp_is_shown_again_unsaved_and_then_saves(client, stamp):
    from django.core import signing

    profile = start(client)
    names, hidden = open_tab(client, profile)
    if stamp == "old-format":  # what forms rendered before stamps carried the shown answers
        stamp = signing.dumps([str(profile.public_id), 1, 1_700_000_000_000], salt=RENDER_SALT)
    hidden["rendered"] = stamp

    response = save(client, profile, hidden, {n: "3" for n in names})

    html = response.content.decode()
    assert response.status_code == 400
    assert "could not save it yet" in html
    assert len(re.findall(r'value="3" id="[^"]+" checked', html)) == 12
    assert not Answer.objects.filter(profile=profile).exists()
    assert not PageTime.objects.filter(profile=profile).exists()
    fresh_stamp = re.search(r'name="rendered" value="([^"]+)"', html).group(1)
    resent = save(client, profile, {**hidden, "rendered": fresh_stamp}, {n: "3" for n in names})
    assert resent.status_code == 302
    assert stored(profile) == {n: 3 for n in names}


def test_a_stamp_without_a_usable_shown_version_shows_stored_answers_for_absent_fields(client):
    profile = start(client)
    names, hidden = open_tab(client, profile)
    save(client, profile, hidden, {n: "6" for n in names})

    response = save(client, profile, {"rendered": "forged"}, {names[0]: "1"})

    html = response.content.decode()
    assert response.status_code == 400
    assert f'value="1" id="id_{names[0]}_1" checked' in html
    assert len(re.findall(r'value="6" id="[^"]+" checked', html)) == 11
    assert stored(profile) == {n: 6 for n in names}


def test_page_render_save_and_conflict_cost_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    profile = start(client)
    names, tab_a = open_tab(client, profile)
    _, tab_b = open_tab(client, profile)

    # session, the profile with its answers and page time (the page's items are cached)
    with django_assert_max_num_queries(2):
        client.get(page_url(profile, 1))
    # session, savepoint, the lock (an update of the profile's updated_at), the profile with
    # its answers and page time, upsert, page-time insert, release; 17, then 14 before
    # issue 20 line 8
    with django_assert_max_num_queries(7):
        save(client, profile, tab_b, {n: "6" for n in names})
    with django_assert_max_num_queries(6):  # the conflict: rolled back after the read
        assert save(client, profile, tab_a, {names[0]: "2"}).status_code == 409
    _, again = open_tab(client, profile)
    with django_assert_max_num_queries(7):  # a revisit: one page-time update, no insert
        save(client, profile, again, {names[0]: "3"})
