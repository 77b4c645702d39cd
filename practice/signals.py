"""Deleting an account ends every connection it has, on either side (PRACTICE.md §3)."""

from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def end_connections_of_deleted_account(sender, instance, **kwargs) -> None:
    from practice import services

    services.end_connections_of(user=instance)


@receiver(post_save, sender="profiles.ResultSnapshot")
def share_new_profile_where_asked(sender, instance, created, **kwargs) -> None:
    """§4 "share my future profiles": a new submission is shared on every connection that asked,
    by a task after the commit (without a broker: after the response), so submitting costs no
    query more."""
    if created and instance.reason == "submission" and instance.profile.user_id:
        from practice import tasks
        from relcap.jobs.engine import AFTER_RESPONSE, enqueue

        enqueue(tasks.share_future_profile, inline=AFTER_RESPONSE, profile_id=instance.profile_id)
