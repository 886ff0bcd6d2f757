"""Read where a pyramidal TIFF keeps its levels and their JPEG tiles.

Only the TIFF directories are read, once per file version, never the
pixels: a request then picks its level without opening any, and a tile can
be copied out of the file with one ``pread``. Both layouts libvips writes are
read: levels as further directories of the chain (``tiffsave pyramid``) or
as sub-IFDs of the first (``tiffsave pyramid subifd``).
"""

import functools
import os
import struct
from dataclasses import dataclass

# TIFF tags read to find the levels and their stored tiles.
_TAGS = {
    256: "width",
    257: "height",
    259: "compression",
    262: "photometric",
    277: "samples",
    284: "planar",
    322: "tile_width",
    323: "tile_height",
    324: "offsets",
    325: "byte_counts",
    330: "subifds",
    347: "jpeg_tables",
}
# Field type -> struct code, for the types these tags use.
_TYPES = {1: "B", 3: "H", 4: "I", 7: "B", 13: "I", 16: "Q", 18: "Q"}
_JPEG = 7
_MINISBLACK, _YCBCR = 1, 6
_MAX_LEVELS = 64


class TiffLayoutError(ValueError):
    """A pyramid whose TIFF structure cannot be followed."""


@dataclass(frozen=True)
class StoredLevel:
    """One pyramid level: its size and where it keeps its JPEG tiles.

    ``copyable`` says the tiles are whole JPEG streams once the level's
    tables are put in: JPEG compression, one plane, YCbCr or grey.
    """

    width: int
    height: int
    tile_width: int
    tile_height: int
    copyable: bool
    gray: bool
    jpeg_tables: bytes
    offsets: tuple
    byte_counts: tuple


@dataclass(frozen=True)
class StoredPyramid:
    """The levels of one pyramid file, full size first.

    ``layout`` is ``"page"`` (level n is directory n of the chain) or
    ``"subifd"`` (level n is sub-IFD n - 1 of the first directory), as the
    TIFF loader of libvips numbers them.
    """

    layout: str
    levels: tuple


def pyramid_of(path):
    """Return the :class:`StoredPyramid` of the file at ``path`` as it is now."""
    stat = os.stat(path)
    return stored_pyramid(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def stored_pyramid(path, mtime_ns, size):
    """Return the levels of the pyramid at ``path``.

    Keyed by the file's identity, so a rewritten pyramid is read again.
    Raises ``TiffLayoutError`` when the directories cannot be followed.
    """
    try:
        return _read_pyramid(path, size)
    except struct.error as err:
        raise TiffLayoutError(f"a directory is cut short ({err})") from err


def read_tile(path, level, index):
    """Return stored tile ``index`` of ``level`` as a whole JPEG stream."""
    if index >= len(level.offsets) or index >= len(level.byte_counts):
        raise TiffLayoutError(f"tile {index} is not in the file")
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.pread(fd, level.byte_counts[index], level.offsets[index])
    finally:
        os.close(fd)
    # The tile is an abbreviated JPEG stream: start of image, frame and scan.
    # The level's tables (quantization, Huffman) go between its start marker
    # and the frame.
    if len(data) != level.byte_counts[index] or data[:2] != b"\xff\xd8":
        raise TiffLayoutError(f"tile {index} is not a whole JPEG stream")
    return level.jpeg_tables[:-2] + data[2:]


def _read_pyramid(path, size):
    with open(path, "rb") as handle:
        data = handle.read(16)
        order = {b"II": "<", b"MM": ">"}.get(data[:2])
        if order is None or len(data) < 16:
            raise TiffLayoutError("no TIFF header")
        (magic,) = struct.unpack(order + "H", data[2:4])
        if magic == 42:
            big, (offset,) = False, struct.unpack(order + "I", data[4:8])
        elif magic == 43:
            big, (offset,) = True, struct.unpack(order + "Q", data[8:16])
        else:
            raise TiffLayoutError("no TIFF header")

        levels = []
        seen = set()
        while offset and len(levels) < _MAX_LEVELS:
            if offset in seen:
                raise TiffLayoutError("the directory chain runs in a loop")
            seen.add(offset)
            fields, offset = _read_ifd(handle, order, big, offset, size)
            levels.append(_stored_level(fields))
            if "subifds" in fields:
                # The reduced levels hang below the first directory; the
                # rest of the chain is not part of the pyramid.
                for where in fields["subifds"][:_MAX_LEVELS]:
                    sub, _ = _read_ifd(handle, order, big, where, size)
                    levels.append(_stored_level(sub))
                return StoredPyramid("subifd", tuple(levels))
    if not levels:
        raise TiffLayoutError("no image directory")
    return StoredPyramid("page", tuple(levels))


def _read_ifd(handle, order, big, offset, size):
    count_format, entry_size, value_size = ("Q", 20, 8) if big else ("H", 12, 4)
    head = struct.calcsize(count_format)
    if offset + head > size:
        raise TiffLayoutError("a directory lies past the end of the file")
    handle.seek(offset)
    (count,) = struct.unpack(order + count_format, handle.read(head))
    if offset + head + count * entry_size + value_size > size:
        raise TiffLayoutError("truncated directory")
    table = handle.read(count * entry_size + value_size)
    if len(table) != count * entry_size + value_size:
        raise TiffLayoutError("truncated directory")
    fields = {}
    for number in range(count):
        entry = table[number * entry_size : (number + 1) * entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag not in _TAGS or kind not in _TYPES:
            continue
        (n,) = struct.unpack(order + ("Q" if big else "I"), entry[4 : 4 + value_size])
        width = struct.calcsize(_TYPES[kind])
        raw = entry[4 + value_size :]
        if n * width > value_size:
            (where,) = struct.unpack(order + ("Q" if big else "I"), raw)
            if where + n * width > size:
                raise TiffLayoutError("a field lies past the end of the file")
            handle.seek(where)
            raw = handle.read(n * width)
        values = struct.unpack(f"{order}{n}{_TYPES[kind]}", raw[: n * width])
        fields[_TAGS[tag]] = bytes(values) if kind == 7 else values
    (next_offset,) = struct.unpack(order + ("Q" if big else "I"), table[-value_size:])
    return fields, next_offset


def _stored_level(fields):
    def one(name, default=0):
        return fields[name][0] if fields.get(name) else default

    if one("width") < 1 or one("height") < 1:
        raise TiffLayoutError("a directory has no image size")
    tables = fields.get("jpeg_tables", b"")
    colours = (one("photometric"), one("samples", 1))
    copyable = (
        one("compression") == _JPEG
        and one("planar", 1) == 1
        and colours in ((_YCBCR, 3), (_MINISBLACK, 1))
        and one("tile_width") > 0
        and one("tile_height") > 0
        and tables[:2] == b"\xff\xd8"
        and tables[-2:] == b"\xff\xd9"
    )
    return StoredLevel(
        width=one("width"),
        height=one("height"),
        tile_width=one("tile_width"),
        tile_height=one("tile_height"),
        copyable=copyable,
        gray=colours == (_MINISBLACK, 1),
        jpeg_tables=bytes(tables),
        offsets=fields.get("offsets", ()),
        byte_counts=fields.get("byte_counts", ()),
    )
