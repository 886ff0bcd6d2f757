"""Hash many files fast: in this process, or in a pool of processes.

SHA-256 runs at the speed of one core, so a large audit spreads files over
one process per core. Files are handed out in chunks of similar byte count
so one huge master does not leave the other processes idle at the end.
"""

import concurrent.futures
import multiprocessing
import os

from disan.preservation.fixity import sha256_file

# Below this many bytes starting processes costs more than it saves.
POOL_MIN_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 32 * 1024 * 1024
CHUNK_FILES = 256


def default_workers():
    """Return the number of hashing processes: one per usable core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def hash_files(paths, *, workers=None, sizes=None):
    """Hash ``paths`` and return one (digest, size, error) triple per path.

    ``digest`` and ``size`` are None and ``error`` names the OSError when a
    file cannot be read. ``sizes`` (bytes per path, from a stat) only shapes
    the chunks; they are not trusted as results.
    """
    paths = [str(path) for path in paths]
    workers = workers or default_workers()
    sizes = sizes or [0] * len(paths)
    if workers <= 1 or len(paths) < 2 or sum(sizes) < POOL_MIN_BYTES:
        return _hash_chunk(paths)

    chunks = _chunks(paths, sizes)
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        results = {}
        for indexes, hashed in zip(
            chunks,
            pool.map(_hash_chunk, [[paths[i] for i in c] for c in chunks]),
            strict=True,
        ):
            results.update(zip(indexes, hashed, strict=True))
    return [results[index] for index in range(len(paths))]


def _chunks(paths, sizes):
    chunks, current, current_bytes = [], [], 0
    for index in range(len(paths)):
        current.append(index)
        current_bytes += sizes[index]
        if current_bytes >= CHUNK_BYTES or len(current) >= CHUNK_FILES:
            chunks.append(current)
            current, current_bytes = [], 0
    if current:
        chunks.append(current)
    return chunks


def _hash_chunk(paths):
    results = []
    for path in paths:
        try:
            digest, size = sha256_file(path)
        except OSError as err:
            results.append((None, None, f"{type(err).__name__}: {err.strerror or err}"))
        else:
            results.append((digest, size, None))
    return results
