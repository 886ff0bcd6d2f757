"""Write a copy of an OCFL object into a bucket, in an order a crash cannot harm.

A bucket has no rename, so a copy there cannot be switched in at once the
way a tree on disk is (:mod:`disan.preservation.restore`). Each file is a
write of its own instead, in this order:

1. files that repair names as damaged are kept in DISAN_HOME/quarantine
   before anything replaces or removes them;
2. the object declaration, then content files and version inventories in
   the order given (oldest version first), each read back and hashed after
   it is written;
3. the root inventory, then its sidecar, last.

So a replication that stops anywhere leaves files no inventory names yet
(the audit calls the copy out of date), never an inventory naming files
that are not there. Nothing in the bucket is overwritten unless repair set
it aside, or it is the root inventory (or sidecar) of an earlier state of
the same object: any other file in the way is hashed, kept if it is the
same, and otherwise the write stops with :class:`ReplicaConflict`.

# Limitation: the check before a write and the write are two requests; a
# program other than Disan writing the same keys in between is not seen.
# S3's conditional writes (If-None-Match) would close that gap but not every
# S3-compatible service supports them.
"""

import hashlib
import io
import json
import logging
import os

from disan.preservation.exceptions import ReplicaConflict, RestoreError
from disan.preservation.fixity import (
    DECLARATION,
    DECLARATION_TEXT,
    INVENTORY,
    file_digest,
    inventory_digest,
    sidecar_name,
)
from disan.preservation.restore import quarantine_folder, sidecar_text
from disan.preservation.storage import durable, get_store
from disan.preservation.storage.s3 import LAYOUT_FILE, ROOT_DECLARATION

logger = logging.getLogger(__name__)


def object_lock(object_id):
    """Return the lock held while an object's bucket copies are written.

    One process of this installation at a time writes them (replication or
    repair); the lock file lies in the primary's work folder.
    """
    key = hashlib.sha256(object_id.encode("utf-8")).hexdigest()
    return durable.FileLock(get_store().work_dir / "locks" / f"{key}.replica.lock")


def ensure_root(store, primary_root):
    """Give the bucket prefix the primary's storage-root files if it lacks them.

    The layout files first and the ``0=ocfl_1.1`` declaration last, so a
    prefix is declared only once its layout can be read. A prefix holding
    other files, or other root files, is refused.
    """
    if store.declared():
        return
    names = _root_files(primary_root)
    _refuse_foreign(store, names)
    for relative in sorted(names, key=lambda name: name == ROOT_DECLARATION):
        data = (primary_root / relative).read_bytes()
        existing = store.get_optional(relative)
        if existing == data:
            continue
        if existing is not None:
            raise ReplicaConflict(
                f"{store.url_of(relative)} differs from {primary_root / relative}: "
                f"{store.url} holds another storage root. Give the replica a prefix "
                "of its own in DISAN_REPLICAS."
            )
        _write(store.root / relative, io.BytesIO(data), _hash(data), "sha256")
    logger.info("Declared OCFL storage root %s", store.url)


def _root_files(primary_root):
    names = [entry.name for entry in os.scandir(primary_root) if entry.is_file()]
    extensions = primary_root / "extensions"
    for folder, _dirs, files in os.walk(extensions):
        for name in files:
            path = os.path.relpath(os.path.join(folder, name), primary_root)
            names.append(path.replace(os.sep, "/"))
    if ROOT_DECLARATION not in names or LAYOUT_FILE not in names:
        raise ReplicaConflict(
            f"The primary storage root {primary_root} has no {ROOT_DECLARATION} or "
            f"{LAYOUT_FILE}, so it cannot be copied to a bucket; run `disan "
            "validate_storage`."
        )
    return names


def _refuse_foreign(store, names):
    # One page of the listing is enough to see files that are not ours; a
    # layout file of ours means a root whose declaration was lost.
    others = [name for name in store.some_files(len(names) + 1) if name not in names]
    if others and store.get_optional(LAYOUT_FILE) is None:
        raise ReplicaConflict(
            f"{store.url} is not empty and is not an OCFL storage root (it holds "
            f"{others[0]!r} and no {ROOT_DECLARATION}); give the replica an empty "
            "prefix in DISAN_REPLICAS."
        )


