"""OCFL object rules checked beside ocfl-py's validator.

ocfl-py 2.1 rejects every invalid object of the OCFL fixtures, but for a few
it names another rule than the one broken, or only a consequence of it
(E042 for a file outside the content directory, E066 for a version
inventory naming the wrong head). The rules below name the broken rule
itself, with the specification's code, so a report tells a curator what
to repair. Each returns a list of ``(code, message)``; an object that
cannot be read at all is left to ocfl-py.
"""

import json
import re
from pathlib import Path

INVENTORY = "inventory.json"
_VERSION = re.compile(r"^v(\d+)$")
_SIDECAR = re.compile(r"^inventory\.json\.[a-z0-9-]+$")


def check_object(object_dir):
    """Return ``(code, message)`` findings for the object at ``object_dir``."""
    object_dir = Path(object_dir)
    root = _load(object_dir / INVENTORY)
    if root is None:
        return []
    findings = []
    versions = root.get("versions")
    names = sorted(versions) if isinstance(versions, dict) else []
    findings += _version_sequence(object_dir, names)
    findings += _padding(names)
    content_dir = root.get("contentDirectory", "content")
    for name in names:
        version_dir = object_dir / name
        if version_dir.is_dir():
            findings += _version_children(version_dir, content_dir)
            findings += _version_inventory(version_dir, name, content_dir)
    findings += _fixity_paths(root.get("fixity"))
    return findings


def _load(path):
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _version_sequence(object_dir, names):
    # E010: versions run v1, v2, ... without a gap, each with its folder.
    missing = [name for name in names if not (object_dir / name).is_dir()]
    if missing:
        return [
            (
                "E010",
                f"version folder(s) {', '.join(missing)} named in the "
                "inventory are missing; the version sequence has a gap.",
            )
        ]
    return []


def _padding(names):
    # E011/E013: zero-padded names start with "v0" and share one width.
    padded = [name for name in names if name.startswith("v0")]
    if not padded:
        return []
    width = len(padded[0])
    odd = [name for name in names if len(name) != width or not name.startswith("v0")]
    if odd:
        return [
            (
                "E011",
                f"zero-padded versions ({padded[0]}...) are mixed with "
                f"{', '.join(odd)}; a padded name must begin 'v0'.",
            ),
            (
                "E013",
                "a new version did not follow the naming of earlier versions.",
            ),
        ]
    return []


def _version_children(version_dir, content_dir):
    # E015: a version folder holds its inventory, sidecar and content only.
    stray = [
        entry.name
        for entry in sorted(version_dir.iterdir())
        if entry.name != INVENTORY
        and not _SIDECAR.match(entry.name)
        and not (entry.is_dir() and entry.name == content_dir)
    ]
    stray_files = [name for name in stray if (version_dir / name).is_file()]
    if stray_files:
        return [
            (
                "E015",
                f"{version_dir.name} holds {', '.join(stray_files)} outside "
                f"its content folder '{content_dir}'.",
            )
        ]
    return []


def _version_inventory(version_dir, name, content_dir):
    inventory = _load(version_dir / INVENTORY)
    if inventory is None:
        return []
    findings = []
    if inventory.get("contentDirectory", "content") != content_dir:
        findings.append(
            (
                "E019",
                f"the inventory of {name} sets contentDirectory "
                f"{inventory.get('contentDirectory', 'content')!r}, the root "
                f"inventory {content_dir!r}; it must never change.",
            )
        )
    if inventory.get("head") != name:
        findings.append(
            (
                "E040",
                f"the inventory in {name} gives head {inventory.get('head')!r}; "
                f"a version's inventory has itself, {name}, as head.",
            )
        )
    return findings


def _fixity_paths(fixity):
    # E099/E100: fixity content paths obey the rules of manifest paths.
    if not isinstance(fixity, dict):
        return []
    bad = []
    for block in fixity.values():
        if not isinstance(block, dict):
            continue
        for paths in block.values():
            for path in paths if isinstance(paths, list) else []:
                if not isinstance(path, str):
                    continue
                if path.startswith("/") or path.endswith("/"):
                    bad.append(("E100", path))
                elif any(part in ("", ".", "..") for part in path.split("/")):
                    bad.append(("E099", path))
    return [
        (code, f"fixity content path {path!r} is not a valid content path.")
        for code, path in bad
    ]
