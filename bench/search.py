"""Search at scale: build an index of synthetic Vietnamese records, time queries.

Usage: python bench/search.py [--records N] [--backends sqlite,tantivy]
       [--queries N] [--cache DIR] [--rebuild]

Each record has a title of 3-9 syllables and a description of 200, drawn
with a Zipf distribution (s = 1.05) from a vocabulary of about 4,000
Vietnamese syllables, built from real onsets, rhymes and the six tones with
the spelling rules (k/gh/ngh before front vowels, only sắc and nặng on
stop-final rhymes). It is a deliberately hard corpus: many syllables differ
only by their diacritics (dương, đường, duong fold alike), so folded queries
match far more than exact ones, and common words match most records.

The index of each backend is built once into --cache (default
$TMPDIR/disan-search-bench) and reused. The bench prints the build time and
size, then p50/p95 latency of ranked top-10 queries of each kind, measured
twice: the full search() (total and facet counts too) and ranked hits alone
(facets=False, as a page that shows no facets asks).

Every query kind is checked: a query without diacritics finds at least the
documents its accented form finds, and an accented query's first hit
matches with the diacritics as typed.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")

BACKENDS = {
    "sqlite": "disan.search.backends.sqlite_fts.SQLiteFTSBackend",
    "tantivy": "disan.search.backends.tantivy_index.TantivyBackend",
}
DESCRIPTION_WORDS = 200
ZIPF_EXPONENT = 1.05
VOCABULARY_SIZE = 4000
BATCH = 20_000

ONSETS = [
    "", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng",
    "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
]  # fmt: skip
RHYMES = [
    "a", "ai", "am", "an", "ang", "anh", "ao", "au", "ay", "ac", "ach", "at",
    "ăm", "ăn", "ăng", "ăc", "ăt", "âm", "ân", "âng", "âu", "ây", "âc", "ât",
    "e", "em", "en", "eng", "eo", "ec", "et", "ê", "êm", "ên", "ênh", "êu",
    "êch", "êt", "i", "ia", "im", "in", "inh", "iu", "ich", "it", "iêm",
    "iên", "iêng", "iêu", "iêc", "iêt", "o", "oa", "oai", "oan", "oang",
    "oanh", "oac", "oat", "oe", "oi", "om", "on", "ong", "oc", "ot", "ô",
    "ôi", "ôm", "ôn", "ông", "ôc", "ôt", "ơ", "ơi", "ơm", "ơn", "ơt", "u",
    "ua", "uân", "uât", "ui", "um", "un", "ung", "uôi", "uôn", "uông", "uôc",
    "uôt", "uy", "uyên", "uyêt", "uc", "ut", "ư", "ưa", "ưi", "ưng", "ươi",
    "ươn", "ương", "ươu", "ươc", "ươt", "ưc", "ưt", "y",
]  # fmt: skip
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
STOP_TONES = ["\u0301", "\u0323"]
DOC_TYPES = ["sắc phong", "gia phả", "địa bạ", "hương ước", "văn bia", "thư tịch"]
UNITS = ["Bảo tàng Hà Nội", "Thư viện Hà Nội", "Ban quản lý di tích", "Lưu trữ"]


def vocabulary(rng):
    """Return VOCABULARY_SIZE distinct syllables in NFC, in Zipf rank order."""
    from disan.search import vietnamese

    syllables = set()
    for onset in ONSETS:
        for rhyme in RHYMES:
            if onset == "qu" and rhyme[0] in "uo":
                continue
            spelled = _spell(onset, rhyme)
            stop = rhyme.endswith(("c", "ch", "p", "t"))
            for tone in STOP_TONES if stop else TONES:
                word = _with_tone(spelled, tone, vietnamese)
                if word:
                    syllables.add(word)
    ordered = sorted(syllables)
    rng.shuffle(ordered)
    return ordered[:VOCABULARY_SIZE]


def _spell(onset, rhyme):
    front = rhyme[0] in "eêiy"
    if onset == "c" and front:
        return "k" + rhyme
    if onset in ("g", "ng") and front:
        return onset + "h" + rhyme
    if onset == "gi" and rhyme.startswith("i"):
        return "g" + rhyme
    return onset + rhyme


def _with_tone(bare, tone, vietnamese):
    if not tone:
        return bare
    position = vietnamese.tone_position(bare)
    if position is None:
        return None
    marked = unicodedata.normalize("NFC", bare[position] + tone)
    return bare[:position] + marked + bare[position + 1 :]


def zipf_weights(size):
    total = 0.0
    cumulative = []
    for rank in range(1, size + 1):
        total += 1.0 / rank**ZIPF_EXPONENT
        cumulative.append(total)
    return cumulative


def records(count, words, cumulative, seed):
    """Yield IndexDocuments; the same seed gives the same records."""
    from disan.search.backends.base import IndexDocument

    rng = random.Random(seed)
    for number in range(count):
        title = rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 9))
        body = rng.choices(words, cum_weights=cumulative, k=DESCRIPTION_WORDS)
        year = rng.randint(1400, 1990)
        yield IndexDocument(
            id=str(uuid.UUID(int=number + 1)),
            identifier=f"HN-{number:07d}",
            title=" ".join(title).capitalize(),
            description=" ".join(body),
            doc_type=DOC_TYPES[number % len(DOC_TYPES)],
            holding_unit=UNITS[number % len(UNITS)],
            languages=["vi"] if number % 3 else ["vi", "lzh"],
            scripts=["Latn"],
            year_start=year,
            year_end=year + rng.randint(0, 30),
            access_level="conditional" if number % 10 == 0 else "public",
            created=f"20{number % 25:02d}-01-01T00:00:{number % 60:02d}",
        )


def build(backend, count, words, cumulative, seed):
    """Index ``count`` records in batches; return seconds taken."""
    started = time.perf_counter()
    backend.clear()
    batch = []
    done = 0
    for doc in records(count, words, cumulative, seed):
        batch.append(doc)
        if len(batch) == BATCH:
            done += backend.index_many(batch)
            batch = []
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>9,} records  {rate:,.0f}/s", file=sys.stderr, flush=True)
    if batch:
        backend.index_many(batch)
    return time.perf_counter() - started


def size_of(path):
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def queries(words, cumulative, seed, per_kind, count):
    """Return {kind: [query]}: 1-3 words with and without diacritics, and
    two-word phrases taken from records, both ways."""
    from disan.search import vietnamese

    rng = random.Random(seed + 1)
    kinds = {}
    for size in (1, 2, 3):
        accented = [
            " ".join(rng.choices(words, cum_weights=cumulative, k=size))
            for _ in range(per_kind)
        ]
        kinds[f"{size} word{'s' if size > 1 else ''}"] = accented
        kinds[f"{size} word{'s' if size > 1 else ''}, no diacritics"] = [
            vietnamese.fold(query) for query in accented
        ]
    # Phrases are taken from indexed records, so each has an exact match.
    phrases = []
    for doc in records(min(per_kind, count), words, cumulative, seed):
        body = doc.description.split()
        start = rng.randrange(len(body) - 1)
        phrases.append(f'"{body[start]} {body[start + 1]}"')
    phrases = (phrases * per_kind)[:per_kind]
    kinds["phrase"] = phrases
    kinds["phrase, no diacritics"] = [vietnamese.fold(query) for query in phrases]
    kinds["prefix"] = [
        vietnamese.fold(rng.choice(words))[:3] + "*" for _ in range(per_kind)
    ]
    return kinds


def measure(backend, kinds, facets):
    """Return {kind: (p50 ms, p95 ms, mean total)}."""
    figures = {}
    for kind, texts in kinds.items():
        for text in texts[:5]:  # warm caches
            backend.search(text, access_levels=["public"], limit=10, facets=facets)
        times = []
        totals = []
        for text in texts:
            started = time.perf_counter()
            results = backend.search(
                text, access_levels=["public"], limit=10, facets=facets
            )
            times.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        figures[kind] = (cuts[49], cuts[94], statistics.fmean(totals))
    return figures


def check_matching(backend, kinds):
    """Return a list of problems with Vietnamese matching, empty if none."""
    from disan.search import vietnamese

    problems = []
    for accented_kind in ("1 word", "2 words", "phrase"):
        for accented in kinds[accented_kind][:20]:
            folded = vietnamese.fold(accented)
            with_marks = backend.search(accented, access_levels=["public"], limit=10)
            without = backend.search(folded, access_levels=["public"], limit=1000)
            if without.total < with_marks.total:
                problems.append(f"{folded!r} finds fewer than {accented!r}")
            found = {hit.id for hit in without.hits}
            if without.total <= 1000 and not {h.id for h in with_marks.hits} <= found:
                problems.append(f"{folded!r} misses hits of {accented!r}")
            if with_marks.hits and with_marks.hits[0].score < 1.0:
                problems.append(f"{accented!r}: first hit is not an exact match")
    return problems


def run(name, args, words, cumulative, kinds):
    from django.utils.module_loading import import_string

    folder = args.cache / f"{name}-{args.records}-{args.seed}"
    marker = folder / "built.json"
    if args.rebuild and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    backend = import_string(BACKENDS[name])(folder / "index.sqlite3")
    if marker.exists():
        built = json.loads(marker.read_text())
    else:
        print(f"{name}: building {args.records:,} records", file=sys.stderr)
        seconds = build(backend, args.records, words, cumulative, args.seed)
        built = {"seconds": seconds}
        marker.write_text(json.dumps(built))
    size = size_of(folder) - marker.stat().st_size
    full = measure(backend, kinds, facets=True)
    ranked = measure(backend, kinds, facets=False)
    problems = check_matching(backend, kinds)
    return built["seconds"], size, full, ranked, problems


def report(name, records, seconds, size, full, ranked, problems):
    print(f"\n{name}: {records:,} records, built in {seconds:,.0f} s, ", end="")
    print(f"{size / 2**20:,.0f} MiB")
    print(f"  {'query kind':<26}{'ranked top-10':>20}{'with total+facets':>22}")
    print(f"  {'':<26}{'p50 ms':>10}{'p95 ms':>10}{'p50 ms':>11}{'p95 ms':>11}  hits")
    for kind in ranked:
        r50, r95, _ = ranked[kind]
        f50, f95, mean_total = full[kind]
        print(
            f"  {kind:<26}{r50:>10.1f}{r95:>10.1f}{f50:>11.1f}{f95:>11.1f}"
            f"  {mean_total:,.0f}"
        )
    print(f"  matching checks: {'all pass' if not problems else problems[:5]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,tantivy")
    parser.add_argument("--queries", type=int, default=100, help="per query kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "disan-search-bench",
    )
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = [name for name in names if name not in BACKENDS]
    if unknown or args.records < 1 or args.queries < 5:
        parser.error(
            f"--backends takes {', '.join(BACKENDS)}; --records >= 1 and "
            f"--queries >= 5 (got {', '.join(unknown) or 'bad numbers'})"
        )

    import django

    django.setup()
    rng = random.Random(args.seed)
    words = vocabulary(rng)
    cumulative = zipf_weights(len(words))
    kinds = queries(words, cumulative, args.seed, args.queries, args.records)
    print(f"vocabulary: {len(words):,} syllables, Zipf s={ZIPF_EXPONENT}")
    for name in names:
        report(name, args.records, *run(name, args, words, cumulative, kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
