"""Give every instrument version its questionnaire texts, and load the German (de) wording of
instrument 1.0 as approved translations (issue 16 lines 2 and 5).

1. Every version so far showed the same texts besides its statements (the page instruction and
   response labels of assessments.models, the start page's context question and consent notice
   consent-1). They become the versions' own English `InstrumentText` rows, verbatim from
   assessments/data/instrument_texts_en.json (tests/assessments/test_translations_data.py
   holds them equal to the code and template they came from). This records what those
   versions always showed; it changes no statement and no answer.
2. assessments/data/instrument_1_0.de.json holds original German wording for every statement
   and text of 1.0 ("translation — not yet validated", ASSESSMENT.md §5.5). Each row is
   approved, fingerprinted with the English text it was written from. The locale is *not*
   released here: offering German to respondents is an admin decision (the locale's status
   page), taken once the interface speaks German too (issue 16 line 1).
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"
NOTE = "Shipped with relcap (migration 0013); translation — not yet validated."


def load(apps, schema_editor):
    from assessments.locales import fingerprint

    InstrumentVersion = apps.get_model("assessments", "InstrumentVersion")
    InstrumentText = apps.get_model("assessments", "InstrumentText")
    ItemVersion = apps.get_model("assessments", "ItemVersion")
    Translation = apps.get_model("assessments", "Translation")
    english = json.loads((DATA / "instrument_texts_en.json").read_text(encoding="utf-8"))["texts"]
    InstrumentText.objects.bulk_create(
        InstrumentText(instrument_version=version, key=key, text=text)
        for version in InstrumentVersion.objects.all()
        for key, text in english.items()
    )
    version = InstrumentVersion.objects.filter(version="1.0").first()
    if version is None:
        return
    german = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
    sources = {
        i["code"]: i["text"]
        for i in json.loads((DATA / "instrument_1_0.json").read_text(encoding="utf-8"))["items"]
    }
    items = {i.code: i for i in ItemVersion.objects.filter(instrument_version=version)}
    texts = {t.key: t for t in InstrumentText.objects.filter(instrument_version=version)}
    now = timezone.now()
    rows = [
        Translation(
            instrument_version=version,
            locale="de",
            item=items[code],
            text=text,
            source_fingerprint=fingerprint(sources[code]),
            status="approved",
            approved_at=now,
            note=NOTE,
        )  # fmt: skip
        for code, text in german["items"].items()
    ] + [
        Translation(
            instrument_version=version,
            locale="de",
            instrument_text=texts[key],
            text=text,
            source_fingerprint=fingerprint(english[key]),
            status="approved",
            approved_at=now,
            note=NOTE,
        )  # fmt: skip
        for key, text in german["texts"].items()
    ]
    Translation.objects.bulk_create(rows)


def unload(apps, schema_editor):
    Translation = apps.get_model("assessments", "Translation")
    InstrumentText = apps.get_model("assessments", "InstrumentText")
    Translation.objects.all().delete()
    InstrumentText.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0012_translations")]

    operations = [migrations.RunPython(load, unload)]
