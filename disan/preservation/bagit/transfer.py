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
    path = Path(path)
    if not is_zip(path):
        yield path, validate_bag(path)
        return

    base = Path(work_dir) if work_dir else Path(tempfile.gettempdir())
    target = base / f"unpacked-{uuid.uuid4().hex}"
    try:
        try:
            unpack_zip(path, target)
        except UnsafeArchive as err:
            report = BagReport(path=str(path))
            report.error("unsafe_zip", str(err), path.name)
            yield None, report
            return
        root = _bag_root(target)
        if root is None:
            report = BagReport(path=str(path))
            report.error(
                "not_a_bag",
                "holds no bagit.txt at its top or in its one top folder; zip "
                "the bag folder.",
                path.name,
            )
            yield None, report
            return
        report = validate_bag(root)
        report.path = str(path)
        yield root, report
    finally:
        shutil.rmtree(target, ignore_errors=True)


def _bag_root(folder):
    if (folder / DECLARATION).is_file():
        return folder
    entries = [entry for entry in folder.iterdir() if entry.name != "__MACOSX"]
    if len(entries) == 1 and (entries[0] / DECLARATION).is_file():
        return entries[0]
    return None
