"""Tell people when fixity fails: the log, e-mail, and the staff banner.

The banner is not sent from here: it is read from ``ObjectFixity`` rows by
:mod:`disan.preservation.context_processors` on every staff page, so it
stays until a later audit or a repair finds the object whole again.
"""

import logging

from django.conf import settings
from django.core.mail import mail_admins, send_mail

from disan.preservation.models import ObjectFixity, Outcome

logger = logging.getLogger(__name__)

MAX_LISTED = 50


def notify_failures(results):
    """Log and e-mail the objects whose audit failed; return mails sent."""
    if not results:
        return 0
    lines = []
    for result in results[:MAX_LISTED]:
        lines.append(f"{result.object_id}:")
        for copy in result.copies:
            for fault in copy.faults:
                lines.append(
                    f"  [{copy.label}] {fault.code} {fault.path}: {fault.detail}"
                )
        for path in result.lost:
            lines.append(f"  LOST {path}: no copy holds it intact")
    if len(results) > MAX_LISTED:
        lines.append(f"... and {len(results) - MAX_LISTED} more object(s).")
    lines.append("Run `disan repair` to restore damaged copies from intact ones.")
    subject = f"Fixity audit: {len(results)} object(s) failed"
    body = "\n".join(lines)
    logger.error("%s\n%s", subject, body)
    return _send(subject, body)


def _send(subject, body):
    recipients = list(settings.DISAN_ALERT_EMAILS)
    if recipients:
        return send_mail(
            f"[Disan] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients
        )
    if settings.ADMINS:
        mail_admins(subject, body)
        return 1
    return 0


def notify_unavailable(error):
    """Log and e-mail that an audit could not run; return mails sent."""
    subject = "Fixity audit could not run"
    body = f"{error}\nNo copy was audited; the next periodic audit tries again."
    logger.error("%s: %s", subject, error)
    return _send(subject, body)


def open_failures():
    """Return (objects failing their last audit, lost content files)."""
    failing = ObjectFixity.objects.filter(outcome=Outcome.FAILURE)
    lost = sum(len(row.lost) for row in failing.exclude(lost=[]).only("lost"))
    return failing.count(), lost
