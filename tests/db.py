"""Database markers shared by the test packages."""

import pytest

# Transactional tests (threads, real servers, browsers) see committed rows. serialized_rollback
# reloads what the data migrations stored (instrument 1.0, report copy) before each of them, and
# tests/conftest.py loads it again after the flush, so later tests find a migrated database.
TRANSACTIONAL_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)
