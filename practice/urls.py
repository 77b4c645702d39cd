"""URLs of the practice area; every object is named by a UUID, an invitation by its token."""

from django.urls import path

from practice import organisation_views, views

app_name = "practice"
urlpatterns = [
    path("account/practitioner/", views.request_status, name="request_status"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<uuid:connection_id>/share/", views.share, name="share"),
    path("sharing/<uuid:connection_id>/choices/", views.choices, name="choices"),
    path("sharing/<uuid:connection_id>/end/", views.person_end, name="person_end"),
    path(
        "sharing/reminders-off/<str:token>/",
        views.share_reminders_off,
        name="share_reminders_off",
    ),
    path("practice/", views.clients, name="clients"),
    path("practice/invite/", views.invite, name="invite"),
    path(
        "practice/invitations/<uuid:invitation_id>/",
        views.invitation_detail,
        name="invitation_detail",
    ),
    path("practice/invitations/<uuid:invitation_id>/remind/", views.remind, name="remind"),
    path("practice/clients/<uuid:connection_id>/", views.client, name="client"),
    path(
        "practice/clients/<uuid:connection_id>/remind/",
        views.client_remind,
        name="client_remind",
    ),
    path(
        "practice/clients/<uuid:connection_id>/end/",
        views.practitioner_end,
        name="practitioner_end",
    ),
    path("practice/clients/<uuid:connection_id>/notes/", views.note_add, name="note_add"),
    path(
        "practice/clients/<uuid:connection_id>/notes/export/",
        views.notes_export,
        name="notes_export",
    ),
    path(
        "practice/clients/<uuid:connection_id>/notes/<uuid:note_id>/",
        views.note_edit,
        name="note_edit",
    ),
    path(
        "practice/clients/<uuid:connection_id>/notes/<uuid:note_id>/delete/",
        views.note_delete,
        name="note_delete",
    ),
    path(
        "practice/clients/<uuid:connection_id>/agreed-practice/",
        views.agreed_practice,
        name="agreed_practice",
    ),
    path("practice/clients/<uuid:connection_id>/brief/", views.brief, name="brief"),
    path("practice/clients/<uuid:connection_id>/brief/pdf/", views.brief_pdf, name="brief_pdf"),
    path(
        "practice/clients/<uuid:connection_id>/p/<uuid:profile_id>/",
        views.shared,
        name="shared",
    ),
    path(
        "practice/clients/<uuid:connection_id>/p/<uuid:profile_id>/pdf/",
        views.shared_pdf,
        name="shared_pdf",
    ),
    # Organisations (§6)
    path("organisation/", organisation_views.organisation, name="organisation"),
    path(
        "organisation/invite/", organisation_views.organisation_invite, name="organisation_invite"
    ),
    path(
        "organisation/branding/",
        organisation_views.organisation_branding,
        name="organisation_branding",
    ),
    path(
        "organisation/practitioners/<uuid:membership_id>/remove/",
        organisation_views.organisation_remove,
        name="organisation_remove",
    ),
    path(
        "organisation/join/<str:token>/",
        organisation_views.organisation_join,
        name="organisation_join",
    ),
    path(
        "organisation/accent/<str:accent>.css",
        organisation_views.accent_css,
        name="accent_css",
    ),
]
