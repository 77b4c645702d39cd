"""Load the German (de) texts of report copy copy-3 shipped in
assessments/data/report_copy_3_de/*.json (issue 16 lines 3 and 5).

Each text that passes the checks of a German copy text (placeholders exactly as in its English
text, no pathologising words, no generic masculine noun: assessments.checks) is loaded as an
approved translation, fingerprinted with the English text of copy-3 it was written for; a text
that does not is kept as a draft for the admin to fix. German is released for copy-3 only when
the files cover every text of copy-3 and every one passes; when the folder is absent or
incomplete, what exists is loaded and German stays unreleased (the admin's status page for the
copy lists what is missing). Texts already stored are left as they are.
"""

from pathlib import Path

from django.db import migrations

COPY_3_DE_DIR = Path(__file__).resolve().parent.parent / "data" / "report_copy_3_de"
LOCALE = "de"
VERSION = "copy-3"
NOTE = "Shipped with relcap (migration 0015); translation — not yet validated."


def load_german(apps, schema_editor, directory=COPY_3_DE_DIR, version=VERSION):
    from assessments.copy_locale_data import apply_load, plan_load, read_groups
    from assessments.copy_text import with_released_wording

    ReportCopyVersion = apps.get_model("assessments", "ReportCopyVersion")
    copy_row = ReportCopyVersion.objects.filter(version=version).first()
    groups = read_groups(directory)
    if copy_row is None or not groups:
        return None
    plan = plan_load(with_released_wording(copy_row.texts), groups, LOCALE)
    return apply_load(
        plan,
        copy_row=copy_row,
        locale=LOCALE,
        translation_model=apps.get_model("assessments", "CopyTranslation"),
        release_model=apps.get_model("assessments", "CopyLocaleRelease"),
        note=NOTE,
    )


def unload_german(apps, schema_editor):
    apps.get_model("assessments", "CopyLocaleRelease").objects.filter(
        copy_version__version=VERSION, locale=LOCALE
    ).delete()
    apps.get_model("assessments", "CopyTranslation").objects.filter(
        copy_version__version=VERSION, locale=LOCALE, note=NOTE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0014_copy_translations")]

    operations = [migrations.RunPython(load_german, unload_german)]
