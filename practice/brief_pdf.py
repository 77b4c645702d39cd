"""Brief PDFs: one A4 page, made by a task, stored once per cache key, served from storage.

The pattern of profiles/pdf_services.py, with one difference: a report PDF's inputs never
change, a brief's do (the person shares, raises, lowers or revokes). So a stored brief PDF is
keyed by the digest of all its inputs (practice/brief.py `cache_key`) and served only when the
key computed from the live shares on this request matches. Any change the person makes to
what a connection shares deletes that connection's stored brief PDFs, and storing a new one
deletes the older ones: at most one file per connection, never a stale one served.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments.queries import CopyLocaleUnavailable
from practice import brief as brief_model
from practice import queries
from practice.models import BriefPdf, Connection, PractitionerProfile

logger = logging.getLogger(__name__)

PDF_STYLESHEET = "css/brief-pdf.css"
PDF_FOLDER = "brief-pdfs"
PDF_VARIANT = "pdf/ua-1"
ORPHAN_AGE = timedelta(hours=1)
# Classes of <html>, tried in turn until the brief fits one page (the fullest brief of the
# tests, 13 patterns and every note, needs the last).
FITS = ("", "brief-tight", "brief-tighter")


def stored(connection: Connection, key: str) -> BriefPdf | None:
    return BriefPdf.objects.filter(connection=connection, key=key).first()


def make_brief_pdf(*, practitioner_id: int, connection_public_id: str) -> BriefPdf | None:
    """Render and store the brief of what the connection shares now, unless a PDF with the
    same key exists; None when the connection or its shares are gone (nothing is made)."""
    practitioner = PractitionerProfile.objects.filter(
        pk=practitioner_id, status=PractitionerProfile.Status.APPROVED
    ).first()
    if practitioner is None:
        return None
    try:
        source = queries.brief_source(practitioner, connection_public_id)
        context = brief_model.brief_context(source)
    except (Http404, CopyLocaleUnavailable):  # the view answers both before asking
        return None
    key = context["cache_key"]
    existing = stored(source.connection, key)
    if existing is not None:
        return existing
    return store(source=source, key=key, content=render(context))


def render(context: dict) -> bytes:
    """One A4 page: laid out at the normal size, and only when that runs over, again with
    tighter type (`FITS`, static/css/brief-pdf.css); nothing is ever left out to fit."""
    # Imported here so that a machine without Pango still serves every page but the PDF.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find(PDF_STYLESHEET))
    for fit in FITS:
        with translation.override(context["brief"].locale):  # the snapshot's (issue 16)
            html = render_to_string("practice/brief_pdf.html", {**context, "fit": fit})
        document = HTML(string=html).render(stylesheets=[stylesheet])
        if len(document.pages) == 1:
            break
    else:
        logger.warning("a brief PDF runs over one page even with the tightest type")
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def store(*, source, key: str, content: bytes) -> BriefPdf | None:
    """Write the file, then its row, then remove the connection's older brief PDFs; when
    another run stored this key first, this run's file is removed again."""
    pdf = BriefPdf(
        connection=source.connection, share=source.share, previous_share=source.previous, key=key
    )
    pdf.file.save(f"{source.connection.public_id}-{key[:16]}.pdf", ContentFile(content), False)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        default_storage.delete(pdf.file.name)
        return stored(source.connection, key)
    delete_for(source.connection.pk, keep=pdf.pk)
    return pdf


def delete_for(connection_id: int, *, keep: int | None = None) -> int:
    """Delete a connection's stored brief PDFs (all, or all but `keep`): rows now, files once
    the surrounding transaction commits."""
    rows = BriefPdf.objects.filter(connection_id=connection_id).exclude(pk=keep)
    names = list(rows.values_list("file", flat=True))
    if names:
        rows.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(names)


def sweep_orphans(*, now: datetime | None = None) -> int:
    """Delete stored brief PDF files no row names (a share deleted with a profile or an
    account takes its row by cascade, and a run may die between file and row)."""
    if not default_storage.exists(PDF_FOLDER):
        return 0
    known = set(BriefPdf.objects.values_list("file", flat=True))
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    orphans = [
        f"{PDF_FOLDER}/{name}"
        for name in default_storage.listdir(PDF_FOLDER)[1]
        if f"{PDF_FOLDER}/{name}" not in known
        and default_storage.get_modified_time(f"{PDF_FOLDER}/{name}") < cutoff
    ]
    for name in orphans:
        default_storage.delete(name)
    if orphans:
        logger.info("deleted %d brief PDF files that no connection names", len(orphans))
    return len(orphans)
