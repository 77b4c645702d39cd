"""Publish report copy copy-3 and retire copy-2 (issues 17 and 18: the practice loop's texts).

copy-3 is copy-2 plus new groups only (pre-session brief, conversation openers, practitioner
e-mails, live moments); every text the report already shows is unchanged. Profiles submitted
from now on are pinned to copy-3; every existing snapshot keeps the copy version it names.
"""

from django.db import migrations
from django.utils import timezone


def load_copy(apps, schema_editor):
    from assessments.copy_release import copy_3_texts

    ReportCopyVersion = apps.get_model("assessments", "ReportCopyVersion")
    texts = copy_3_texts()
    if ReportCopyVersion.objects.filter(version=texts["version"]).exists():
        raise RuntimeError(
            f"A report copy named {texts['version']} already exists; rename it in the admin "
            "before migrating, so the released copy-3 can be loaded under its own name."
        )
    source = ReportCopyVersion.objects.filter(version="copy-2").first()
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
    ReportCopyVersion.objects.filter(version="copy-3").delete()
    ReportCopyVersion.objects.filter(version="copy-2").update(status="published")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0010_load_report_copy_2")]

    operations = [migrations.RunPython(load_copy, unload_copy)]
