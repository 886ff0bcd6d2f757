"""Show unresolved fixity failures to staff on every page that shows messages.

The admin templates of Django already render ``messages`` on every staff
page; this processor puts a fixity alert in front of the request's own
messages for staff users, so no admin template is overridden. The request's
messages are still read lazily and only marked as seen when shown.
"""

from django.contrib import messages as django_messages
from django.contrib.messages.storage.base import Message
from django.utils.translation import gettext as _

from disan.preservation.alerts import open_failures


class _WithAlert:
    """The request's messages, after the fixity alert."""

    def __init__(self, alert, storage):
        self.alert = alert
        self.storage = storage

    def __iter__(self):
        yield self.alert
        yield from self.storage or ()

    def __len__(self):
        return 1 + len(self.storage or ())

    def __bool__(self):
        return True


def fixity_alerts(request):
    """Add ``fixity_failures`` for staff, and the alert among ``messages``."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_staff):
        return {}
    failing, lost = open_failures()
    if not failing:
        return {"fixity_failures": 0}
    text = _(
        "Fixity audit: %(objects)d object(s) failed, %(lost)d file(s) lost. "
        "See the fixity report and run `disan repair`."
    ) % {"objects": failing, "lost": lost}
    alert = Message(django_messages.ERROR, text)
    storage = django_messages.get_messages(request)
    return {
        "fixity_failures": failing,
        "fixity_lost": lost,
        "messages": _WithAlert(alert, storage),
    }
