"""Repair: rebuild each damaged copy of an object from intact copies.

For every copy with a fault, the object's whole tree is rebuilt in the
store's work folder: intact files of that copy are hard-linked, damaged or
missing ones are copied from a copy whose file matches the inventory's
digest and read back to verify, and the tree is switched in atomically.
The damaged files of the replaced tree are moved to DISAN_HOME/quarantine,
never deleted. A copy in a bucket is mended file by file instead (see
:mod:`disan.preservation.bucket`); its damaged files are copied to the same
quarantine before they are replaced or removed. Any copy may give to any
other: a bucket to the primary as well as the primary to a bucket.

A file that no copy holds intact is LOST: it is reported, and its damaged
bytes stay where they are. Every restored or quarantined file gets a
PREMIS event, and the object is audited again afterwards.
"""

import logging
from dataclasses import dataclass, field

from disan.core.exceptions import DisanError
from disan.preservation import audit, ledger
from disan.preservation.events import record_event
from disan.preservation.fixity import (
    DECLARATION,
    DECLARATION_TEXT,
    DIGEST_ALGORITHMS,
    INVENTORY,
    Code,
    inventory_digest,
    read_inventory,
    sidecar_name,
)
from disan.preservation.models import PreservationEvent
from disan.preservation.replicas import copies as configured_copies
from disan.preservation.restore import Placement, install_copy, sidecar_text

logger = logging.getLogger(__name__)

# Faults whose file is moved aside rather than kept.
_SET_ASIDE = {
    Code.CHANGED,
    Code.TRUNCATED,
    Code.UNEXPECTED,
    Code.INVENTORY_DAMAGED,
    Code.INVENTORY_DIGEST_MISMATCH,
}


class Action:
    RESTORED = "restored"
    QUARANTINED = "quarantined"
    LOST = "lost"
    FAILED = "failed"


@dataclass
class FileAction:
    """One thing repair did, or would do with ``dry_run``, to one file."""

    object_id: str
    copy: str
    path: str
    action: str
    detail: str = ""

    def as_dict(self):
        return dict(vars(self))


@dataclass
class RepairReport:
    actions: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def lost(self):
        return [a for a in self.actions if a.action == Action.LOST]

    @property
    def failed(self):
        return [a for a in self.actions if a.action == Action.FAILED]

    @property
    def ok(self):
        return not self.lost and not self.failed


def repair(object_ids=None, *, dry_run=False, workers=None, copies=None):
    """Repair every damaged copy of ``object_ids`` (default: all objects)."""
    copies = copies if copies is not None else configured_copies()
    if object_ids is None:
        object_ids = audit.list_object_ids(copies)
    report = RepairReport(dry_run=dry_run)
    for object_id in object_ids:
        (result,) = audit.check_objects([object_id], copies, workers=workers)
        if result.ok:
            continue
        report.actions.extend(_repair_object(result, copies, dry_run))
        if not dry_run:
            audit.audit([object_id], workers=workers, copies=copies)
    return report


def _repair_object(result, copies, dry_run):
    object_id, reference = result.object_id, result.reference
    if reference is None:
        return [
            FileAction(
                object_id,
                "*",
                INVENTORY,
                Action.LOST,
                "no copy has an intact inventory",
            )
        ]
    document = None if dry_run else ledger.document_for(object_id)
    folders = audit.object_folders(object_id, copies)
    actions = [
        FileAction(object_id, "*", path, Action.LOST, "no copy holds it intact")
        for path in result.lost
    ]
    if not dry_run:
        for path in result.lost:
            record_event(
                document=document,
                event_type=PreservationEvent.Type.REPLICATION,
                outcome=PreservationEvent.Outcome.FAILURE,
                detail="Repair: LOST, no copy holds this file with its digest.",
                data={"object_id": object_id, "repair": True, "lost": True},
                file_path=path,
            )
    for index, copy in enumerate(result.copies):
        if copy.ok:
            continue
        label, store = copies[index]
        placements, restored = _placements(result, index, folders)
        set_aside = _set_aside(copy, result.lost)
        restored += _rewritten(result, index, folders, set_aside, restored)
        quarantined = [(path, "") for path in sorted(set_aside)]
        if not dry_run:
            try:
                moved = install_copy(
                    store,
                    object_id,
                    placements,
                    reference.raw,
                    set_aside=set_aside,
                    label=label,
                )
            except (OSError, DisanError) as err:
                logger.error("Repair of %s in %s failed: %s", object_id, label, err)
                actions.append(
                    FileAction(object_id, label, "", Action.FAILED, str(err))
                )
                continue
            quarantined = moved
            logger.info("Repaired copy %s of object %s", label, object_id)
        # In the order they happen: damaged files are set aside first.
        for path, moved_to in quarantined:
            actions.append(
                FileAction(object_id, label, path, Action.QUARANTINED, str(moved_to))
            )
        for path, source in restored:
            actions.append(
                FileAction(object_id, label, path, Action.RESTORED, f"from {source}")
            )
        if not dry_run:
            _record(document, object_id, label, restored, quarantined)
    return actions


