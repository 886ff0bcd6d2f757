"""The access level a batch gives: only what its metadata names, said so."""

import shutil

import pytest

from disan.catalog.models import HeritageDocument
from disan.ingest.metadata import normalize_metadata
from disan.ingest.models import Transfer
from disan.ingest.services.summary import format_text, summarize
from disan.ingest.steps.identify import names
from tests.ingest.test_batches import PRINTED, import_catalog, make_batch, run_batch

pytestmark = pytest.mark.django_db(transaction=True)

TIGHTENED = "Access level changed from public to conditional by this batch's metadata."


def import_public(tmp_path):
    """Record HN-Q1 in the catalog as public, the way a cataloger does."""
    import_catalog(
        tmp_path, "Mã tài liệu,Tiêu đề,Mức truy cập\nHN-Q1,Quyển 1,công khai\n"
    )
    assert HeritageDocument.objects.get().access_level == "public"


def notes_of(batch):
    (entry,) = summarize(batch)["documents"]
    return entry["notes"]


def test_a_new_document_whose_metadata_names_no_level_is_conditional(
    tmp_path, monkeypatch
):
    run_batch(
        make_batch(tmp_path, "folder,identifier,title", "quyển 1,HN-Q1,Q1"), monkeypatch
    )

    assert HeritageDocument.objects.get().access_level == "conditional"


def test_the_default_of_a_new_document_is_the_setting(tmp_path, monkeypatch, settings):
    settings.DISAN_DEFAULT_ACCESS_LEVEL = "public"

    run_batch(
        make_batch(tmp_path, "folder,identifier,title", "quyển 1,HN-Q1,Q1"), monkeypatch
    )

    assert HeritageDocument.objects.get().access_level == "public"


@pytest.mark.parametrize(
    "header, row",
    [
        # No access column at all.
        ("folder,identifier,title,description", "quyển 1,HN-Q1,Quyển 1,Bản in"),
        # A column, left empty for this document.
        (
            "folder,identifier,title,access_level,description",
            "quyển 1,HN-Q1,Quyển 1,,Bản in",
        ),
    ],
)
def test_a_batch_naming_no_level_keeps_the_documents(
    tmp_path, monkeypatch, client, header, row
):
    import_public(tmp_path)

    batch = run_batch(make_batch(tmp_path, header, row), monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.access_level, document.description) == ("public", "Bản in")
    assert not any("Access level" in note for note in notes_of(batch))
    # What the batch applied is what its transfer records.
    assert batch.transfers.get().metadata["access_level"] == "public"
    assert client.get(f"/documents/{document.pk}/").status_code == 200


def test_a_batch_naming_no_level_keeps_it_when_run_again(tmp_path, monkeypatch):
    import_public(tmp_path)
    batch_folder = make_batch(tmp_path, "folder,identifier,title", "quyển 1,HN-Q1,Q1")
    run_batch(batch_folder, monkeypatch)

    (entry,) = summarize(run_batch(batch_folder, monkeypatch))["documents"]

    assert HeritageDocument.objects.get().access_level == "public"
    assert entry["changed"] is False


def test_a_batch_that_tightens_the_level_says_so(tmp_path, monkeypatch, client):
    import_public(tmp_path)

    batch = run_batch(
        make_batch(
            tmp_path, "folder,identifier,title,access_level", "quyển 1,HN-Q1,Q1,hạn chế"
        ),
        monkeypatch,
    )

    document = HeritageDocument.objects.get()
    assert document.access_level == "conditional"
    # The batch's title, "Q1", replaced the cataloged "Quyển 1" too.
    note = f"{TIGHTENED} Other catalog fields changed by this batch's metadata: title."
    assert note in notes_of(batch)
    text = format_text(summarize(batch))
    assert f"note: {note}" in text
    # Stored, but not for everyone to see: the line does not say "online".
    assert "  - HN-Q1 (stored, not public (conditional), changed): " in text
    (entry,) = summarize(batch)["documents"]
    assert (entry["status"], entry["access_level"], entry["public"]) == (
        "online",
        "conditional",
        False,
    )
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_batch_naming_the_same_level_notes_nothing(tmp_path, monkeypatch):
    import_public(tmp_path)

    batch = run_batch(
        make_batch(
            tmp_path,
            "folder,identifier,title,access_level",
            "quyển 1,HN-Q1,Quyển 1 (sửa),công khai",
        ),
        monkeypatch,
    )

    assert HeritageDocument.objects.get().title == "Quyển 1 (sửa)"
    assert not any("Access level" in note for note in notes_of(batch))
    assert "Catalog fields changed by this batch's metadata: title." in notes_of(batch)
    text = format_text(summarize(batch))
    assert "  - HN-Q1 (online, public, changed): " in text


