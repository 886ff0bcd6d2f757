"""Replicas: further OCFL storage roots holding a full copy of every object.

``DISAN_REPLICAS`` lists them (comma-separated): local folders, each an
ordinary storage root written by :class:`OCFLStore`, and ``s3://bucket/
prefix`` entries, each the same tree as objects of an S3-compatible bucket
(:class:`S3Store`). Either validates on its own and can replace the
primary. ``replicate(object_id)`` brings every replica's copy of one object
up to the primary's; ingest calls it after each store step.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from disan.core.exceptions import DisanError
from disan.preservation import bucket, ledger
from disan.preservation.events import record_event
from disan.preservation.exceptions import (
    ReplicaConfigurationError,
    ReplicaUnavailable,
    StorageError,
)
from disan.preservation.fixity import inventory_digest, read_copy, read_inventory
from disan.preservation.models import PreservationEvent
from disan.preservation.restore import Placement, install_copy
from disan.preservation.storage import OCFLStore, get_store
from disan.preservation.storage.ocfl import ROOT_SKELETON
from disan.preservation.storage.s3 import S3Store, has_scheme, is_s3_url, redact

logger = logging.getLogger(__name__)

PRIMARY = "primary"


@dataclass(frozen=True)
class ReplicationResult:
    """What ``replicate`` did to one replica."""

    copy: str
    changed: bool
    error: str = ""


def replica_stores():
    """Return a store for each entry of DISAN_REPLICAS, in order.

    An OCFLStore for a folder, an S3Store for ``s3://bucket/prefix``.
    Nothing is contacted or created here; see :func:`copies`. A folder must
    be an absolute path; it may not be, contain or lie inside the primary
    storage root (or its work folder) or another replica, compared as real
    paths (symbolic links and ``..`` resolved). The first entry that is
    none of these raises :class:`ReplicaConfigurationError`.
    """
    stores = []
    for _shown, judged in judged_entries():
        if isinstance(judged, Exception):
            raise judged
        stores.append(judged)
    return stores


def judged_entries():
    """Yield (entry as shown, store or error) for each entry of DISAN_REPLICAS.

    Each entry is judged on its own, so replication can write every valid
    replica and record the invalid entries as failures. An entry clashing
    with an earlier valid one is the one refused.
    """
    primary = get_store()
    taken = [
        (Path(primary.root).resolve(), f"the primary storage root {primary.root}"),
        (
            Path(primary.work_dir).resolve(),
            f"the primary's work folder {primary.work_dir}",
        ),
    ]
    buckets = []
    for value in settings.DISAN_REPLICAS:
        shown = redact(value)
        try:
            store = _store_for(value, shown, taken, buckets)
        except ReplicaConfigurationError as err:
            yield shown, err
        else:
            yield shown, store


def _store_for(value, shown, taken, buckets):
    if is_s3_url(value):
        store = S3Store(value)
        _check_distinct(store, buckets)
        buckets.append(store)
        return store
    # "scheme:" at the start of an entry: meant as a URL, not a folder.
    if has_scheme(value):
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names {shown!r}, which looks like a URL but is not "
            "s3://bucket/prefix; a replica is an absolute folder path or "
            "s3://bucket/prefix (an S3-compatible bucket)."
        )
    root = Path(value).expanduser()
    if not root.is_absolute():
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names the relative path {shown!r}; give the "
            "replica folder's absolute path, e.g. /mnt/dia-2/ocfl."
        )
    real = root.resolve()
    for other, name in taken:
        if real == other or real in other.parents or other in real.parents:
            where = "is" if real == other else "lies inside or contains"
            raise ReplicaConfigurationError(
                f"DISAN_REPLICAS names {root}, which {where} {name}; a "
                "replica must be a folder of its own, ideally on another disk."
            )
    taken.append((real, f"the replica {root}"))
    return OCFLStore(root, setting="DISAN_REPLICAS")


def check_folder(store):
    """Raise a clear error unless a replica folder can take or holds a copy.

    The folder must exist: Disan never creates it, so a disk that is not
    mounted is reported instead of filled in its mount point's place. It
    must be empty (a new replica) or an OCFL storage root.
    """
    root = Path(store.root)
    if not root.is_dir():
        raise ReplicaUnavailable(
            f"The replica folder {root} does not exist (is its disk mounted?). "
            "Disan does not create it: to start a new replica, create the empty "
            "folder, then run `disan repair`."
        )
    if store.declared():
        return
    present = {entry.name for entry in root.iterdir()}
    if present - ROOT_SKELETON:
        raise ReplicaConfigurationError(
            f"The replica folder {root} is not empty and is not an OCFL storage "
            "root (no 0=ocfl_1.1 file); point DISAN_REPLICAS at an empty folder "
            "or at an existing replica."
        )


def _check_distinct(store, seen):
    # Two replicas sharing a tree would each count the other's objects.
    for other in seen:
        if other.bucket == store.bucket and _nested(other.prefix, store.prefix):
            raise ReplicaConfigurationError(
                f"DISAN_REPLICAS names {other.url} and {store.url}, and one "
                "lies inside the other; give each replica its own prefix."
            )


def _nested(first, second):
    first, second = first + "/", second + "/"
    return (
        first == "/"
        or second == "/"
        or first.startswith(second)
        or (second.startswith(first))
    )


def copies():
    """Return (label, store) for the primary and then each replica.

    A bucket that cannot be reached, or does not exist, raises a clear
    error here, before an audit or repair starts.
    """
    stores = replica_stores()
    for store in stores:
        if isinstance(store, S3Store):
            store.check()
        else:
            check_folder(store)
    return [(PRIMARY, get_store())] + [(str(store.root), store) for store in stores]


def replicate(object_id, *, document=None):
    """Make every replica's copy of ``object_id`` equal to the primary's.

    A replica already holding the primary's root inventory is left alone.
    Files the replica holds at the same path with the same size are kept
    (hard links); the rest are copied from the primary and verified. A
    failure on one replica is logged, recorded as a failed replication
    event and returned; it never stops the others.
    """
    primary = get_store()
    primary_dir = primary.object_dir(object_id)
    source = read_copy(PRIMARY, primary_dir)
    if source.inventory is None:
        raise StorageError(
            f"The primary copy of object {object_id!r} at {primary_dir} has no "
            "intact inventory, so it cannot be replicated; run `disan audit`."
        )
    sizes = {
        relative: (primary_dir / relative).stat().st_size
        for relative in source.inventory.manifest_paths
    }
    ledger.record_sizes(object_id, primary_dir.relative_to(primary.root), sizes)

    results = []
    for shown, store in judged_entries():
        if isinstance(store, Exception):
            # An entry no copy can be written under; the others still are.
            logger.error("Replication of %s to %s failed: %s", object_id, shown, store)
            results.append(ReplicationResult(shown, False, str(store)))
            _record(document, object_id, shown, source, str(store))
            continue
        label = str(store.root)
        try:
            relative = primary_dir.relative_to(primary.root)
            if isinstance(store, S3Store):
                changed = _replicate_to_bucket(
                    store, primary, object_id, source, relative
                )
            else:
                check_folder(store)
                changed = _replicate_to(store, object_id, source, sizes, relative)
        except (OSError, DisanError) as err:
            logger.error("Replication of %s to %s failed: %s", object_id, label, err)
            results.append(ReplicationResult(label, False, str(err)))
            _record(document, object_id, label, source, str(err))
            continue
        if changed:
            logger.info("Replicated %s to %s", object_id, label)
            _record(document, object_id, label, source, "")
        results.append(ReplicationResult(label, changed))
    return results


def _replicate_to(store, object_id, source, sizes, relative):
    # Same layout as the primary; the replica's root may not exist yet.
    target_dir = store.root / relative
    current, _faults = read_inventory(target_dir)
    if current is not None and current.raw == source.inventory.raw:
        return False

    placements = []
    for relative, digest in sorted(source.inventory.manifest_paths.items()):
        existing = target_dir / relative
        same = existing.is_file() and existing.stat().st_size == sizes[relative]
        origin = existing if same else source.object_dir / relative
        placements.append(
            Placement(
                relative,
                origin,
                digest,
                link=same,
                algorithm=source.inventory.algorithm,
            )
        )
    placements.extend(_version_inventories(source))
    install_copy(
        store, object_id, placements, source.inventory.raw, label=str(store.root)
    )
    return True


def _replicate_to_bucket(store, primary, object_id, source, relative):
    """Upload what the bucket lacks of the primary's copy; True if it did.

    Files of versions the bucket's own root inventory already holds are
    taken as they are (the audit re-hashes them); any other file already in
    the bucket is compared before it is counted as uploaded, and never
    overwritten (see :mod:`disan.preservation.bucket`).
    """
    with bucket.object_lock(object_id):
        bucket.ensure_root(store, primary.root)
        target = store.root / relative.as_posix()
        current, _faults = read_inventory(target)
        if current is not None and current.raw == source.inventory.raw:
            return False
        held = target.files()
        covered = set()
        if current is not None and current.data["id"] == source.inventory.data["id"]:
            covered = set(current.data["versions"])

        placements = [
            Placement(
                relative_path,
                source.object_dir / relative_path,
                digest,
                link=relative_path in held
                and relative_path.split("/", 1)[0] in covered,
                algorithm=source.inventory.algorithm,
            )
            for relative_path, digest in sorted(source.inventory.manifest_paths.items())
        ]
        placements.extend(_version_inventories(source))
        bucket.install_copy(
            store, object_id, placements, source.inventory.raw, label=str(store.root)
        )
    return True


def _version_inventories(source):
    # read_inventory() checked each sidecar against these very bytes.
    return [
        Placement(
            f"{version}/inventory.json",
            inventory.source,
            inventory_digest(inventory.raw, inventory.algorithm),
            algorithm=inventory.algorithm,
        )
        for version, inventory in sorted(source.version_inventories.items())
    ]


def _record(document, object_id, label, source, error):
    outcome = PreservationEvent.Outcome
    head = source.inventory.data["head"]
    record_event(
        document=document or ledger.document_for(object_id),
        event_type=PreservationEvent.Type.REPLICATION,
        outcome=outcome.FAILURE if error else outcome.SUCCESS,
        detail=(
            f"Copy of {object_id} to replica {label} failed: {error}"
            if error
            else f"Copied {object_id} {head} to replica {label}."
        ),
        data={
            "object_id": object_id,
            "replica": label,
            "version": source.inventory.data["head"],
            "error": error,
        },
    )
