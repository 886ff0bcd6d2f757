"""Several processes writing and reading one index file at once."""

import multiprocessing
import os
import uuid

import pytest

from disan.search.backends.base import IndexDocument
from tests.search.conftest import BACKENDS, make_document

WRITES = 60
READS = 150


def _write(name, path, number, queue):
    """Index WRITES documents one transaction each, updating every third."""
    errors = []
    backend = BACKENDS[name](path)
    try:
        for index in range(WRITES):
            doc = IndexDocument(
                id=str(uuid.UUID(int=number * 10_000 + index)),
                identifier=f"HN-{number}-{index}",
                title=f"Sắc phong làng Đông Ngạc {number} {index}",
                text="Đường thuỷ Hà Nội " * 50,
                access_level="public",
                created="2025-01-01T00:00:00",
            )
            backend.index(doc)
            if index % 3 == 0:
                doc.title = f"Sắc phong đình Đông Ngạc {number} {index}"
                backend.index(doc)
    except Exception as err:  # reported to the parent, which fails the test
        errors.append(repr(err))
    queue.put(errors)


def _read(name, path, queue):
    errors = []
    backend = BACKENDS[name](path)
    try:
        for index in range(READS):
            query = ["đông ngạc", "duong thuy", "", "sắc phong"][index % 4]
            results = backend.search(query, access_levels=["public"], limit=10)
            if results.total < len(results.hits):
                errors.append(f"total {results.total} < {len(results.hits)} hits")
    except Exception as err:  # reported to the parent, which fails the test
        errors.append(repr(err))
    queue.put(errors)


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_concurrent_writers_and_readers_do_not_fail(tmp_path, name):
    """Two writers and two readers start together on an index that does not
    exist yet; none of them sees a lock error or any other error."""
    path = tmp_path / "chỉ mục" / "index.sqlite3"
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [
        context.Process(target=_write, args=(name, path, n, queue)) for n in (1, 2)
    ]
    processes += [
        context.Process(target=_read, args=(name, path, queue)) for _ in range(2)
    ]
    for process in processes:
        process.start()
    reports = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)

    assert reports == [[], [], [], []]
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    backend = BACKENDS[name](path)
    assert backend.count() == 2 * WRITES
    assert backend.search("đình", access_levels=["public"]).total == 2 * (WRITES // 3)


def test_a_forked_child_opens_its_own_connection(backend):
    """A backend used before fork() keeps working in the child and parent."""
    backend.index(make_document(title="Trước khi tách"))
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            backend.index(make_document(title="Trong tiến trình con"))
            total = backend.search("", access_levels=["public"]).total
            os.write(write_end, str(total).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    reported = os.read(read_end, 16)
    os.waitpid(child, 0)
    assert reported == b"2"
    assert backend.search("tiến trình", access_levels=["public"]).total == 1
