"""bench/search.py: its corpus, and a small run end to end on both backends."""

import importlib.util
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

from disan.search import vietnamese

BENCH = Path(__file__).resolve().parents[2] / "bench" / "search.py"
KINDS = [
    "1 word",
    "1 word, no diacritics",
    "2 words",
    "2 words, no diacritics",
    "3 words",
    "3 words, no diacritics",
    "phrase",
    "phrase, no diacritics",
    "prefix",
]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vocabulary_is_spelled_like_vietnamese_and_hard_to_fold():
    words = _bench().vocabulary(random.Random(1))
    assert len(words) == len(set(words)) == 4000
    assert all(unicodedata.is_normalized("NFC", word) for word in words)
    assert all(vietnamese.normalize(word) == word for word in words)
    assert not [w for w in words if w.startswith(("ce", "ci", "ky", "ge", "nge"))]
    assert not [w for w in words if w[-1] in "ct" and vietnamese.fold(w) == w]
    folded = {vietnamese.fold(word) for word in words}
    # Many syllables differ only by their diacritics.
    assert len(folded) < len(words) / 2


def test_records_are_the_same_for_the_same_seed():
    bench = _bench()
    words = bench.vocabulary(random.Random(1))
    cumulative = bench.zipf_weights(len(words))
    first = list(bench.records(3, words, cumulative, 7))
    second = list(bench.records(3, words, cumulative, 7))
    assert [doc.description for doc in first] == [doc.description for doc in second]
    assert [len(doc.description.split()) for doc in first] == [200, 200, 200]
    assert [doc.access_level for doc in first] == ["conditional", "public", "public"]


def test_bench_builds_both_indexes_and_prints_every_query_kind(tmp_path):
    command = [sys.executable, str(BENCH), "--records", "300", "--queries", "5"]
    command += ["--cache", str(tmp_path / "bộ nhớ")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "vocabulary: 4,000 syllables, Zipf s=1.05"
    for name, start in (("sqlite", 2), ("tantivy", 16)):
        assert lines[start].startswith(f"{name}: 300 records, built in ")
        rows = lines[start + 3 : start + 3 + len(KINDS)]
        assert [row[2:28].rstrip() for row in rows] == KINDS
        assert lines[start + 3 + len(KINDS)].startswith("  matching checks: ")
    assert sorted(path.name for path in (tmp_path / "bộ nhớ").iterdir()) == [
        "sqlite-300-1",
        "tantivy-300-1",
    ]


def test_bench_refuses_an_unknown_backend(tmp_path):
    command = [sys.executable, str(BENCH), "--backends", "elastic", "--records", "5"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].endswith(
        "--backends takes sqlite, tantivy; --records >= 1 and --queries >= 5 "
        "(got elastic)"
    )
