"""The progress page: digitized and online, per holding unit and in total."""

from django.shortcuts import render

from disan.access.policy import visible_levels
from disan.catalog.models import AccessLevel
from disan.targets.services import progress_rows


def progress(request):
    """Render the progress table counted over what the reader may see."""
    rows = progress_rows(request.user)
    context = {
        "unit_rows": rows[:-1],
        "total_row": rows[-1],
        "public_only": visible_levels(request.user) == [AccessLevel.PUBLIC],
    }
    return render(request, "targets/progress.html", context)
