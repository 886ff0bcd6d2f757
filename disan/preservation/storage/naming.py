"""Object ids and logical paths: NFC, and the rules OCFL sets for them.

Logical paths are also used as content paths inside a version's content
directory, so they must be valid file names as well: no empty, ``.`` or
``..`` element (OCFL E099), no leading or trailing ``/``, no file that is
also a directory of another file (OCFL E095), and no element longer than
the 255 bytes most file systems allow.
"""

import unicodedata
from pathlib import Path

from disan.core.text import nfc
from disan.preservation.exceptions import InvalidPut, SourceFileError

MAX_ELEMENT_BYTES = 255


def normalize_object_id(object_id):
    """Return the object id in NFC, refusing empty ids and control codes."""
    if not isinstance(object_id, str) or not object_id.strip():
        raise InvalidPut(
            f"Object id {object_id!r} is empty; give each document a non-empty id "
            "such as its catalog identifier."
        )
    if _has_control(object_id):
        raise InvalidPut(
            f"Object id {object_id!r} contains a control character; remove line breaks "
            "and tabs from the id."
        )
    return nfc(object_id)


def normalize_logical_path(logical_path):
    """Return ``logical_path`` in NFC, or raise InvalidPut saying why not."""
    if not isinstance(logical_path, str) or logical_path == "":
        raise InvalidPut(
            f"Logical path {logical_path!r} is empty; name each file, "
            "e.g. 'trang-001.jpg'."
        )
    path = nfc(logical_path)
    problem = _logical_path_problem(path)
    if problem:
        raise InvalidPut(f"Logical path {logical_path!r} {problem}.")
    return path


def normalize_files(object_id, files):
    """Check the (source path, logical path) pairs given to one ``put``.

    Return a list of (absolute source Path, NFC logical path) in the order
    given. Source paths are kept byte for byte: only logical paths are
    normalized, since the source name is whatever is on disk.
    """
    if not files:
        raise InvalidPut(
            f"No files given for object {object_id!r}; an OCFL version needs at least "
            "one file."
        )
    entries = []
    seen = {}
    for source, logical_path in files:
        path = normalize_logical_path(logical_path)
        if path in seen:
            raise InvalidPut(
                f"Logical path {path!r} is given twice for object {object_id!r} "
                f"(from {seen[path]} and {source}; NFC and NFD spellings of one "
                "name are the same path); "
                "keep one."
            )
        seen[path] = source
        entries.append((_check_source(object_id, source), path))
    _check_conflicts(object_id, [path for _, path in entries])
    return entries


def _logical_path_problem(path):
    if path.startswith("/") or path.endswith("/"):
        return "must not begin or end with '/'; make it relative, e.g. 'a/b.jpg'"
    if "\\" in path:
        return "contains '\\'; separate folders with '/'"
    if _has_control(path):
        return "contains a control character; rename the file"
    for element in path.split("/"):
        if element in ("", ".", ".."):
            return "has an empty, '.' or '..' element; remove it"
        if len(element.encode("utf-8")) > MAX_ELEMENT_BYTES:
            return f"has an element longer than {MAX_ELEMENT_BYTES} bytes; shorten it"
    return None


def _has_control(value):
    return any(unicodedata.category(char) == "Cc" for char in value)


def _check_source(object_id, source):
    source = Path(source)
    if not source.is_file():
        raise SourceFileError(
            f"Source file {source} for object {object_id!r} does not exist or "
            "is not a regular file; check the path given to put()."
        )
    return source.resolve()


def _check_conflicts(object_id, paths):
    # A logical path that is also the folder of another one cannot be
    # stored as a file and a directory at once.
    folders = {}
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), path)
    for path in paths:
        if path in folders:
            raise InvalidPut(
                f"Logical path {path!r} of object {object_id!r} is both a file "
                f"and the folder of {folders[path]!r}; rename one of them."
            )
