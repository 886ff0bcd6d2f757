"""Step 2: put the accepted masters into the document's OCFL object."""

import logging
import shutil
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max

from disan import __version__
from disan.catalog.models import DocumentStatus, MasterFile, Page
from disan.derivatives import paths
from disan.derivatives.exceptions import DerivativePathError
from disan.ingest import pipeline
from disan.ingest.models import Job, Transfer
from disan.ocr.languages import choose_languages
from disan.preservation.description import METADATA_PATH, describe, serialize
from disan.preservation.events import record_event
from disan.preservation.models import PreservationEvent
from disan.preservation.replicas import replicate
from disan.preservation.storage import get_store

logger = logging.getLogger(__name__)

AGENT = f"Disan {__version__} ingest"
Event = PreservationEvent.Type
Outcome = PreservationEvent.Outcome
# Documents named when a new document's masters are stored under others.
NAMED_DOCUMENTS = 5


def run(job):
    """Store the masters; when they changed, lay out pages and queue their jobs."""
    transfer = job.transfer
    document = transfer.document
    accepted = [entry for entry in transfer.files if "report" in entry]
    if transfer.changed is not None and not Path(transfer.staging_path).exists():
        # A retry after the work was done and the staging area cleared.
        return []

    # Masters and the description go in together as one version: the
    # catalog's, which identify brought up to date from the batch's metadata
    # unless staff edits since the last ingest were to be kept.
    object_id = document.ocfl_object_id or f"urn:uuid:{document.pk}"
    metadata_file = Path(transfer.staging_path) / ".disan-descriptive.json"
    metadata_file.write_bytes(serialize(describe(document)))
    files = [(Path(entry["path"]), entry["name"]) for entry in accepted]
    result = get_store().put(
        object_id,
        files + [(metadata_file, METADATA_PATH)],
        message=f"Ingest of batch {transfer.batch_id}",
        agent=AGENT,
    )
    # Replicas follow every put; a replica that fails is logged and left
    # to the audit and `disan repair`, never failing the ingest.
    # The batch summary says which replica was not written, and why.
    replica_notes = [
        f"Replica {item.copy} was not written: {item.error} "
        "(`disan repair` copies it once that is put right)."
        for item in replicate(object_id, document=document)
        if item.error
    ]
    job.message = " ".join(replica_notes)

    # An unchanged object whose document is already online needs nothing,
    # except the text of pages an earlier batch did not read.
    # (A put that wrote a version whose layout a killed worker never
    # committed is unchanged now, but the catalog is still at the old one.)
    up_to_date = document.ocfl_version == result.version
    if not result.changed and up_to_date and document.status == DocumentStatus.ONLINE:
        transfer.changed = False
        transfer.save(update_fields=["changed"])
        discard_staging(transfer)
        job.message = " ".join(
            [
                "Unchanged: the files are the same as the stored version "
                f"{result.version.removeprefix('v')}; nothing new was stored."
            ]
            + replica_notes
        )
        return _queue_missing_ocr(transfer, document)

    # Another batch may be laying out this same version right now (the same
    # folder queued twice): let it finish rather than pull its pages away.
    others = _other_transfers_at_work(transfer, document)
    if not result.changed and others.exists():
        transfer.changed = False
        transfer.save(update_fields=["changed"])
        discard_staging(transfer)
        job.message = " ".join(
            [
                "Unchanged: the files are the same as the stored version "
                f"{result.version.removeprefix('v')}, which another batch is still "
                "processing; nothing new was stored."
            ]
            + replica_notes
        )
        return []

    # A new version supersedes what other batches were doing with the old one.
    for other in others:
        _supersede(other, transfer)
    return _lay_out_pages(transfer, document, accepted, object_id, result)


def _other_transfers_at_work(transfer, document):
    """Transfers of ``document``, other than this one, with jobs not finished."""
    busy = Job.objects.exclude(status__in=Job.FINISHED).values("transfer_id")
    return (
        Transfer.objects.filter(document=document, pk__in=busy)
        .exclude(pk=transfer.pk)
        .select_related("batch")
    )


def _supersede(other, transfer):
    Job.objects.filter(transfer=other).exclude(status__in=Job.FINISHED).update(
        status=Job.Status.SKIPPED,
        message=f"Superseded by batch {transfer.batch_id}, which stored a new version.",
    )
    pipeline.settle_batch(other.batch_id)
    logger.warning("Transfer %s superseded by transfer %s", other.pk, transfer.pk)


