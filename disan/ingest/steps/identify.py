"""Step 1: describe the document and identify each staged file by content."""

import dataclasses
import json
import logging
from pathlib import Path

from disan.access.policy import looser
from disan.catalog.models import HeritageDocument
from disan.catalog.services import upsert_document
from disan.ingest import pipeline
from disan.ingest.exceptions import RejectedFile
from disan.ingest.identify import identify_file
from disan.ingest.models import Job, Rejection, Transfer
from disan.ingest.steps.store import discard_staging
from disan.preservation.description import METADATA_PATH, describe
from disan.preservation.storage import get_store

logger = logging.getLogger(__name__)


def run(job):
    """Identify the transfer's files; queue the store job if any was accepted."""
    transfer = job.transfer

    # Identify by content; a bad file is refused alone, never the batch.
    accepted = 0
    for entry in transfer.files:
        entry.pop("report", None)
        entry.pop("rejected", None)
        try:
            report = identify_file(Path(entry["path"]))
        except RejectedFile as err:
            _reject(transfer, entry, err)
            continue
        entry["report"] = _as_dict(report)
        accepted += 1

    # A folder of refused files makes no record. A record already in the
    # catalog takes the batch's metadata only when it differs both from the
    # description its object preserves and from the metadata of the batch
    # last stored for it (the catalog may have been edited since), and never
    # from a batch that would loosen its access level. What a batch does not
    # name, a record keeps (its title, description, access level…): only a
    # new record takes the defaults. Nor does a batch change a record's
    # heritage status, which needs a decision on record.
    identifier = transfer.metadata["identifier"]
    existing = HeritageDocument.objects.filter(identifier=identifier).first()
    notes = []
    new_units = []
    if existing is not None:
        notes += keep_unnamed(transfer, existing)
    if existing is None:
        if accepted:
            transfer.document, _ = upsert_document(transfer.metadata, new_units)
    elif transfer.metadata in (
        preserved_metadata(existing),
        last_batch_metadata(existing, transfer),
    ):
        transfer.document = existing
    elif looser(transfer.metadata.get("access_level"), existing.access_level):
        transfer.document = existing
        transfer.save(update_fields=["document", "files", "metadata"])
        _refuse_loosening(job, transfer, existing)
        discard_staging(transfer)
        return []
    else:
        before = existing.access_level
        transfer.document, changed = upsert_document(transfer.metadata, new_units)
        notes += changed_fields_notes(changed, before, transfer.document.access_level)
    transfer.save(update_fields=["document", "files", "metadata"])

    if not accepted:
        notes.append("No file of this document could be accepted.")
    notes += [
        f"New holding unit '{name}': it was not in the catalog. Check the "
        "spelling; a misspelt name makes a unit of its own."
        for name in new_units
    ]
    job.message = " ".join(notes)
    if not accepted:
        return []
    return [pipeline.new_job(transfer, Job.Step.STORE)]


# Keys of a batch's metadata made from others when not given: named when
# any of these is.
_MADE_FROM = {
    "year_start": ("year_start", "date_written"),
    "year_end": ("year_end", "date_written"),
    "reading_direction": ("reading_direction", "languages", "scripts"),
}


def names(transfer, key):
    """True if the transfer's batch named ``key`` of the document's metadata.

    A transfer staged before the keys given were recorded counts as naming
    every key, as it did then.
    """
    keys = transfer.metadata_keys
    return keys is None or any(name in keys for name in _MADE_FROM.get(key, (key,)))


def changed_fields_notes(changed, level_before, level_after):
    """Notes naming the catalog fields a batch's metadata changed.

    ``changed`` names the fields :func:`upsert_document` wrote. A batch run
    again after the catalog was edited may put back what staff corrected;
    the note names each field it changed so that can be checked.
    """
    notes = []
    if "access_level" in changed:
        notes.append(
            f"Access level changed from {level_before} to {level_after} by "
            "this batch's metadata."
        )
    # The normalized date is made from the date as written, named already.
    fields = sorted(set(changed) - {"access_level", "date_edtf"})
    if fields:
        other = "Other catalog fields" if notes else "Catalog fields"
        notes.append(f"{other} changed by this batch's metadata: {', '.join(fields)}.")
    return notes


def keep_unnamed(transfer, existing):
    """Give the transfer's metadata the catalog's value of every key its
    batch did not name, and the document's heritage status; return notes.

    A heritage status changes by a decision on record (the staff
    interface), never by a batch: one naming another is noted, not applied.
    """
    notes = []
    for key, value in describe(existing).items():
        asked = transfer.metadata[key]
        if key == "heritage_status" and names(transfer, key) and asked != value:
            notes.append(
                f"Heritage status kept as {value}: the batch's metadata says "
                f"{asked}, and a change of status needs a decision on record "
                "(staff interface)."
            )
        if key == "heritage_status" or not names(transfer, key):
            transfer.metadata[key] = value
    return notes


def preserved_metadata(document):
    """The description the document's object holds in its head version, or None.

    Ingest and catalog edits both store the catalog's description there.
    """
    if not document.ocfl_object_id:
        return None
    try:
        path = get_store().path(document.ocfl_object_id, METADATA_PATH)
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        logger.warning("No preserved metadata for %s: %s", document.pk, err)
        return None


def last_batch_metadata(document, transfer):
    """The metadata of the last other batch stored for ``document``, or None.

    The description the object preserves follows catalog edits; this is what
    the last batch itself said, so that running it again keeps the edits.
    """
    stored = (
        Transfer.objects.filter(document=document, changed__isnull=False)
        .exclude(pk=transfer.pk)
        .order_by("-created")
        .values_list("metadata", flat=True)
        .first()
    )
    return stored


def _refuse_loosening(job, transfer, document):
    wanted = transfer.metadata.get("access_level")
    reason = (
        f"{document.identifier} is {document.access_level} in the catalog, and "
        f"this batch's metadata would make it {wanted}; nothing of this document "
        "was ingested. A batch never loosens access: if the document should be "
        f"{wanted}, change its access level in the catalog (the admin or "
        "`disan import`) first, or give the batch its current level."
    )
    Rejection.objects.update_or_create(
        batch_id=transfer.batch_id,
        transfer=transfer,
        path=transfer.source,
        defaults={"code": "access_loosened", "reason": reason},
    )
    job.message = reason
    logger.warning("Refused %s: %s", transfer.source, reason)


def _reject(transfer, entry, err):
    entry["rejected"] = {"code": err.code, "reason": str(err)}
    Rejection.objects.update_or_create(
        batch_id=transfer.batch_id,
        transfer=transfer,
        path=entry["source"],
        defaults={"code": err.code, "reason": str(err)},
    )
    logger.warning("Rejected %s: %s", entry["source"], err)


def _as_dict(report):
    data = dataclasses.asdict(report)
    data["pages"] = [list(size) for size in report.pages]
    return data
