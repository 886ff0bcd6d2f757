"""The fixity audit: re-hash every copy of every object and record the result.

An audit runs in three phases per batch of objects: read the inventories of
every copy and plan what to hash (cheap, in this process); hash all content
files of the batch at once (one process per core); then classify each file
and record a PREMIS event per object, a ``FixityCheck`` row per copy and the
object's ``ObjectFixity`` state. Failures alert once, after the whole run.
"""

import json
import logging
import os
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from disan.core.exceptions import DisanError
from disan.core.text import nfc
from disan.preservation import alerts, hashing, ledger
from disan.preservation.events import record_event
from disan.preservation.exceptions import UnknownObject
from disan.preservation.fixity import (
    DECLARATION,
    INVENTORY,
    Code,
    Fault,
    choose_reference,
    classify,
    plan_content,
    read_copy,
)
from disan.preservation.models import (
    FixityCheck,
    ObjectFixity,
    Outcome,
    PreservationEvent,
)
from disan.preservation.replicas import copies as configured_copies
from disan.preservation.storage.s3 import S3Store

logger = logging.getLogger(__name__)

BATCH_OBJECTS = 500


@dataclass
class CopyResult:
    """The audit of one copy of one object."""

    label: str
    faults: list = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    # Content paths of this copy that match their digest.
    good: set = field(default_factory=set)

    @property
    def ok(self):
        return not self.faults

    def as_dict(self):
        return {
            "copy": self.label,
            "outcome": Outcome.SUCCESS if self.ok else Outcome.FAILURE,
            "files": self.files,
            "bytes": self.bytes,
            "faults": [fault.as_dict() for fault in self.faults],
        }


@dataclass
class ObjectResult:
    """The audit of one object over all its copies."""

    object_id: str
    path: str
    copies: list
    lost: list
    sizes: dict
    reference: object = None

    @property
    def ok(self):
        return all(copy.ok for copy in self.copies) and not self.lost

    @property
    def fault_count(self):
        return sum(len(copy.faults) for copy in self.copies)

    def as_dict(self):
        return {
            "object_id": self.object_id,
            "outcome": Outcome.SUCCESS if self.ok else Outcome.FAILURE,
            "copies": [copy.as_dict() for copy in self.copies],
            "lost": self.lost,
        }


@dataclass
class AuditReport:
    """Every object audited in one run."""

    objects: list
    seconds: float = 0.0

    @property
    def ok(self):
        return all(result.ok for result in self.objects)

    @property
    def files(self):
        return sum(copy.files for result in self.objects for copy in result.copies)

    @property
    def bytes(self):
        return sum(copy.bytes for result in self.objects for copy in result.copies)

    def as_dict(self):
        return {
            "outcome": Outcome.SUCCESS if self.ok else Outcome.FAILURE,
            "objects": len(self.objects),
            "failed_objects": sum(not result.ok for result in self.objects),
            "files": self.files,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "results": [result.as_dict() for result in self.objects],
        }


def audit(object_ids=None, *, workers=None, record=True, copies=None):
    """Audit ``object_ids`` (default: every object of every copy).

    Return an :class:`AuditReport`. With ``record``, save events and rows
    and alert on failures.
    """
    started = time.monotonic()
    copies = copies if copies is not None else configured_copies()
    if object_ids is None:
        object_ids = list_object_ids(copies)
    object_ids = list(object_ids)

    results = []
    for start in range(0, len(object_ids), BATCH_OBJECTS):
        batch = object_ids[start : start + BATCH_OBJECTS]
        checked = check_objects(batch, copies, workers=workers)
        if record:
            record_results(checked)
        results.extend(checked)

    report = AuditReport(results, time.monotonic() - started)
    if record:
        alerts.notify_failures([result for result in results if not result.ok])
    return report


