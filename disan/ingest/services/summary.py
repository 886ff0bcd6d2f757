"""What a batch did: documents, pages, bytes, refusals, failures."""

from pathlib import PurePath

from django.conf import settings
from django.urls import reverse

from disan.access.policy import can_view
from disan.catalog.models import DocumentStatus
from disan.ingest.discover import CSV_NAME
from disan.ingest.models import Job

# Refusals of a whole document folder: nothing of it went in.
DOCUMENT_CODES = {
    "metadata_invalid",
    "duplicate_identifier",
    "access_loosened",
    "empty_folder",
    "package_unreadable",
}
NO_FILE_ACCEPTED = "no_file_accepted"


def refusal_kind(rejection):
    """Whether ``rejection`` refused the whole batch, a document, or a file.

    A bad ``metadata.csv`` or an invalid bag stops the whole batch; bad
    metadata, a repeated identifier, a loosened access level or a folder
    with no files stop one document; anything else is one file (or a
    stray item) left out while its document went in.
    """
    if rejection.code.startswith("bag_") or (
        rejection.code == "metadata_invalid"
        and PurePath(rejection.path).name == CSV_NAME
    ):
        return "batch"
    if rejection.code in DOCUMENT_CODES:
        return "document"
    return "file"


def summarize(batch, base_url=None):
    """Return the batch summary as plain data (what ``--json`` prints)."""
    base_url = (base_url or settings.DISAN_BASE_URL).rstrip("/")
    documents = []
    failures = []
    # Document folders whose every file was refused: no record was made.
    emptied = []
    rejections = [
        (item, refusal_kind(item))
        for item in batch.rejections.select_related("transfer").order_by("path")
    ]
    # Transfers whose own folder this batch refused (a loosened access level,
    # say): the document may be in the catalog, but not by this batch. A
    # refusal of another folder filed with a transfer (the second of two
    # folders sharing an identifier goes with the first) leaves it counted.
    refused_transfers = {
        item.transfer_id
        for item, kind in rejections
        if kind == "document"
        and item.transfer is not None
        and item.path == item.transfer.source
    }
    for transfer in batch.transfers.select_related("document").order_by("created"):
        document = transfer.document
        jobs = list(transfer.jobs.select_related("page").order_by("created"))
        failed = [job for job in jobs if job.status == Job.Status.FAILED]
        failures += [_failure(transfer, job) for job in failed]
        if transfer.pk in refused_transfers:
            continue
        if document is None:
            if jobs and not failed and all(job.status in Job.FINISHED for job in jobs):
                emptied.append(
                    {
                        "path": transfer.source,
                        "code": NO_FILE_ACCEPTED,
                        "reason": f"No file of {PurePath(transfer.source).name} "
                        "could be accepted (see the files refused), so the "
                        "document was not ingested.",
                        "refused": "document",
                    }
                )
            continue
        online = document.status == DocumentStatus.ONLINE
        ocr = [job for job in jobs if job.step == Job.Step.OCR]
        documents.append(
            {
                "id": str(document.pk),
                "identifier": document.identifier,
                "title": document.title,
                "status": document.status,
                "access_level": document.access_level,
                # Anyone may see it once online.
                "public": can_view(None, document),
                "changed": bool(transfer.changed),
                "pages": document.page_count,
                "bytes": document.byte_count,
                "ocfl_object": document.ocfl_object_id,
                "ocfl_version": document.ocfl_version,
                # Addresses only where there is something to see.
                "url": base_url + reverse("portal:document", args=[document.pk])
                if online
                else None,
                "manifest": base_url + reverse("iiif:manifest", args=[document.pk])
                if online
                else None,
                "ocr": {
                    status: sum(1 for job in ocr if job.status == status)
                    for status in (
                        Job.Status.DONE,
                        Job.Status.SKIPPED,
                        Job.Status.FAILED,
                    )
                },
                "notes": sorted(
                    {
                        job.message
                        for job in jobs
                        if job.message and job.status != Job.Status.FAILED
                    }
                    | _stored_elsewhere_notes(transfer.stored_elsewhere)
                ),
            }
        )

    rejected = [
        {
            "path": item.path,
            "code": item.code,
            "reason": item.reason,
            "refused": kind,
        }
        for item, kind in rejections
    ]
    refused_documents = sorted(
        [item for item in rejected if item["refused"] == "document"] + emptied,
        key=lambda item: item["path"],
    )
    return {
        "batch": str(batch.pk),
        "source": batch.source,
        "status": batch.status,
        "documents": documents,
        "totals": {
            "documents": len(documents),
            "pages": sum(item["pages"] for item in documents),
            "bytes": sum(item["bytes"] for item in documents),
            # Every refusal listed under "rejected", of any kind.
            "rejected": len(rejected),
            "documents_refused": len(refused_documents),
            "files_refused": sum(1 for item in rejected if item["refused"] == "file"),
            "failed_jobs": len(failures),
        },
        "rejected": rejected,
        "documents_refused": refused_documents,
        "failures": failures,
    }


