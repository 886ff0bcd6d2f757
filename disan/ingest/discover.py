"""Find the documents in a folder handed over for ingest.

A batch folder holds one sub-folder per document, or is itself one
document folder. A document folder holds its page files (images or PDFs)
in reading order by natural sort, and may hold ``metadata.json``; the batch
may hold ``metadata.csv`` at its top. Whatever cannot belong to a document
is listed as a problem with a stable code; nothing is followed through a
symbolic link, and hidden files and operating-system clutter are skipped.
"""

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import bagit
from django.conf import settings
from lxml import etree

from disan.access.policy import most_closed
from disan.core.text import natural_key, nfc
from disan.ingest.exceptions import BatchPathError, MetadataError
from disan.ingest.metadata import (
    ACCESS_NAMES,
    read_metadata_csv,
    read_metadata_json,
)
from disan.preservation.bagit import is_bag, unpack_bag

logger = logging.getLogger(__name__)

CSV_NAME = "metadata.csv"
JSON_NAME = "metadata.json"
# Files that file managers leave behind; compared casefolded.
OS_CLUTTER = {"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"}


@dataclass
class DocumentFolder:
    """One document of a batch: its files in reading order and metadata."""

    name: str
    path: Path
    files: list[Path] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Something in the batch that cannot become part of a document."""

    path: Path
    code: str
    reason: str


@dataclass
class BatchPlan:
    """What :func:`discover_batch` found."""

    documents: list[DocumentFolder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    # A zipped bag's unpacked folder; remove it once the files are staged.
    unpacked: Path | None = None


def discover_batch(path):
    """Return the :class:`BatchPlan` of the folder ``path``.

    A single file given as ``path`` is a document of one file, named after
    the file without its extension. Trade-off: when ``metadata.csv`` is
    invalid, no document is planned at all, since ingesting documents with
    default metadata could publish what the cataloguer meant to restrict.
    Raises :class:`BatchPathError` when ``path`` is missing or unusable.
    """
    path = Path(path)
    if not os.path.lexists(path):
        raise BatchPathError(
            f"{nfc(str(path))} does not exist. Give the folder that holds the "
            "document folders (or one document folder)."
        )
    if is_bag(path):
        return _discover_bag(path)
    if path.is_file():
        name = nfc(path.stem)
        document = DocumentFolder(name, path.parent, [path], {"folder": name})
        return BatchPlan(documents=[document])
    if not path.is_dir():
        raise BatchPathError(
            f"{nfc(str(path))} is neither a folder nor a file. Give the folder "
            "that holds the document folders."
        )

    return _discover_folder(path, BatchPlan())


def _discover_folder(path, plan, name=None):
    """Plan the documents of the batch folder ``path`` into ``plan``."""
    folders, files = _scan(path, plan)
    rows = _csv_rows(path, files, plan)
    if rows is None:
        return plan

    # Sub-folders are documents; without any, the folder itself is one.
    if folders:
        for stray in files:
            if nfc(stray.name) != CSV_NAME:
                plan.problems.append(
                    Problem(
                        stray,
                        "outside_document",
                        (
                            f"{nfc(stray.name)} lies beside the document folders; move "
                            "it into the folder of its document."
                        ),
                    )
                )
        candidates = folders
    else:
        candidates = [path]

    for folder in candidates:
        folder_name = nfc(folder.name)
        is_root = folder == path
        document = _document(
            folder, rows.pop(folder_name, {}), plan, is_root, name if is_root else None
        )
        if document is not None:
            plan.documents.append(document)

    for name in rows:
        plan.problems.append(
            Problem(
                path / name,
                "metadata_unmatched",
                (
                    f"{CSV_NAME} names the folder '{name}', which is not in the batch; "
                    "correct the row or add the folder."
                ),
            )
        )
    logger.debug("Discovered %d document(s) in %s", len(plan.documents), path)
    return plan


def _scan(folder, plan):
    """Return the sub-folders and files of ``folder``, in natural order."""
    folders, files = [], []
    try:
        entries = list(os.scandir(folder))
    except OSError as err:
        plan.problems.append(
            Problem(
                folder,
                "unreadable",
                (
                    f"{nfc(folder.name)} cannot be read ({err.strerror}); check its "
                    "permissions."
                ),
            )
        )
        return folders, files
    for entry in sorted(entries, key=lambda item: natural_key(item.name)):
        item = Path(entry.path)
        name = nfc(entry.name)
        if name.startswith(".") or name.casefold() in OS_CLUTTER:
            plan.ignored.append(item)
        elif entry.is_symlink():
            plan.problems.append(
                Problem(
                    item,
                    "symlink",
                    (
                        f"{name} is a symbolic link, which ingest never follows; copy "
                        "the real file or folder here instead."
                    ),
                )
            )
        elif entry.is_dir(follow_symlinks=False):
            folders.append(item)
        elif entry.is_file(follow_symlinks=False):
            files.append(item)
        else:
            plan.problems.append(
                Problem(
                    item,
                    "not_a_file",
                    (f"{name} is a device, pipe or socket, not a file; remove it."),
                )
            )
    return folders, files


def _csv_rows(path, files, plan):
    """Return ``metadata.csv`` rows by folder name, or None if it is bad."""
    csv_path = next((item for item in files if nfc(item.name) == CSV_NAME), None)
    if csv_path is None:
        return {}
    try:
        rows = read_metadata_csv(csv_path)
    except MetadataError as err:
        plan.problems.append(
            Problem(
                csv_path,
                "metadata_invalid",
                (
                    f"{err}. No document of this batch was ingested; correct "
                    f"{CSV_NAME} and ingest again."
                ),
            )
        )
        return None
    return {nfc(row["folder"]): row for row in rows}


def holds_files(folder):
    """Whether ``folder`` or a folder inside it holds a file ingest would
    look at (hidden and system files such as Thumbs.db are not)."""
    for _root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        if any(
            not name.startswith(".") and name.casefold() not in OS_CLUTTER
            for name in files
        ):
            return True
    return False


def _document(folder, row, plan, is_root, name=None):
    """Plan one document folder; return None if it cannot be ingested."""
    name = nfc(name or folder.name)
    subfolders, files = _scan(folder, plan)
    for nested in subfolders:
        plan.problems.append(
            Problem(
                nested,
                "nested_folder",
                (
                    f"{nfc(nested.name)} is a folder inside the document folder "
                    f"{name}; "
                    "put its files in the document folder or make it a document of its "
                    "own."
                ),
            )
        )

    # metadata.json, closest to the document, wins over the csv row.
    metadata = dict(row)
    pages = []
    for item in files:
        if nfc(item.name) == CSV_NAME:
            if not is_root:
                plan.problems.append(
                    Problem(
                        item,
                        "misplaced_metadata",
                        (
                            f"{CSV_NAME} belongs at the top of the batch, not in the "
                            f"document folder {name}; move it up or write {JSON_NAME}."
                        ),
                    )
                )
            continue
        if nfc(item.name) != JSON_NAME:
            pages.append(item)
            continue
        try:
            metadata.update(read_metadata_json(item))
        except MetadataError as err:
            plan.problems.append(
                Problem(
                    item,
                    "metadata_invalid",
                    (
                        f"{err}. The document {name} was not ingested; "
                        "correct the file "
                        "and ingest again."
                    ),
                )
            )
            return None
    metadata["folder"] = name

    if not pages:
        plan.problems.append(
            Problem(
                folder,
                "empty_folder",
                (
                    f"The document folder {name} holds no page files; add its scans or "
                    "remove the folder."
                ),
            )
        )
        return None
    return DocumentFolder(name=name, path=folder, files=pages, metadata=metadata)


def _discover_bag(path):
    """Plan the payload of a BagIt bag (a folder or a zip file).

    A valid bag's data/ folder is read as a batch: sub-folders are
    documents, else data/ is one document, identified by the bag's
    External-Identifier or else named after the bag. A package written by
    ``disan export`` is the one document it holds. An invalid bag plans no
    document and lists every error of its validation.
    """
    plan = BatchPlan()
    work_dir = Path(settings.DISAN_TRANSFERS_ROOT)
    work_dir.mkdir(parents=True, exist_ok=True)
    folder, report, plan.unpacked = unpack_bag(path, work_dir)

    # Files named in fetch.txt but never fetched leave the payload short.
    errors = list(report.errors) + [
        f for f in report.warnings if f.code == "fetch_pending"
    ]
    for finding in report.warnings:
        if finding.code != "fetch_pending":
            logger.warning("Bag %s: %s", path, finding)
    if errors:
        for finding in errors:
            plan.problems.append(
                Problem(
                    path / finding.path if finding.path else path,
                    f"bag_{finding.code}",
                    f"{nfc(str(finding))}. The bag {nfc(path.name)} was not "
                    "ingested; correct it and run `disan bag validate` before "
                    "ingesting again.",
                )
            )
        return plan

    name = nfc(path.stem if path.is_file() else path.name)
    info = _bag_info(folder)
    if info.get("Bag-Software-Agent") == "Disan":
        return _discover_package(folder, info, plan, name)
    _discover_folder(folder / "data", plan, name)
    # A bag that is one document is known by the identifier it gives.
    identifier = info.get("External-Identifier", "").strip()
    for document in plan.documents:
        if identifier and document.path == folder / "data":
            document.metadata.setdefault("identifier", identifier)
    return plan


def _bag_info(folder):
    """The bag's bag-info.txt as text values (the first of repeated ones)."""
    try:
        info = bagit.Bag(str(folder)).info
    except (bagit.BagError, OSError, UnicodeError):
        return {}
    return {
        key: nfc(value[0] if isinstance(value, list) else value)
        for key, value in info.items()
        if isinstance(value, str | list) and value
    }


