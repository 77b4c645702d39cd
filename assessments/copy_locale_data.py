"""Shipped translations of report copy (issue 16 lines 3 and 5): reading them from
assessments/data and loading them as approved texts of one copy version in one locale.

`assessments/data/report_copy_3_de/*.json` hold the German of copy-3, each file a dict of
top-level copy-3 groups in the shape of the English copy-3, with its placeholders and without
"version". `plan_load` matches them to a copy's English texts by dotted key and checks each
(`checks.copy_translation_problems`); `apply_load` writes the plan with the model classes it
is given, so the data migration (historical models) and `services.load_copy_translations`
(the guarded models) store exactly the same rows.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from assessments import checks, copy_edit
from assessments.copy_release import DATA

COPY_3_DE_DIR = DATA / "report_copy_3_de"
SHIPPED_NOTE = "Shipped with relcap ({origin}); translation — not yet validated."


def read_groups(directory: Path) -> dict:
    """The groups of every `*.json` file in `directory`, merged (none when it is absent). A
    group two files both hold is an error: one of them would be lost."""
    groups: dict = {}
    if not directory.is_dir():
        return groups
    for part in sorted(directory.glob("*.json")):
        found = json.loads(part.read_text(encoding="utf-8"))
        if not isinstance(found, dict):
            raise ValueError(f"{part.name} must hold a JSON object of copy groups.")
        for key, value in found.items():
            if key in groups:
                raise ValueError(f"{part.name} repeats the group “{key}” of another file.")
            groups[key] = value
    return groups


@dataclass
class LoadPlan:
    """What a shipped translation holds for a copy version: every text that passes its checks
    (`texts`, dotted key → (English, translation)), texts that do not (`refused`, with the
    reasons; loaded as drafts, never dropped), keys of the copy it lacks (`missing`) and keys
    the copy does not have (`extra`, not loaded)."""

    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    refused: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        """Every text of the copy is there and passes its checks."""
        return not self.missing and not self.refused


def plan_load(english: Mapping, groups: Mapping, locale: str) -> LoadPlan:
    """Match the translated `groups` to the copy's English texts by dotted key."""
    sources = {t.dotted: t.value for t in copy_edit.texts_of(english) if t.path != ("version",)}
    given = {t.dotted: t for t in copy_edit.texts_of(groups) if t.path != ("version",)}
    plan = LoadPlan()
    for key, source in sources.items():
        text = given.get(key)
        if text is None:
            plan.missing.append(key)
            continue
        value = copy_edit.text_at(groups, text.path)
        if value is None:
            plan.refused[key] = (source, text.value, [f"“{key}” must be a text."])
        elif problems := checks.copy_translation_problems(key, source, value, locale):
            plan.refused[key] = (source, value, problems)
        else:
            plan.texts[key] = (source, value)
    plan.extra = [key for key in given if key not in sources]
    return plan


def apply_load(
    plan: LoadPlan,
    *,
    copy_row,
    locale: str,
    translation_model,
    release_model,
    note: str,
    release: bool = True,
) -> dict:
    """Store `plan` for `copy_row` in `locale`: each text that passes as an approved
    translation (no approving person: shipped with relcap), each refused one as a draft, both
    fingerprinted with the English they were written for. Keys the locale already has a text
    for (approved, or a draft for a refused one) are left as they are, so loading twice adds
    nothing. Releases the locale when `release` is set, the plan is complete, the copy is
    published or retired and the locale had no texts before (else releasing is left to the
    admin, whose release checks every stored text). Returns what it did."""
    from assessments.locales import fingerprint

    done = {"approved": 0, "drafts": 0, "released": False}
    if release_model.objects.filter(copy_version=copy_row, locale=locale).exists():
        return done
    existing = translation_model.objects.filter(
        copy_version=copy_row, locale=locale, status__in=["draft", "approved"]
    ).values_list("key", "status")
    have = {(key, status) for key, status in existing}
    now = timezone.now()
    rows = [
        translation_model(
            copy_version=copy_row,
            locale=locale,
            key=key,
            text=text,
            source_fingerprint=fingerprint(source),
            status="approved",
            approved_at=now,
            note=note,
        )
        for key, (source, text) in plan.texts.items()
        if (key, "approved") not in have
    ]
    drafts = [
        translation_model(
            copy_version=copy_row,
            locale=locale,
            key=key,
            text=text,
            source_fingerprint=fingerprint(source),
            status="draft",
            note=note,
        )
        for key, (source, text, _) in plan.refused.items()
        if (key, "draft") not in have and (key, "approved") not in have
    ]
    translation_model.objects.bulk_create(rows + drafts)
    done["approved"], done["drafts"] = len(rows), len(drafts)
    if release and plan.is_complete and not have and copy_row.status != "draft":
        release_model.objects.create(copy_version=copy_row, locale=locale, released_at=now)
        done["released"] = True
    return done
