"""Catalog edits reach the preserved object as new versions of its description.

A document's OCFL object holds ``metadata/descriptive.json`` beside its
masters. When the description changes in the catalog (``disan import``, an
edit or a revert in the admin, a heritage status decision), the change is
noted in a :class:`~disan.preservation.models.DescriptionRequest` row, in
the transaction of the edit, and a background job writes a new version
whose only change is that file (a metadata-only re-ingest): the masters,
pages, derivatives and IIIF addresses stay as they are.

The job stores the description as it is when the job runs, so edits made
in a row may end in one version; a row touched while the job ran is left
for the next job, so none is lost. A description whose bytes are already
stored writes no version. Workers send the jobs of rows left behind again
(see :func:`recover`).
"""

import json
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disan import __version__
from disan.catalog.models import HeritageDocument
from disan.catalog.services import DOCUMENT_FIELDS
from disan.core.exceptions import DisanError
from disan.preservation.events import record_event
from disan.preservation.models import DescriptionRequest, PreservationEvent
from disan.preservation.replicas import replicate
from disan.preservation.storage import PutResult, get_store
from disan.preservation.storage.durable import FileLock

logger = logging.getLogger(__name__)

AGENT = f"Disan {__version__} catalog"
METADATA_PATH = "metadata/descriptive.json"
# The fields of a stored description that the catalog holds as columns.
STORED_FIELDS = ("identifier", *DOCUMENT_FIELDS, "holding_unit_id")


def describe(document):
    """The document's description with the keys ingest metadata uses."""
    description = {"identifier": document.identifier}
    for name in DOCUMENT_FIELDS:
        value = getattr(document, name)
        description[name] = list(value) if isinstance(value, list) else value
    unit = document.holding_unit
    description["holding_unit"] = unit.name if unit is not None else ""
    return description


def serialize(description):
    """The bytes of ``metadata/descriptive.json`` for ``description``."""
    text = json.dumps(description, ensure_ascii=False, sort_keys=True, indent=2)
    return text.encode("utf-8")


def description_changed(record, previous):
    """True if two history records of a document differ in a stored field."""
    if previous is None:
        return True
    return any(
        getattr(record, name) != getattr(previous, name) for name in STORED_FIELDS
    )


def request(document_ids, *, changed_by=""):
    """Note that the descriptions of ``document_ids`` changed; queue their jobs.

    Documents without an OCFL object are passed over: their first ingest
    stores their description. Call inside the transaction of the edit.
    """
    documents = list(
        HeritageDocument.objects.filter(pk__in=list(document_ids))
        .exclude(ocfl_object_id="")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        _note(documents, changed_by, now)
    for document_id in documents:
        transaction.on_commit(lambda pk=document_id: _send(pk))
    return documents


def _note(documents, changed_by, now):
    for document_id in documents:
        row, created = DescriptionRequest.objects.select_for_update().get_or_create(
            document_id=document_id,
            defaults={
                "requested": now,
                "changed_by": [changed_by] if changed_by else [],
            },
        )
        if not created:
            row.requested = now
            row.edits += 1
            if changed_by and changed_by not in row.changed_by:
                row.changed_by.append(changed_by)
            row.save(update_fields=["requested", "edits", "changed_by"])


def dispatch(document_id):
    """Send the message that runs :func:`preserve` for ``document_id``."""
    from disan.preservation.tasks import preserve_description

    preserve_description.delay(str(document_id))


def _send(document_id):
    # The row stays when the message cannot be sent: a worker sends it again.
    try:
        dispatch(document_id)
    except Exception:
        logger.exception(
            "Could not queue the storing of the description of %s", document_id
        )


def recover(*, older_than=60):
    """Send again the jobs of rows waiting longer than ``older_than`` seconds."""
    before = timezone.now() - timedelta(seconds=older_than)
    waiting = list(
        DescriptionRequest.objects.filter(requested__lt=before).values_list(
            "document_id", flat=True
        )
    )
    for document_id in waiting:
        _send(document_id)
    return len(waiting)


def _ingest_at_work(document):
    """True while an ingest job of the document is unfinished.

    The store step writes the description with the masters, and a version
    written beside it would move the catalog's version under its feet.
    """
    from disan.ingest.models import Job

    return (
        Job.objects.filter(transfer__document=document)
        .exclude(status__in=Job.FINISHED)
        .exists()
    )


def preserve(document_id):
    """Store the document's current description if a change waits for it.

    Returns the :class:`~disan.preservation.storage.PutResult`, or None when
    nothing waits, or an ingest of the document is at work (its row then
    waits for a later job).
    """
    row = DescriptionRequest.objects.filter(document_id=document_id).first()
    if row is None:
        return None
    document = HeritageDocument.objects.filter(pk=document_id).first()
    if document is None or not document.ocfl_object_id:
        row.delete()
        return None
    if _ingest_at_work(document):
        logger.info("Description of %s waits for its ingest", document_id)
        return None

    lock = (
        Path(settings.DISAN_HOME) / "run" / "locks" / f"description-{document_id}.lock"
    )
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(lock):
            # Read under the lock: two jobs of one document store in order.
            row.refresh_from_db()
            document = HeritageDocument.objects.select_related("holding_unit").get(
                pk=document_id
            )
            result = _store(document, row)
    except DescriptionRequest.DoesNotExist:
        return None
    except Exception as err:
        DescriptionRequest.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, error=f"{type(err).__name__}: {err}"[:10000]
        )
        raise
    # A row touched since it was read asks for a later version.
    DescriptionRequest.objects.filter(pk=row.pk, edits=row.edits).delete()
    return result


def _stored_bytes(store, object_id):
    try:
        return store.path(object_id, METADATA_PATH).read_bytes()
    except (DisanError, OSError):
        return None


def _who(row):
    return ", ".join(row.changed_by) or "an unnamed user"


def _store(document, row):
    object_id = document.ocfl_object_id
    store = get_store()
    head = store.head_version(object_id)
    data = serialize(describe(document))
    if _stored_bytes(store, object_id) == data:
        # Nothing to write, and no need to read the masters to know it.
        logger.info("Description of %s unchanged at %s", object_id, head)
        return PutResult(head, False, {})
    with tempfile.TemporaryDirectory(dir=settings.DISAN_HOME) as folder:
        source = Path(folder) / "descriptive.json"
        source.write_bytes(data)
        result = store.update(
            object_id,
            [(source, METADATA_PATH)],
            message=f"Description changed in the catalog by {_who(row)}",
            agent=AGENT,
        )
    if result.changed and document.ocfl_version == head:
        # Only the version moves: pages and master files are those of the
        # masters, which a metadata-only version leaves as they were. (A
        # catalog behind the head is left behind: the next ingest lays it
        # out.)
        HeritageDocument.objects.filter(pk=document.pk).update(
            ocfl_version=result.version
        )
    if not result.changed:
        logger.info("Description of %s unchanged at %s", object_id, result.version)
        return result
    record_event(
        document=document,
        event_type=PreservationEvent.Type.METADATA_MODIFICATION,
        outcome=PreservationEvent.Outcome.SUCCESS,
        detail=(
            f"Description changed in the catalog by {_who(row)}, stored as "
            f"{METADATA_PATH} in version {result.version} of OCFL object "
            f"{object_id}."
        ),
        data={
            "object_id": object_id,
            "version": result.version,
            "changed_by": list(row.changed_by),
        },
        file_path=METADATA_PATH,
        agent=AGENT,
    )
    # Replicas follow every version; one that fails is recorded and left to
    # the audit and `disan repair`.
    replicate(object_id, document=document)
    return result
