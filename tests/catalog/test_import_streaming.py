"""Large inventories: read lazily and written in chunks, in flat memory."""

import csv
import tracemalloc

import pytest

from disan.catalog.importing.service import import_inventory
from disan.catalog.models import HeritageDocument

pytestmark = pytest.mark.django_db


def inventory(path, count):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã tài liệu", "Tiêu đề", "Niên đại", "Mô tả"])
        for index in range(count):
            writer.writerow(
                [
                    f"HN-{index:06d}",
                    f"Hương ước làng Đông Ngạc, bản {index}",
                    f"Tự Đức năm thứ {index % 36 + 1}",
                    "Văn bản chép tay trên giấy dó, chữ Hán Nôm. " * 100,
                ]
            )
    return path


def peak_of_import(path, **options):
    tracemalloc.start()
    summary = import_inventory(path, chunk_size=200, **options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return summary, peak


def test_ten_times_the_rows_take_about_the_same_memory(tmp_path):
    small, small_peak = peak_of_import(
        inventory(tmp_path / "nhỏ.csv", 200), dry_run=True
    )
    large, large_peak = peak_of_import(
        inventory(tmp_path / "lớn.csv", 2000), dry_run=True
    )
    assert (small.created, large.created) == (200, 2000)
    # Kept in memory, 2,000 rows of 4.4 KB descriptions would add over 9 MB;
    # what does grow is the set of identifiers seen (~100 bytes each).
    assert large_peak < small_peak + 2 * 1024**2


def test_chunks_are_written_in_one_transaction(tmp_path):
    path = inventory(tmp_path / "a.csv", 600)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["HN-999999", "", "1867", ""])
    summary, _ = peak_of_import(path)
    # Three chunks of 200 went to the database before the bad last row.
    assert (summary.created, summary.invalid, summary.written) == (600, 1, False)
    assert HeritageDocument.objects.count() == 0

    summary, _ = peak_of_import(path, valid_only=True)
    assert HeritageDocument.objects.count() == 600
    document = HeritageDocument.objects.get(identifier="HN-000035")
    assert (document.year_start, document.year_end) == (1883, 1883)
