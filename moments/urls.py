"""URLs of the live-moments area (PRACTICE.md §7); every entry is named by its UUID."""

from django.urls import path

from moments.views import insight, reminders

app_name = "moments"
urlpatterns: list = []

# Views and reminders (issue 18 lines 6-7).
urlpatterns += [
    path("moments/views/", insight.views, name="views"),
    path("moments/reminders/", reminders.settings_page, name="reminders"),
    path(
        "moments/reminders/unsubscribe/<str:token>/",
        reminders.unsubscribe,
        name="unsubscribe",
    ),
]