def install_copy(store, object_id, placements, inventory_raw, *, set_aside=(), label):
    """Write the object's files into ``store``; return quarantined pairs.

    ``placements`` and ``inventory_raw`` are as for
    :func:`disan.preservation.restore.install_copy`; a placement with
    ``link`` whose file the bucket holds is left as it is. Files at the
    paths in ``set_aside`` are copied to quarantine first, then replaced or
    removed. Return (relative path, quarantine path) pairs.
    """
    folder = _object_folder(store, object_id)
    held = folder.files()
    algorithm = json.loads(inventory_raw)["digestAlgorithm"]

    # Damaged files: keep their bytes before anything touches them.
    quarantined = _quarantine(folder, sorted(set(set_aside) & held.keys()), label)
    replaceable = {relative for relative, _path in quarantined}

    # Declaration, content and version inventories, each verified.
    _place_bytes(folder, DECLARATION, DECLARATION_TEXT, held, replaceable)
    tree = {DECLARATION, INVENTORY, sidecar_name(algorithm)}
    for placement in placements:
        tree.add(placement.relative)
        kept = placement.relative in held and placement.relative not in replaceable
        if placement.link and kept:
            continue
        _place(folder, placement, held, replaceable)
        if placement.relative.endswith("/" + INVENTORY):
            sidecar = f"{placement.relative}.{placement.algorithm}"
            tree.add(sidecar)
            _place_bytes(
                folder, sidecar, sidecar_text(placement.digest), held, replaceable
            )
    for relative in sorted(replaceable - tree):
        folder.store.delete((folder / relative).relative)

    # The root inventory and its sidecar last: only now is the copy whole.
    earlier = {
        placement.digest
        for placement in placements
        if placement.relative.endswith("/" + INVENTORY)
    }
    _write_root_inventory(folder, inventory_raw, algorithm, held, replaceable, earlier)
    logger.info("Wrote a copy of object %s to %s", object_id, store.url)
    return quarantined


def _object_folder(store, object_id):
    if not store.declared():
        ensure_root(store, get_store().root)
    return store.object_dir(object_id)


def _quarantine(folder, relatives, label):
    if not relatives:
        return []
    target = quarantine_folder(label, folder.name)
    moved = []
    for relative in relatives:
        destination = target / relative
        durable.copy_with_digest(folder / relative, destination)
        moved.append((relative, destination))
        logger.warning("Quarantined %s of copy %s as %s", relative, label, destination)
    return moved


def _place(folder, placement, held, replaceable):
    target = folder / placement.relative
    if placement.relative in held and placement.relative not in replaceable:
        # Already there, from an interrupted write or another program.
        digest, size = file_digest(target, placement.algorithm)
        if digest == placement.digest:
            return
        raise ReplicaConflict(
            f"{target} already holds other bytes ({size} bytes, {digest}) than "
            f"{placement.source} ({placement.digest}); it was not overwritten. Run "
            "`disan audit`, then `disan repair` to set it aside."
        )
    source = placement.source
    local = isinstance(source, str | os.PathLike)
    reader = open(source, "rb") if local else source.open("rb")
    with reader:
        _write(
            target,
            reader,
            placement.digest,
            placement.algorithm,
            created=placement.relative not in held,
            origin=source,
        )


def _place_bytes(folder, relative, data, held, replaceable):
    target = folder / relative
    if relative in held and relative not in replaceable:
        if target.read_bytes() == data:
            return
        raise ReplicaConflict(
            f"{target} already holds other bytes than Disan would write there; it "
            "was not overwritten. Run `disan audit`, then `disan repair`."
        )
    _write(
        target, io.BytesIO(data), _hash(data), "sha256", created=relative not in held
    )


def _write_root_inventory(folder, raw, algorithm, held, replaceable, earlier):
    sidecar = sidecar_name(algorithm)
    new_text = sidecar_text(inventory_digest(raw, algorithm))
    current = _current(folder, INVENTORY, held, replaceable)
    current_sidecar = _current(folder, sidecar, held, replaceable)
    if (
        current not in (None, raw)
        and inventory_digest(current, algorithm) not in earlier
    ):
        raise ReplicaConflict(
            f"The root inventory of {folder} is not an earlier state of this "
            "object, so it was not overwritten. Run `disan audit`, then `disan "
            "repair`."
        )
    if current_sidecar not in (None, new_text) and _recorded(current_sidecar) not in (
        earlier
    ):
        raise ReplicaConflict(
            f"The inventory sidecar of {folder} records no earlier state of this "
            "object, so it was not overwritten. Run `disan audit`, then `disan "
            "repair`."
        )
    if current != raw:
        _write(folder / INVENTORY, io.BytesIO(raw), _hash(raw), "sha256")
    if current_sidecar != new_text:
        _write(folder / sidecar, io.BytesIO(new_text), _hash(new_text), "sha256")


def _current(folder, relative, held, replaceable):
    if relative not in held or relative in replaceable:
        return None
    return (folder / relative).read_bytes()


def _recorded(sidecar):
    try:
        return sidecar.decode("ascii").split()[0].lower()
    except (UnicodeDecodeError, IndexError):
        return None


def _write(target, reader, digest, algorithm, *, created=False, origin=None):
    """Upload ``reader`` to ``target``, then read it back and check ``digest``."""
    target.store.put(target.relative, reader)
    written, size = file_digest(target, algorithm)
    if written == digest:
        return
    if created:
        # Our own write of a file that was not there: take it back.
        target.store.delete(target.relative)
    raise RestoreError(
        f"{target} reads back as {written} ({size} bytes), not {digest}, after it "
        f"was written from {origin or 'memory'}; the source is damaged or "
        "changed, or the bucket altered it. Run `disan audit`."
    )


def _hash(data):
    return inventory_digest(data, "sha256")
