"""The database cache table (settings.CACHES), so every `migrate` creates it.

The e-mail throttles (relcap/accounts/throttle.py) count in this cache; in the database,
every gunicorn worker sees the same counts.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    table = settings.CACHES["default"].get("LOCATION")
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") and table:
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_individual_data_permission")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
