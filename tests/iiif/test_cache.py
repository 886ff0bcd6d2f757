"""The tile cache on disk: hits, misses, eviction order, bound, processes."""

import hashlib
import multiprocessing
import os
import time
from pathlib import Path

from disan.iiif.cache import SweepResult, TileCache, cache_key, tile_cache

KEY_A = "a" * 64
KEY_B = "b" * 64
KEY_C = "c" * 64
KEY_D = "d" * 64


def age(cache, key, seconds_ago, suffix="jpg"):
    """Set the time of a cached rendering to ``seconds_ago`` seconds back."""
    moment = time.time() - seconds_ago
    os.utime(cache.path(key, suffix), (moment, moment))


def cached_files(root):
    return sorted(
        path.name
        for path in Path(root).rglob("*")
        if path.is_file() and path.name != ".sweep.lock"
    )


def test_key_is_the_sha256_of_version_image_request_and_pyramid_identity():
    key = cache_key(
        "5f0e4c1a-0000-4000-8000-000000000001",
        "0,0,256,256/max/0/default.jpg",
        (1_700_000_000_123_456_789, 40960),
    )
    seed = (
        "2|5f0e4c1a-0000-4000-8000-000000000001|0,0,256,256/max/0/default.jpg|"
        "1700000000123456789|40960"
    )
    assert key == hashlib.sha256(seed.encode()).hexdigest()
    assert key != cache_key(
        "5f0e4c1a-0000-4000-8000-000000000001",
        "0,0,256,256/max/0/default.jpg",
        (1_700_000_000_123_456_790, 40960),
    )


def test_miss_then_hit_returns_the_stored_bytes(tmp_path):
    cache = TileCache(tmp_path / "iiif", 10_000)
    assert cache.open(KEY_A, "jpg") is None

    body = "Đại Nam nhất thống chí 大南一統志".encode()
    assert cache.store(KEY_A, "jpg", body) is True

    with cache.open(KEY_A, "jpg") as handle:
        assert handle.read() == body
    assert cache.path(KEY_A, "jpg") == tmp_path / "iiif" / "aa" / f"{KEY_A}.jpg"
    assert cache.open(KEY_A, "png") is None
    assert cached_files(tmp_path / "iiif") == [f"{KEY_A}.jpg"]


def test_disabled_cache_keeps_nothing(tmp_path):
    cache = TileCache(tmp_path / "iiif", 0)
    assert cache.store(KEY_A, "jpg", b"tile") is False
    assert cache.open(KEY_A, "jpg") is None
    assert not (tmp_path / "iiif").exists()


def test_rendering_larger_than_a_sixteenth_of_the_bound_is_not_kept(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1600)
    assert cache.store(KEY_A, "png", b"x" * 101) is False
    assert cache.store(KEY_B, "png", b"x" * 100) is True
    assert cached_files(tmp_path / "iiif") == [f"{KEY_B}.png"]


def test_sweep_removes_the_oldest_until_under_nine_tenths_of_the_bound(tmp_path):
    writer = TileCache(tmp_path / "iiif", 1_000_000)
    for key, seconds_ago in ((KEY_A, 400), (KEY_B, 100), (KEY_C, 300), (KEY_D, 200)):
        writer.store(key, "jpg", b"x" * 300)
        age(writer, key, seconds_ago)

    result = TileCache(tmp_path / "iiif", 1000).sweep()

    # 1200 bytes against a bound of 1000: A, the oldest, goes, leaving 900.
    assert result == SweepResult(
        files=4, bytes=1200, evicted_files=1, evicted_bytes=300
    )
    assert cached_files(tmp_path / "iiif") == [
        f"{KEY_B}.jpg",
        f"{KEY_C}.jpg",
        f"{KEY_D}.jpg",
    ]

    # 300 more, aged between C and D: C, now the oldest, goes.
    writer.store(KEY_A, "jpg", b"x" * 300)
    age(writer, KEY_A, 250)
    assert TileCache(tmp_path / "iiif", 1000).sweep() == SweepResult(4, 1200, 1, 300)
    assert cached_files(tmp_path / "iiif") == [
        f"{KEY_A}.jpg",
        f"{KEY_B}.jpg",
        f"{KEY_D}.jpg",
    ]


def test_sweep_under_the_bound_removes_nothing(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1000)
    cache.store(KEY_A, "jpg", b"x" * 50)
    assert cache.sweep() == SweepResult(1, 50, 0, 0)
    assert cached_files(tmp_path / "iiif") == [f"{KEY_A}.jpg"]


