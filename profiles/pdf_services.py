"""Report PDFs: made once per snapshot and copy version by a task, kept in Django's storage,
deleted with the person's data. The report's PDF link serves the stored file."""

import logging
from datetime import datetime, timedelta

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from profiles import report_queries, tasks
from profiles.models import Profile, ReportPdf, ResultSnapshot
from profiles.report import build_report
from relcap.jobs import engine

logger = logging.getLogger(__name__)

PDF_STYLESHEET = "css/relcap.css"
PDF_FOLDER = "report-pdfs"
PDF_VARIANT = "pdf/ua-1"
# A file without a row this old is a leftover (its run died, or its row was deleted).
ORPHAN_AGE = timedelta(hours=1)


def request_report_pdf(*, snapshot: ResultSnapshot, support_url: str) -> str:
    """Have the PDF made: by a worker, or at once when there is no broker; returns the task id."""
    return engine.enqueue(
        tasks.make_report_pdf, inline=engine.NOW, snapshot_id=snapshot.pk, support_url=support_url
    )


def make_report_pdf(*, snapshot_id: int, support_url: str) -> ReportPdf | None:
    """Render and store the snapshot's PDF unless it exists; None when the snapshot is gone."""
    snapshot = ResultSnapshot.objects.select_related("profile").filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    existing = ReportPdf.objects.filter(snapshot=snapshot, copy_version=snapshot.copy_version)
    if existing.exists():
        return existing.first()
    return store_report_pdf(snapshot=snapshot, content=render_report_pdf(snapshot, support_url))


def report_pdf_html(snapshot: ResultSnapshot, support_url: str) -> str:
    """The PDF's HTML: the snapshot's copy in its locale, its dates too, whoever asked for it
    and in whatever interface language (issue 16 line 4)."""
    report = build_report(
        snapshot.data,
        report_queries.snapshot_copy(snapshot),
        locale=snapshot.locale,
        reason=snapshot.reason,
    )
    context = {
        "profile": snapshot.profile,
        "snapshot": snapshot,
        "report": report,
        "support_url": support_url,
    }
    with translation.override(snapshot.locale):
        return render_to_string("profiles/report_pdf.html", context)


def render_report_pdf(snapshot: ResultSnapshot, support_url: str) -> bytes:
    # Imported here so that a machine without Pango still serves every page but the PDF.
    from weasyprint import CSS, HTML

    html = report_pdf_html(snapshot, support_url)
    stylesheet = CSS(filename=finders.find(PDF_STYLESHEET))
    # PDF/UA-1 (issue 14 line 11): a tagged PDF with a structure tree (headings, paragraphs,
    # lists, the chart as a Figure whose text alternative is its SVG title, the table twin),
    # the document language from <html lang> and the title shown from <title>.
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)


def store_report_pdf(*, snapshot: ResultSnapshot, content: bytes) -> ReportPdf | None:
    """Write the file, then its row; when another run stored one first, or the profile was
    deleted meanwhile, this run's file is removed again."""
    pdf = ReportPdf(snapshot=snapshot, copy_version=snapshot.copy_version)
    name = f"{snapshot.pk}-{snapshot.copy_version}.pdf"
    pdf.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        default_storage.delete(pdf.file.name)
        return ReportPdf.objects.filter(
            snapshot_id=snapshot.pk, copy_version=snapshot.copy_version
        ).first()
    return pdf


def delete_pdfs_of(profiles: QuerySet[Profile]) -> int:
    """Delete the stored files of these profiles' PDFs once the surrounding transaction (which
    deletes the profiles, and with them the rows) commits. Returns how many there were."""
    names = list(
        ReportPdf.objects.filter(snapshot__profile__in=profiles).values_list("file", flat=True)
    )
    if names:
        transaction.on_commit(lambda: delete_files(names))
    return len(names)


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def sweep_orphan_pdfs(*, now: datetime | None = None) -> int:
    """Delete stored PDF files that no row names (a run that died, a deletion that failed to
    remove its files); files younger than ORPHAN_AGE may still be getting their row."""
    if not default_storage.exists(PDF_FOLDER):
        return 0
    known = set(ReportPdf.objects.values_list("file", flat=True))
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    orphans = [
        f"{PDF_FOLDER}/{name}"
        for name in default_storage.listdir(PDF_FOLDER)[1]
        if f"{PDF_FOLDER}/{name}" not in known
        and default_storage.get_modified_time(f"{PDF_FOLDER}/{name}") < cutoff
    ]
    delete_files(orphans)
    if orphans:
        logger.info("deleted %d report PDF files that no profile names", len(orphans))
    return len(orphans)
