"""Write a document's archival package: a BagIt bag, plain or E-ARK CSIP.

Both formats are BagIt bags with SHA-256 manifests and tag manifests. Their
payload (``data/``) holds:

- ``eark``: the CSIP layout. ``METS.xml`` at the top, ``metadata/
  descriptive/dc.xml`` and ``ead.xml``, ``metadata/preservation/
  premis.xml``, and the masters of the OCFL head version in
  ``representations/rep1/data/`` with ``representations/rep1/METS.xml``;
- ``bagit``: the same metadata beside the masters in ``objects/``, one METS.

The package is built in a hidden folder in the output folder and renamed
into place at the end, so a package that is there is complete.
"""

import hashlib
import logging
import os
import re
import shutil
import uuid
from pathlib import Path

import bagit
from django.utils import timezone, translation

from disan.core.text import nfc
from disan.preservation.export.dublin_core import dublin_core
from disan.preservation.export.ead import ead
from disan.preservation.export.exceptions import ExportError
from disan.preservation.export.mets import mets
from disan.preservation.export.premis import premis
from disan.preservation.export.xml import local_time, write_xml
from disan.preservation.storage import get_store

logger = logging.getLogger(__name__)

FORMATS = ("bagit", "eark")
CHUNK_BYTES = 1024 * 1024


def export_package(document, package_format, output_dir):
    """Write the package of ``document`` into ``output_dir``; return its path.

    Raise :class:`ExportError` for an unknown format, a document without
    stored masters, or a package folder that already exists.
    """
    if package_format not in FORMATS:
        raise ExportError(
            f"Unknown package format {package_format!r}; use one of "
            f"{', '.join(FORMATS)}."
        )
    store = get_store()
    object_id = document.ocfl_object_id
    if not object_id or not store.exists(object_id):
        raise ExportError(
            f"Document {document.identifier} has no masters in the OCFL store; "
            "ingest it before exporting."
        )
    version = store.head_version(object_id)
    output_dir = Path(output_dir)
    target = (
        output_dir / f"{_safe_name(document.identifier)}_{version}_{package_format}"
    )
    if os.path.lexists(target):
        raise ExportError(
            f"{target} already exists; remove it or choose another --output."
        )

    # Build beside the target, then rename: a reader never sees half a package.
    output_dir.mkdir(parents=True, exist_ok=True)
    work = output_dir / f".{target.name}.{uuid.uuid4().hex}.partial"
    try:
        # Labels in a package are Vietnamese whatever language the caller
        # was working in.
        with translation.override("vi"):
            _build(document, store, object_id, package_format, work)
            info = _bag_info(document, version, package_format)
        bagit.make_bag(str(work), info, checksums=["sha256"])
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info("Exported document %s as %s to %s", document.pk, package_format, target)
    return target


def _build(document, store, object_id, package_format, work):
    created = timezone.now()
    eark = package_format == "eark"
    masters_dir = work / ("representations/rep1/data" if eark else "objects")
    meta_dir = work / "metadata"

    # The masters, copied from the head version and checked on the way.
    by_path = {m.logical_path: m for m in document.master_files.all()}
    masters, files = [], []
    for logical_path, entry in store.files(object_id).items():
        target = masters_dir / logical_path
        _copy_checked(store.path(object_id, logical_path), target, entry.sha256)
        master = by_path.get(logical_path)
        masters.append((logical_path, entry, master))
        mime = master.mime_type if master else "application/octet-stream"
        files.append((target, entry.sha256, entry.size, mime))

    # Descriptive and preservation metadata.
    events = list(document.events.order_by("datetime"))
    descriptive = meta_dir / ("descriptive" if eark else "")
    preservation = meta_dir / ("preservation" if eark else "")
    write_xml(dublin_core(document), descriptive / "dc.xml")
    write_xml(ead(document, created), descriptive / "ead.xml")
    write_xml(premis(document, masters, events), preservation / "premis.xml")

    # METS last, since it records the digests of everything else.
    metadata = [
        (path, "dmd") for path in (descriptive / "dc.xml", descriptive / "ead.xml")
    ] + [(preservation / "premis.xml", "digiprov")]
    if eark:
        rep = work / "representations" / "rep1"
        write_xml(
            mets(
                document,
                created,
                metadata=[],
                label="rep1",
                files=_relative(files, rep),
            ),
            rep / "METS.xml",
        )
    write_xml(
        mets(
            document,
            created,
            metadata=[
                (_rel(path, work), _sha256(path), path.stat().st_size, kind)
                for path, kind in metadata
            ],
            files=_relative(files, work),
            label=document.title,
        ),
        work / "METS.xml",
    )


def _relative(files, base):
    return [(_rel(path, base), sha, size, mime) for path, sha, size, mime in files]


def _rel(path, base):
    return Path(path).relative_to(base).as_posix()


def _copy_checked(source, target, sha256):
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(source, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
            writer.write(chunk)
    if digest.hexdigest() != sha256:
        raise ExportError(
            f"The stored master {source} does not match its inventory digest; "
            "run `disan audit` and repair the object before exporting."
        )


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _bag_info(document, version, package_format):
    info = {
        "External-Identifier": document.identifier,
        "External-Description": document.title,
        "Bagging-Date": local_time(timezone.now())[:10],
        "Bag-Software-Agent": "Disan",
        "Internal-Sender-Identifier": f"{document.ocfl_object_id} {version}",
        "Package-Format": "E-ARK CSIP 2.2" if package_format == "eark" else "BagIt",
    }
    if document.holding_unit is not None:
        info["Source-Organization"] = document.holding_unit.name
    return {key: nfc(value) for key, value in info.items()}


def _safe_name(identifier):
    # Keep Vietnamese letters; replace what file systems or shells mind.
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", nfc(identifier)).strip("._") or "document"
