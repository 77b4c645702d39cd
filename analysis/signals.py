"""Profiles and snapshots changing → the kept statistics follow (`analysis.maintenance`).

`profiles` sits below `analysis` and never imports it, so the statistics listen here: a new
snapshot (a submission or a re-score) or a save of a submitted profile (an account taking it
over) queues `update_statistics` for after the commit (without a broker: after the response,
so a person never waits for it); a profile being deleted is taken out of
the sums inside the deleting transaction, and its account is brought up to date afterwards.
"""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from analysis import maintenance, tasks
from profiles.models import Profile, ResultSnapshot
from relcap.jobs.engine import AFTER_RESPONSE, enqueue


@receiver(post_save, sender=ResultSnapshot, dispatch_uid="analysis.snapshot_saved")
def snapshot_saved(sender, instance: ResultSnapshot, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        enqueue(tasks.update_statistics, inline=AFTER_RESPONSE, profile_ids=[instance.profile_id])


@receiver(post_save, sender=Profile, dispatch_uid="analysis.profile_saved")
def profile_saved(sender, instance: Profile, update_fields=None, **kwargs) -> None:
    # A submission saves submitted_at and then makes a snapshot, which queues the update.
    owner_may_change = update_fields is None or "user" in update_fields
    if instance.submitted_at is not None and owner_may_change and not kwargs.get("raw"):
        enqueue(tasks.update_statistics, inline=AFTER_RESPONSE, profile_ids=[instance.pk])


@receiver(pre_delete, sender=Profile, dispatch_uid="analysis.profile_deleted")
def profile_deleted(sender, instance: Profile, **kwargs) -> None:
    maintenance.remove_profile(instance)
    if instance.user_id is not None:
        unit = maintenance.unit_of(instance.user_id, instance.pk)
        enqueue(tasks.update_statistics, inline=AFTER_RESPONSE, units=[unit])