def _placements(result, index, folders):
    """Return the placements of copy ``index`` and (path, source) restored."""
    reference, copy = result.reference, result.copies[index]
    algorithm = reference.algorithm
    placements, restored = [], []
    for relative, digest in sorted(reference.manifest_paths.items()):
        own = folders[index] / relative
        if relative in copy.good:
            placements.append(Placement(relative, own, digest, True, algorithm))
            continue
        donor = next(
            (i for i, other in enumerate(result.copies) if relative in other.good), None
        )
        if donor is not None:
            source = folders[donor] / relative
            placements.append(Placement(relative, source, digest, False, algorithm))
            restored.append((relative, result.copies[donor].label))
        elif own.is_file():
            # Lost everywhere: keep this copy's bytes, the best there are.
            placements.append(Placement(relative, own, digest, True, algorithm))

    # Version inventories: any intact one of any copy will do.
    for version in reference.data["versions"]:
        relative = f"{version}/{INVENTORY}"
        source = _intact_version_inventory(result, folders, version, index)
        if source is None and version == reference.data["head"]:
            source = reference.source
        if source is not None:
            data = source.read_bytes()
            digest = inventory_digest(data, algorithm)
            placements.append(Placement(relative, source, digest, False, algorithm))
            own = _bytes_of(folders[index] / relative)
            if relative in _fault_paths(copy) or own != data:
                restored.append((relative, "an intact inventory"))
    return placements, restored


def _rewritten(result, index, folders, set_aside, restored):
    """Return (path, source) for the faulty inventories, sidecars and
    declaration of copy ``index`` that the rebuilt copy writes anew.

    Content files and version inventories are in ``restored`` already.
    """
    reference, copy = result.reference, result.copies[index]
    algorithm = reference.algorithm
    sidecar = sidecar_name(algorithm)
    written = {
        INVENTORY: _copy_of(reference.source, result, folders),
        sidecar: "its inventory",
        DECLARATION: "the OCFL object declaration",
    }
    # What each of them holds once written.
    expected = {
        INVENTORY: reference.raw,
        sidecar: sidecar_text(inventory_digest(reference.raw, algorithm)),
        DECLARATION: DECLARATION_TEXT,
    }
    for version in reference.data["versions"]:
        written[f"{version}/{sidecar}"] = "its inventory"
        source = _intact_version_inventory(result, folders, version, index)
        if source is None and version == reference.data["head"]:
            source = reference.source
        if source is not None:
            expected[f"{version}/{sidecar}"] = sidecar_text(
                inventory_digest(source.read_bytes(), algorithm)
            )
    done = {path for path, _source in restored}
    paths = (_fault_paths(copy) | set(set_aside)) & written.keys()
    # A file the copy lacks or holds otherwise is written too, fault or
    # not (an out-of-date copy's root inventory and sidecar, say).
    paths.update(
        path
        for path, data in expected.items()
        if _bytes_of(folders[index] / path) != data
    )
    return [(path, written[path]) for path in sorted(paths - done)]


def _bytes_of(path):
    """Return the bytes of a copy's file, or None if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _copy_of(source, result, folders):
    # The label of the copy whose folder holds the reference inventory.
    for folder, copy in zip(folders, result.copies, strict=True):
        if str(source).startswith(str(folder).rstrip("/") + "/"):
            return copy.label
    return "an intact inventory"


def _intact_version_inventory(result, folders, version, prefer):
    order = [prefer] + [i for i in range(len(folders)) if i != prefer]
    for i in order:
        inventory, _faults = read_inventory(folders[i] / version, version)
        if inventory is not None:
            return inventory.source
    return None


def _fault_paths(copy):
    return {fault.path for fault in copy.faults}


def _set_aside(copy, lost):
    paths = set()
    for fault in copy.faults:
        if fault.code not in _SET_ASIDE or fault.path in lost:
            continue
        paths.add(fault.path)
        if fault.code in (Code.INVENTORY_DAMAGED, Code.INVENTORY_DIGEST_MISMATCH):
            # Either half of the pair may be the damaged one: keep both.
            folder = fault.path[: -len(INVENTORY)]
            paths.update(folder + sidecar_name(name) for name in DIGEST_ALGORITHMS)
    return paths


def _record(document, object_id, label, restored, quarantined):
    # PREMIS has no "repair" event type; a repair is a replication from an
    # intact copy, told apart by data["repair"].
    for path, source in restored:
        record_event(
            document=document,
            event_type=PreservationEvent.Type.REPLICATION,
            outcome=PreservationEvent.Outcome.SUCCESS,
            detail=(
                f"Repair: restored in copy {label} from {source}; digest "
                "verified after writing."
            ),
            data={
                "object_id": object_id,
                "copy": label,
                "source": source,
                "repair": True,
            },
            file_path=path,
        )
    for path, moved_to in quarantined:
        record_event(
            document=document,
            event_type=PreservationEvent.Type.REPLICATION,
            outcome=PreservationEvent.Outcome.SUCCESS,
            detail=f"Repair: damaged file of copy {label} kept as {moved_to}.",
            data={
                "object_id": object_id,
                "copy": label,
                "repair": True,
                "quarantine": str(moved_to),
            },
            file_path=path,
        )