def check_objects(object_ids, copies, *, workers=None):
    """Check every copy of each object; return ObjectResults, recording nothing."""
    rows = ledger.rows_for(object_ids)

    # Phase 1: inventories and the list of files to hash.
    planned = []
    for object_id in object_ids:
        folders = object_folders(object_id, copies)
        plans = [
            read_copy(label, folder)
            for (label, _store), folder in zip(copies, folders, strict=True)
        ]
        reference = choose_reference(plans)
        for plan in plans:
            if plan.present:
                plan_content(plan, reference)
        planned.append((object_id, plans, reference))

    # Phase 2: hash every content file of the batch in one pool.
    jobs = [job for _id, plans, _ref in planned for plan in plans for job in plan.jobs]
    hashed = hashing.hash_files(
        [job.path for job in jobs],
        workers=workers,
        sizes=_sizes(jobs),
        algorithms=[job.algorithm for job in jobs],
    )
    hashed = iter(hashed)

    # Phase 3: classify, knowing sizes of intact copies and the ledger.
    results = []
    for object_id, plans, reference in planned:
        outcomes = [[(job, next(hashed)) for job in plan.jobs] for plan in plans]
        row = rows.get(object_id)
        path = plans[0].object_dir.relative_to(copies[0][1].root).as_posix()
        results.append(
            _classify_object(object_id, path, plans, outcomes, reference, row)
        )
    return results


def _sizes(jobs):
    sizes = []
    for job in jobs:
        if job.size is not None:
            sizes.append(job.size)
            continue
        try:
            sizes.append(os.stat(job.path).st_size)
        except OSError:
            sizes.append(0)
    return sizes


def _classify_object(object_id, path, plans, outcomes, reference, row):
    known = dict(row.sizes) if row else {}
    for pairs in outcomes:
        for job, (digest, size, _error) in pairs:
            if digest == job.digest:
                known[job.relative] = size

    copies = []
    for plan, pairs in zip(plans, outcomes, strict=True):
        result = CopyResult(plan.label, list(plan.faults))
        for job, (digest, size, error) in pairs:
            result.files += 1
            if error:
                result.faults.append(_unreadable(job, error))
                continue
            result.bytes += size
            fault = classify(
                job.relative, job.digest, digest, size, known.get(job.relative)
            )
            if fault is None:
                result.good.add(job.relative)
            else:
                result.faults.append(fault)
        result.faults.sort(key=lambda fault: (fault.path, fault.code))
        copies.append(result)

    if reference is None:
        lost = [INVENTORY]
    else:
        intact = set().union(*(copy.good for copy in copies))
        lost = sorted(set(reference.manifest_paths) - intact)
    return ObjectResult(object_id, path, copies, lost, known, reference)


def _unreadable(job, error):
    return Fault(Code.CHANGED, job.relative, f"cannot be read: {error}")


@transaction.atomic
def record_results(results):
    """Save a PREMIS event, FixityCheck rows and ObjectFixity per object."""
    now = timezone.now()
    documents = ledger.documents_for(result.object_id for result in results)
    for result in results:
        document = documents.get(result.object_id)
        outcome = Outcome.SUCCESS if result.ok else Outcome.FAILURE
        record_event(
            document=document,
            event_type=PreservationEvent.Type.FIXITY_CHECK,
            outcome=outcome,
            detail=_summary(result),
            data=result.as_dict(),
        )
        FixityCheck.objects.bulk_create(
            FixityCheck(
                object_id=result.object_id,
                copy=copy.label,
                document=document,
                checked_at=now,
                outcome=Outcome.SUCCESS if copy.ok else Outcome.FAILURE,
                files=copy.files,
                bytes=copy.bytes,
                faults=[fault.as_dict() for fault in copy.faults],
            )
            for copy in result.copies
        )
        ObjectFixity.objects.update_or_create(
            object_id=result.object_id,
            defaults={
                "path": result.path,
                "document": document,
                "last_audit": now,
                "outcome": outcome,
                "fault_count": result.fault_count,
                "lost": result.lost,
                "sizes": result.sizes,
            },
        )
        if not result.ok:
            logger.error(
                "Fixity audit of %s failed: %s", result.object_id, _summary(result)
            )


