"""Write a whole copy of an OCFL object from verified files of other copies.

Replication and repair both come down to one operation: build the object's
complete tree in the target store's work folder, taking each file either
from the target copy itself (a hard link, when that file is known good) or
from another copy (a verified copy), then switch the tree in atomically with
:meth:`OCFLStore.install_object`. Nothing in a storage root is overwritten
in place, and files of the replaced tree named as damaged are moved to the
quarantine folder instead of being deleted. A copy in a bucket has no
atomic switch: :mod:`disan.preservation.bucket` writes it instead.
"""

import errno
import filecmp
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from disan.preservation.exceptions import ReplicaConflict, RestoreError
from disan.preservation.fixity import (
    DECLARATION,
    DECLARATION_TEXT,
    INVENTORY,
    file_digest,
    inventory_digest,
    sidecar_name,
)
from disan.preservation.storage import durable
from disan.preservation.storage.s3 import S3Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placement:
    """Where one file of the new tree comes from."""

    relative: str
    # A local Path or an S3Path.
    source: object
    # Digest the written file must have; checked again after writing.
    digest: str
    # True: the target copy's own file, already known good (a hard link).
    link: bool = False
    # The object's digest algorithm, which ``digest`` is in.
    algorithm: str = "sha256"


def install_copy(store, object_id, placements, inventory_raw, *, set_aside=(), label):
    """Write the object's tree into ``store`` and switch it in.

    ``inventory_raw`` becomes the root inventory (its sidecar is written
    from its digest). Files of the replaced tree at the paths in
    ``set_aside`` are moved to quarantine. Return (relative path,
    quarantine path) pairs.
    """
    if isinstance(store, S3Store):
        # Imported here: the bucket module builds on this one.
        from disan.preservation import bucket

        with bucket.object_lock(object_id):
            return bucket.install_copy(
                store,
                object_id,
                placements,
                inventory_raw,
                set_aside=set_aside,
                label=label,
            )
    quarantined = []

    def build(target):
        build_tree(target, placements, inventory_raw)
        current = store.object_dir(object_id)
        if current.is_dir():
            keep_unknown_files(current, target, set_aside, label)

    def on_replaced(old_tree):
        name = store.object_dir(object_id).name
        quarantined.extend(quarantine(old_tree, set_aside, label, name))

    store.install_object(object_id, build, on_replaced=on_replaced)
    return quarantined


def build_tree(target, placements, inventory_raw):
    """Fill the empty folder ``target`` with the object's files."""
    target.mkdir(parents=True)
    for placement in placements:
        destination = target / placement.relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if placement.link and _link(placement.source, destination):
            continue
        _copy_verified(placement, destination)
        if placement.relative.endswith("/" + INVENTORY):
            _write_sidecar(destination.parent, placement.digest, placement.algorithm)

    # The root inventory, its sidecar and the declaration close the tree.
    algorithm = json.loads(inventory_raw)["digestAlgorithm"]
    durable.write_file(target / INVENTORY, inventory_raw)
    _write_sidecar(target, inventory_digest(inventory_raw, algorithm), algorithm)
    durable.write_file(target / DECLARATION, DECLARATION_TEXT)


def keep_unknown_files(current, target, set_aside, label):
    """Carry into ``target`` what of ``current`` it would otherwise destroy.

    ``current`` is the tree about to be replaced by ``target``, as a bucket
    copy is written over what the bucket holds (see
    :mod:`disan.preservation.bucket`): a file of ``current`` that the new
    tree lacks is kept at its path (the audit then reports it unexpected,
    and ``disan repair`` moves it to quarantine); a file the new tree holds
    with other bytes stops the write with :class:`ReplicaConflict`, unless
    ``set_aside`` names it or it is the root inventory (or its sidecar) of
    an earlier state of the object.
    """
    for folder, _dirs, names in os.walk(current):
        for name in names:
            old = Path(folder) / name
            relative = old.relative_to(current).as_posix()
            if relative in set_aside:
                continue
            new = target / relative
            if not os.path.lexists(new):
                new.parent.mkdir(parents=True, exist_ok=True)
                if not _link(old, new):
                    shutil.copy2(old, new)
                logger.warning(
                    "Kept %s of copy %s, a file Disan did not write, at its path",
                    relative,
                    label,
                )
                continue
            if _same_bytes(old, new) or (
                "/" not in relative and _earlier_state(old, target, name)
            ):
                continue
            raise ReplicaConflict(
                f"{old} already holds other bytes than the copy Disan would write "
                "there; it was not overwritten. Run `disan audit`, then `disan "
                "repair` to set it aside."
            )


def _same_bytes(first, second):
    return os.path.samefile(first, second) or filecmp.cmp(first, second, shallow=False)


def _earlier_state(old, target, name):
    # A root inventory or sidecar that some version folder holds unchanged.
    return any(
        _same_bytes(old, version / name)
        for version in target.iterdir()
        if version.is_dir() and (version / name).is_file()
    )


def _link(source, destination):
    try:
        os.link(source, destination)
    except OSError as err:
        if err.errno in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
            return False
        raise
    return True


def _copy_verified(placement, destination):
    try:
        digest, _size = durable.copy_with_digest(
            placement.source, destination, placement.algorithm
        )
    except OSError as err:
        raise RestoreError(
            f"Cannot copy {placement.source} to {destination} ({err}); check "
            "that the copy is readable and the target has free space."
        ) from err
    if digest != placement.digest:
        raise RestoreError(
            f"{placement.source} hashes to {digest} while copied, not "
            f"{placement.digest}; it changed or is damaged. Run `disan audit`."
        )
    # Read back what reached the disk, not what passed through memory.
    written, _size = file_digest(destination, placement.algorithm)
    if written != placement.digest:
        raise RestoreError(
            f"The copy {destination} of {placement.source} reads back as "
            f"{written}, not {placement.digest}; check the target disk."
        )


def _write_sidecar(folder, digest, algorithm):
    durable.write_file(folder / sidecar_name(algorithm), sidecar_text(digest))


def sidecar_text(digest):
    """Return the bytes of an inventory sidecar recording ``digest``."""
    return f"{digest} {INVENTORY}\n".encode("ascii")


def quarantine(old_tree, relatives, label, object_name):
    """Move the files ``relatives`` of ``old_tree`` into the quarantine folder.

    Return (relative path, new path) pairs. The folder is
    DISAN_HOME/quarantine/<UTC time>/<copy label>/<object folder>/<path>.
    """
    if not relatives:
        return []
    folder = quarantine_folder(label, object_name)
    moved = []
    for relative in sorted(set(relatives)):
        source = Path(old_tree) / relative
        if not source.is_file():
            continue
        destination = folder / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, destination)
        moved.append((relative, destination))
        logger.warning("Quarantined %s of copy %s as %s", relative, label, destination)
    return moved


def quarantine_folder(label, object_name):
    """Return a new folder for damaged files of one copy of one object."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return Path(settings.DISAN_HOME) / "quarantine" / stamp / _slug(label) / object_name


def _slug(label):
    return re.sub(r"[^\w.-]+", "_", label).strip("_") or "copy"
