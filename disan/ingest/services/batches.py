"""Start a batch: discover documents, stage their files, queue the jobs."""

import dataclasses
import logging
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from disan.core.text import nfc
from disan.ingest import pipeline
from disan.ingest.discover import discover_batch, holds_files
from disan.ingest.exceptions import BatchPathError, MetadataError
from disan.ingest.metadata import normalize_metadata
from disan.ingest.models import Batch, Job, Rejection, Transfer

logger = logging.getLogger(__name__)


def start_batch(path, *, ocr=True, dispatch=None):
    """Create a batch for the folder ``path`` and queue its identify jobs.

    Files are copied into the transfers area first, so the source folder is
    only read, and a worker never sees a file that changes under it.
    """
    from disan.ingest.tasks import dispatch as send

    dispatch = dispatch or send
    plan = discover_batch(Path(path))
    jobs = []
    identifiers = {}
    try:
        if _holds_nothing(plan):
            raise BatchPathError(
                f"{nfc(str(path))} holds nothing to ingest: there are no page "
                "files in it or in its sub-folders (hidden files and system "
                "files such as Thumbs.db are skipped). Put the scans in it, one "
                "sub-folder per document, and ingest again; no batch was "
                "recorded."
            )
        batch = Batch.objects.create(source=nfc(str(Path(path).resolve())), ocr=ocr)

        # Items that belong to no document are refused up front.
        for problem in plan.problems:
            Rejection.objects.create(
                batch=batch,
                path=nfc(str(problem.path)),
                code=problem.code,
                reason=problem.reason,
            )

        for number, folder in enumerate(plan.documents, start=1):
            transfer = _stage(batch, number, folder, identifiers)
            if transfer is not None:
                jobs.append(pipeline.new_job(transfer, Job.Step.IDENTIFY))
    finally:
        # A zipped bag was unpacked only to be staged from.
        if plan.unpacked is not None:
            shutil.rmtree(plan.unpacked, ignore_errors=True)

    batch.status = Batch.Status.RUNNING if jobs else Batch.Status.DONE
    batch.save(update_fields=["status"])
    transaction.on_commit(lambda: [dispatch(job) for job in jobs])
    logger.info("Batch %s: %d document(s) queued from %s", batch.pk, len(jobs), path)
    return batch


def _holds_nothing(plan):
    """Whether the batch folder has no file at all to ingest or refuse.

    Such a folder is refused before any batch is recorded: there is nothing
    to audit, and a batch record would only say that it was empty.
    """
    return not plan.documents and all(
        problem.code == "empty_folder"
        or (problem.code == "nested_folder" and not holds_files(problem.path))
        for problem in plan.problems
    )


def _stage(batch, number, folder, identifiers):
    try:
        metadata = normalize_metadata(folder.metadata, source=nfc(str(folder.path)))
    except MetadataError as err:
        Rejection.objects.create(
            batch=batch,
            path=nfc(str(folder.path)),
            code="metadata_invalid",
            reason=str(err),
        )
        return None

    # Two folders of one batch would overwrite each other's document.
    first = identifiers.setdefault(metadata.identifier, folder.name)
    if first != folder.name:
        # Tied to the transfer of the first folder: the reason names its
        # document, which is shown only to those who may see it.
        Rejection.objects.create(
            batch=batch,
            transfer=batch.transfers.filter(
                metadata__identifier=metadata.identifier
            ).first(),
            path=nfc(str(folder.path)),
            code="duplicate_identifier",
            reason=f"{folder.name} has the identifier {metadata.identifier}, "
            f"which the folder {first} of this batch already has; give each "
            "document its own identifier in the metadata.",
        )
        return None

    staging = Path(settings.DISAN_TRANSFERS_ROOT) / str(batch.pk) / f"{number:05d}"
    staging.mkdir(parents=True, exist_ok=True)
    files = []
    for source in folder.files:
        name = nfc(source.name)
        target = staging / name
        if target.exists():
            Rejection.objects.create(
                batch=batch,
                path=nfc(str(source)),
                code="duplicate_name",
                reason=f"{source.name} has the same name as another file of this "
                "document "
                "once written in Unicode NFC; rename one of them.",
            )
            continue
        try:
            _copy(source, target)
        except OSError as err:
            Rejection.objects.create(
                batch=batch,
                path=nfc(str(source)),
                code="unreadable",
                reason=f"{source.name} could not be read ({err.strerror}); "
                "check its permissions and the disk, then ingest again.",
            )
            continue
        files.append(
            {
                "name": name,
                "source": nfc(str(source)),
                "path": str(target),
                "size": target.stat().st_size,
            }
        )

    values = dataclasses.asdict(metadata)
    named = values.pop("named")
    return Transfer.objects.create(
        batch=batch,
        source=nfc(str(folder.path)),
        staging_path=str(staging),
        metadata=values,
        metadata_keys=named,
        files=files,
    )


def _copy(source, target):
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
