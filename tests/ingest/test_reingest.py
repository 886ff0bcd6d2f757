"""Ingesting a folder again: what the catalog keeps, and what pages keep."""

from pathlib import Path

import pytest

from disan.catalog.models import HeritageDocument, Page
from disan.derivatives import paths
from disan.ingest.models import Rejection
from disan.ingest.services.summary import format_text, summarize
from disan.ingest.steps import ocr as ocr_step
from disan.ocr.engines.base import OcrResult
from tests.conftest import run_description_jobs
from tests.ingest import test_batches
from tests.ingest.test_batches import import_catalog, run_batch

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "folder,identifier,title,access_level,description"


def make_batch(root, *, description="Bản in", access="public"):
    return test_batches.make_batch(
        root, HEADER, f'quyển 1,HN-Q1,Quyển 1,{access},"{description}"'
    )


def make_secret_in_catalog(tmp_path):
    import_catalog(tmp_path, "Mã tài liệu,Tiêu đề,Mức truy cập\nHN-Q1,Quyển 1,mật\n")
    assert HeritageDocument.objects.get().access_level == "secret"
    # A worker stores the edit in the object as a new version.
    assert run_description_jobs()


def test_an_unchanged_batch_leaves_the_catalog_as_staff_left_it(
    tmp_path, monkeypatch, client
):
    batch_folder = make_batch(tmp_path)
    run_batch(batch_folder, monkeypatch)
    make_secret_in_catalog(tmp_path)

    (entry,) = summarize(run_batch(batch_folder, monkeypatch))["documents"]

    document = HeritageDocument.objects.get()
    assert entry["changed"] is False
    assert document.access_level == "secret"
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get(f"/iiif/3/documents/{document.pk}/manifest").status_code == 404


def test_a_changed_batch_may_not_loosen_access(tmp_path, monkeypatch, client):
    batch_folder = make_batch(tmp_path)
    run_batch(batch_folder, monkeypatch)
    make_secret_in_catalog(tmp_path)
    version = HeritageDocument.objects.get().ocfl_version

    make_batch(tmp_path, description="Bản in, sửa lại")
    batch = run_batch(batch_folder, monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.access_level, document.description) == ("secret", "Bản in")
    assert document.ocfl_version == version
    (rejection,) = Rejection.objects.filter(batch=batch)
    assert rejection.code == "access_loosened"
    assert "HN-Q1 is secret in the catalog" in rejection.reason
    # Refused, the document is not counted or listed as ingested by the
    # batch: it is listed with the documents refused, and why.
    summary = summarize(batch)
    assert summary["documents"] == []
    assert summary["totals"] | {"rejected": 0} == {
        "documents": 0,
        "pages": 0,
        "bytes": 0,
        "rejected": 0,
        "documents_refused": 1,
        "files_refused": 0,
        "failed_jobs": 0,
    }
    (refused,) = summary["documents_refused"]
    assert refused["code"] == "access_loosened"
    assert "never loosens access" in refused["reason"]
    text = format_text(summary)
    assert "  ingested: 0 documents, 0 pages, 0 bytes" in text
    assert "HN-Q1 (" not in text
    assert "Documents not ingested:\n" in text
    assert "[access_loosened] HN-Q1 is secret in the catalog" in text
    (transfer,) = batch.transfers.all()
    assert not Path(transfer.staging_path).exists()
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_changed_batch_that_keeps_or_tightens_access_is_applied(
    tmp_path, monkeypatch
):
    batch_folder = make_batch(tmp_path)
    run_batch(batch_folder, monkeypatch)
    make_secret_in_catalog(tmp_path)

    make_batch(tmp_path, description="Bản in, sửa lại", access="secret")
    batch = run_batch(batch_folder, monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.access_level, document.description) == (
        "secret",
        "Bản in, sửa lại",
    )
    assert not Rejection.objects.filter(batch=batch).exists()
    (entry,) = summarize(batch)["documents"]
    assert entry["notes"] == [
        "Catalog fields changed by this batch's metadata: description."
    ]


