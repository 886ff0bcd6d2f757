"""Finding the documents of a batch folder."""

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from disan.ingest.discover import discover_batch
from disan.ingest.exceptions import BatchPathError

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def touch(path, data=b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def batch(tmp_path):
    """An empty batch folder (tmp_path also holds the test's DISAN_HOME)."""
    folder = tmp_path / "lô 1"
    folder.mkdir()
    return folder


def names(paths):
    return [path.name for path in paths]


def test_repository_samples_make_two_documents_with_csv_metadata():
    plan = discover_batch(SAMPLES)
    assert [doc.name for doc in plan.documents] == [
        "dai-nam-nhat-thong-chi",
        "printed-vietnamese",
    ]
    manuscript, printed = plan.documents
    assert names(manuscript.files) == [f"page_{n:03d}.jpg" for n in range(1, 13)]
    assert manuscript.metadata["identifier"] == "DNNTC-Q1"
    assert manuscript.metadata["folder"] == "dai-nam-nhat-thong-chi"
    assert names(printed.files) == ["VietOCR_vietsample_2p_G4.tif"]
    assert printed.metadata["title"] == "Tôi đi học (trích)"
    assert plan.problems == []


def test_files_are_in_natural_order(batch):
    for name in ("trang_10.jpg", "trang_2.jpg", "Trang_1.jpg", "trang_11.jpg"):
        touch(batch / "Sắc phong" / name)
    plan = discover_batch(batch)
    assert names(plan.documents[0].files) == [
        "Trang_1.jpg",
        "trang_2.jpg",
        "trang_10.jpg",
        "trang_11.jpg",
    ]


def test_single_document_folder(batch):
    folder = batch / "Gia phả họ Nguyễn"
    touch(folder / "2.tif")
    touch(folder / "1.tif")
    touch(folder / "metadata.json", '{"tiêu đề": "Gia phả"}'.encode())
    plan = discover_batch(folder)
    [document] = plan.documents
    assert document.name == "Gia phả họ Nguyễn"
    assert names(document.files) == ["1.tif", "2.tif"]
    assert document.metadata == {"title": "Gia phả", "folder": "Gia phả họ Nguyễn"}


def test_nfd_folder_and_file_names_come_out_nfc(batch):
    folder_name = unicodedata.normalize("NFD", "Hương ước làng Đông Ngạc")
    file_name = unicodedata.normalize("NFD", "tờ_một.jpg")
    touch(batch / folder_name / file_name)
    touch(
        batch / "metadata.csv", "thư mục,mã\nHương ước làng Đông Ngạc,HU-01\n".encode()
    )
    plan = discover_batch(batch)
    [document] = plan.documents
    assert document.name == "Hương ước làng Đông Ngạc"
    assert document.metadata["identifier"] == "HU-01"
    assert document.files[0].exists()
    assert plan.problems == []


def test_problems_are_listed_and_clutter_ignored(batch):
    touch(batch / "Địa bạ" / "1.jpg")
    touch(batch / "Địa bạ" / "phụ lục" / "a.jpg")
    touch(batch / "Địa bạ" / "Thumbs.db")
    touch(batch / "Địa bạ" / ".~lock.1.jpg#")
    touch(batch / ".DS_Store")
    touch(batch / "lạc.jpg")
    touch(batch / "trống" / "desktop.ini")
    os.symlink(batch / "Địa bạ" / "1.jpg", batch / "Địa bạ" / "liên kết.jpg")
    touch(batch / "metadata.csv", b"folder,title\nThi\xe1\xba\xbfu,x\n")

    plan = discover_batch(batch)

    [document] = plan.documents
    assert names(document.files) == ["1.jpg"]
    found = {
        (path.name, code)
        for path, code, _reason in ((p.path, p.code, p.reason) for p in plan.problems)
    }
    assert found == {
        ("lạc.jpg", "outside_document"),
        ("phụ lục", "nested_folder"),
        ("liên kết.jpg", "symlink"),
        ("trống", "empty_folder"),
        ("Thiếu", "metadata_unmatched"),
    }
    assert sorted(names(plan.ignored)) == sorted(
        [".DS_Store", ".~lock.1.jpg#", "Thumbs.db", "desktop.ini"]
    )
    reasons = {problem.code: problem.reason for problem in plan.problems}
    assert reasons["metadata_unmatched"] == (
        "metadata.csv names the folder 'Thiếu', which is not in the batch; "
        "correct the row or add the folder."
    )
    assert reasons["symlink"] == (
        "liên kết.jpg is a symbolic link, which ingest never follows; copy the "
        "real file or folder here instead."
    )


def test_json_metadata_wins_over_the_csv_row(batch):
    touch(batch / "A" / "1.png")
    touch(batch / "A" / "metadata.json", '{"title": "Từ JSON"}'.encode())
    touch(batch / "metadata.csv", "folder,title,access\nA,Từ CSV,mật\n".encode())
    [document] = discover_batch(batch).documents
    assert document.metadata == {
        "folder": "A",
        "title": "Từ JSON",
        "access_level": "mật",
    }


def test_invalid_csv_plans_no_document(batch):
    touch(batch / "A" / "1.png")
    touch(batch / "metadata.csv", b"folder,tiltle\nA,x\n")
    plan = discover_batch(batch)
    assert plan.documents == []
    [problem] = plan.problems
    assert problem.code == "metadata_invalid"
    assert problem.reason == (
        "metadata.csv: tiltle: unknown column; see the accepted names in "
        "README.md (A batch). No document of this batch was ingested; correct "
        "metadata.csv and ingest again."
    )


def test_invalid_json_skips_only_its_document(batch):
    touch(batch / "A" / "1.png")
    touch(batch / "B" / "1.png")
    touch(batch / "B" / "metadata.json", b"{oops")
    plan = discover_batch(batch)
    assert [doc.name for doc in plan.documents] == ["A"]
    assert [(p.path.parent.name, p.code) for p in plan.problems] == [
        ("B", "metadata_invalid")
    ]


def test_a_single_file_is_a_document_of_one_file(batch):
    path = touch(batch / "Bản đồ Hà Nội.tif")
    [document] = discover_batch(path).documents
    assert (document.name, document.files) == ("Bản đồ Hà Nội", [path])


def test_missing_path_raises_a_clear_error(tmp_path):
    with pytest.raises(BatchPathError) as caught:
        discover_batch(tmp_path / "không có")
    assert str(caught.value) == (
        f"{tmp_path}/không có does not exist. Give the folder that holds the "
        "document folders (or one document folder)."
    )


def test_shared_samples_folder(tmp_path):
    shared = REPO / ".." / "shared" / "samples"
    shutil.copytree(shared, tmp_path / "batch")
    plan = discover_batch(tmp_path / "batch")
    # ABOUT.md files are page candidates: identification refuses them later.
    assert [len(doc.files) for doc in plan.documents] == [13, 2]
