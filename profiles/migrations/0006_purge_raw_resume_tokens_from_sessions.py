"""Remove raw resume tokens that sessions stored under "relcap_tokens" (issue 13, line 13).

The token opens a person's answers and the database keeps only its hash, so stored sessions
must not carry it either. Each session is decoded with the session engine: the key is dropped
and the rest kept. A session that cannot be decoded (signed with a retired key, or damaged)
could never be used again, but its payload is only signed, not encrypted, so it is deleted.
"""

from importlib import import_module

from django.conf import settings
from django.core import signing
from django.db import migrations

TOKENS_KEY = "relcap_tokens"


def purge_raw_tokens(apps, schema_editor) -> None:
    Session = apps.get_model("sessions", "Session")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    unreadable = []
    for session in Session.objects.iterator():
        try:
            data = signing.loads(
                session.session_data, salt=store.key_salt, serializer=store.serializer
            )
        except (signing.BadSignature, ValueError):
            unreadable.append(session.pk)
            continue
        if TOKENS_KEY in data:
            del data[TOKENS_KEY]
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])
    Session.objects.filter(pk__in=unreadable).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0005_staff_access_log_covers_accounts_and_exports"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(purge_raw_tokens, migrations.RunPython.noop)]
