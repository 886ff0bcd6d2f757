"""Fixity of OCFL objects: read inventories, plan and classify file checks.

Each copy of an object (the primary storage root or a replica) is checked
against the inventory it holds itself, or, when that inventory is missing
or damaged, against the newest intact inventory of any copy. Every finding
is a :class:`Fault` with a stable code from :class:`Code` and the path of
the file relative to the object's folder, so reports, tests and repair all
speak of the same thing.

A copy's folder is a :class:`pathlib.Path`, or an
:class:`~disan.preservation.storage.s3.S3Path` for a copy in a bucket; both
are read with the same calls, and only listing a folder differs.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

INVENTORY = "inventory.json"
SIDECAR = "inventory.json.sha256"
# Digest algorithms an inventory may name; Disan itself writes SHA-256.
DIGEST_ALGORITHMS = ("sha256", "sha512")
DECLARATION = "0=ocfl_object_1.1"
DECLARATION_TEXT = b"ocfl_object_1.1\n"
# Folders an OCFL object may hold beside its versions, not in any manifest.
FREE_FOLDERS = ("extensions", "logs")
_VERSION = re.compile(r"^v(\d+)$")


class Code:
    """Stable codes of fixity faults, as printed and stored."""

    CHANGED = "changed"
    TRUNCATED = "truncated"
    MISSING = "missing"
    UNEXPECTED = "unexpected"
    INVENTORY_MISSING = "inventory-missing"
    INVENTORY_DAMAGED = "inventory-damaged"
    INVENTORY_DIGEST_MISMATCH = "inventory-digest-mismatch"
    SIDECAR_MISSING = "sidecar-missing"
    DECLARATION_MISSING = "declaration-missing"
    OBJECT_MISSING = "object-missing"
    OUT_OF_DATE = "out-of-date"

    INVENTORY_CODES = frozenset(
        {
            INVENTORY_MISSING,
            INVENTORY_DAMAGED,
            INVENTORY_DIGEST_MISMATCH,
            SIDECAR_MISSING,
        }
    )


@dataclass(frozen=True)
class Fault:
    """One thing wrong with one file (or the whole object) in one copy."""

    code: str
    path: str
    detail: str

    def as_dict(self):
        return {"code": self.code, "path": self.path, "detail": self.detail}


@dataclass
class Inventory:
    """An inventory file read from a copy, with its raw bytes."""

    raw: bytes
    data: dict
    source: Path

    @property
    def head_number(self):
        return version_number(self.data["head"])

    @property
    def algorithm(self):
        return self.data["digestAlgorithm"]

    @property
    def manifest_paths(self):
        """Map every content path of the manifest to its digest."""
        return {
            path: digest
            for digest, paths in self.data["manifest"].items()
            for path in paths
        }


@dataclass
class HashJob:
    """A content file of one copy to hash, and what it should be."""

    relative: str
    # A local path as a string, or an S3Path.
    path: object
    digest: str
    algorithm: str = "sha256"
    # Size from the bucket's listing; local files are stat'ed when hashed.
    size: int | None = None


@dataclass
class CopyPlan:
    """What the audit found out about one copy before hashing content."""

    label: str
    object_dir: Path
    faults: list = field(default_factory=list)
    inventory: Inventory | None = None
    version_inventories: dict = field(default_factory=dict)
    jobs: list = field(default_factory=list)
    present: bool = True
    # Every file of the copy, relative to its folder, with its size if known.
    files: dict = field(default_factory=dict)


def version_number(name):
    match = _VERSION.match(name or "")
    return int(match.group(1)) if match else 0


def sha256_file(path):
    """Return (hex SHA-256, size in bytes) of the file at ``path``."""
    return file_digest(path, "sha256")


def file_digest(path, algorithm):
    """Return (hex digest, size in bytes) of a local file or an S3Path."""
    opened = open(path, "rb") if isinstance(path, str | Path) else path.open("rb")
    with opened as handle:
        digest = hashlib.file_digest(handle, algorithm)
        return digest.hexdigest(), handle.tell()


def sidecar_name(algorithm):
    """Return the name of the inventory sidecar for ``algorithm``."""
    return f"{INVENTORY}.{algorithm}"


def inventory_digest(raw, algorithm):
    """Return the digest of inventory bytes its sidecar must record."""
    return hashlib.new(algorithm, raw).hexdigest()


def read_inventory(folder, relative_folder=""):
    """Read ``inventory.json`` and its sidecar in ``folder``.

    Return (Inventory or None, list of faults). The inventory is returned
    only when it parses, has the fields Disan needs, and matches its sidecar.
    """
    prefix = f"{relative_folder}/" if relative_folder else ""
    inventory_path = folder / INVENTORY
    try:
        raw = inventory_path.read_bytes()
    except FileNotFoundError:
        return None, [Fault(Code.INVENTORY_MISSING, prefix + INVENTORY, "no inventory")]
    except OSError as err:
        return None, [Fault(Code.INVENTORY_DAMAGED, prefix + INVENTORY, str(err))]

    problem = _inventory_problem(raw)
    if problem:
        return None, [Fault(Code.INVENTORY_DAMAGED, prefix + INVENTORY, problem)]

    data = json.loads(raw)
    sidecar = sidecar_name(data["digestAlgorithm"])
    actual = inventory_digest(raw, data["digestAlgorithm"])
    try:
        recorded = (folder / sidecar).read_text(encoding="utf-8").split()[0]
    except FileNotFoundError:
        return None, [Fault(Code.SIDECAR_MISSING, prefix + sidecar, "no sidecar")]
    except (OSError, UnicodeDecodeError, IndexError) as err:
        recorded = f"unreadable ({err})"
    if recorded.lower() != actual:
        return None, [
            Fault(
                Code.INVENTORY_DIGEST_MISMATCH,
                prefix + INVENTORY,
                f"sidecar says {recorded}, inventory hashes to {actual}",
            )
        ]
    return Inventory(raw, data, inventory_path), []


def _inventory_problem(raw):
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        return f"not JSON ({err})"
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("digestAlgorithm") not in DIGEST_ALGORITHMS:
        return (
            f"digestAlgorithm is {data.get('digestAlgorithm')!r}, not 'sha256' or "
            "'sha512'"
        )
    manifest, versions = data.get("manifest"), data.get("versions")
    if not isinstance(data.get("id"), str) or not isinstance(manifest, dict):
        return "no id or no manifest"
    head = data.get("head")
    if not isinstance(versions, dict) or not isinstance(head, str):
        return "no versions or no head"
    if head not in versions:
        return "head is not one of the versions"
    if not all(version_number(name) for name in versions):
        return "a version is not named v1, v2..."
    for paths in manifest.values():
        if not isinstance(paths, list):
            return "a manifest entry is not a list of paths"
        for path in paths:
            # Repair writes to these paths: none may leave its version folder.
            if not _content_path(path):
                return f"manifest path {path!r} is not a file of a version folder"
    return None


def _content_path(path):
    if not isinstance(path, str):
        return False
    parts = path.split("/")
    return (
        len(parts) > 1
        and bool(version_number(parts[0]))
        and all(part not in ("", ".", "..") for part in parts)
    )


def read_copy(label, object_dir):
    """Read the file list, root and version inventories of one copy."""
    local = isinstance(object_dir, str | Path)
    plan = CopyPlan(label, Path(object_dir) if local else object_dir)
    if local:
        plan.files = dict.fromkeys(_walk_files(plan.object_dir))
    else:
        plan.files = plan.object_dir.files()
    if not plan.files and not (local and plan.object_dir.is_dir()):
        plan.present = False
        plan.faults.append(Fault(Code.OBJECT_MISSING, "", "no copy of the object"))
        return plan
    plan.inventory, faults = read_inventory(plan.object_dir)
    plan.faults.extend(faults)
    for version in _version_folders(plan, local):
        inventory, faults = read_inventory(plan.object_dir / version, version)
        plan.faults.extend(faults)
        if inventory is not None:
            plan.version_inventories[version] = inventory
    return plan


def _version_folders(plan, local):
    if local:
        # An empty version folder counts too: it lacks its inventory.
        names = [e.name for e in os.scandir(plan.object_dir) if e.is_dir()]
    else:
        names = [path.split("/", 1)[0] for path in plan.files if "/" in path]
    return sorted({name for name in names if version_number(name)})


def choose_reference(plans):
    """Return the newest intact inventory among all copies, or None.

    Root inventories and the copies each version folder keeps all count, so
    a copy whose root inventory is damaged still offers its head version's
    inventory. On a tie the earlier copy (the primary) and the root win.
    """
    best, best_rank = None, None
    for order, plan in enumerate(plans):
        candidates = [(plan.inventory, 0)] + [
            (inventory, 1) for inventory in plan.version_inventories.values()
        ]
        for inventory, kind in candidates:
            if inventory is None:
                continue
            rank = (-inventory.head_number, order, kind)
            if best_rank is None or rank < best_rank:
                best, best_rank = inventory, rank
    return best


def plan_content(plan, reference):
    """Add the hash jobs and the structural faults of one present copy."""
    own = plan.inventory
    inventory = own or reference
    if inventory is None:
        return
    if own is not None and reference is not None:
        if own.head_number < reference.head_number:
            plan.faults.append(
                Fault(
                    Code.OUT_OF_DATE,
                    INVENTORY,
                    f"holds {own.data['head']}, another copy holds "
                    f"{reference.data['head']}",
                )
            )

    # Version inventories were checked by read_copy(), folder by folder.
    expected = inventory.manifest_paths
    sidecar = sidecar_name(inventory.algorithm)
    allowed = {INVENTORY, sidecar, DECLARATION}
    for version in inventory.data["versions"]:
        allowed.update({f"{version}/{INVENTORY}", f"{version}/{sidecar}"})
    found = plan.files
    if DECLARATION not in found:
        plan.faults.append(
            Fault(Code.DECLARATION_MISSING, DECLARATION, "no object declaration")
        )

    # Content: every manifest path must be there; nothing else may be.
    for relative, digest in sorted(expected.items()):
        if relative in found:
            plan.jobs.append(_hash_job(plan, relative, digest, inventory.algorithm))
        else:
            plan.faults.append(Fault(Code.MISSING, relative, f"expected {digest}"))
    for relative in sorted(found.keys() - set(expected) - allowed):
        if relative.split("/", 1)[0] not in FREE_FOLDERS:
            plan.faults.append(
                Fault(Code.UNEXPECTED, relative, "not in the inventory's manifest")
            )


def _hash_job(plan, relative, digest, algorithm):
    if isinstance(plan.object_dir, Path):
        # Plain string paths: thousands of pathlib joins cost more than the
        # audit's other bookkeeping together.
        path = os.path.join(str(plan.object_dir), relative)
        return HashJob(relative, path, digest, algorithm)
    path = plan.object_dir / relative
    return HashJob(relative, path, digest, algorithm, plan.files[relative])


def _walk_files(root):
    for folder, _dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        for name in names:
            yield name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")


def classify(relative, expected_digest, actual_digest, actual_size, expected_size):
    """Return the Fault of a hashed content file, or None if it is intact."""
    if actual_digest == expected_digest:
        return None
    if expected_size is not None and actual_size < expected_size:
        return Fault(
            Code.TRUNCATED,
            relative,
            f"{actual_size} bytes of {expected_size}; expected {expected_digest}",
        )
    return Fault(
        Code.CHANGED,
        relative,
        f"digest {actual_digest}, expected {expected_digest} ({actual_size} bytes)",
    )