def test_an_older_batch_run_again_names_the_fields_it_puts_back(tmp_path, monkeypatch):
    first = make_batch(tmp_path / "1", description="Bản in")
    run_batch(first, monkeypatch)
    run_batch(make_batch(tmp_path / "2", description="Bản in lần 2"), monkeypatch)
    # A cataloger corrects the description since.
    import_catalog(
        tmp_path,
        "Mã tài liệu,Tiêu đề,Mô tả,Mức truy cập\n"
        "HN-Q1,Quyển 1,Bản in đã sửa,công khai\n",
    )
    assert run_description_jobs()

    batch = run_batch(first, monkeypatch)

    # Which batches are applied is as before: this one differs from both
    # the preserved description and the last batch's metadata.
    assert HeritageDocument.objects.get().description == "Bản in"
    (entry,) = summarize(batch)["documents"]
    note = "Catalog fields changed by this batch's metadata: description."
    assert note in entry["notes"]
    assert f"note: {note}" in format_text(summarize(batch))


def test_a_first_ingest_may_open_a_new_document(tmp_path, monkeypatch):
    run_batch(make_batch(tmp_path), monkeypatch)

    assert HeritageDocument.objects.get().access_level == "public"


def write_image(path, shade):
    from PIL import Image, ImageDraw

    image = Image.new("L", (320, 240), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 200, 160), fill=shade)
    image.save(path)


def pages_by_file():
    return {
        (page.master_file.filename, page.page_in_file): page
        for page in Page.objects.select_related("master_file")
    }


def test_a_metadata_change_keeps_every_page_and_its_derivatives(
    tmp_path, monkeypatch, settings, client
):
    batch_folder = make_batch(tmp_path)
    write_image(batch_folder / "quyển 1" / "bìa.png", 0)
    run_batch(batch_folder, monkeypatch)
    before = pages_by_file()
    assert len(before) == 3
    Page.objects.update(ocr_status="done", ocr_text="chữ đã đọc", ocr_languages="vie")
    made = {
        key: paths.resolve(page.pyramid_path).stat().st_mtime_ns
        for key, page in before.items()
    }

    make_batch(tmp_path, description="Bản in, sửa lại")
    settings.DISAN_OCR_ENABLED = True
    batch = run_batch(batch_folder, monkeypatch, ocr=True)

    after = pages_by_file()
    assert {key: page.pk for key, page in after.items()} == {
        key: page.pk for key, page in before.items()
    }
    assert {
        key: paths.resolve(page.pyramid_path).stat().st_mtime_ns
        for key, page in after.items()
    } == made
    assert {page.ocr_text for page in after.values()} == {"chữ đã đọc"}
    (transfer,) = batch.transfers.all()
    assert list(transfer.jobs.values_list("step", "status").order_by("created")) == [
        ("identify", "done"),
        ("store", "done"),
        ("index", "done"),
    ]
    document = HeritageDocument.objects.get()
    assert (document.status, document.ocfl_version) == ("online", "v2")
    page_id = before[("bìa.png", 0)].pk
    assert client.get(f"/iiif/3/images/{page_id}/info.json").status_code == 200
    # The summary says the text was kept, not that none was read.
    (line,) = [
        line for line in format_text(summarize(batch)).splitlines() if "HN-Q1" in line
    ]
    assert "(online, public, changed)" in line
    assert "OCR 0 done, 3 kept from before" in line


