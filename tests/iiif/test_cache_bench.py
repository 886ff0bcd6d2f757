"""bench/iiif.py: the tiles it asks for and the memory it reads."""

import importlib.util
import os
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "iiif.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_iiif", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tile_requests_cover_every_scale_factor_like_a_viewer():
    bench = load_bench()
    assert bench.tile_requests(600, 300) == [
        "0,0,256,256/256,/0/default.jpg",
        "256,0,256,256/256,/0/default.jpg",
        "512,0,88,256/88,/0/default.jpg",
        "0,256,256,44/256,/0/default.jpg",
        "256,256,256,44/256,/0/default.jpg",
        "512,256,88,44/88,/0/default.jpg",
        "0,0,512,300/256,/0/default.jpg",
        "512,0,88,300/44,/0/default.jpg",
        "0,0,600,300/150,/0/default.jpg",
    ]


def test_tile_requests_of_the_real_scan_size():
    bench = load_bench()
    requests = bench.tile_requests(2000, 1773)
    # 8x7 tiles at full size, 4x4 at half, 2x2 at a quarter, 1 at an eighth.
    assert len(requests) == 56 + 16 + 4 + 1
    assert requests[-1] == "0,0,2000,1773/250,/0/default.jpg"


def test_rss_of_tree_counts_this_process():
    bench = load_bench()
    total, largest = bench._rss_of_tree(os.getpid())
    status = Path("/proc/self/status").read_text()
    own = next(int(r.split()[1]) for r in status.splitlines() if r.startswith("VmRSS"))
    assert largest >= own / 1024 * 0.5
    assert total >= largest
