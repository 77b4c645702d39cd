"""The two parts of the German copy-3 (assessments/data/report_copy_3_de/) together cover every
text of the English copy-3 exactly once, so German copy-3 can be released complete (issue 16
lines 3 and 5). The texts themselves are checked part by part in the tests beside this one."""

import json

import pytest

from assessments import queries
from assessments.copy_release import DATA, copy_3_texts

PARTS = sorted((DATA / "report_copy_3_de").glob("*.json"))


def test_the_parts_share_no_group_and_together_hold_every_group_of_copy_3():
    seen: dict[str, str] = {}
    for part in PARTS:
        for group in json.loads(part.read_text(encoding="utf-8")):
            assert group not in seen, f"{group} is in {seen.get(group)} and {part.name}"
            seen[group] = part.name
    assert [p.name for p in PARTS] == ["part_a.json", "part_b.json"]
    assert set(seen) == set(copy_3_texts()) - {"version"}


@pytest.mark.django_db
def test_the_migration_released_german_copy_3_with_exactly_the_shipped_texts():
    shipped = {}
    for part in PARTS:
        shipped.update(json.loads(part.read_text(encoding="utf-8")))

    assert queries.copy_locales("copy-3") == {"en", "de"}
    german = queries.copy_texts("copy-3", "de")
    assert {k: v for k, v in german.items() if k != "version"} == shipped
    assert german["version"] == "copy-3"
