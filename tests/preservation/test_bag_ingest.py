"""`disan ingest` takes BagIt bags; an invalid bag is refused with every problem."""

import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest

from disan.ingest.discover import discover_batch
from disan.ingest.models import Rejection, Transfer
from disan.ingest.services.batches import start_batch

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
BOOK = SAMPLES / "dai-nam-nhat-thong-chi"


def bag_of(folder, documents):
    """Make a bag whose payload holds ``documents`` (name -> page files)."""
    folder.mkdir(parents=True)
    for name, pages in documents.items():
        target = folder / name if name else folder
        target.mkdir(exist_ok=True)
        for page in pages:
            shutil.copyfile(BOOK / page, target / page)
    bagit.make_bag(str(folder), {"Source-Organization": "Thư viện Hà Nội"})
    return folder


def zip_bag(folder, archive):
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(
                    path, f"{folder.name}/{path.relative_to(folder).as_posix()}"
                )
    return archive


def test_a_bag_with_sub_folders_is_a_batch_of_documents(tmp_path):
    bag = bag_of(
        tmp_path / "túi hồ sơ",
        {
            "Đại Nam quyển 1": ["page_001.jpg", "page_002.jpg"],
            "Bản đồ": ["page_003.jpg"],
        },
    )
    (bag / "data" / "Bản đồ" / "metadata.json").unlink(missing_ok=True)
    plan = discover_batch(bag)
    assert plan.problems == []
    assert [d.name for d in plan.documents] == ["Bản đồ", "Đại Nam quyển 1"]
    assert [p.name for p in plan.documents[1].files] == ["page_001.jpg", "page_002.jpg"]
    assert plan.unpacked is None


@pytest.mark.django_db
def test_a_zipped_bag_without_sub_folders_is_one_document_named_after_it(
    tmp_path, settings
):
    bag = bag_of(tmp_path / "src" / "Gia phả họ Nguyễn", {"": ["page_004.jpg"]})
    archive = zip_bag(bag, tmp_path / "Gia phả họ Nguyễn.zip")
    queued = []
    batch = start_batch(archive, dispatch=queued.append)
    [transfer] = Transfer.objects.filter(batch=batch)
    assert transfer.metadata["title"] == "Gia phả họ Nguyễn"
    assert transfer.source.endswith("/data")
    assert [f["name"] for f in transfer.files] == ["page_004.jpg"]
    assert (
        Path(transfer.files[0]["path"]).stat().st_size
        == (BOOK / "page_004.jpg").stat().st_size
    )
    assert list(batch.rejections.all()) == []
    # The unpacked copy is gone once the files are staged.
    assert sorted(p.name for p in Path(settings.DISAN_TRANSFERS_ROOT).iterdir()) == [
        str(batch.pk)
    ]


@pytest.mark.django_db
def test_an_invalid_bag_is_refused_with_every_problem(tmp_path):
    bag = bag_of(tmp_path / "túi hỏng", {"Sách": ["page_001.jpg", "page_002.jpg"]})
    with open(bag / "data" / "Sách" / "page_001.jpg", "r+b") as handle:
        handle.seek(100)
        handle.write(b"\xff")
    (bag / "data" / "Sách" / "thêm.txt").write_text("lạ", encoding="utf-8")
    batch = start_batch(bag, dispatch=lambda job: None)
    assert Transfer.objects.filter(batch=batch).count() == 0
    rejections = list(Rejection.objects.filter(batch=batch).order_by("code"))
    assert [r.code for r in rejections] == [
        "bag_checksum_mismatch",
        "bag_checksum_mismatch",
        "bag_oxum_mismatch",
        "bag_unexpected_file",
    ]
    assert rejections[0].path == str(bag / "data/Sách/page_001.jpg")
    assert "The bag túi hỏng was not ingested" in rejections[0].reason
    assert batch.status == "done"


def test_a_holey_bag_is_refused_at_ingest(tmp_path):
    bag = bag_of(tmp_path / "túi thiếu", {"Sách": ["page_001.jpg", "page_002.jpg"]})
    (bag / "fetch.txt").write_text(
        "https://example.org/page_002.jpg - data/Sách/page_002.jpg\n", encoding="utf-8"
    )
    (bag / "data" / "Sách" / "page_002.jpg").unlink()
    plan = discover_batch(bag)
    assert plan.documents == []
    codes = sorted(p.code for p in plan.problems)
    assert "bag_fetch_pending" in codes


def test_metadata_json_in_a_bag_payload_is_read(tmp_path):
    bag = tmp_path / "túi"
    (bag / "Hương ước").mkdir(parents=True)
    shutil.copyfile(BOOK / "page_005.jpg", bag / "Hương ước" / "page_005.jpg")
    (bag / "Hương ước" / "metadata.json").write_text(
        json.dumps({"identifier": "HU-01", "title": "Hương ước làng Đông Ngạc"}),
        encoding="utf-8",
    )
    bagit.make_bag(str(bag))
    [document] = discover_batch(bag).documents
    assert document.metadata["identifier"] == "HU-01"
    assert document.metadata["title"] == "Hương ước làng Đông Ngạc"