def test_a_changed_master_gets_new_pages_the_others_keep_theirs(
    tmp_path, monkeypatch, client
):
    batch_folder = make_batch(tmp_path)
    cover = batch_folder / "quyển 1" / "bìa.png"
    write_image(cover, 0)
    run_batch(batch_folder, monkeypatch)
    before = pages_by_file()
    old_cover = before.pop(("bìa.png", 0))
    old_files = [
        paths.resolve(old_cover.pyramid_path),
        paths.resolve(old_cover.thumbnail_path),
    ]
    old_tile = client.get(f"/iiif/3/images/{old_cover.pk}/full/max/0/default.png")
    assert old_tile.status_code == 200

    write_image(cover, 128)
    batch = run_batch(batch_folder, monkeypatch)

    after = pages_by_file()
    new_cover = after.pop(("bìa.png", 0))
    assert new_cover.pk != old_cover.pk
    assert new_cover.sequence == 1
    assert new_cover.derived_from_sha256 == new_cover.master_file.sha256
    assert {key: page.pk for key, page in after.items()} == {
        key: page.pk for key, page in before.items()
    }
    assert not any(path.exists() for path in old_files)
    (transfer,) = batch.transfers.all()
    assert [
        page.pk
        for page in Page.objects.filter(jobs__transfer=transfer, jobs__step="derive")
    ] == [new_cover.pk]
    assert (
        client.get(f"/iiif/3/images/{old_cover.pk}/full/max/0/default.png").status_code
        == 404
    )
    new_tile = client.get(f"/iiif/3/images/{new_cover.pk}/full/max/0/default.png")
    assert new_tile.status_code == 200
    assert new_tile["ETag"] != old_tile["ETag"]


class FakeEngine:
    def recognize(self, image_path, *, languages):
        return OcrResult(text=f"đọc bằng {languages}", lines=[], languages=languages)


def test_pages_kept_are_read_again_when_their_languages_change(
    tmp_path, monkeypatch, settings
):
    batch_folder = make_batch(tmp_path)
    run_batch(batch_folder, monkeypatch)
    Page.objects.update(ocr_status="done", ocr_text="chữ đã đọc", ocr_languages="vie")
    kept = set(Page.objects.values_list("pk", flat=True))
    (batch_folder / "quyển 1" / "metadata.json").write_text(
        '{"languages": "Hán"}', encoding="utf-8"
    )
    settings.DISAN_OCR_ENABLED = True
    monkeypatch.setattr(ocr_step, "get_engine", FakeEngine)

    batch = run_batch(batch_folder, monkeypatch, ocr=True)

    (transfer,) = batch.transfers.all()
    steps = list(transfer.jobs.values_list("step", "page", "status"))
    assert sorted((step, page) for step, page, _ in steps if page) == sorted(
        ("ocr", page) for page in kept
    )
    assert {page.ocr_text for page in Page.objects.all()} == {"đọc bằng chi_tra_vert"}


def test_the_summary_names_a_replica_that_was_not_written(
    tmp_path, monkeypatch, settings
):
    missing = tmp_path / "mnt" / "dia-2" / "ocfl"
    settings.DISAN_REPLICAS = [str(missing)]
    batch_folder = make_batch(tmp_path)

    summary = summarize(run_batch(batch_folder, monkeypatch))

    (entry,) = summary["documents"]
    assert entry["status"] == "online"
    (note,) = [note for note in entry["notes"] if "Replica" in note]
    assert f"Replica {missing} was not written" in note
    assert "does not exist" in note
    assert "`disan repair`" in note
    assert not missing.exists()


def already_stored(batch):
    """Notes of masters stored elsewhere, by document, as the summary gives them."""
    summary = summarize(batch)
    text = format_text(summary)
    found = {}
    for entry in summary["documents"]:
        notes = [note for note in entry["notes"] if "already stored under" in note]
        # The human summary says what --json says.
        assert all(f"note: {note}" in text for note in notes)
        found[entry["identifier"]] = notes
    return found


