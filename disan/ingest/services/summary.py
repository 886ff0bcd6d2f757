"""What a batch did: documents, pages, bytes, refusals, failures."""

from django.conf import settings
from django.urls import reverse

from disan.catalog.models import DocumentStatus
from disan.ingest.models import Job


def summarize(batch, base_url=None):
    """Return the batch summary as plain data (what ``--json`` prints)."""
    base_url = (base_url or settings.DISAN_BASE_URL).rstrip("/")
    documents = []
    failures = []
    for transfer in batch.transfers.select_related("document").order_by("created"):
        document = transfer.document
        jobs = list(transfer.jobs.select_related("page").order_by("created"))
        failures += [
            _failure(transfer, job) for job in jobs if job.status == Job.Status.FAILED
        ]
        if document is None:
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
        {"path": item.path, "code": item.code, "reason": item.reason}
        for item in batch.rejections.order_by("path")
    ]
    return {
        "batch": str(batch.pk),
        "source": batch.source,
        "status": batch.status,
        "documents": documents,
        "totals": {
            "documents": len(documents),
            "pages": sum(item["pages"] for item in documents),
            "bytes": sum(item["bytes"] for item in documents),
            "rejected": len(rejected),
            "failed_jobs": len(failures),
        },
        "rejected": rejected,
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


def format_text(summary):
    """Render the summary for people, one fact a line."""
    totals = summary["totals"]
    lines = [
        f"Batch {summary['batch']}: {summary['source']}",
        f"  documents: {totals['documents']}   pages: {totals['pages']}   "
        f"bytes: {totals['bytes']:,}   rejected files: {totals['rejected']}",
    ]
    for doc in summary["documents"]:
        state = "changed" if doc["changed"] else "unchanged"
        ocr = doc["ocr"]
        # Pages this batch did not read again keep the text read before.
        kept = doc["pages"] - sum(ocr.values())
        lines.append(
            f"  - {doc['identifier']} ({doc['status']}, {doc['access_level']}, "
            f"{state}): {doc['pages']} pages, "
            f"{doc['bytes']:,} bytes, OCR {ocr['done']} done"
            + (f", {ocr['skipped']} skipped" if ocr["skipped"] else "")
            + (f", {kept} kept from before" if kept > 0 and doc["changed"] else "")
        )
        if doc["url"]:
            lines.append(f"      {doc['url']}")
        lines += [f"      note: {note}" for note in doc["notes"]]
    if summary["rejected"]:
        lines.append("Rejected files:")
        lines += [
            f"  - {item['path']}: [{item['code']}] {item['reason']}"
            for item in summary["rejected"]
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
