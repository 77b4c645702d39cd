"""URLs of the live-moments area (PRACTICE.md §7); every entry is named by its UUID."""

from django.urls import path

from moments import views

app_name = "moments"
urlpatterns = [
    path("moments/", views.practice, name="practice"),
    path("moments/consent/", views.consent, name="consent"),
    path("moments/log/", views.log, name="log"),
    path("moments/keep/", views.keep, name="keep"),
    path("moments/delete-all/", views.delete_all, name="delete_all"),
    path("moments/<uuid:client_id>/follow-up/", views.follow_up, name="follow_up"),
    path("moments/<uuid:client_id>/delete/", views.delete, name="delete"),
    path("moments/manifest.webmanifest", views.manifest, name="manifest"),
    path("moments/sw.js", views.service_worker, name="service_worker"),
]