def _stored_elsewhere_notes(found):
    """The note on a new document's masters already stored under others.

    The store step recorded what it found when the document was stored, so
    the note reads the same whenever the summary is printed. It names other
    documents by identifier, whatever their access level: it is for the
    operator who ran the ingest, and no web page shows it.
    """
    if not found:
        return set()
    total, held = found["masters"], found["held"]
    if held == total:
        subject = "Its master is" if total == 1 else f"All {total} of its masters are"
    else:
        subject = f"{held} of its {total} masters {'is' if held == 1 else 'are'}"
    documents = found["documents"]
    if len(documents) == 1 and not found["more"]:
        where = documents[0]["identifier"]
    else:
        where = "other documents: " + ", ".join(
            f"{item['identifier']} ({item['masters']})" for item in documents
        )
        if found["more"]:
            where += f" and {found['more']} more"
    return {
        f"{subject} already stored under {where} (same SHA-256). Two documents "
        "may hold the same file on purpose; if not, check this batch's identifiers."
    }


def _failure(transfer, job):
    return {
        "source": transfer.source,
        "step": job.step,
        "page": job.page.sequence if job.page else None,
        "message": job.message,
    }


def plural(count, word, words=None):
    """``count`` and ``word`` agreeing in number: "1 page", "2 pages"."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def _standing(doc):
    """Where a document stands, in words that cannot be misread.

    "online" alone would read as "anyone can see it": a document that is
    not public is said to be stored, with its access level.
    """
    status = doc["status"]
    if doc["public"]:
        return f"{status}, public"
    if status == DocumentStatus.ONLINE:
        status = "stored"
    return f"{status}, not public ({doc['access_level']})"


def format_text(summary):
    """Render the summary for people, one fact a line."""
    totals = summary["totals"]
    lines = [
        f"Batch {summary['batch']}: {summary['source']}",
        f"  ingested: {plural(totals['documents'], 'document')}, "
        f"{plural(totals['pages'], 'page')}, {plural(totals['bytes'], 'byte')}",
        f"  refused: {plural(totals['documents_refused'], 'document')} "
        f"(not ingested), {plural(totals['files_refused'], 'file')}",
    ]
    for doc in summary["documents"]:
        state = "changed" if doc["changed"] else "unchanged"
        ocr = doc["ocr"]
        # Pages this batch did not read again keep the text read before.
        kept = doc["pages"] - sum(ocr.values())
        lines.append(
            f"  - {doc['identifier']} ({_standing(doc)}, "
            f"{state}): {plural(doc['pages'], 'page')}, "
            f"{plural(doc['bytes'], 'byte')}, OCR {ocr['done']} done"
            + (f", {ocr['skipped']} skipped" if ocr["skipped"] else "")
            + (f", {kept} kept from before" if kept > 0 and doc["changed"] else "")
        )
        if doc["url"]:
            lines.append(f"      {doc['url']}")
        lines += [f"      note: {note}" for note in doc["notes"]]
    sections = (
        (
            "Batch not ingested:",
            [i for i in summary["rejected"] if i["refused"] == "batch"],
        ),
        ("Documents not ingested:", summary["documents_refused"]),
        (
            "Files not ingested:",
            [i for i in summary["rejected"] if i["refused"] == "file"],
        ),
    )
    for heading, items in sections:
        if items:
            lines.append(heading)
            lines += [
                f"  - {item['path']}: [{item['code']}] {item['reason']}"
                for item in items
            ]
    if summary["failures"]:
        lines.append("Failed jobs:")
        lines += [
            f"  - {item['source']} {item['step']}"
            + (f" page {item['page']}" if item["page"] else "")
            + f": {item['message']}"
            for item in summary["failures"]
        ]
    return "\n".join(lines)
