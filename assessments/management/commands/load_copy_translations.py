"""Load a shipped translation of report copy into a database that has already migrated
(migration 0015 loads `assessments/data/report_copy_3_de/` once, with whatever files existed
then). Texts already stored are kept; the locale is released only when the files cover every
text of the copy and each passes its checks."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import copy_locale_data, queries, services


class Command(BaseCommand):
    help = "Load report copy texts of one locale from a folder of JSON files (groups of copy)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--copy", default="copy-3", help="the copy version (copy-3)")
        parser.add_argument("--locale", default="de")
        parser.add_argument(
            "--dir", type=Path, default=copy_locale_data.COPY_3_DE_DIR, help="the JSON files"
        )
        parser.add_argument("--no-release", action="store_true", help="load, never release")

    def handle(self, *args, **options) -> None:
        report_copy = queries.copy_version(options["copy"])
        if report_copy is None:
            raise CommandError(f"There is no report copy “{options['copy']}”.")
        groups = copy_locale_data.read_groups(options["dir"])
        if not groups:
            raise CommandError(f"No translated groups in {options['dir']}.")
        try:
            done = services.load_copy_translations(
                report_copy=report_copy,
                locale=options["locale"],
                groups=groups,
                note=copy_locale_data.SHIPPED_NOTE.format(origin="load_copy_translations"),
                release=not options["no_release"],
            )
        except services.TranslationError as refused:
            raise CommandError("; ".join(refused.problems)) from refused
        self.stdout.write(
            f"{done['approved']} approved, {done['drafts']} kept as drafts, "
            f"{len(done['missing'])} missing; released: {'yes' if done['released'] else 'no'}."
        )
        for key, reasons in done["refused"].items():
            self.stdout.write(f"  {key}: {'; '.join(reasons)}")
        for key in done["missing"][:20]:
            self.stdout.write(f"  missing: {key}")