def _summary(result):
    if result.ok:
        files = sum(copy.files for copy in result.copies)
        return f"{files} file(s) in {len(result.copies)} copy(ies) match their digests."
    parts = [
        f"{copy.label}: {fault.code} {fault.path or '(object)'}"
        for copy in result.copies
        for fault in copy.faults
    ]
    if result.lost:
        parts.append("lost: " + ", ".join(result.lost))
    return "; ".join(parts)


def object_folders(object_id, copies):
    """Return the folder of ``object_id`` in each copy, present or not.

    Every copy uses the same storage layout, so the path is computed once
    from a storage root that is already declared.
    """
    # The primary comes first and is nearly always declared: a bucket is
    # asked only when it is not.
    declared = next((store for _label, store in copies if store.declared()), None)
    if declared is None:
        return [store.root / "unknown" for _label, store in copies]
    relative = declared.object_dir(object_id).relative_to(declared.root)
    return [store.root / relative.as_posix() for _label, store in copies]


def resolve_objects(keys, copies):
    """Return the OCFL object id of each of ``keys``, in order.

    A key is a document's identifier, a document's uuid, or an OCFL object
    id that a document, the fixity ledger or any copy knows. Anything else
    raises :class:`UnknownObject`: auditing a name nobody stored would only
    report it LOST in every copy.
    """
    # Imported here: the catalog imports this app's models.
    from disan.catalog.models import HeritageDocument

    resolved = []
    for key in keys:
        key = nfc(key.strip())
        document = HeritageDocument.objects.filter(identifier=key).first()
        if document is None:
            document = HeritageDocument.objects.filter(
                pk=_as_uuid(key.removeprefix("urn:uuid:"))
            ).first()
        if document is not None:
            if not document.ocfl_object_id:
                raise UnknownObject(
                    f"Document {document.identifier!r} has no stored object yet; "
                    "wait for its ingest to finish its store step."
                )
            resolved.append(document.ocfl_object_id)
        elif _known_object(key, copies):
            resolved.append(key)
        else:
            raise UnknownObject(
                f"No document or stored object is called {key!r}; give a "
                "document's identifier or uuid, or an OCFL object id as `disan "
                "audit` prints it."
            )
    return resolved


def _as_uuid(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _known_object(object_id, copies):
    from disan.catalog.models import HeritageDocument

    if HeritageDocument.objects.filter(ocfl_object_id=object_id).exists():
        return True
    if _ledger_rows().filter(object_id=object_id).exists():
        return True
    try:
        folders = object_folders(object_id, copies)
    except (ValueError, DisanError):
        return False
    return any(
        (folder / INVENTORY).is_file() or (folder / DECLARATION).is_file()
        for folder in folders
    )


def _ledger_rows():
    """ObjectFixity rows that stand for an object Disan once held.

    A row with no document and no known file size records nothing but
    audits of a name (such rows came from ``--object`` with a name that was
    never stored); it does not keep an object on the audit's list.
    """
    return ObjectFixity.objects.exclude(document__isnull=True, sizes={})


def list_object_ids(copies):
    """Return the ids of every object in any copy or in the ledger, sorted."""
    by_path = dict(_ledger_rows().values_list("path", "object_id"))
    ids = set(by_path.values())
    for _label, store in copies:
        if isinstance(store, S3Store):
            folders = store.object_dirs()
        elif Path(store.root).is_dir():
            folders = _object_dirs(Path(store.root))
        else:
            continue
        for object_dir in folders:
            relative = object_dir.relative_to(store.root).as_posix()
            ids.add(_object_id(object_dir, by_path.get(relative)))
    return sorted(ids)


def _object_dirs(root):
    for folder, dirs, names in os.walk(root):
        if folder == str(root):
            dirs[:] = [name for name in dirs if name != "extensions"]
            continue
        if DECLARATION in names or INVENTORY in names:
            dirs.clear()
            yield Path(folder)


def _object_id(object_dir, known):
    try:
        return json.loads((object_dir / INVENTORY).read_bytes())["id"]
    except (OSError, ValueError, KeyError, TypeError, DisanError):
        pass
    if known:
        return known
    # The 0003 layout ends the path with the percent-encoded id.
    return urllib.parse.unquote(object_dir.name)
