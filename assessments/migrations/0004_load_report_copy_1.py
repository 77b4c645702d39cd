"""Load report copy copy-1 (every text of the report) from assessments/data/."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "report_copy_1.json"


def load_copy(apps, schema_editor):
    ReportCopyVersion = apps.get_model("assessments", "ReportCopyVersion")
    texts = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    ReportCopyVersion.objects.create(
        version=texts["version"], status="published", texts=texts, published_at=timezone.now()
    )


def unload_copy(apps, schema_editor):
    apps.get_model("assessments", "ReportCopyVersion").objects.filter(version="copy-1").delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_report_copy_version")]

    operations = [migrations.RunPython(load_copy, unload_copy)]
