"""Report PDFs: made once per snapshot and copy version by a task, stored, served from storage,
and deleted from storage with the person's data."""

import os
import time
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from profiles import pdf_services, services, tasks
from profiles.models import ReportPdf
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted
from tests.profiles.test_report import example_3 as example_3  # the fixture

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
FAKE_PDF = b"%PDF-1.7 made for the test"


@pytest.fixture
def fake_render():
    # WeasyPrint's real output is checked in test_report.py; here only how often it runs counts.
    with mock.patch.object(pdf_services, "render_report_pdf", return_value=FAKE_PDF) as render:
        yield render


def pdf_url(profile) -> str:
    return reverse("profiles:report_pdf", args=[profile.public_id])


def stored_names() -> list[str]:
    if not default_storage.exists(pdf_services.PDF_FOLDER):
        return []
    return sorted(default_storage.listdir(pdf_services.PDF_FOLDER)[1])


def test_report_pdf_is_made_once_and_then_served_from_storage(signed_in, example_3, fake_render):
    first = signed_in.get(pdf_url(example_3))
    second = signed_in.get(pdf_url(example_3))

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content == FAKE_PDF
    assert fake_render.call_count == 1
    pdf = ReportPdf.objects.get()
    assert pdf.snapshot == example_3.snapshots.get()
    assert pdf.copy_version == pdf.snapshot.copy_version
    assert default_storage.open(pdf.file.name).read() == FAKE_PDF


def test_report_pdf_serving_from_storage_takes_a_constant_number_of_queries(
    signed_in, example_3, fake_render, django_assert_num_queries
):
    signed_in.get(pdf_url(example_3))

    with django_assert_num_queries(5):  # session, user, profile, snapshot, stored PDF
        assert signed_in.get(pdf_url(example_3)).status_code == 200


def test_report_pdf_with_a_broker_says_it_is_being_prepared_until_a_worker_made_it(
    signed_in, example_3, fake_render, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"
    with (
        mock.patch.object(tasks.make_report_pdf, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        waiting = signed_in.get(pdf_url(example_3))
    sent = send.call_args.kwargs

    tasks.make_report_pdf.apply(kwargs=sent["kwargs"], task_id=sent["task_id"])
    ready = signed_in.get(pdf_url(example_3))

    assert waiting.status_code == 202
    assert "Your PDF is being prepared" in waiting.content.decode()
    assert pdf_url(example_3) in waiting.content.decode()
    assert sent["kwargs"]["snapshot_id"] == example_3.snapshots.get().pk
    assert ready.status_code == 200
    assert ready.content == FAKE_PDF


def test_report_pdf_task_delivered_twice_stores_one_pdf(example_3, fake_render):
    snapshot = example_3.snapshots.get()
    kwargs = {"snapshot_id": snapshot.pk, "support_url": "http://testserver/support/"}

    tasks.make_report_pdf.apply(kwargs=kwargs, task_id="pdf-1")
    tasks.make_report_pdf.apply(kwargs=kwargs, task_id="pdf-1")

    assert ReportPdf.objects.count() == 1
    assert fake_render.call_count == 1
    assert len(stored_names()) == 1


def test_a_run_that_lost_the_race_removes_its_own_file(example_3):
    snapshot = example_3.snapshots.get()
    winner = pdf_services.store_report_pdf(snapshot=snapshot, content=FAKE_PDF)

    loser = pdf_services.store_report_pdf(snapshot=snapshot, content=b"%PDF-1.7 second copy")

    assert loser == winner
    assert stored_names() == [os.path.basename(winner.file.name)]


def test_report_pdf_task_for_a_deleted_profile_stores_nothing(example_3, fake_render):
    snapshot_id = example_3.snapshots.get().pk
    example_3.delete()

    tasks.make_report_pdf.apply(kwargs={"snapshot_id": snapshot_id, "support_url": "x"})

    assert not ReportPdf.objects.exists()
    assert stored_names() == []


def test_a_newer_snapshot_gets_its_own_pdf(signed_in, example_3, fake_render):
    signed_in.get(pdf_url(example_3))

    services.rescore_profile(profile=example_3, rules_version="score-1")

    assert signed_in.get(pdf_url(example_3)).status_code == 200
    assert ReportPdf.objects.count() == 2
    assert fake_render.call_count == 2


def test_account_delete_removes_the_stored_pdf_files(
    signed_in, person, example_3, fake_render, django_capture_on_commit_callbacks
):
    other = submitted(raw_answers(EXAMPLE_3))
    signed_in.get(pdf_url(example_3))
    pdf_services.make_report_pdf(snapshot_id=other.snapshots.get().pk, support_url="x")
    assert len(stored_names()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    kept = ReportPdf.objects.get()
    assert kept.snapshot.profile == other
    assert stored_names() == [os.path.basename(kept.file.name)]


def test_profile_delete_removes_its_stored_pdf_file(
    signed_in, example_3, fake_render, django_capture_on_commit_callbacks
):
    signed_in.get(pdf_url(example_3))

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("profiles:profile_delete", args=[example_3.public_id]))

    assert not ReportPdf.objects.exists()
    assert stored_names() == []


def test_withdrawing_consent_removes_the_stored_pdf_files(
    signed_in, example_3, fake_render, django_capture_on_commit_callbacks
):
    signed_in.get(pdf_url(example_3))

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("profiles:consent_withdraw"))

    assert stored_names() == []


def test_sweep_deletes_old_files_that_no_pdf_names_and_keeps_the_rest(example_3, fake_render):
    kept = pdf_services.make_report_pdf(snapshot_id=example_3.snapshots.get().pk, support_url="x")
    old = default_storage.save(f"{pdf_services.PDF_FOLDER}/old-orphan.pdf", ContentFile(b"x"))
    default_storage.save(f"{pdf_services.PDF_FOLDER}/young-orphan.pdf", ContentFile(b"y"))
    two_hours_ago = time.time() - 2 * 3600
    os.utime(default_storage.path(old), (two_hours_ago, two_hours_ago))
    os.utime(default_storage.path(kept.file.name), (two_hours_ago, two_hours_ago))

    deleted = tasks.sweep_orphan_pdfs.apply().result

    assert deleted == 1
    assert stored_names() == sorted([os.path.basename(kept.file.name), "young-orphan.pdf"])
