"""File-system steps that survive a crash: fsync'd copies, atomic renames.

Everything here works on the local POSIX file system. The store builds
each new object tree beside the storage root and switches it in with one
rename, so these helpers only have to make the staged tree durable and
the switch atomic.
"""

import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

CHUNK_BYTES = 1024 * 1024

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2 = None


def copy_with_digest(source, target, algorithm="sha256"):
    """Copy ``source`` to a new file ``target``; fsync it.

    ``source`` is a local path or anything with ``open("rb")`` (a file in a
    bucket). Return (hex digest, size in bytes) of the bytes written, so the
    caller can check them against the digest recorded in the inventory.
    """
    digest = hashlib.new(algorithm)
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    local = isinstance(source, str | os.PathLike)
    opened = open(source, "rb") if local else source.open("rb")
    with opened as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK_BYTES):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def write_file(path, data):
    """Create ``path`` holding ``data``; fsync it and its folder."""
    with open(path, "xb") as writer:
        writer.write(data)
        writer.flush()
        os.fsync(writer.fileno())
    sync_dir(path.parent)


def link_tree(source, target):
    """Recreate ``source`` at ``target`` with hard links to its files.

    Content files of earlier versions are immutable, so sharing their inodes
    costs no space and no copying. Falls back to a copy where the file
    system refuses hard links.
    """
    for folder, _dirs, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            origin = Path(folder) / name
            destination = target / relative / name
            try:
                os.link(origin, destination)
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP):
                    raise
                shutil.copy2(origin, destination)


def sync_tree(root):
    """Fsync every file and folder under ``root``, then ``root`` itself."""
    for folder, _dirs, names in os.walk(root, topdown=False):
        for name in names:
            _fsync_path(Path(folder) / name, os.O_RDONLY)
        sync_dir(Path(folder))


def sync_dir(folder):
    """Fsync a folder so the names created or renamed in it are durable."""
    _fsync_path(folder, os.O_RDONLY | os.O_DIRECTORY)


def _fsync_path(path, flags):
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def exchange(first, second):
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE).

    Raise OSError with errno EINVAL or ENOSYS where the kernel or the file
    system cannot swap (non-Linux systems, some network file systems); the
    caller then falls back to two renames.
    """
    function = _load_renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    result = function(
        _AT_FDCWD,
        os.fsencode(first),
        _AT_FDCWD,
        os.fsencode(second),
        _RENAME_EXCHANGE,
    )
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


def _load_renameat2():
    global _renameat2
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            function = libc.renameat2
        except (OSError, AttributeError):
            _renameat2 = False
            return None
        function.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        function.restype = ctypes.c_int
        _renameat2 = function
    return _renameat2 or None


class FileLock:
    """An exclusive fcntl lock on a file, held for the ``with`` block.

    The kernel drops the lock when the holding process dies, even by
    SIGKILL, so a crashed writer never blocks the retry.
    """

    def __init__(self, path):
        self.path = Path(path)
        self._fd = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise
        return self

    def __exit__(self, *exc_info):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
        return False
