"""Load the published instrument 1.0 (ASSESSMENT.md §2.4-2.6) from assessments/data/."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "instrument_1_0.json"


def load_instrument(apps, schema_editor):
    InstrumentVersion = apps.get_model("assessments", "InstrumentVersion")
    ItemVersion = apps.get_model("assessments", "ItemVersion")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    now = timezone.now()
    instrument = InstrumentVersion.objects.create(
        version=data["version"],
        title=data["title"],
        status="published",
        notes=data["source"],
        published_at=now,
    )
    ItemVersion.objects.bulk_create(
        ItemVersion(
            instrument_version=instrument,
            code=item["code"],
            text=item["text"],
            kind=item["kind"],
            dimension=item["dimension"] or "",
            facet=item["facet"],
            context=item["context"] or "",
            reverse=item["reverse"],
            page=item["page"],
            position=item["position"],
            change="new",
        )
        for item in data["items"]
    )


def unload_instrument(apps, schema_editor):
    InstrumentVersion = apps.get_model("assessments", "InstrumentVersion")
    ItemVersion = apps.get_model("assessments", "ItemVersion")
    ItemVersion.objects.filter(instrument_version__version="1.0").delete()
    InstrumentVersion.objects.filter(version="1.0").delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_instrument, unload_instrument)]