@transaction.atomic
def _lay_out_pages(transfer, document, accepted, object_id, result):
    """Match the catalog's master files and pages to the new version.

    A master file whose name and SHA-256 are unchanged keeps its row and its
    pages keep their ids, derivatives and text, so published IIIF addresses
    stay valid; only new or changed files get new pages, and jobs.
    """
    # A retried store job replaces what an earlier attempt laid out, jobs
    # included.
    Job.objects.filter(transfer=transfer).exclude(
        step__in=(Job.Step.IDENTIFY, Job.Step.STORE)
    ).delete()

    wanted = {(entry["name"], entry["report"]["sha256"]) for entry in accepted}
    kept = {}
    gone = []
    for master in document.master_files.all():
        key = (master.logical_path, master.sha256)
        if key in wanted and key not in kept:
            kept[key] = master
        else:
            gone.append(master)
    # A document given its first masters says which of them other documents
    # already hold: perhaps the same folder ingested under new identifiers.
    transfer.stored_elsewhere = (
        {} if kept or gone else stored_elsewhere(transfer, document, accepted)
    )
    removed_pages = list(
        document.pages.filter(master_file__in=gone).values_list("pk", flat=True)
    )
    MasterFile.objects.filter(pk__in=[master.pk for master in gone]).delete()
    # Move what is kept out of the way of the new numbering.
    shift = _past(document.master_files) + len(accepted)
    page_shift = _past(document.pages) + sum(
        len(entry["report"]["pages"]) for entry in accepted
    )
    document.master_files.update(sequence=F("sequence") + shift)
    document.pages.update(sequence=F("sequence") + page_shift)

    # One master file per accepted file; one page per image in it.
    sequence = 0
    pages = []
    for number, entry in enumerate(accepted, start=1):
        report = entry["report"]
        master = kept.get((entry["name"], report["sha256"]))
        if master is not None:
            master.sequence = number
            master.filename = entry["name"]
            master.save(update_fields=["sequence", "filename"])
            for page in master.pages.order_by("page_in_file"):
                sequence += 1
                # A label staff gave the page is kept; a plain number follows.
                if page.label == str(page.sequence - page_shift):
                    page.label = str(sequence)
                page.sequence = sequence
                page.save(update_fields=["sequence", "label"])
                pages.append(page)
            continue
        master = MasterFile.objects.create(
            document=document,
            sequence=number,
            filename=entry["name"],
            logical_path=entry["name"],
            sha256=report["sha256"],
            size=report["size"],
            mime_type=report["mime_type"],
            format_name=report["format_name"],
            puid=report.get("puid") or "",
            width=report.get("width"),
            height=report.get("height"),
            dpi=report.get("dpi"),
            colour=report.get("colour") or "",
            bits_per_sample=report.get("bits_per_sample"),
            page_count=report.get("page_count") or 1,
            orientation=report.get("orientation") or 1,
        )
        for page_in_file, (width, height) in enumerate(report["pages"]):
            sequence += 1
            pages.append(
                Page.objects.create(
                    document=document,
                    master_file=master,
                    sequence=sequence,
                    page_in_file=page_in_file,
                    label=str(sequence),
                    width=width,
                    height=height,
                )
            )
        _record_file_events(document, entry, report)

    document.ocfl_object_id = object_id
    document.ocfl_version = result.version
    document.page_count = sequence
    document.byte_count = sum(entry["report"]["size"] for entry in accepted)
    document.status = DocumentStatus.PROCESSING
    document.save()
    record_event(
        document=document,
        event_type=Event.INGESTION,
        outcome=Outcome.SUCCESS,
        detail=f"Stored as OCFL object {object_id}, version {result.version}.",
        data={
            "object_id": object_id,
            "version": result.version,
            "changed": result.changed,
            "batch": str(transfer.batch_id),
        },
        agent=AGENT,
    )
    transfer.changed = True
    transfer.save(update_fields=["changed", "stored_elsewhere"])

    # Per page: derive now, OCR after its derivative; index after all pages.
    # A page whose derivatives were made from this same master needs neither
    # again, only the text an earlier batch did not read, or read in other
    # languages.
    read = transfer.batch.ocr and settings.DISAN_OCR_ENABLED
    languages = choose_languages(
        document.languages, document.scripts, document.reading_direction
    )
    queued = []
    for page in pages:
        if not _derived(page):
            queued.append(pipeline.new_job(transfer, Job.Step.DERIVE, page=page))
            pipeline.new_job(transfer, Job.Step.OCR, page=page, waiting=True)
        elif read and (page.ocr_status != "done" or page.ocr_languages != languages):
            queued.append(pipeline.new_job(transfer, Job.Step.OCR, page=page))
    waiting = bool(queued)
    index_job = pipeline.new_job(transfer, Job.Step.INDEX, waiting=waiting)
    if not waiting:
        queued.append(index_job)
    transaction.on_commit(lambda: _remove_derivatives(document.pk, removed_pages))
    return queued


