"""Two clicks on "Publish" at the same moment make one published version (issue 19 line 2)."""

import threading

from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import InstrumentVersion
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory, published_instrument


@TRANSACTIONAL_DB  # threads need committed rows
def test_two_publish_posts_at_the_same_moment_publish_once():
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    editor = UserFactory(is_staff=True, is_superuser=True)
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(editor)
    url = reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(tab: Client) -> None:
        try:
            barrier.wait()
            statuses.append(tab.post(url).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302, 302]
    assert list(InstrumentVersion.objects.filter(status="published")) == [draft]
    assert list(InstrumentVersion.objects.filter(status="retired")) == [published_instrument()]
    assert InstrumentVersion.objects.count() == 2
