"""Record a decision that changes a document's heritage status."""

import logging

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from disan.catalog.exceptions import CatalogPermissionDenied, StatusChangeError
from disan.catalog.models import HeritageDocument, HeritageStatus, HeritageStatusChange
from disan.catalog.permissions import can_edit_unit
from disan.ingest.identify.formats import FAMILY_NAMES, sniff

logger = logging.getLogger(__name__)

PERMISSION = "catalog.change_heritage_status"
# Lowest first, as HeritageStatus lists them.
ORDER = list(HeritageStatus.values)
# A nomination to a UNESCO register goes through the national list first.
UNESCO = {HeritageStatus.MOW_ASIA_PACIFIC, HeritageStatus.MOW_INTERNATIONAL}
# The scanned decision: a PDF or an image, told by its content, of a size a
# scan of a few pages at archival quality stays under.
DECISION_FILE_FAMILIES = ("pdf", "jpeg", "png", "tiff")
DECISION_FILE_MAX_BYTES = 50 * 1024 * 1024


def check_permission(user, document):
    """Raise unless ``user`` may record status decisions for ``document``."""
    if not user.has_perm(PERMISSION) or not can_edit_unit(user, document.holding_unit):
        raise CatalogPermissionDenied(
            _(
                "%(user)s may not change the heritage status of %(document)s:"
                " it needs the “record heritage status decisions” permission"
                " and membership of the document's holding unit."
            )
            % {"user": user.get_username(), "document": document.identifier}
        )


def check_transition(document, to_status):
    """Raise :class:`StatusChangeError` if the registry forbids the change."""
    if to_status not in ORDER:
        raise StatusChangeError(
            _("“%(value)s” is not a heritage status; use one of %(choices)s.")
            % {"value": to_status, "choices": ", ".join(ORDER)}
        )
    if to_status == document.heritage_status:
        raise StatusChangeError(
            _("%(document)s already has the status “%(value)s”.")
            % {"document": document.identifier, "value": to_status}
        )
    national = ORDER.index(HeritageStatus.NATIONAL)
    if to_status in UNESCO and ORDER.index(document.heritage_status) < national:
        raise StatusChangeError(
            _(
                "%(document)s must be on the national list of documentary"
                " heritage before it is entered on a UNESCO register."
            )
            % {"document": document.identifier}
        )


def check_decision_date(decision_date):
    """Raise :class:`StatusChangeError` if the decision is dated after today."""
    if decision_date and decision_date > timezone.localdate():
        raise StatusChangeError(
            _("The decision date %(date)s is after today.")
            % {"date": decision_date.strftime("%d/%m/%Y")}
        )


def check_decision_file(decision_file):
    """Raise :class:`StatusChangeError` unless the file is a PDF or an image.

    The content decides, not the name; the file is left at its start.
    """
    if decision_file.size is not None and decision_file.size > DECISION_FILE_MAX_BYTES:
        raise StatusChangeError(
            _("The decision file is %(size)s; the largest accepted is %(limit)s.")
            % {
                "size": filesizeformat(decision_file.size),
                "limit": filesizeformat(DECISION_FILE_MAX_BYTES),
            }
        )
    decision_file.seek(0)
    head = decision_file.read(1024)
    decision_file.seek(0)
    if sniff(head) not in DECISION_FILE_FAMILIES:
        raise StatusChangeError(
            _("The decision file must be a PDF or an image (%(formats)s).")
            % {
                "formats": ", ".join(
                    FAMILY_NAMES[family] for family in DECISION_FILE_FAMILIES
                )
            }
        )


@transaction.atomic
def change_heritage_status(
    document,
    to_status,
    *,
    user,
    decision_number,
    decision_date,
    issuing_authority,
    decision_file,
    note="",
):
    """Move ``document`` to ``to_status`` and keep the decision as history.

    ``decision_file`` is a Django ``File`` (the scanned decision). Returns
    the new :class:`HeritageStatusChange`. Raises
    :class:`CatalogPermissionDenied` or :class:`StatusChangeError`.
    """
    # Lock the row so two decisions recorded at once keep a true history.
    document = HeritageDocument.objects.select_for_update().get(pk=document.pk)
    check_permission(user, document)
    check_transition(document, to_status)
    missing = [
        name
        for name, value in (
            ("decision_number", decision_number),
            ("decision_date", decision_date),
            ("issuing_authority", issuing_authority),
            ("decision_file", decision_file),
        )
        if not value
    ]
    if missing:
        raise StatusChangeError(
            _("A status change needs %(fields)s of the decision.")
            % {"fields": ", ".join(missing)}
        )
    check_decision_date(decision_date)
    check_decision_file(decision_file)

    change = HeritageStatusChange(
        document=document,
        from_status=document.heritage_status,
        to_status=to_status,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        issuing_authority=issuing_authority.strip(),
        note=note,
        changed_by=user,
    )
    change.decision_file.save(decision_file.name, decision_file, save=False)
    change.save()

    document.heritage_status = to_status
    document._history_user = user
    document._change_reason = change.decision_number
    document.save()
    logger.info(
        "Document %s heritage status %s -> %s (decision %s)",
        document.pk,
        change.from_status,
        to_status,
        change.decision_number,
    )
    return change
