"""OCFLStore under failure: interrupted copies, killed writers, races."""

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from disan.preservation.exceptions import StorageError
from disan.preservation.storage import FileEntry, PutResult, durable

from .conftest import assert_root_valid, tree

REPO = Path(__file__).resolve().parents[2]
OBJECT_ID = "Hồng Đức quốc âm thi tập"
ONE = "Trang một".encode()
ONE_SHA = "b6e6b661fc33c61bdd118deee3e5dd95a458326a8563a1cb055ffca90b079953"

WRITER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from disan.preservation.storage.ocfl import OCFLStore

    store = OCFLStore(Path(sys.argv[2]))
    object_id, go, folder, tag = sys.argv[3:7]
    while not Path(go).exists():
        time.sleep(0.001)
    for round_ in range(int(sys.argv[7])):
        source = Path(folder) / ("%s-%d.txt" % (tag, round_))
        source.write_text("trang của %s, lượt %d" % (tag, round_))
        shared = Path(folder) / "chung.txt"
        result = store.put(
            object_id, [(shared, "chung.txt"), (source, "trang.txt")],
            message="lượt %d" % round_, agent=tag,
        )
        print(json.dumps([result.version, result.changed]), flush=True)
    """
)


def staging_folders(store):
    staging = store.work_dir / "staging"
    return sorted(p.name for p in staging.iterdir()) if staging.is_dir() else []


def test_failed_copy_leaves_the_previous_version(store, source, monkeypatch):
    store.put(OBJECT_ID, [(source("1", ONE), "a.txt")], message="v1", agent="a")
    before = tree(store.object_dir(OBJECT_ID))
    files_before = store.files(OBJECT_ID)
    real_copy = durable.copy_with_digest
    copied = []

    def copy_then_fail(source_path, target):
        copied.append(target.name)
        if len(copied) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source_path, target)

    monkeypatch.setattr(durable, "copy_with_digest", copy_then_fail)
    pages = [
        (source("1", ONE), "a.txt"),
        (source("2", b"hai"), "b.txt"),
        (source("3", b"ba"), "c.txt"),
    ]
    with pytest.raises(StorageError) as caught:
        store.put(OBJECT_ID, pages, message="v2", agent="a")

    assert str(caught.value) == (
        f"Cannot copy {pages[2][0]} into object 'Hồng Đức quốc âm thi tập' "
        "([Errno 28] No space left on device); check free space and "
        "permissions, then retry."
    )
    assert copied == ["b.txt", "c.txt"]
    assert tree(store.object_dir(OBJECT_ID)) == before
    assert store.head_version(OBJECT_ID) == "v1"
    assert store.files(OBJECT_ID) == files_before
    assert staging_folders(store) == []
    assert_root_valid(store.root, 1)

    monkeypatch.undo()
    result = store.put(OBJECT_ID, pages, message="v2", agent="a")
    assert (result.version, result.changed, sorted(result.files)) == (
        "v2",
        True,
        ["a.txt", "b.txt", "c.txt"],
    )
    assert_root_valid(store.root, 1)


def test_failed_first_version_leaves_no_object(store, source, monkeypatch):
    def fail(source_path, target):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable, "copy_with_digest", fail)
    with pytest.raises(StorageError):
        store.put(OBJECT_ID, [(source("1", ONE), "a.txt")], message="v1", agent="a")

    assert sorted(p.name for p in store.root.iterdir()) == [
        "0=ocfl_1.1",
        "extensions",
        "ocfl_layout.json",
    ]
    assert store.exists(OBJECT_ID) is False
    assert_root_valid(store.root, 0)
    monkeypatch.undo()
    assert store.put(
        OBJECT_ID, [(source("1", ONE), "a.txt")], message="v1", agent="a"
    ) == (PutResult("v1", True, {"a.txt": FileEntry(ONE_SHA, 11, "v1/content/a.txt")}))


def test_switch_without_rename_exchange(store, source, monkeypatch):
    store.put(OBJECT_ID, [(source("1", ONE), "a.txt")], message="v1", agent="a")

    def unsupported(first, second):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(durable, "exchange", unsupported)
    result = store.put(
        OBJECT_ID, [(source("2", b"hai"), "a.txt")], message="v2", agent="a"
    )

    assert (result.version, result.changed) == ("v2", True)
    assert staging_folders(store) == []
    assert_root_valid(store.root, 1)


class Killed(BaseException):
    """Stands for the process dying between two system calls."""


def test_switch_interrupted_between_renames_is_rolled_forward(
    store, source, monkeypatch
):
    store.put(OBJECT_ID, [(source("1", ONE), "a.txt")], message="v1", agent="a")
    object_dir = store.object_dir(OBJECT_ID)
    real_rename = os.rename

    def unsupported(first, second):
        raise OSError(errno.EINVAL, "Invalid argument")

    def die_before_second_rename(first, second):
        if Path(second) == object_dir:
            raise Killed()
        return real_rename(first, second)

    monkeypatch.setattr(durable, "exchange", unsupported)
    monkeypatch.setattr(os, "rename", die_before_second_rename)
    with pytest.raises(Killed):
        store.put(OBJECT_ID, [(source("2", b"hai"), "a.txt")], message="v2", agent="a")
    monkeypatch.undo()

    # The only copy of the object waits in the work folder.
    assert object_dir.exists() is False
    [leftover] = staging_folders(store)
    assert sorted(
        p.name for p in (store.work_dir / "staging" / leftover).iterdir()
    ) == [
        "object",
        "previous",
        "switch.json",
    ]

    result = store.put(
        OBJECT_ID, [(source("2", b"hai"), "a.txt")], message="v2", agent="a"
    )
    assert (result.version, result.changed) == ("v2", False)
    assert staging_folders(store) == []
    assert_root_valid(store.root, 1)


def test_writer_killed_mid_version_leaves_a_valid_root(store, tmp_path):
    folder = tmp_path / "lớn"
    folder.mkdir()
    small = folder / "nhỏ.bin"
    small.write_bytes(b"v1")
    store.put(OBJECT_ID, [(small, "nhỏ.bin")], message="v1", agent="a")
    pages = []
    for n in range(24):
        page = folder / f"trang-{n:02d}.bin"
        page.write_bytes(bytes([n]) * (8 * 1024 * 1024))
        pages.append(page)
    script = tmp_path / "kill_me.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from pathlib import Path
            sys.path.insert(0, sys.argv[1])
            from disan.preservation.storage.ocfl import OCFLStore
            files = [(Path(p), Path(p).name) for p in sys.argv[4:]]
            store = OCFLStore(Path(sys.argv[2]))
            store.put(sys.argv[3], files, message="v2", agent="a")
            """
        )
    )

    writer = subprocess.Popen(
        [sys.executable, str(script), str(REPO), str(store.root), OBJECT_ID]
        + [str(p) for p in pages]
    )
    staging = store.work_dir / "staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and writer.poll() is None:
        content = list(staging.glob("*/object/v2/content/*"))
        if len(content) >= 2:
            break
        time.sleep(0.001)
    if writer.poll() is not None:
        pytest.fail("the writer finished before it could be killed mid-write")
    writer.send_signal(signal.SIGKILL)
    writer.wait()

    assert writer.returncode == -signal.SIGKILL
    assert len(staging_folders(store)) == 1
    assert store.head_version(OBJECT_ID) == "v1"
    assert tree(store.object_dir(OBJECT_ID) / "v1" / "content") == ["nhỏ.bin"]
    assert_root_valid(store.root, 1)

    result = store.put(OBJECT_ID, [(p, p.name) for p in pages], message="v2", agent="a")
    assert (result.version, len(result.files)) == ("v2", 24)
    assert result.files["trang-23.bin"].size == 8 * 1024 * 1024
    assert staging_folders(store) == []
    assert_root_valid(store.root, 1)


def test_concurrent_writers_make_one_linear_history(store, tmp_path):
    folder = tmp_path / "nguồn"
    folder.mkdir()
    (folder / "chung.txt").write_text("trang chung")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    go = tmp_path / "go"
    rounds = 4
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(REPO),
                str(store.root),
                OBJECT_ID,
                str(go),
                str(folder),
                tag,
                str(rounds),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("Lê", "Trần")
    ]
    go.touch()
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0]
    results = [json.loads(line) for out in outputs for line in out.splitlines()]
    assert len(results) == 2 * rounds
    # Every put saw a different content from the head before it, so every
    # put made exactly one new version, and none was lost or doubled.
    versions = sorted(
        (v for v, changed in results if changed), key=lambda v: int(v[1:])
    )
    assert versions == [f"v{n}" for n in range(1, 2 * rounds + 1)]
    data = json.loads((store.object_dir(OBJECT_ID) / "inventory.json").read_text())
    assert data["head"] == f"v{2 * rounds}"
    assert list(data["versions"]) == versions
    assert staging_folders(store) == []
    assert_root_valid(store.root, 1)
