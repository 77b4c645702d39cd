"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from profiles.views.support import support
from relcap import views
from relcap.accounts.language import switch_language

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("support/", support, name="support"),
    path("language/", switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("relcap.accounts.urls")),
    path("", include("profiles.urls")),
    path("", include("practice.urls")),
    path("", include("moments.urls")),
]
