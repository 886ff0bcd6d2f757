"""Hash many files fast: in this process, or in a pool of processes.

SHA-256 runs at the speed of one core, so a large audit spreads files over
one process per core. Files are handed out in chunks of similar byte count
so one huge master does not leave the other processes idle at the end.
Files in a bucket are streamed and hashed in threads of this process: their
speed is the network's, and hashlib lets other threads run while it hashes.
"""

import concurrent.futures
import multiprocessing
import os

from disan.core.exceptions import DisanError
from disan.preservation.fixity import file_digest

# Below this many bytes starting processes costs more than it saves.
POOL_MIN_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 32 * 1024 * 1024
CHUNK_FILES = 256
# Objects of a bucket streamed at once.
REMOTE_STREAMS = 8


def default_workers():
    """Return the number of hashing processes: one per usable core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def hash_files(paths, *, workers=None, sizes=None, algorithms=None):
    """Hash ``paths`` and return one (digest, size, error) triple per path.

    A path is a local path or an S3Path. ``algorithms`` names the hashlib
    algorithm per path (default SHA-256). ``digest`` and ``size`` are None
    and ``error`` names the error when a file cannot be read. ``sizes``
    (bytes per path, from a stat) only shapes the chunks; they are not
    trusted as results.
    """
    count = len(paths)
    algorithms = algorithms or ["sha256"] * count
    sizes = sizes or [0] * count
    local = [i for i in range(count) if isinstance(paths[i], str | os.PathLike)]
    remote = sorted(set(range(count)) - set(local))
    results = [None] * count

    hashed = _hash_local(
        [(str(paths[i]), algorithms[i]) for i in local],
        [sizes[i] for i in local],
        workers or default_workers(),
    )
    _results_for(results, local, hashed)
    if remote:
        with concurrent.futures.ThreadPoolExecutor(REMOTE_STREAMS) as pool:
            hashed = list(
                pool.map(_hash_one, [(paths[i], algorithms[i]) for i in remote])
            )
        _results_for(results, remote, hashed)
    return results


def _results_for(results, indexes, hashed):
    for index, result in zip(indexes, hashed, strict=True):
        results[index] = result


def _hash_local(jobs, sizes, workers):
    if workers <= 1 or len(jobs) < 2 or sum(sizes) < POOL_MIN_BYTES:
        return _hash_chunk(jobs)

    chunks = _chunks(jobs, sizes)
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        results = {}
        for indexes, hashed in zip(
            chunks,
            pool.map(_hash_chunk, [[jobs[i] for i in c] for c in chunks]),
            strict=True,
        ):
            results.update(zip(indexes, hashed, strict=True))
    return [results[index] for index in range(len(jobs))]


def _chunks(jobs, sizes):
    chunks, current, current_bytes = [], [], 0
    for index in range(len(jobs)):
        current.append(index)
        current_bytes += sizes[index]
        if current_bytes >= CHUNK_BYTES or len(current) >= CHUNK_FILES:
            chunks.append(current)
            current, current_bytes = [], 0
    if current:
        chunks.append(current)
    return chunks


def _hash_chunk(jobs):
    return [_hash_one(job) for job in jobs]


def _hash_one(job):
    path, algorithm = job
    try:
        digest, size = file_digest(path, algorithm)
    except (OSError, DisanError) as err:
        reason = getattr(err, "strerror", None) or err
        return (None, None, f"{type(err).__name__}: {reason}")
    return (digest, size, None)
