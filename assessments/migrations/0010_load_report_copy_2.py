"""Publish report copy copy-2 and retire copy-1 (issue 15 line 5, issue 14 lines 9 and 10).

copy-2 is copy-1 plus the report's own wording that lived in code and templates until now
(headings, the "what is intact" lines, the chart's words, the comparison's sentences), the
card's opening line and the "what changed since last time" texts, with the CTX pattern
meanings no longer repeating the work/close sentence of the card's one-line note.
Profiles submitted from now on are pinned to copy-2; every existing snapshot keeps the copy
version it names, so its report renders exactly as before. copy-1 itself is not changed.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "report_copy_2.json"


def load_copy(apps, schema_editor):
    ReportCopyVersion = apps.get_model("assessments", "ReportCopyVersion")
    texts = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    if ReportCopyVersion.objects.filter(version=texts["version"]).exists():
        raise RuntimeError(
            f"A report copy named {texts['version']} already exists; rename it in the admin "
            "before migrating, so the released copy-2 can be loaded under its own name."
        )
    source = ReportCopyVersion.objects.filter(version="copy-1").first()
    ReportCopyVersion.objects.filter(status="published").update(status="retired")
    ReportCopyVersion.objects.create(
        version=texts["version"],
        status="published",
        based_on=source,
        texts=texts,
        published_at=timezone.now(),
    )


def unload_copy(apps, schema_editor):
    ReportCopyVersion = apps.get_model("assessments", "ReportCopyVersion")
    ReportCopyVersion.objects.filter(version="copy-2").delete()
    ReportCopyVersion.objects.filter(version="copy-1").update(status="published")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0009_default_support_resources")]

    operations = [migrations.RunPython(load_copy, unload_copy)]
