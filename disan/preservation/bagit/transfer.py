"""Open a bag handed over as a folder or a zip file, for reading."""

import contextlib
import shutil
import tempfile
import uuid
from pathlib import Path

from disan.preservation.bagit.exceptions import UnsafeArchive
from disan.preservation.bagit.findings import BagReport
from disan.preservation.bagit.unzip import is_zip, unpack_zip
from disan.preservation.bagit.validate import DECLARATION, validate_bag


def is_bag(path):
    """Return True if ``path`` is a bag folder or a zip file (a zipped bag)."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        return (path / DECLARATION).is_file()
    return is_zip(path)


@contextlib.contextmanager
def opened_bag(path, work_dir=None):
    """Validate the bag at ``path`` and yield ``(bag folder, BagReport)``.

    A zip file is unpacked first into a new folder under ``work_dir`` (a
    temporary folder by default), removed when the block ends. The bag
    folder is None when no bag could be found; the report says why.
    """
    folder, report, unpacked = unpack_bag(path, work_dir)
    try:
        yield folder, report
    finally:
        if unpacked is not None:
            shutil.rmtree(unpacked, ignore_errors=True)


def unpack_bag(path, work_dir=None):
    """Validate the bag at ``path``; return (bag folder, report, unpacked).

    ``unpacked`` is the folder a zip was unpacked into, which the caller
    removes when done with the payload, or None for a bag folder (read in
    place) and for a zip that could not be unpacked.
    """
    path = Path(path)
    if not is_zip(path):
        return path, validate_bag(path), None

    base = Path(work_dir) if work_dir else Path(tempfile.gettempdir())
    target = base / f"unpacked-{uuid.uuid4().hex}"
    report = BagReport(path=str(path))
    try:
        unpack_zip(path, target)
    except UnsafeArchive as err:
        report.error("unsafe_zip", str(err), path.name)
        return None, report, None
    root = _bag_root(target)
    if root is None:
        report.error(
            "not_a_bag",
            "holds no bagit.txt at its top or in its one top folder; zip "
            "the bag folder.",
            path.name,
        )
        shutil.rmtree(target, ignore_errors=True)
        return None, report, None
    report = validate_bag(root)
    report.path = str(path)
    return root, report, target


def _bag_root(folder):
    if (folder / DECLARATION).is_file():
        return folder
    entries = [entry for entry in folder.iterdir() if entry.name != "__MACOSX"]
    if len(entries) == 1 and (entries[0] / DECLARATION).is_file():
        return entries[0]
    return None