def test_a_folder_ingested_again_under_new_identifiers_is_noted(tmp_path, monkeypatch):
    batch_folder = tmp_path / "lô"
    (batch_folder / "quyển 1").mkdir(parents=True)
    (batch_folder / "quyển 2").mkdir()
    write_image(batch_folder / "quyển 1" / "bìa.png", 0)
    write_image(batch_folder / "quyển 1" / "trang 1.png", 60)
    write_image(batch_folder / "quyển 2" / "bìa.png", 120)
    first = run_batch(batch_folder, monkeypatch)
    assert set(already_stored(first)) == {"quyển 1", "quyển 2"}
    assert not any(already_stored(first).values())

    # The same files, given identifiers of their own, and one new page.
    write_image(batch_folder / "quyển 1" / "trang 2.png", 180)
    (batch_folder / "metadata.csv").write_text(
        "folder,identifier,title\nquyển 1,HN-Q1,Quyển 1\nquyển 2,HN-Q2,Quyển 2\n",
        encoding="utf-8",
    )
    batch = run_batch(batch_folder, monkeypatch)

    # Not refused: both new documents are stored and online beside the old.
    assert HeritageDocument.objects.count() == 4
    assert set(
        HeritageDocument.objects.filter(identifier__startswith="HN-").values_list(
            "identifier", "status", "page_count"
        )
    ) == {("HN-Q1", "online", 3), ("HN-Q2", "online", 1)}
    assert already_stored(batch) == {
        "HN-Q1": [
            "2 of its 3 masters are already stored under quyển 1 (same SHA-256). "
            "Two documents may hold the same file on purpose; if not, check this "
            "batch's identifiers."
        ],
        "HN-Q2": [
            "Its master is already stored under quyển 2 (same SHA-256). Two "
            "documents may hold the same file on purpose; if not, check this "
            "batch's identifiers."
        ],
    }


def test_masters_stored_under_several_documents_name_each(tmp_path, monkeypatch):
    for name, shades in (("A", (0, 60)), ("B", (60, 120))):
        folder = tmp_path / name / f"sách {name}"
        folder.mkdir(parents=True)
        for shade in shades:
            write_image(folder / f"{shade:03d}.png", shade)
        run_batch(folder.parent, monkeypatch)
    folder = tmp_path / "C" / "sách C"
    folder.mkdir(parents=True)
    for shade in (0, 60, 120, 180):
        write_image(folder / f"{shade:03d}.png", shade)

    (note,) = already_stored(run_batch(folder.parent, monkeypatch))["sách C"]

    assert note.startswith(
        "3 of its 4 masters are already stored under other documents: "
        "sách A (2), sách B (2) (same SHA-256)."
    )


def test_ingesting_again_under_the_same_identifiers_notes_nothing(
    tmp_path, monkeypatch
):
    batch_folder = make_batch(tmp_path)
    run_batch(batch_folder, monkeypatch)

    # Unchanged, then with a new file: the same document either way.
    assert already_stored(run_batch(batch_folder, monkeypatch)) == {"HN-Q1": []}
    write_image(batch_folder / "quyển 1" / "bìa.png", 0)
    batch = run_batch(batch_folder, monkeypatch)

    assert already_stored(batch) == {"HN-Q1": []}
    assert HeritageDocument.objects.get().ocfl_version == "v2"


def test_a_new_document_with_files_of_its_own_notes_nothing(tmp_path, monkeypatch):
    run_batch(make_batch(tmp_path), monkeypatch)
    folder = tmp_path / "lô 2" / "quyển 2"
    folder.mkdir(parents=True)
    write_image(folder / "bìa.png", 0)

    assert already_stored(run_batch(folder.parent, monkeypatch)) == {"quyển 2": []}
    assert HeritageDocument.objects.count() == 2


def test_documents_of_one_batch_are_not_compared_with_each_other(tmp_path, monkeypatch):
    batch_folder = tmp_path / "lô"
    for name in ("sách A", "sách B"):
        (batch_folder / name).mkdir(parents=True)
        write_image(batch_folder / name / "bìa.png", 0)

    batch = run_batch(batch_folder, monkeypatch)

    assert already_stored(batch) == {"sách A": [], "sách B": []}


