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
    """§4 "share my future profiles": a new submission is shared on every connection that asked."""
    if created and instance.reason == "submission" and instance.profile.user_id:
        from practice import services

        services.share_future_profile(profile=instance.profile)
