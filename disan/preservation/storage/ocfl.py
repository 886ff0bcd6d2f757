"""Masters in an OCFL 1.1 storage root, written through ocfl-py.

Layout: ``0003-hash-and-id-n-tuple-storage-layout`` (SHA-256, three tuples
of three hex digits, then the percent-encoded object id). ocfl-py 2.x
implements it and lists it as registered, so its validator and command line
tools read Disan's storage root without any Disan code; the id stays legible
in the last folder name, and the digest tuples keep folders small. (The
0004 hashed n-tuple layout is not implemented by ocfl-py 2.x; revisit if it
is and legible folder names stop mattering.)

Writing is crash-safe because nothing under the storage root is ever
changed in place. Each ``put`` builds the complete new object tree in a
work folder beside the storage root (``<root>-work``, which must be on the
same file system): earlier versions as hard links, the new version's
content as fsync'd copies, inventories and sidecars from ocfl-py. The tree
is then switched in with one rename (a new object) or one
renameat2(RENAME_EXCHANGE) (a new version), so a reader or a validator sees
the old object or the new one, never a half-written one. Leftovers of a
killed writer stay in the work folder, outside the storage root, and the
next ``put`` of that object removes them. Writers of one object are
serialized by an fcntl lock file in ``<root>-work/locks``.
"""

import errno
import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import ocfl
from ocfl.fsw import fsw_openfs
from ocfl.layout import LayoutException
from ocfl.validator import Validator

from disan.core.text import nfc
from disan.preservation.exceptions import (
    ContentNotFound,
    InvalidPut,
    ObjectCorrupted,
    ObjectNotFound,
    SourceFileError,
    StorageConfigurationError,
    StorageError,
)
from disan.preservation.storage import durable
from disan.preservation.storage.base import (
    FileEntry,
    ObjectStore,
    PutResult,
)
from disan.preservation.storage.naming import (
    normalize_files,
    normalize_logical_path,
    normalize_object_id,
)
from disan.preservation.storage.validation import validate_storage_root

logger = logging.getLogger(__name__)

LAYOUT_NAME = "0003-hash-and-id-n-tuple-storage-layout"
SPEC_VERSION = "1.1"
DIGEST_ALGORITHM = "sha256"
INVENTORY = "inventory.json"
COMMIT_MARKER = "switch.json"
# Files ocfl-py writes into a new storage root before its declaration.
ROOT_SKELETON = {"extensions", "ocfl_layout.json"}