def test_a_document_of_the_batch_not_yet_identified_is_not_compared(
    tmp_path, monkeypatch
):
    from disan.ingest.steps.store import stored_elsewhere

    batch_folder = tmp_path / "lô"
    (batch_folder / "sách A").mkdir(parents=True)
    write_image(batch_folder / "sách A" / "bìa.png", 0)
    run_batch(batch_folder, monkeypatch)
    (batch_folder / "sách B").mkdir()
    write_image(batch_folder / "sách B" / "bìa.png", 0)
    batch = run_batch(batch_folder, monkeypatch)
    transfers = {item.metadata["identifier"]: item for item in batch.transfers.all()}
    new = transfers["sách B"]
    accepted = [entry for entry in new.files if "report" in entry]

    # As when sách B is stored before this batch's identify step reached sách A.
    transfers["sách A"].document = None
    transfers["sách A"].save()

    assert stored_elsewhere(new, new.document, accepted) == {}
    new.batch_id = run_batch(tmp_path / "lô" / "sách B", monkeypatch).pk
    assert stored_elsewhere(new, new.document, accepted)["documents"] == [
        {"identifier": "sách A", "masters": 1}
    ]


def ingest_folder(root, name, shades, monkeypatch, metadata=None):
    folder = root / name / name
    folder.mkdir(parents=True)
    for shade in shades:
        write_image(folder / f"{shade:03d}.png", shade)
    if metadata:
        (folder.parent / "metadata.csv").write_text(metadata, encoding="utf-8")
    return run_batch(folder.parent, monkeypatch)


def test_every_master_stored_elsewhere_is_said_so(tmp_path, monkeypatch):
    ingest_folder(tmp_path, "sách A", (0, 60), monkeypatch)

    batch = ingest_folder(tmp_path, "sách B", (0, 60), monkeypatch)

    assert already_stored(batch)["sách B"] == [
        "All 2 of its masters are already stored under sách A (same SHA-256). Two "
        "documents may hold the same file on purpose; if not, check this batch's "
        "identifiers."
    ]


def test_one_master_of_several_stored_elsewhere(tmp_path, monkeypatch):
    ingest_folder(tmp_path, "sách A", (0,), monkeypatch)

    batch = ingest_folder(tmp_path, "sách B", (0, 60), monkeypatch)

    ((note,),) = already_stored(batch).values()
    assert note.startswith("1 of its 2 masters is already stored under sách A ")


def test_the_holders_named_are_the_ones_holding_most(tmp_path, monkeypatch):
    # Six documents share the first master; one of them holds a second too.
    for number in range(6):
        shades = (0, 60) if number == 3 else (0,)
        ingest_folder(tmp_path, f"sách {number}", shades, monkeypatch)

    batch = ingest_folder(tmp_path, "sách mới", (0, 60, 120), monkeypatch)

    (note,) = already_stored(batch)["sách mới"]
    assert note.startswith(
        "2 of its 3 masters are already stored under other documents: sách 3 (2), "
        "sách 0 (1), sách 1 (1), sách 2 (1), sách 4 (1) and 1 more (same SHA-256)."
    )
    # The same when printed again, after another document holds the files too.
    ingest_folder(tmp_path, "sách sau", (0, 60, 120), monkeypatch)
    assert already_stored(batch)["sách mới"] == [note]


def test_the_staff_interface_does_not_name_the_other_documents(
    tmp_path, monkeypatch, client
):
    from django.contrib.auth.models import Permission, User
    from django.urls import reverse

    ingest_folder(
        tmp_path,
        "mật",
        (0,),
        monkeypatch,
        metadata="folder,identifier,title,access_level\nmật,HN-MẬT,Mật,secret\n",
    )
    batch = ingest_folder(tmp_path, "sách B", (0,), monkeypatch)
    assert "HN-MẬT" in already_stored(batch)["sách B"][0]
    user = User.objects.create_user("thu-kho", is_staff=True)
    # Staff who may see sách B (conditional, the default level), not HN-MẬT.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ingest"),
        Permission.objects.get(codename="view_conditional_document"),
    )
    client.force_login(user)

    (transfer,) = batch.transfers.all()
    response = client.get(reverse("admin:ingest_transfer_change", args=[transfer.pk]))

    assert response.status_code == 200
    assert "sách B" in response.content.decode()
    assert "HN-MẬT" not in response.content.decode()
