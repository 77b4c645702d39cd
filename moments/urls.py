"""URLs of the live-moments area (PRACTICE.md §7); every entry is named by its UUID."""

from django.urls import path

from moments.views import entry, insight, reminders

app_name = "moments"
urlpatterns = [
    path("moments/", entry.practice, name="practice"),
    path("moments/consent/", entry.consent, name="consent"),
    path("moments/log/", entry.log, name="log"),
    path("moments/keep/", entry.keep, name="keep"),
    path("moments/delete-all/", entry.delete_all, name="delete_all"),
    path("moments/<uuid:client_id>/follow-up/", entry.follow_up, name="follow_up"),
    path("moments/<uuid:client_id>/delete/", entry.delete, name="delete"),
    path("moments/manifest.webmanifest", entry.manifest, name="manifest"),
    path("moments/sw.js", entry.service_worker, name="service_worker"),
    # Views and reminders (issue 18 lines 6-7).
    path("moments/views/", insight.views, name="views"),
    path("moments/reminders/", reminders.settings_page, name="reminders"),
    path(
        "moments/reminders/unsubscribe/<str:token>/",
        reminders.unsubscribe,
        name="unsubscribe",
    ),
]
