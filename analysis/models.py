"""Kept statistics: exact sums per sample group, and which profile each sample unit adds.

A *sample group* is one pool of instrument versions (§5.4) in one locale as seen from one
version's page (issue 16 line 4: profiles taken in German and in English are never pooled): its
sums (`analysis.sums.GroupSums`, exact integers in JSON) cover the §5.1 sample of that
pool. A *contribution* says that one sample unit, an account or an anonymous profile, is in
the sums with one profile (as of one snapshot); its presence is the state, so bringing a unit
up to date is idempotent: a retried or redelivered task finds nothing left to do.
"""

from django.db import models

from assessments.locales import SOURCE_LOCALE
from assessments.models import InstrumentVersion


class SampleGroup(models.Model):
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="+"
    )
    pool = models.CharField(max_length=500)  # sorted version ids, e.g. "3,5"
    locale = models.CharField(max_length=10, default=SOURCE_LOCALE)  # the profiles' locale
    plan = models.CharField(max_length=64)  # digest of what the sums hold (see maintenance)
    sums = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_version", "pool", "locale"],
                name="one_group_per_pool_and_locale",
            )
        ]

    def __str__(self) -> str:
        return (
            f"statistics of {self.instrument_version_id} over versions {self.pool} ({self.locale})"
        )


class Contribution(models.Model):
    group = models.ForeignKey(SampleGroup, on_delete=models.CASCADE, related_name="contributions")
    unit = models.CharField(max_length=40)  # "user:12" or "profile:34" (anonymous)
    # Plain ids, no foreign keys: the contribution must still be known, to be taken away,
    # while its profile is being deleted.
    profile_id = models.BigIntegerField(db_index=True)
    snapshot_id = models.BigIntegerField()
    keyed = models.CharField(max_length=500)  # keyed value per column, "0" = no answer
    mode = models.CharField(max_length=10)
    patterns = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="one_contribution_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} in group {self.group_id}"