class OCFLStore(ObjectStore):
    """An :class:`ObjectStore` on an OCFL 1.1 storage root on a local disk."""

    def __init__(self, root, work_dir=None, *, setting="DISAN_OCFL_ROOT"):
        self.root = Path(root)
        # The setting that names this root, for messages.
        self.setting = setting
        if work_dir is None:
            work_dir = self.root.with_name(self.root.name + "-work")
        self.work_dir = Path(work_dir)
        self._layout = None

    def __repr__(self):
        return f"OCFLStore({str(self.root)!r})"

    # --- Reading --------------------------------------------------------

    def object_dir(self, object_id):
        """Return the folder of an object (which may not exist yet)."""
        object_id = normalize_object_id(object_id)
        return self.root / self._object_layout().identifier_to_path(object_id)

    def exists(self, object_id):
        if not self._declared():
            return False
        return (self.object_dir(object_id) / INVENTORY).is_file()

    def head_version(self, object_id):
        if not self.exists(object_id):
            return None
        object_id = normalize_object_id(object_id)
        return self._read_inventory(object_id, self.object_dir(object_id)).head

    def files(self, object_id):
        object_id = normalize_object_id(object_id)
        if not self.exists(object_id):
            raise ObjectNotFound(
                f"No OCFL object {object_id!r} in storage root {self.root}; "
                "store its masters with put() first."
            )
        object_dir = self.object_dir(object_id)
        return _head_files(object_dir, self._read_inventory(object_id, object_dir))

    def path(self, object_id, logical_path):
        logical_path = normalize_logical_path(logical_path)
        entry = self.files(object_id).get(logical_path)
        if entry is None:
            raise ContentNotFound(
                f"Object {object_id!r} has no file {logical_path!r} in its head "
                "version; list its files with files() to see the logical paths."
            )
        return self.object_dir(object_id) / entry.content_path

    def validate(self, *, check_digests=True):
        return validate_storage_root(
            self.root, self.work_dir, check_digests=check_digests
        )

    def _read_inventory(self, object_id, object_dir):
        try:
            inventory = ocfl.Object(path=str(object_dir)).parse_inventory()
        except (ocfl.ObjectException, OSError, ValueError, KeyError) as err:
            raise ObjectCorrupted(
                f"The root inventory of OCFL object {object_id!r} at "
                f"{object_dir} cannot be read ({err}); run `disan "
                "validate_storage` and restore the object from a replica."
            ) from err
        if inventory.id != object_id:
            raise ObjectCorrupted(
                f"The folder {object_dir} of object {object_id!r} holds object "
                f"{inventory.id!r}; run `disan validate_storage` and move the "
                "object to its layout path."
            )
        if inventory.digest_algorithm != DIGEST_ALGORITHM:
            raise StorageError(
                f"OCFL object {object_id!r} uses {inventory.digest_algorithm} "
                "digests; Disan keeps SHA-256 only. Add a version with "
                "ocfl-py's digest change first."
            )
        return inventory

    # --- Writing --------------------------------------------------------

    def put(self, object_id, files, *, message, agent):
        object_id = normalize_object_id(object_id)
        entries = normalize_files(object_id, files)
        message = _required_text(object_id, "message", message)
        agent = _required_text(object_id, "agent", agent)
        self._ensure_root()
        object_dir = self.object_dir(object_id)
        key = hashlib.sha256(object_id.encode("utf-8")).hexdigest()

        with durable.FileLock(self.work_dir / "locks" / (key + ".lock")):
            self._recover(key, object_dir)
            return self._put_locked(object_id, object_dir, key, entries, message, agent)

    def update(self, object_id, files, *, message, agent):
        object_id = normalize_object_id(object_id)
        entries = normalize_files(object_id, files)
        message = _required_text(object_id, "message", message)
        agent = _required_text(object_id, "agent", agent)
        if not self._declared():
            raise ObjectNotFound(
                f"No OCFL object {object_id!r} in storage root {self.root}; "
                "store its masters with put() first."
            )
        object_dir = self.object_dir(object_id)
        key = hashlib.sha256(object_id.encode("utf-8")).hexdigest()

        with durable.FileLock(self.work_dir / "locks" / (key + ".lock")):
            self._recover(key, object_dir)
            if not object_dir.exists():
                raise ObjectNotFound(
                    f"No OCFL object {object_id!r} in storage root {self.root}; "
                    "store its masters with put() first."
                )
            # The head's state is read under the object's lock, so a version
            # written meanwhile is never undone by this one.
            head = _head_files(
                object_dir, self._inventory_to_extend(object_id, object_dir)
            )
            given = {logical_path for _, logical_path in entries}
            kept = [
                (object_dir / entry.content_path, logical_path)
                for logical_path, entry in head.items()
                if logical_path not in given
            ]
            return self._put_locked(
                object_id, object_dir, key, kept + entries, message, agent
            )

    def _put_locked(self, object_id, object_dir, key, entries, message, agent):
        # Plan the version with ocfl-py: it hashes each source and decides
        # which content is new (forward delta) and which is a duplicate.
        previous = None
        if object_dir.exists():
            previous = self._inventory_to_extend(object_id, object_dir)
            previous_head = previous.head
            previous_files = _head_files(object_dir, previous)
        new_version = _plan_version(object_id, previous, entries, message, agent)
        if previous is not None and not new_version.diff_with_previous():
            logger.info("Object %s unchanged at %s", object_id, previous_head)
            return PutResult(previous_head, False, previous_files)

        # Build the whole new object tree in the work folder, then switch it
        # in with one rename so no reader ever sees a partial version.
        staging = self.work_dir / "staging" / (f"{key}.{uuid.uuid4().hex}")
        staging.mkdir(parents=True)
        try:
            if previous is None:
                relative = object_dir.relative_to(self.root)
                staged = _stage(None, staging / "tree" / relative, new_version)
                self._place_new(staging / "tree", relative)
            else:
                staged = _stage(object_dir, staging / "object", new_version)
                self._switch(staged, object_dir, staging)
        finally:
            self._discard_staging(staging, object_dir)

        inventory = new_version.inventory
        logger.info("Stored object %s version %s", object_id, inventory.head)
        return PutResult(inventory.head, True, _head_files(object_dir, inventory))

    def install_object(self, object_id, build, *, on_replaced=None):
        """Switch in a whole object tree written by ``build(folder)``.

        For copies made outside ``put``: replicas and repairs. ``build``
        fills the empty ``folder`` (inside the work folder); the tree is
        fsync'd and switched in the way ``put`` switches a version, under
        the same lock. When an object was there, ``on_replaced(folder)`` is
        called with the replaced tree before it is removed, so damaged files
        can be set aside. Return True if an object was replaced.
        """
        object_id = normalize_object_id(object_id)
        self._ensure_root()
        object_dir = self.object_dir(object_id)
        key = hashlib.sha256(object_id.encode("utf-8")).hexdigest()

        with durable.FileLock(self.work_dir / "locks" / (key + ".lock")):
            self._recover(key, object_dir)
            staging = self.work_dir / "staging" / (f"{key}.{uuid.uuid4().hex}")
            staging.mkdir(parents=True)
            try:
                replaced = object_dir.exists()
                if replaced:
                    build(staging / "object")
                    durable.sync_tree(staging / "object")
                    self._switch(staging / "object", object_dir, staging)
                    # After an exchange the staged folder holds the old tree;
                    # after the fallback renames it is in "previous".
                    old_tree = staging / "previous"
                    if not old_tree.exists():
                        old_tree = staging / "object"
                    if on_replaced is not None:
                        on_replaced(old_tree)
                else:
                    relative = object_dir.relative_to(self.root)
                    build(staging / "tree" / relative)
                    durable.sync_tree(staging / "tree")
                    self._place_new(staging / "tree", relative)
            finally:
                self._discard_staging(staging, object_dir)
        logger.info("Installed a copy of object %s in %s", object_id, self.root)
        return replaced

    def _inventory_to_extend(self, object_id, object_dir):
        validator = Validator(check_digests=False, log_warnings=False)
        if not validator.validate_object(str(object_dir)):
            raise ObjectCorrupted(
                f"OCFL object {object_id!r} at {object_dir} is not valid, so no "
                f"version was added: {validator.status_str()}. Restore it from "
                "a replica, then retry."
            )
        return self._read_inventory(object_id, object_dir)

    def _place_new(self, tree, relative):
        # Rename the highest folder of the object path that is still missing,
        # so intermediate folders appear together with the object and the
        # root never holds an empty folder. Another writer may create one of
        # them meanwhile; then go one level deeper.
        parts = relative.parts
        for _attempt in range(len(parts) + 1):
            depth = next(
                (
                    i
                    for i in range(len(parts))
                    if not self.root.joinpath(*parts[: i + 1]).exists()
                ),
                None,
            )
            if depth is None:
                break
            target = self.root.joinpath(*parts[: depth + 1])
            try:
                os.rename(tree.joinpath(*parts[: depth + 1]), target)
            except OSError as err:
                if err.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    continue
                raise StorageError(
                    f"Cannot move new object into {target} ({err}); check the "
                    "permissions of the storage root."
                ) from err
            durable.sync_dir(target.parent)
            return
        raise StorageError(
            f"Object folder {self.root.joinpath(*parts)} appeared while its "
            "first version was written; another program writes to the storage "
            "root without Disan's locks."
        )

    def _switch(self, staged, object_dir, staging):
        try:
            durable.exchange(staged, object_dir)
        except OSError as err:
            if err.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
                raise StorageError(
                    f"Cannot switch in the new version of {object_dir} ({err})."
                ) from err
            self._switch_by_renames(staged, object_dir, staging)
        durable.sync_dir(object_dir.parent)

    def _switch_by_renames(self, staged, object_dir, staging):
        # Without an atomic swap the object is briefly missing (the storage
        # root stays valid). The marker lets the next put of this object roll
        # the switch forward if the process dies between the two renames.
        marker = json.dumps({"object_dir": str(object_dir)})
        durable.write_file(staging / COMMIT_MARKER, marker.encode("utf-8"))
        previous = staging / "previous"
        os.rename(object_dir, previous)
        try:
            os.rename(staged, object_dir)
        except OSError as err:
            os.rename(previous, object_dir)
            raise StorageError(
                f"Cannot switch in the new version of {object_dir} ({err}); the "
                "previous version is back in place. Check permissions and retry."
            ) from err

    def _discard_staging(self, staging, object_dir):
        # A switch by renames that stopped halfway holds the only copy of the
        # object in its staging folder: keep it for _recover().
        if (staging / COMMIT_MARKER).is_file() and not object_dir.exists():
            logger.warning("Kept staging folder %s of an unfinished switch", staging)
            return
        shutil.rmtree(staging, ignore_errors=True)

    def _recover(self, key, object_dir):
        # Called with the object's lock held: any staging folder of this
        # object belongs to a writer that died.
        staging_root = self.work_dir / "staging"
        if not staging_root.is_dir():
            return
        for leftover in sorted(staging_root.glob(key + ".*")):
            staged = leftover / "object"
            if (leftover / COMMIT_MARKER).is_file() and not object_dir.exists():
                if staged.is_dir():
                    os.rename(staged, object_dir)
                    durable.sync_dir(object_dir.parent)
                    logger.warning("Finished interrupted switch of %s", object_dir)
            shutil.rmtree(leftover)
            logger.warning("Removed staging folder %s of an interrupted put", leftover)

    # --- Storage root ---------------------------------------------------

    def declared(self):
        """Return True if the storage root exists and holds its declaration."""
        return self._declared()

    def _declared(self):
        return self.root.is_dir() and any(self.root.glob("0=ocfl_*"))

    def _ensure_root(self):
        if self._layout is not None:
            return
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with durable.FileLock(self.work_dir / "locks" / "storage-root.lock"):
            if not self._declared():
                self._initialize_root()
        if os.stat(self.root).st_dev != os.stat(self.work_dir).st_dev:
            raise StorageConfigurationError(
                f"The OCFL storage root {self.root} and its work folder "
                f"{self.work_dir} are on different file systems, so versions "
                "cannot be switched in atomically; put the storage root inside "
                "a folder of its file system."
            )
        self._object_layout()

    def _initialize_root(self):
        if self.root.exists():
            present = {entry.name for entry in self.root.iterdir()}
            if present - ROOT_SKELETON:
                raise StorageConfigurationError(
                    f"{self.root} is not empty and is not an OCFL storage root "
                    f"(no 0=ocfl_1.1 file); point {self.setting} at an empty or "
                    "missing folder."
                )
            # What an interrupted initialization left; start again.
            for name in present:
                _remove(self.root / name)

        staged = self.work_dir / "staging" / (f"storage-root.{uuid.uuid4().hex}")
        staged.parent.mkdir(parents=True, exist_ok=True)
        storage_root = ocfl.StorageRoot(root=str(staged), layout_name=LAYOUT_NAME)
        storage_root.initialize(spec_version=SPEC_VERSION)
        durable.sync_tree(staged)

        if self.root.exists():
            # An empty folder, perhaps a mount point: fill it, declaration last.
            for entry in sorted(
                staged.iterdir(), key=lambda p: p.name.startswith("0=")
            ):
                os.rename(entry, self.root / entry.name)
            staged.rmdir()
        else:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staged, self.root)
        durable.sync_dir(self.root)
        durable.sync_dir(self.root.parent)
        logger.info(
            "Created OCFL storage root %s with layout %s", self.root, LAYOUT_NAME
        )

    def _object_layout(self):
        if self._layout is None:
            storage_root = ocfl.StorageRoot(root=str(self.root))
            try:
                storage_root.open_root_fs()
                storage_root.check_root_structure()
            except (ocfl.StorageRootException, LayoutException) as err:
                raise StorageConfigurationError(
                    f"{self.root} is not a usable OCFL storage root ({err}); "
                    "run `disan validate_storage` for details."
                ) from err
            if storage_root.layout is None:
                raise StorageConfigurationError(
                    f"OCFL storage root {self.root} declares no storage layout; add an "
                    f"ocfl_layout.json naming {LAYOUT_NAME}."
                )
            self._layout = storage_root.layout
        return self._layout


