"""The admin app with relcap's own admin site (relcap/admin_site.py) as its default site."""

from django.contrib.admin.apps import AdminConfig


class RelcapAdminConfig(AdminConfig):
    default_site = "relcap.admin_site.RelcapAdminSite"
