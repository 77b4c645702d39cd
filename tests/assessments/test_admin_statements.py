"""The statement list, the per-statement editor with its §2.3 checks, and publishing through the
confirmation page with the diff (issue 19 lines 1, 2 and 7)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments import services
from assessments.models import InstrumentVersion, ItemVersion
from profiles import services as profile_services
from tests.factories import ProfileFactory, UserFactory, answer_all, published_instrument
from tests.perf.bench_pages import build_instrument

pytestmark = pytest.mark.django_db

FIXED = "At work, I notice when a colleague seems quietly worried."  # passes every check


@pytest.fixture
def draft():
    return services.create_draft_from(source=published_instrument(), version="1.1")


def statements_url(version) -> str:
    return reverse("admin:assessments_instrumentversion_statements", args=[version.pk])


def statement_url(item) -> str:
    return reverse(
        "admin:assessments_instrumentversion_statement", args=[item.instrument_version_id, item.pk]
    )


def publish_url(version) -> str:
    return reverse("admin:assessments_instrumentversion_publish", args=[version.pk])


def form_data(item, **changes) -> dict:
    data = {
        "code": item.code, "text": item.text, "kind": item.kind, "dimension": item.dimension,
        "facet": item.facet or "", "context": item.context, "reverse": "on" if item.reverse else "",
        "change": "",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def row_codes(response) -> list[str]:
    return [i.code for i in response.context["items"]]


# ----------------------------------------------------------------------------- the list
def test_list_shows_every_statement_of_the_draft_in_order(admin_client, draft):
    response = admin_client.get(statements_url(draft))

    assert response.status_code == 200
    assert len(row_codes(response)) == 76
    assert row_codes(response)[:2] == list(
        draft.items.order_by("position").values_list("code", flat=True)[:2]
    )


def test_list_filters_by_dimension_facet_context_and_keying(admin_client, draft):
    query = "?dimension=REG&facet=1&context=W&keying=reverse"

    response = admin_client.get(statements_url(draft) + query)

    assert row_codes(response) == ["REG1-W3"]
    assert "1 statement of 76" in response.content.decode()


def test_list_searches_code_and_text(admin_client, draft):
    by_text = admin_client.get(statements_url(draft) + "?q=high+alert")
    by_code = admin_client.get(statements_url(draft) + "?q=QC")

    assert row_codes(by_text) == ["REG1-W3"]
    assert row_codes(by_code) == ["QC1", "QC2", "QC3"]


@pytest.mark.parametrize("k", [1, 2, 4])
def test_list_costs_the_same_queries_at_72_144_and_288_items(
    admin_client, django_assert_max_num_queries, k
):
    version = build_instrument(k)
    url = statements_url(version)
    admin_client.get(url)  # warm the session and the content types

    with django_assert_max_num_queries(6):
        response = admin_client.get(url)

    assert len(response.context["items"]) == 72 * k + 4


def test_staff_without_instrument_permission_cannot_see_statements(client, draft):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(statements_url(draft)).status_code == 403


# ----------------------------------------------------------------------------- one statement
def test_statement_page_shows_the_checks_beside_the_text(admin_client, draft):
    item = draft.items.get(code="REG1-W3")

    page = admin_client.get(statement_url(item)).content.decode()

    assert 'id="statement-checks"' in page
    assert "Passes · Length:" in page and "Passes · Context phrase:" in page
    assert "Wording-equivalent edit" in page and "Same meaning: spelling" in page


def test_a_failing_check_blocks_the_save_with_the_reason_next_to_the_text(admin_client, draft):
    item = draft.items.get(code="REG1-W3")
    bad = "I always feel a trigger when a short email arrives."

    response = admin_client.post(statement_url(item), form_data(item, text=bad, change="wording"))

    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert "avoid theory words such as 'trigger…' (§2.3 rule 6)." in errors
    assert any("work statement opens with" in e for e in errors)
    assert "Fails · Forbidden words:" in response.content.decode()
    item.refresh_from_db()
    assert item.text != bad


def test_check_without_saving_shows_the_checks_and_stores_nothing(admin_client, draft):
    item = draft.items.get(code="REG1-W3")
    before = item.text

    response = admin_client.post(
        statement_url(item), form_data(item, text=FIXED, change="wording", _check="1")
    )

    assert response.status_code == 200
    assert all(c.passed for c in response.context["checks"])
    item.refresh_from_db()
    assert item.text == before


def test_a_changed_text_needs_a_classification_then_saves(admin_client, draft):
    item = draft.items.get(code="REG1-W3")

    unclassified = admin_client.post(statement_url(item), form_data(item, text=FIXED))
    saved = admin_client.post(statement_url(item), form_data(item, text=FIXED, change="wording"))

    assert "Choose one." in " ".join(unclassified.context["form"].errors["change"])
    assert saved.status_code == 302
    assert saved["Location"] == f"{statements_url(draft)}#item-{item.pk}"
    item.refresh_from_db()
    assert (item.text, item.change) == (FIXED, "wording")


def test_a_keying_change_must_be_substantive(admin_client, draft):
    item = draft.items.get(code="REG1-W3")

    refused = admin_client.post(statement_url(item), form_data(item, reverse="", change="wording"))
    saved = admin_client.post(
        statement_url(item), form_data(item, reverse="", change="substantive")
    )

    assert "always substantive" in " ".join(refused.context["form"].errors["change"])
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (item.reverse, item.change) == (False, "substantive")


def test_a_code_already_used_in_the_draft_is_refused(admin_client, draft):
    item = draft.items.get(code="REG1-W3")

    response = admin_client.post(statement_url(item), form_data(item, code="REG1-W2"))

    assert response.context["form"].errors["code"]


@pytest.mark.parametrize("k", [1, 4])
def test_saving_one_statement_costs_at_most_10_queries_at_any_size(
    admin_client, django_assert_max_num_queries, k
):
    version = services.create_draft_from(source=build_instrument(k), version=f"edit-{k}")
    item = version.items.get(code="REG1-W3")
    admin_client.get(statement_url(item))

    with django_assert_max_num_queries(10):
        response = admin_client.post(
            statement_url(item), form_data(item, text=FIXED, change="wording")
        )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == FIXED


def test_a_published_statement_is_read_only(admin_client):
    item = published_instrument().items.get(code="REG1-W3")

    page = admin_client.get(statement_url(item))
    posted = admin_client.post(statement_url(item), form_data(item, text=FIXED, change="wording"))

    assert page.status_code == 200 and page.context["form"] is None
    assert "read-only" in page.content.decode()
    assert posted.status_code == 403
    item.refresh_from_db()
    assert item.text != FIXED


def test_view_permission_alone_sees_but_cannot_save(client, draft):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instrumentversion"))
    client.force_login(user)
    item = draft.items.get(code="REG1-W3")

    assert client.get(statement_url(item)).status_code == 200
    posted = client.post(statement_url(item), form_data(item, text=FIXED, change="wording"))

    assert posted.status_code == 403


def test_the_json_check_runs_the_same_checks(admin_client, draft):
    url = reverse("admin:assessments_instrumentversion_check", args=[draft.pk])

    response = admin_client.get(url, {"text": "I never cry.", "kind": "scored", "context": "C"})

    data = response.json()
    assert data["passed"] is False
    failing = {c["key"]: c["detail"] for c in data["checks"] if not c["passed"]}
    assert set(failing) == {"forbidden", "context"}
    assert failing["forbidden"] == "avoid absolutes such as 'never' (§2.3 rule 7)."


def test_the_json_check_refuses_posts(admin_client, draft):
    url = reverse("admin:assessments_instrumentversion_check", args=[draft.pk])

    assert admin_client.post(url, {"text": "x"}).status_code == 405


def add_url(version) -> str:
    return reverse("admin:assessments_instrumentversion_add_statement", args=[version.pk])


NEW_STATEMENT = {
    "code": "REP1-C4", "text": "After a quarrel with someone close to me, I say what I regret.",
    "kind": "scored", "dimension": "REP", "facet": "1", "context": "C", "page": "7",
}  # fmt: skip


def test_a_new_statement_goes_after_the_last_one_and_is_new(admin_client, draft):
    last = draft.items.order_by("position").last()

    response = admin_client.post(add_url(draft), NEW_STATEMENT)

    added = draft.items.get(code="REP1-C4")
    assert response.status_code == 302
    assert response["Location"] == statement_url(added)
    assert (added.position, added.page, added.change) == (last.position + 1, 7, "new")


def test_a_new_statement_must_pass_the_checks(admin_client, draft):
    response = admin_client.post(add_url(draft), {**NEW_STATEMENT, "text": "I never argue."})

    assert any("absolutes" in e for e in response.context["form"].errors["text"])
    assert not draft.items.filter(code="REP1-C4").exists()


def test_a_published_version_takes_no_new_statement(admin_client):
    version = published_instrument()

    assert admin_client.post(add_url(version), NEW_STATEMENT).status_code == 403
    assert not version.items.filter(code="REP1-C4").exists()


# ----------------------------------------------------------------------------- publishing
def test_confirmation_lists_each_change_and_what_becomes_not_comparable(admin_client, draft):
    owner = UserFactory()
    profile = ProfileFactory(user=owner)
    answer_all(profile, 4)
    profile_services.submit_profile(profile=profile)
    worded = draft.items.get(code="REG1-W3")
    admin_client.post(statement_url(worded), form_data(worded, text=FIXED, change="wording"))
    keyed = draft.items.get(code="TRU2-C3")
    admin_client.post(statement_url(keyed), form_data(keyed, reverse="", change="substantive"))
    swapped = draft.items.get(code="TRU2-C1")  # keeps one reverse-keyed item in the cell
    admin_client.post(
        statement_url(swapped), form_data(swapped, reverse="on", change="substantive")
    )
    first = draft.items.order_by("position").first()
    services.move_item(item=first, offset=1)

    response = admin_client.get(publish_url(draft))

    diff = response.context["diff"]
    changes = {c.code: c for c in diff.changes}
    assert changes["REG1-W3"].text_after == FIXED
    assert changes["REG1-W3"].classification == "Wording-equivalent edit"
    assert [(f.before, f.after) for f in changes["TRU2-C3"].fields] == [
        ("reverse-keyed", "forward-keyed")
    ]
    assert changes[first.code].moved_from == "page 1, place 1"
    assert changes[first.code].moved_to == "page 1, place 2"
    assert [(i.code, i.profiles) for i in diff.impacts] == [("TRU", 1)]
    page = response.content.decode()
    assert "Version 1.0, live now, is retired" in page
    assert "TRU2-C3" in page and 'value="Publish version 1.1"' in page
    assert published_instrument().status == "published"  # showing it publishes nothing


def test_a_draft_copied_before_a_later_version_was_published_says_what_it_replaces(
    admin_client, draft
):
    older = services.create_draft_from(source=published_instrument(), version="1.1b")
    services.publish(instrument=draft)  # 1.1 is live now; 1.1b was copied from 1.0

    response = admin_client.get(publish_url(older))
    same = admin_client.get(publish_url(services.create_draft_from(source=draft, version="1.2")))

    assert response.context["diff"].replaces_another_version
    page = response.content.decode()
    assert "Version 1.1, live now, is retired" in page
    assert "This draft was copied from version 1.0, not from version 1.1" in page
    assert not same.context["diff"].replaces_another_version
    assert 'id="diff-other-base"' not in same.content.decode()


def test_a_failing_line_is_named_in_place_and_publishing_is_refused(admin_client, draft):
    ItemVersion.objects.filter(pk=draft.items.get(code="MEN1-C1").pk).update(
        text="When someone close to me is upset, my attachment to them grows."
    )

    shown = admin_client.get(publish_url(draft))
    posted = admin_client.post(publish_url(draft))

    changes = {c.code: c for c in shown.context["diff"].changes}
    assert changes["MEN1-C1"].problems == (
        "MEN1-C1: avoid theory words such as 'attachment…' (§2.3 rule 6).",
    )
    assert 'id="change-MEN1-C1" class="diff-failing"' in shown.content.decode()
    assert 'value="Publish version 1.1"' not in shown.content.decode()
    assert posted.status_code == 409
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_twice_makes_one_version(admin_client, draft):
    first = admin_client.post(publish_url(draft))
    second = admin_client.post(publish_url(draft), follow=True)

    assert first.status_code == 302
    assert "already published; nothing was published again" in second.content.decode()
    assert InstrumentVersion.objects.filter(status="published").get() == draft
    assert InstrumentVersion.objects.filter(status="retired").count() == 1


def test_publishing_needs_change_permission(client, draft):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instrumentversion"))
    client.force_login(user)

    assert client.post(publish_url(draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft


def test_statement_page_shows_its_history_across_versions(admin_client, draft):
    worded = draft.items.get(code="REG1-W3")
    admin_client.post(statement_url(worded), form_data(worded, text=FIXED, change="wording"))
    services.publish(instrument=draft)
    later = services.create_draft_from(source=draft, version="1.2")
    item = later.items.get(code="REG1-W3")

    response = admin_client.get(statement_url(item))

    steps = [
        (s.item.instrument_version.version, s.item.text, s.item.change, s.source_version)
        for s in response.context["history"]
    ]
    original = published_instrument().items.get(code="REG1-W3").text
    assert steps == [
        ("1.0", original, "new", ""),
        ("1.1", FIXED, "wording", "1.0"),
        ("1.2", FIXED, "unchanged", "1.1"),
    ]
    assert [s.is_current for s in response.context["history"]] == [False, False, True]
    content = response.content.decode()
    assert "History of this statement" in content
    assert "Yes: directly comparable" in content


def test_an_earlier_statement_shows_the_later_versions_copied_from_it(admin_client, draft):
    """Lineage runs both ways: from 1.0, the versions made from it, each step classified; a
    substantive step says that a new statement starts there."""
    first = published_instrument().items.get(code="REG1-W3")
    changed = draft.items.get(code="REG1-W3")
    admin_client.post(statement_url(changed), form_data(changed, text=FIXED, change="substantive"))
    other = services.create_draft_from(source=published_instrument(), version="1.1b")
    kept = other.items.get(code="REG1-W3")
    later = services.create_draft_from(source=draft, version="1.2")

    response = admin_client.get(statement_url(first))

    history = response.context["history"]
    assert [(s.item.instrument_version.version, s.item.change) for s in history] == [
        ("1.0", "new"),
        ("1.1", "substantive"),
        ("1.1b", "unchanged"),
        ("1.2", "unchanged"),
    ]
    assert [s.keeps_meaning for s in history] == [False, False, True, True]
    content = response.content.decode()
    assert "No, a new statement from here" in content
    for step in history[1:]:
        assert f'href="{statement_url(step.item)}"' in content
    assert f'href="{statement_url(kept)}"' in content
    assert later.items.get(code="REG1-W3").derived_from_id == changed.pk


def test_the_history_costs_one_query_per_generation_not_per_statement(
    admin_client, draft, django_assert_max_num_queries
):
    later = services.create_draft_from(source=draft, version="1.2")
    item = later.items.get(code="MEN1-C1")
    admin_client.get(statement_url(item))

    with django_assert_max_num_queries(6):
        response = admin_client.get(statement_url(item))

    assert len(response.context["history"]) == 3


@pytest.mark.parametrize("k", [1, 4])
def test_the_confirmation_page_costs_the_same_queries_at_any_size(
    admin_client, django_assert_max_num_queries, k
):
    version = services.create_draft_from(source=build_instrument(k), version=f"diff-{k}")
    admin_client.get(publish_url(version))

    with django_assert_max_num_queries(14):
        response = admin_client.get(publish_url(version))

    diff = response.context["diff"]
    # Nothing was edited: only statements failing a check (the generated texts) are listed.
    assert all(c.status == "changed" and c.problems for c in diff.changes)
    assert diff.unchanged + len(diff.changes) == 72 * k + 4