def _plan_version(object_id, previous, entries, message, agent):
    """Return an ocfl-py NewVersion holding ``entries`` as its whole state."""
    metadata = ocfl.VersionMetadata(message=message, name=agent)
    if previous is None:
        new_version = ocfl.NewVersion.first_version(
            srcdir="/",
            identifier=object_id,
            spec_version=SPEC_VERSION,
            digest_algorithm=DIGEST_ALGORITHM,
            metadata=metadata,
        )
    else:
        new_version = ocfl.NewVersion.next_version(
            inventory=previous,
            srcdir="/",
            spec_version=SPEC_VERSION,
            metadata=metadata,
            carry_content_forward=False,
        )
    prefix = f"{new_version.inventory.head}/{new_version.content_directory}/"
    for source, logical_path in entries:
        try:
            new_version.add(
                source.relative_to("/").as_posix(),
                logical_path,
                content_path=prefix + logical_path,
            )
        except OSError as err:
            raise SourceFileError(
                f"Cannot read source file {source} for object {object_id!r} "
                f"({err}); check that it exists and is readable."
            ) from err
        except ocfl.NewVersionException as err:
            raise InvalidPut(
                f"Cannot add {logical_path!r} to object {object_id!r}: {err}"
            ) from err
    return new_version


def _stage(existing_dir, target, new_version):
    """Write the complete new object tree at ``target`` and fsync it."""
    inventory = new_version.inventory
    target.mkdir(parents=True)

    # Earlier versions never change: share their files by hard links.
    if existing_dir is not None:
        for version_dir in inventory.version_directories[:-1]:
            durable.link_tree(existing_dir / version_dir, target / version_dir)

    # New content, checked byte for byte against the planned digest so a
    # source changed since it was hashed is refused.
    planned = {
        path: digest for digest, paths in inventory.manifest.items() for path in paths
    }
    for source, content_path in new_version.files_to_copy.items():
        source = Path("/", source)
        try:
            digest, _size = durable.copy_with_digest(source, target / content_path)
        except OSError as err:
            raise StorageError(
                f"Cannot copy {source} into object {inventory.id!r} ({err}); "
                "check free space and permissions, then retry."
            ) from err
        if digest != planned[content_path]:
            raise SourceFileError(
                f"Source file {source} of object {inventory.id!r} changed while "
                "it was stored; wait until nothing writes to it, then retry."
            )

    # Inventories, sidecars and the object declaration, written by ocfl-py.
    writer = ocfl.Object(
        identifier=inventory.id,
        spec_version=inventory.spec_version,
        digest_algorithm=DIGEST_ALGORITHM,
        obj_fs=fsw_openfs(str(target)),
    )
    writer.write_inventory_and_sidecar(inventory, inventory.head)
    writer.write_inventory_and_sidecar(inventory)
    writer.write_object_declaration()
    durable.sync_tree(target)
    return target


def _head_files(object_dir, inventory):
    files = {}
    for digest, logical_paths in inventory.current_version.state.items():
        content_path = inventory.manifest[digest][0]
        try:
            size = (object_dir / content_path).stat().st_size
        except OSError as err:
            raise ObjectCorrupted(
                f"Content file {content_path} of OCFL object {inventory.id!r} "
                f"is missing ({err}); run `disan validate_storage` and restore "
                "the object from a replica."
            ) from err
        for logical_path in logical_paths:
            files[logical_path] = FileEntry(digest, size, content_path)
    return dict(sorted(files.items()))


def _required_text(object_id, name, value):
    if not isinstance(value, str) or not value.strip():
        raise InvalidPut(
            f"The {name} of a new version of object {object_id!r} is empty; "
            "say what changed and who changed it."
        )
    return nfc(value)


def _remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