def _discover_package(folder, info, plan, name):
    """Plan the one document of a package written by ``disan export``.

    The masters are those of the stored version (``objects/`` of a plain
    bag, ``representations/rep1/data/`` of an E-ARK one); the descriptive
    metadata is the one stored with them, under the identifier and title
    the package gives. The access level is the most closed of the stored
    metadata's and the package's Dublin Core rights, so a package never
    opens what the catalog closed.
    """
    data = folder / "data"
    masters = data / "objects"
    dublin_core = data / "metadata" / "dc.xml"
    if not masters.is_dir():
        masters = data / "representations" / "rep1" / "data"
        dublin_core = data / "metadata" / "descriptive" / "dc.xml"
    identifier = info.get("External-Identifier", "").strip()
    if not masters.is_dir() or not identifier:
        plan.problems.append(
            Problem(
                folder,
                "package_unreadable",
                f"The bag {name} says Disan wrote it, but it has no "
                "External-Identifier in bag-info.txt or no masters in data/objects "
                "or data/representations/rep1/data. It was not ingested; ingest "
                "the masters as a document folder with metadata.json instead.",
            )
        )
        return plan

    package_plan = BatchPlan()
    metadata = {}
    stored = masters / "metadata" / "descriptive.json"
    if stored.is_file():
        try:
            metadata = read_metadata_json(stored)
        except MetadataError as err:
            plan.problems.append(
                Problem(
                    stored,
                    "metadata_invalid",
                    f"{err}. The package {name} was not ingested.",
                )
            )
            return plan
    folders, files = _scan(masters, package_plan)
    for nested in folders:
        if nested != masters / "metadata":
            package_plan.problems.append(
                Problem(
                    nested,
                    "nested_folder",
                    f"{nfc(nested.name)} is a folder among the package's masters; "
                    "Disan keeps no masters in folders.",
                )
            )
    plan.problems.extend(package_plan.problems)
    plan.ignored.extend(package_plan.ignored)
    if not files:
        plan.problems.append(
            Problem(
                masters,
                "empty_folder",
                f"The package {name} holds no master files; it was not ingested.",
            )
        )
        return plan

    levels = {
        _access_code(level)
        for level in (metadata.get("access_level"), _rights(dublin_core))
        if level
    }
    closest = most_closed(levels)
    if closest:
        metadata["access_level"] = closest
    metadata["identifier"] = identifier
    if info.get("External-Description"):
        metadata["title"] = info["External-Description"]
    metadata["folder"] = identifier
    plan.documents.append(
        DocumentFolder(name=identifier, path=masters, files=files, metadata=metadata)
    )
    return plan


def _rights(path):
    """The ``dc:rights`` of a package's Dublin Core record, or None."""
    if not path.is_file():
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError):
        return None
    found = root.find("{http://purl.org/dc/elements/1.1/}rights")
    return found.text if found is not None and found.text else None


def _access_code(value):
    """The access level named by ``value`` in English or Vietnamese, or None."""
    folded = nfc(str(value)).casefold().strip()
    for level, names in ACCESS_NAMES.items():
        if folded == level.value or folded in names:
            return level.value
    return None
