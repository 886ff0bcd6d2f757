"""Batches run in-process: what becomes a record, what is refused, and why."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from disan.catalog.models import HeritageDocument
from disan.ingest import tasks
from disan.ingest.models import Batch, Rejection
from disan.ingest.services.batches import start_batch
from disan.ingest.services.summary import summarize

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
PRINTED = SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"

pytestmark = pytest.mark.django_db(transaction=True)


def run_batch(path, monkeypatch, *, ocr=False):
    """Start a batch and run every job it makes, here, in order."""
    queue = []
    monkeypatch.setattr(tasks, "dispatch", queue.append)
    batch = start_batch(path, ocr=ocr, dispatch=queue.append)
    while queue:
        tasks.run(str(queue.pop(0).pk))
    batch.refresh_from_db()
    return batch


def make_batch(root, header, row):
    """A batch of one document folder, ``quyển 1``, described by one CSV row."""
    folder = root / "lô" / "quyển 1"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "trang.tif").exists():
        shutil.copyfile(PRINTED, folder / "trang.tif")
    (root / "lô" / "metadata.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    return root / "lô"


def import_catalog(tmp_path, text):
    """Record documents in the catalog from an inventory, as a cataloger does."""
    inventory = tmp_path / "mục lục.csv"
    inventory.write_text(text, encoding="utf-8")
    call_command("import", str(inventory), verbosity=0)


def test_two_folders_with_one_identifier_are_not_mixed(tmp_path, monkeypatch):
    batch_folder = tmp_path / "lô"
    for name in ("sách A", "sách B"):
        (batch_folder / name).mkdir(parents=True)
        shutil.copyfile(PRINTED, batch_folder / name / "trang.tif")
    (batch_folder / "metadata.csv").write_text(
        "folder,identifier,title,access_level\n"
        "sách A,HN-01,Sách A,public\n"
        "sách B,HN-01,Sách B,public\n",
        encoding="utf-8",
    )

    batch = run_batch(batch_folder, monkeypatch)

    assert batch.status == Batch.Status.DONE
    assert list(HeritageDocument.objects.values_list("identifier", "title")) == [
        ("HN-01", "Sách A")
    ]
    (rejection,) = Rejection.objects.filter(batch=batch)
    assert rejection.code == "duplicate_identifier"
    assert rejection.reason.startswith(
        "sách B has the identifier HN-01, which the folder sách A of this batch"
    )
    # It names the first folder's document, so it goes with that transfer.
    assert rejection.transfer.source == str(batch_folder.resolve() / "sách A")
    # The first folder went in; only the second is a refused document.
    summary = summarize(batch)
    assert [doc["identifier"] for doc in summary["documents"]] == ["HN-01"]
    assert summary["totals"]["documents_refused"] == 1
    assert [item["path"] for item in summary["documents_refused"]] == [
        str(batch_folder.resolve() / "sách B")
    ]


def test_a_folder_of_refused_files_makes_no_record(tmp_path, monkeypatch):
    folder = tmp_path / "lô" / "tệp hỏng"
    folder.mkdir(parents=True)
    (folder / "trống.jpg").write_bytes(b"")
    (folder / "ghi chú.jpg").write_text("không phải ảnh", encoding="utf-8")

    batch = run_batch(folder.parent, monkeypatch)
    summary = summarize(batch)

    assert HeritageDocument.objects.count() == 0
    assert summary["documents"] == []
    assert [item["code"] for item in summary["rejected"]] == [
        "unsupported_format",
        "empty",
    ]


def test_a_document_without_access_metadata_is_not_published(tmp_path, monkeypatch):
    folder = tmp_path / "lô" / "Địa bạ"
    folder.mkdir(parents=True)
    shutil.copyfile(PRINTED, folder / "trang.tif")

    summary = summarize(run_batch(folder.parent, monkeypatch))

    (document,) = summary["documents"]
    assert (document["status"], document["pages"]) == ("online", 2)
    assert HeritageDocument.objects.get().access_level == "conditional"


def test_the_summary_gives_addresses_only_for_documents_online(tmp_path, monkeypatch):
    folder = tmp_path / "lô" / "Sắc phong"
    folder.mkdir(parents=True)
    shutil.copyfile(PRINTED, folder / "trang.tif")
    (folder / "metadata.json").write_text(
        json.dumps({"access_level": "public"}), encoding="utf-8"
    )

    (document,) = summarize(run_batch(folder.parent, monkeypatch))["documents"]

    assert document["url"].endswith(f"/documents/{document['id']}/")
    assert document["manifest"].endswith(f"/iiif/3/documents/{document['id']}/manifest")


@pytest.mark.parametrize("path", ["", "   "])
def test_ingest_refuses_an_empty_path(path):
    with pytest.raises(CommandError, match="Give the folder of scans to ingest"):
        call_command("ingest", path)


def test_ingest_refuses_the_data_folder_and_what_holds_it(settings, tmp_path):
    for path in (settings.DISAN_HOME, settings.DISAN_HOME / "transfers", tmp_path):
        with pytest.raises(CommandError, match="Disan's data folder"):
            call_command("ingest", str(path))