def test_the_keys_a_batch_gave_are_those_with_a_value():
    metadata = normalize_metadata(
        {"thư mục": "quyển 1", "Tiêu đề": "Quyển 1", "Mức truy cập": ""},
        source="quyển 1",
    )

    assert metadata.named == ["title"]
    assert metadata.access_level == "conditional"


@pytest.mark.parametrize(
    "keys, named",
    [(["title"], False), (["access_level", "title"], True), (None, True)],
)
def test_a_transfer_staged_before_keys_were_recorded_names_every_key(keys, named):
    assert names(Transfer(metadata_keys=keys), "access_level") is named


def import_described(tmp_path):
    """Record HN-Q1 in the catalog with a full description, as a cataloger
    does before the scans arrive."""
    import_catalog(
        tmp_path,
        "Mã tài liệu,Tiêu đề,Tên gốc,Mô tả,Niên đại,Ngôn ngữ,Cấp di sản,"
        "Đơn vị lưu giữ,Mức truy cập\n"
        "HN-Q1,Sắc phong thời Tự Đức,敕封,Sắc phong cho làng Đông Ngạc,"
        "Tự Đức năm thứ 20,Hán,quốc gia,Bảo tàng Hà Nội,công khai\n",
    )
    return HeritageDocument.objects.get()


def described(document):
    return (
        document.title,
        document.original_title,
        document.description,
        document.date_written,
        document.year_start,
        document.languages,
        document.heritage_status,
        document.holding_unit.name,
        document.access_level,
        document.reading_direction,
    )


def test_scans_of_a_cataloged_document_keep_its_description(tmp_path, monkeypatch):
    before = described(import_described(tmp_path))
    assert before[6] == "national"

    # The scans come in a folder named by the identifier, with no metadata.
    folder = tmp_path / "lô" / "HN-Q1"
    folder.mkdir(parents=True)
    shutil.copyfile(PRINTED, folder / "trang.tif")
    batch = run_batch(folder.parent, monkeypatch)

    document = HeritageDocument.objects.get()
    assert document.status == "online" and document.page_count == 2
    assert described(document) == before
    assert notes_of(batch) == ["OCR turned off for this batch."]


def test_a_batch_changes_only_what_it_names(tmp_path, monkeypatch):
    before = described(import_described(tmp_path))

    batch = run_batch(
        make_batch(
            tmp_path,
            "folder,identifier,description,heritage_status",
            "quyển 1,HN-Q1,Bản sao chụp năm 1990,registered",
        ),
        monkeypatch,
    )

    document = HeritageDocument.objects.get()
    after = described(document)
    assert after[2] == "Bản sao chụp năm 1990"
    # Everything else is as cataloged, the heritage status included.
    assert after[:2] + after[3:] == before[:2] + before[3:]
    assert notes_of(batch) == [
        "Heritage status kept as national: the batch's metadata says registered,"
        " and a change of status needs a decision on record (staff interface)."
        " Catalog fields changed by this batch's metadata: description.",
        "OCR turned off for this batch.",
    ]


def test_a_unit_not_in_the_catalog_is_made_and_noted(tmp_path, monkeypatch):
    import_described(tmp_path)  # makes "Bảo tàng Hà Nội"
    folder = tmp_path / "lô" / "HN-Q2"
    folder.mkdir(parents=True)
    shutil.copyfile(PRINTED, folder / "trang.tif")
    (tmp_path / "lô" / "metadata.csv").write_text(
        "folder,holding_unit\nHN-Q2,Bảo tàg Hà Nội\n", encoding="utf-8"
    )

    batch = run_batch(folder.parent, monkeypatch)

    assert notes_of(batch) == [
        "New holding unit 'Bảo tàg Hà Nội': it was not in the catalog. Check the"
        " spelling; a misspelt name makes a unit of its own.",
        "OCR turned off for this batch.",
    ]
    # Named right, the unit is found, and no new unit is noted: only the
    # change of the document's unit.
    (tmp_path / "lô" / "metadata.csv").write_text(
        "folder,holding_unit\nHN-Q2,Bảo tàng Hà Nội\n", encoding="utf-8"
    )
    assert notes_of(run_batch(folder.parent, monkeypatch)) == [
        "Catalog fields changed by this batch's metadata: holding_unit."
    ]
    assert HeritageDocument.objects.get(identifier="HN-Q2").holding_unit.name == (
        "Bảo tàng Hà Nội"
    )
