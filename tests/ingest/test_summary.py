"""What ``disan ingest`` tells its user: the summary and the exit status."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from disan.catalog.models import HeritageDocument
from disan.ingest import tasks
from disan.ingest.management.commands.ingest import Command
from disan.ingest.models import Batch
from disan.ingest.services.summary import format_text, plural, summarize
from tests.ingest.test_batches import PRINTED, import_catalog, run_batch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ingest(monkeypatch):
    """Run ``disan ingest`` with its jobs run here; return (exit status, output)."""
    queue = []
    monkeypatch.setattr(tasks, "dispatch", queue.append)

    def wait_here(self, batch, *, quiet):
        while queue:
            tasks.run(str(queue.pop(0).pk))

    monkeypatch.setattr(Command, "_wait_with_worker", wait_here)

    def run(*args):
        out = io.StringIO()
        try:
            call_command("ingest", *map(str, args), "--no-ocr", stdout=out)
        except SystemExit as exit:
            return exit.code, out.getvalue()
        return 0, out.getvalue()

    return run


def one_page(path):
    Image.new("L", (64, 48), 200).save(path)


def document(folder, *, metadata=None, pages=1):
    folder.mkdir(parents=True)
    for number in range(1, pages + 1):
        one_page(folder / f"trang {number}.png")
    if metadata is not None:
        (folder / "metadata.json").write_text(metadata, encoding="utf-8")
    return folder


def test_refused_documents_are_counted_apart_from_files_and_exit_3(tmp_path, ingest):
    batch = tmp_path / "w" / "b3"
    good = document(batch / "hồ sơ 1", metadata=json.dumps({"identifier": "B3-1"}))
    (good / "ABOUT.md").write_text("# Ghi chú\n", encoding="utf-8")
    for number in range(2, 6):
        document(batch / f"hồ sơ {number}", metadata="{ không phải JSON")

    status, text = ingest(batch)

    assert status == 3
    assert "  ingested: 1 document, 1 page, " in text
    assert "  refused: 4 documents (not ingested), 1 file" in text
    assert "rejected files" not in text.lower()
    documents, files = text.split("Documents not ingested:\n")[1].split(
        "Files not ingested:\n"
    )
    assert [line.split(": ")[0] for line in documents.splitlines()] == [
        f"  - {batch.resolve() / f'hồ sơ {number}' / 'metadata.json'}"
        for number in range(2, 6)
    ]
    assert "ABOUT.md is not an image or PDF: it is a text file" in files
    assert list(HeritageDocument.objects.values_list("identifier", flat=True)) == [
        "B3-1"
    ]


def test_json_totals_tell_documents_refused_from_files_refused(tmp_path, monkeypatch):
    batch = tmp_path / "lô"
    document(batch / "tốt", pages=2)
    refused = document(batch / "hỏng", pages=0)
    (refused / "trống.png").write_bytes(b"")
    document(batch / "sai", metadata="[]")

    summary = summarize(run_batch(batch, monkeypatch))

    assert summary["totals"] | {"bytes": 0} == {
        "documents": 1,
        "pages": 2,
        "bytes": 0,
        "rejected": 2,
        "documents_refused": 2,
        "files_refused": 1,
        "failed_jobs": 0,
    }
    assert [(item["code"], item["refused"]) for item in summary["rejected"]] == [
        ("empty", "file"),
        ("metadata_invalid", "document"),
    ]
    # The folder whose only file was refused made no record: that is a
    # document refused too.
    assert [
        (item["path"].rsplit("/", 1)[-1], item["code"])
        for item in summary["documents_refused"]
    ] == [("hỏng", "no_file_accepted"), ("metadata.json", "metadata_invalid")]
    assert "2 pages" in format_text(summary)


def test_a_batch_with_every_document_refused_exits_1(tmp_path, ingest):
    batch = tmp_path / "lô"
    document(batch / "sai 1", metadata="{")
    document(batch / "sai 2", metadata="{")

    status, text = ingest(batch)

    assert status == 1
    assert "refused: 2 documents (not ingested), 0 files" in text
    assert Batch.objects.get().status == Batch.Status.DONE


def import_conditional(tmp_path, *identifiers):
    """Record documents in the catalog as conditional, with no files yet."""
    import_catalog(
        tmp_path,
        "Mã tài liệu,Tiêu đề,Mức truy cập\n"
        + "".join(f"{name},{name},hạn chế\n" for name in identifiers),
    )


OPENED = json.dumps({"access_level": "public"})


def test_a_document_refused_for_loosening_access_is_not_counted(tmp_path, ingest):
    import_conditional(tmp_path, "HN-Q1")
    batch = tmp_path / "lô"
    document(batch / "HN-Q1", metadata=OPENED, pages=2)
    document(batch / "HN-Q2")

    status, text = ingest(batch)

    assert status == 3
    assert "  ingested: 1 document, 1 page, " in text
    assert "  refused: 1 document (not ingested), 0 files" in text
    assert "  - HN-Q2 (online, public, changed): 1 page, " not in text
    ingested, refused = text.split("Documents not ingested:\n")
    assert "HN-Q1" not in ingested
    assert "[access_loosened] HN-Q1 is conditional in the catalog" in refused
    assert HeritageDocument.objects.get(identifier="HN-Q1").page_count == 0


def test_a_batch_whose_every_document_is_refused_for_loosening_exits_1(
    tmp_path, ingest
):
    import_conditional(tmp_path, "HN-Q1", "HN-Q2")
    batch = tmp_path / "lô"
    document(batch / "HN-Q1", metadata=OPENED)
    document(batch / "HN-Q2", metadata="{")

    status, text = ingest(batch, "--json")

    assert status == 1
    summary = json.loads(text)
    assert summary["documents"] == []
    assert (summary["totals"]["documents"], summary["totals"]["pages"]) == (0, 0)
    assert [item["code"] for item in summary["documents_refused"]] == [
        "access_loosened",
        "metadata_invalid",
    ]


def test_the_status_word_tells_stored_from_public(tmp_path, ingest):
    import_conditional(tmp_path, "HN-Q1")
    batch = tmp_path / "lô"
    document(batch / "HN-Q1")
    document(batch / "HN-Q2", metadata=json.dumps({"access_level": "public"}))

    status, text = ingest(batch)

    assert status == 0
    assert "  - HN-Q1 (stored, not public (conditional), changed): 1 page, " in text
    assert "  - HN-Q2 (online, public, changed): 1 page, " in text
    assert "online, conditional" not in text


def test_a_batch_with_only_files_refused_exits_0(tmp_path, ingest):
    batch = tmp_path / "lô"
    folder = document(batch / "quyển 1")
    shutil.copyfile(PRINTED, folder / "trang 2.tif")
    (folder / "ghi chú.txt").write_text("ghi chú", encoding="utf-8")

    status, text = ingest(batch)

    assert status == 0
    assert "ingested: 1 document, 3 pages, " in text
    assert "refused: 0 documents (not ingested), 1 file" in text
    assert "): 3 pages, " in text


def test_queued_without_waiting_a_refused_document_still_exits_3(tmp_path, ingest):
    batch = tmp_path / "lô"
    document(batch / "tốt")
    document(batch / "sai", metadata="{")

    status, _ = ingest(batch, "--no-wait")

    assert status == 3


@pytest.mark.parametrize(
    "contents",
    [
        [],
        [".DS_Store", "Thumbs.db", "desktop.ini"],
        ["hồ sơ trống/", "hồ sơ khác/.DS_Store"],
        ["hồ sơ/quyển 1/", "hồ sơ/quyển 2/Thumbs.db", "hồ sơ khác/"],
    ],
)
def test_a_folder_with_nothing_to_ingest_is_refused_and_records_nothing(
    tmp_path, ingest, contents
):
    batch = tmp_path / "lô trống"
    batch.mkdir()
    for name in contents:
        path = batch / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not name.endswith("/"):
            path.write_bytes(b"x")

    with pytest.raises(CommandError, match="holds nothing to ingest") as error:
        ingest(batch)

    assert error.value.returncode == 1
    assert "no batch was recorded" in str(error.value)
    assert not Batch.objects.exists()


def test_an_unchanged_run_says_so_plainly(tmp_path, ingest):
    batch = tmp_path / "lô"
    document(batch / "quyển 1")
    assert ingest(batch)[0] == 0

    status, text = ingest(batch)

    assert status == 0
    assert (
        "note: Unchanged: the files are the same as the stored version 1; "
        "nothing new was stored." in text
    )
    assert "urn:uuid:" not in text


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 pages"), (1, "1 page"), (2, "2 pages"), (1234, "1,234 pages")],
)
def test_counts_agree_in_number(count, expected):
    assert plural(count, "page") == expected
