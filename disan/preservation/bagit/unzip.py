"""Unpack a zipped bag without trusting the zip file.

Every member is checked before a byte is written: no absolute path, no
``..``, no drive letter or backslash, no symbolic link or device, no two
members that are one name, no encryption; and the sizes the zip declares
are kept to limits (total bytes, member count, compression ratio). Sizes
are declared by the archive itself, so the bytes actually written are
counted too and extraction stops as soon as a member writes more than it
declared.
"""

import logging
import os
import shutil
import stat
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from disan.preservation.bagit.exceptions import UnsafeArchive

logger = logging.getLogger(__name__)

MAX_MEMBERS = 100_000
# A member smaller than this may compress as much as it likes: tiny text
# files of repeated bytes are harmless.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_RATIO = 200
CHUNK_BYTES = 1024 * 1024


def is_zip(path):
    """Return True if ``path`` is a file that starts like a zip archive."""
    path = Path(path)
    if not path.is_file():
        return False
    with open(path, "rb") as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def unpack_zip(archive, target):
    """Unpack the zip file ``archive`` into the new folder ``target``.

    Return ``target``. Raise :class:`UnsafeArchive` naming the member and
    the reason when the zip is damaged or unsafe; nothing unpacked stays.
    """
    archive, target = Path(archive), Path(target)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            _check_members(archive, members)
            target.mkdir(parents=True)
            try:
                for member in members:
                    _extract(zipped, member, target, archive)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
    except zipfile.BadZipFile as err:
        raise UnsafeArchive(
            f"{archive.name} is not a readable zip file ({err}); make the zip again."
        ) from err
    logger.info("Unpacked %d members of %s into %s", len(members), archive, target)
    return target


def _check_members(archive, members):
    limit = settings.DISAN_BAG_MAX_BYTES
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchive(
            f"{archive.name} holds {len(members)} members, more than "
            f"{MAX_MEMBERS}; split the transfer into several bags."
        )
    total = 0
    seen = {}
    for member in members:
        _check_name(archive, member)
        _check_kind(archive, member)
        key = unicodedata.normalize("NFC", member.filename.rstrip("/")).casefold()
        if key in seen:
            raise UnsafeArchive(
                f"{archive.name}: members {seen[key]!r} and {member.filename!r} "
                "are one name (same letters in another case or Unicode form); "
                "rename one and zip again."
            )
        seen[key] = member.filename
        total += member.file_size
        if total > limit:
            raise UnsafeArchive(
                f"{archive.name} unpacks to more than {limit} bytes "
                "(DISAN_BAG_MAX_BYTES); hand the bag over as a folder or raise "
                "the limit."
            )
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise UnsafeArchive(
                f"{archive.name}: member {member.filename!r} expands "
                f"{member.file_size // max(member.compress_size, 1)} times, "
                f"more than {MAX_RATIO}; it looks like a zip bomb and is refused."
            )


def _check_name(archive, member):
    name = member.filename
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("..", ".") for part in parts)
    ):
        raise UnsafeArchive(
            f"{archive.name}: member {name!r} points outside the bag (absolute "
            "path, '..', drive letter or backslash); zip the bag folder "
            "itself."
        )


def _check_kind(archive, member):
    if member.flag_bits & 0x1:
        raise UnsafeArchive(
            f"{archive.name}: member {member.filename!r} is encrypted; zip the "
            "bag without a password."
        )
    mode = member.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if mode and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        what = "a symbolic link" if kind == stat.S_IFLNK else "not a regular file"
        raise UnsafeArchive(
            f"{archive.name}: member {member.filename!r} is {what}, which is "
            "never unpacked; put the real file in the bag."
        )


def _extract(zipped, member, target, archive):
    destination = target.joinpath(*PurePosixPath(member.filename).parts)
    if member.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with zipped.open(member) as reader, open(destination, "xb") as writer:
        while chunk := reader.read(CHUNK_BYTES):
            written += len(chunk)
            if written > member.file_size:
                raise UnsafeArchive(
                    f"{archive.name}: member {member.filename!r} unpacks to more "
                    f"than the {member.file_size} bytes it declares; the zip is "
                    "forged or damaged."
                )
            writer.write(chunk)
    os.chmod(destination, 0o644)
