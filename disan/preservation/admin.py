"""Staff interface for fixity: audit state per object, checks, the report.

Rows are written by the audit and repair only, so they are read-only here.
The report page lives under the admin (``/staff/preservation/fixity/``) so
it has the admin's login and staff check without a URL of its own.
"""

from django.contrib import admin
from django.urls import path

from disan.preservation import views
from disan.preservation.models import FixityCheck, ObjectFixity


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ObjectFixity)
class ObjectFixityAdmin(ReadOnlyAdmin):
    list_display = ("object_id", "document", "last_audit", "outcome", "fault_count")
    list_filter = ("outcome",)
    search_fields = ("object_id",)
    exclude = ("sizes",)

    def get_urls(self):
        report = self.admin_site.admin_view(views.FixityReportView.as_view())
        return [
            path("report/", report, name="preservation_fixity_report")
        ] + super().get_urls()


@admin.register(FixityCheck)
class FixityCheckAdmin(ReadOnlyAdmin):
    list_display = ("object_id", "copy", "checked_at", "outcome", "files", "bytes")
    list_filter = ("outcome", "copy")
    search_fields = ("object_id",)
    date_hierarchy = "checked_at"
