"""The default reliability parameter set P0 (ASSESSMENT.md §6): SD 15 and r .80 everywhere."""

from django.db import migrations
from django.utils import timezone

DIMENSIONS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")


def create_p0(apps, schema_editor):
    ReliabilityParameterSet = apps.get_model("assessments", "ReliabilityParameterSet")
    ReliabilityParameterSet.objects.get_or_create(
        name="P0",
        defaults={
            "instrument_version": None,
            "values": {d: {"sd": "15", "r": "0.80"} for d in DIMENSIONS},
            "n": None,
            "source": "default",
            "released_at": timezone.now(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_reliability_parameter_set")]

    operations = [migrations.RunPython(create_p0, migrations.RunPython.noop)]
