"""Fixity of OCFL objects: read inventories, plan and classify file checks.

Each copy of an object (the primary storage root or a replica) is checked
against the inventory it holds itself, or, when that inventory is missing
or damaged, against the newest intact inventory of any copy. Every finding
is a :class:`Fault` with a stable code from :class:`Code` and the path of
the file relative to the object's folder, so reports, tests and repair all
speak of the same thing.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

INVENTORY = "inventory.json"
SIDECAR = "inventory.json.sha256"
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
    def manifest_paths(self):
        """Map every content path of the manifest to its SHA-256 digest."""
        return {
            path: digest
            for digest, paths in self.data["manifest"].items()
            for path in paths
        }


@dataclass
class HashJob:
    """A content file of one copy to hash, and what it should be."""

    relative: str
    path: str
    digest: str


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


def version_number(name):
    match = _VERSION.match(name or "")
    return int(match.group(1)) if match else 0


def sha256_file(path):
    """Return (hex SHA-256, size in bytes) of the file at ``path``."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        return digest.hexdigest(), handle.tell()


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

    actual = hashlib.sha256(raw).hexdigest()
    try:
        recorded = (folder / SIDECAR).read_text(encoding="utf-8").split()[0]
    except FileNotFoundError:
        return None, [Fault(Code.SIDECAR_MISSING, prefix + SIDECAR, "no sidecar")]
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
    return Inventory(raw, json.loads(raw), inventory_path), []


def _inventory_problem(raw):
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        return f"not JSON ({err})"
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("digestAlgorithm") != "sha256":
        return f"digestAlgorithm is {data.get('digestAlgorithm')!r}, not 'sha256'"
    manifest, versions = data.get("manifest"), data.get("versions")
    if not isinstance(data.get("id"), str) or not isinstance(manifest, dict):
        return "no id or no manifest"
    if not isinstance(versions, dict) or data.get("head") not in versions:
        return "no versions or head is not one of them"
    if not all(isinstance(paths, list) for paths in manifest.values()):
        return "a manifest entry is not a list of paths"
    if not version_number(data["head"]):
        return f"head {data['head']!r} is not a version name"
    return None


def read_copy(label, object_dir):
    """Read the root and version inventories of one copy of an object."""
    plan = CopyPlan(label, Path(object_dir))
    if not plan.object_dir.is_dir():
        plan.present = False
        plan.faults.append(Fault(Code.OBJECT_MISSING, "", "no copy of the object"))
        return plan
    plan.inventory, faults = read_inventory(plan.object_dir)
    plan.faults.extend(faults)
    for entry in sorted(os.scandir(plan.object_dir), key=lambda e: e.name):
        if entry.is_dir() and version_number(entry.name):
            inventory, faults = read_inventory(Path(entry.path), entry.name)
            plan.faults.extend(faults)
            if inventory is not None:
                plan.version_inventories[entry.name] = inventory
    return plan


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
    allowed = {INVENTORY, SIDECAR, DECLARATION}
    for version in inventory.data["versions"]:
        allowed.update({f"{version}/{INVENTORY}", f"{version}/{SIDECAR}"})
    if not (plan.object_dir / DECLARATION).is_file():
        plan.faults.append(
            Fault(Code.DECLARATION_MISSING, DECLARATION, "no object declaration")
        )

    # Content: every manifest path must be there; nothing else may be.
    found = set(_walk_files(plan.object_dir))
    # Plain string paths: thousands of pathlib joins cost more than the
    # audit's other bookkeeping together.
    folder = str(plan.object_dir)
    for relative, digest in sorted(expected.items()):
        if relative in found:
            plan.jobs.append(HashJob(relative, os.path.join(folder, relative), digest))
        else:
            plan.faults.append(Fault(Code.MISSING, relative, f"expected {digest}"))
    for relative in sorted(found - set(expected) - allowed):
        if relative.split("/", 1)[0] not in FREE_FOLDERS:
            plan.faults.append(
                Fault(Code.UNEXPECTED, relative, "not in the inventory's manifest")
            )


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