def test_a_hit_makes_an_old_rendering_recent_again(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1_000_000)
    for key in (KEY_A, KEY_B, KEY_C, KEY_D):
        cache.store(key, "jpg", b"x" * 300)
    age(cache, KEY_A, 500)
    age(cache, KEY_B, 400)
    age(cache, KEY_C, 300)
    age(cache, KEY_D, 200)

    cache.open(KEY_A, "jpg").close()
    TileCache(tmp_path / "iiif", 1000).sweep()

    assert cached_files(tmp_path / "iiif") == [
        f"{KEY_A}.jpg",
        f"{KEY_C}.jpg",
        f"{KEY_D}.jpg",
    ]


def test_a_recent_hit_does_not_rewrite_the_file_time(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1000)
    cache.store(KEY_A, "jpg", b"tile")
    age(cache, KEY_A, 30)
    before = cache.path(KEY_A, "jpg").stat().st_mtime_ns
    cache.open(KEY_A, "jpg").close()
    assert cache.path(KEY_A, "jpg").stat().st_mtime_ns == before


def test_storing_keeps_the_cache_within_its_bound(tmp_path):
    """Every sixteenth of the bound written, the writer sweeps."""
    cache = TileCache(tmp_path / "iiif", 1600)
    for number in range(40):
        cache.store(f"{number:064x}", "jpg", b"x" * 100)
        total = sum(path.stat().st_size for path in (tmp_path / "iiif").rglob("*.jpg"))
        assert total <= 1600
    # 17 files trigger a sweep down to 14; the last two stores leave 16.
    assert len(cached_files(tmp_path / "iiif")) == 16


def test_sweep_is_skipped_while_another_process_sweeps(tmp_path):
    import fcntl

    cache = TileCache(tmp_path / "iiif", 100)
    cache.store(KEY_A, "jpg", b"x" * 6)
    with open(tmp_path / "iiif" / ".sweep.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert cache.sweep() is None
    assert cache.sweep() == SweepResult(1, 6, 0, 0)


def test_sweep_removes_parts_left_by_dead_writers_only_when_old(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1000)
    cache.store(KEY_A, "jpg", b"tile")
    folder = tmp_path / "iiif" / "aa"
    (folder / ".part-old").write_bytes(b"half")
    (folder / ".part-new").write_bytes(b"half")
    moment = time.time() - 7200
    os.utime(folder / ".part-old", (moment, moment))

    assert cache.sweep() == SweepResult(1, 4, 0, 0)
    assert sorted(path.name for path in folder.iterdir()) == [
        ".part-new",
        f"{KEY_A}.jpg",
    ]


def test_clear_removes_everything(tmp_path):
    cache = TileCache(tmp_path / "iiif", 1000)
    cache.store(KEY_A, "jpg", b"tile")
    cache.clear()
    assert cache.open(KEY_A, "jpg") is None
    assert not (tmp_path / "iiif").exists()


def test_tile_cache_lives_in_disan_home_with_the_configured_bound(settings):
    settings.DISAN_IIIF_CACHE_BYTES = 12_345
    cache = tile_cache()
    assert cache.root == Path(settings.DISAN_HOME) / "cache" / "iiif"
    assert cache.max_bytes == 12_345
    assert tile_cache() is cache


def body_for(number):
    """A body whose every byte says which key it belongs to."""
    return bytes([number % 251]) * (200 + number % 50)


def _writer(root, worker, rounds, failures):
    cache = TileCache(root, 8000)
    for step in range(rounds):
        number = (worker * 7 + step) % 60
        key = f"{number:064x}"
        cache.store(key, "jpg", body_for(number))
        handle = cache.open(f"{(number * 13) % 60:064x}", "jpg")
        if handle is not None:
            with handle:
                data = handle.read()
            expected = body_for((number * 13) % 60)
            if data != expected:
                failures.put(f"{key}: read {len(data)} bytes")


def test_concurrent_writers_and_readers_see_whole_files_only(tmp_path):
    root = tmp_path / "iiif"
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    workers = [
        context.Process(target=_writer, args=(root, worker, 300, failures))
        for worker in range(6)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)

    assert [process.exitcode for process in workers] == [0] * 6
    assert failures.empty()
    names = cached_files(root)
    assert not [name for name in names if name.startswith(".part-")]
    for path in root.rglob("*.jpg"):
        assert path.read_bytes() == body_for(int(path.stem, 16))
    total = sum(path.stat().st_size for path in root.rglob("*.jpg"))
    # Each of the six writers may have written up to a sixteenth of the
    # bound since its last sweep.
    assert total <= 8000 + 6 * (8000 // 16)
