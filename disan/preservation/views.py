"""The fixity report page for preservation staff."""

from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from disan.preservation.models import FixityCheck, ObjectFixity, Outcome

MAX_ROWS = 1000


class FixityReportView(TemplateView):
    """Last audit per object, open failures and lost files.

    Reached only through ``admin_site.admin_view``, which requires a logged
    in staff user.
    """

    template_name = "admin/preservation/fixity_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objects = ObjectFixity.objects.select_related("document").order_by(
            F("last_audit").asc(nulls_first=True), "object_id"
        )
        failing = objects.filter(outcome=Outcome.FAILURE)
        latest = {}
        for check in FixityCheck.objects.filter(
            object_id__in=failing.values("object_id")
        ).order_by("-checked_at"):
            latest.setdefault((check.object_id, check.copy), check)
        context.update(
            admin.site.each_context(self.request),
            title=_("Fixity report"),
            # Limitation: the table shows the objects audited longest ago
            # first, at most MAX_ROWS; the object fixity list in the admin
            # pages through all of them.
            objects=objects[:MAX_ROWS],
            total=objects.count(),
            never_audited=objects.filter(last_audit=None).count(),
            failing=failing,
            failed_checks=[c for c in latest.values() if c.outcome == Outcome.FAILURE],
            lost=[(row, path) for row in failing for path in row.lost],
        )
        return context
