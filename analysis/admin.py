"""The analysis pages join the instrument version's admin: statistics and export.

`assessments` sits below `analysis` and never imports it, so the version's admin is extended
here rather than there: the subclass below replaces the registration made in
`assessments.admin` (this app comes after `assessments` in INSTALLED_APPS, and the admin loads
each app's admin module in that order). URL names and paths stay those of the version's admin.
"""

from django.contrib import admin

from analysis import admin_views
from assessments import admin as assessments_admin
from assessments.models import InstrumentVersion


class InstrumentVersionAdmin(assessments_admin.InstrumentVersionAdmin):
    change_form_template = "admin/analysis/instrumentversion/change_form.html"

    def get_urls(self):
        return admin_views.instrument_urls(self) + super().get_urls()


admin.site.unregister(InstrumentVersion)
admin.site.register(InstrumentVersion, InstrumentVersionAdmin)