def stored_elsewhere(transfer, document, accepted, named=NAMED_DOCUMENTS):
    """Which of ``accepted``'s masters documents of other batches already hold.

    Documents of the transfer's own batch (by link or by the identifier the
    batch gives them) are left out: a batch is compared with what was stored
    before it, whatever order its documents are stored in. Returns {} when
    no master is held elsewhere, else the counts and the holders, the ones
    holding most first, at most ``named`` of them by identifier.
    """
    wanted = [entry["report"]["sha256"] for entry in accepted]
    batch_identifiers = [
        identifier
        for identifier in Transfer.objects.filter(
            batch_id=transfer.batch_id
        ).values_list("metadata__identifier", flat=True)
        if identifier
    ]
    holders = defaultdict(set)
    for sha256, identifier in (
        MasterFile.objects.filter(sha256__in=set(wanted))
        .exclude(document=document)
        .exclude(document__identifier__in=batch_identifiers)
        .exclude(document__transfers__batch_id=transfer.batch_id)
        .values_list("sha256", "document__identifier")
        .distinct()
    ):
        holders[identifier].add(sha256)
    if not holders:
        return {}
    held = set().union(*holders.values())
    counts = sorted(
        (
            (identifier, sum(1 for sha256 in wanted if sha256 in hashes))
            for identifier, hashes in holders.items()
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return {
        "masters": len(wanted),
        "held": sum(1 for sha256 in wanted if sha256 in held),
        "documents": [
            {"identifier": identifier, "masters": count}
            for identifier, count in counts[:named]
        ],
        "more": max(0, len(counts) - named),
    }


def _past(rows):
    """A number above every sequence number of ``rows``."""
    return 1 + (rows.aggregate(top=Max("sequence"))["top"] or 0)


def _derived(page):
    """True if the page's derivatives exist and come from its current master."""
    if page.derived_from_sha256 != page.master_file.sha256:
        return False
    if not (page.pyramid_path and page.thumbnail_path):
        return False
    try:
        return (
            paths.resolve(page.pyramid_path).is_file()
            and paths.resolve(page.thumbnail_path).is_file()
        )
    except DerivativePathError:
        return False


def _remove_derivatives(document_id, page_ids):
    for page_id in page_ids:
        for path in (
            paths.pyramid_path(document_id, page_id),
            paths.thumbnail_path(document_id, page_id),
        ):
            path.unlink(missing_ok=True)


def _queue_missing_ocr(transfer, document):
    if not (transfer.batch.ocr and settings.DISAN_OCR_ENABLED):
        return []
    unread = document.pages.exclude(ocr_status="done").order_by("sequence")
    ocr_jobs = [pipeline.new_job(transfer, Job.Step.OCR, page=page) for page in unread]
    if ocr_jobs:
        pipeline.new_job(transfer, Job.Step.INDEX, waiting=True)
    return ocr_jobs


def _record_file_events(document, entry, report):
    name = entry["name"]
    record_event(
        document=document,
        event_type=Event.MESSAGE_DIGEST,
        outcome=Outcome.SUCCESS,
        detail=f"SHA-256 {report['sha256']}",
        data={"sha256": report["sha256"]},
        file_path=name,
        agent=AGENT,
    )
    record_event(
        document=document,
        event_type=Event.FORMAT_IDENTIFICATION,
        outcome=Outcome.SUCCESS,
        detail=f"{report['format_name']} ({report['mime_type']}) by content",
        data={"mime_type": report["mime_type"], "puid": report.get("puid") or ""},
        file_path=name,
        agent=AGENT,
    )
    record_event(
        document=document,
        event_type=Event.VALIDATION,
        outcome=Outcome.SUCCESS,
        detail="Decoded in full without error.",
        data=_technical(report),
        file_path=name,
        agent=AGENT,
    )


def _technical(report):
    keys = (
        "width",
        "height",
        "dpi",
        "colour",
        "bits_per_sample",
        "page_count",
        "orientation",
    )
    return {key: report.get(key) for key in keys}


def discard_staging(transfer):
    """Remove the transfer's staged copies once its masters are safe."""
    staging = Path(transfer.staging_path)
    root = Path(settings.DISAN_TRANSFERS_ROOT)
    if staging.is_relative_to(root):
        shutil.rmtree(staging, ignore_errors=True)
