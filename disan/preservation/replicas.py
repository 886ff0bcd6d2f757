"""Replicas: further OCFL storage roots holding a full copy of every object.

``DISAN_REPLICAS`` lists their paths (comma-separated). Each replica is an
ordinary storage root written by :class:`OCFLStore`, so it validates on its
own and can replace the primary. ``replicate(object_id)`` brings every
replica's copy of one object up to the primary's; ingest calls it after
each store step.

# Limitation: only local paths (or mounted network file systems) can be
# replicas; an S3-compatible bucket would need an ObjectStore on an object
# API, which matters once an off-site copy without a mount is wanted.
"""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from disan.core.exceptions import DisanError
from disan.preservation import ledger
from disan.preservation.events import record_event
from disan.preservation.exceptions import ReplicaConfigurationError, StorageError
from disan.preservation.fixity import read_copy, read_inventory
from disan.preservation.models import PreservationEvent
from disan.preservation.restore import Placement, install_copy
from disan.preservation.storage import OCFLStore, get_store

logger = logging.getLogger(__name__)

PRIMARY = "primary"


@dataclass(frozen=True)
class ReplicationResult:
    """What ``replicate`` did to one replica."""

    copy: str
    changed: bool
    error: str = ""


def replica_stores():
    """Return an OCFLStore for each path in DISAN_REPLICAS, in order."""
    primary = Path(settings.DISAN_OCFL_ROOT).absolute()
    stores = []
    for value in settings.DISAN_REPLICAS:
        if "://" in value:
            raise ReplicaConfigurationError(
                f"DISAN_REPLICAS names {value!r}; only local folders can be "
                "replicas for now. Mount the bucket or give a folder path."
            )
        root = Path(value).expanduser().absolute()
        if root == primary:
            raise ReplicaConfigurationError(
                f"DISAN_REPLICAS names the primary storage root {root}; a "
                "replica must be another folder, ideally on another disk."
            )
        stores.append(OCFLStore(root))
    return stores


def copies():
    """Return (label, store) for the primary and then each replica."""
    return [(PRIMARY, get_store())] + [
        (str(store.root), store) for store in replica_stores()
    ]


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
    for store in replica_stores():
        label = str(store.root)
        try:
            relative = primary_dir.relative_to(primary.root)
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
        placements.append(Placement(relative, origin, digest, link=same))
    for version, inventory in sorted(source.version_inventories.items()):
        placements.append(
            Placement(f"{version}/inventory.json", inventory.source, _digest(inventory))
        )
    install_copy(
        store, object_id, placements, source.inventory.raw, label=str(store.root)
    )
    return True


def _digest(inventory):
    # read_inventory() checked the sidecar against these very bytes.
    return hashlib.sha256(inventory.raw).hexdigest()


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
