"""Catalog edits reach the preserved object as new versions of its description."""

import datetime
import json

import ocfl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from disan.catalog.actions.change_status import change_heritage_status
from disan.catalog.models import HeritageDocument, HeritageStatus, Page
from disan.derivatives import paths
from disan.preservation import description
from disan.preservation.export.premis import premis
from disan.preservation.models import DescriptionRequest, PreservationEvent
from disan.preservation.storage import get_store
from tests.catalog.conftest import make_staff
from tests.catalog.test_admin import form_data
from tests.conftest import run_description_jobs
from tests.ingest.test_batches import run_batch
from tests.ingest.test_reingest import make_batch, write_image

pytestmark = pytest.mark.django_db(transaction=True)

MODIFIED = PreservationEvent.Type.METADATA_MODIFICATION


@pytest.fixture
def replica(tmp_path, settings):
    folder = tmp_path / "replica"
    folder.mkdir()
    settings.DISAN_REPLICAS = [str(folder)]
    return folder


@pytest.fixture
def ingested(tmp_path, monkeypatch):
    """One document ingested from a batch of two images; return its folder."""
    batch_folder = make_batch(tmp_path)
    write_image(batch_folder / "quyển 1" / "bìa.png", 0)
    run_batch(batch_folder, monkeypatch)
    return batch_folder


def stored(document):
    path = get_store().path(document.ocfl_object_id, description.METADATA_PATH)
    return json.loads(path.read_text(encoding="utf-8"))


def head_inventory(folder):
    return json.loads((folder / "inventory.json").read_text(encoding="utf-8"))


def import_rows(tmp_path, text):
    inventory = tmp_path / "kiểm kê.csv"
    inventory.write_text(text, encoding="utf-8")
    call_command("import", str(inventory), verbosity=0)


def pages():
    return {
        page.pk: (page.sequence, page.pyramid_path, page.thumbnail_path)
        for page in Page.objects.all()
    }


def test_an_imported_title_becomes_a_version_of_the_description_alone(
    tmp_path, ingested, replica, client
):
    document = HeritageDocument.objects.get()
    assert document.ocfl_version == "v1"
    before_pages = pages()
    made = {
        pk: paths.resolve(pyramid).stat().st_mtime_ns
        for pk, (_, pyramid, _) in before_pages.items()
    }
    before_files = get_store().files(document.ocfl_object_id)

    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một (bản sửa)\n")
    assert run_description_jobs() == [document.pk]

    document.refresh_from_db()
    assert document.ocfl_version == "v2"
    assert stored(document)["title"] == "Quyển một (bản sửa)"
    after_files = get_store().files(document.ocfl_object_id)
    assert {
        path for path in after_files if after_files[path] != before_files[path]
    } == {description.METADATA_PATH}
    object_dir = get_store().object_dir(document.ocfl_object_id)
    inventory = head_inventory(object_dir)
    assert inventory["head"] == "v2"
    assert inventory["versions"]["v2"]["message"] == (
        "Description changed in the catalog by import of kiểm kê.csv"
    )
    assert inventory["versions"]["v2"]["user"]["name"] == description.AGENT
    assert sorted(
        path
        for path in inventory["manifest"].values()
        for path in path
        if path.startswith("v2/")
    ) == ["v2/content/" + description.METADATA_PATH]
    assert ocfl.Object().validate(str(object_dir), log_warnings=False)

    (event,) = document.events.filter(event_type=MODIFIED)
    assert (event.outcome, event.file_path, event.agent) == (
        "success",
        description.METADATA_PATH,
        description.AGENT,
    )
    assert event.data["version"] == "v2"
    assert "import of kiểm kê.csv" in event.detail

    # The replica follows, as after an ingest.
    copy = replica / object_dir.relative_to(get_store().root)
    assert head_inventory(copy)["head"] == "v2"

    # Pages keep their ids, order and derivatives, and IIIF still serves them.
    assert pages() == before_pages
    assert {
        pk: paths.resolve(pyramid).stat().st_mtime_ns
        for pk, (_, pyramid, _) in pages().items()
    } == made
    for page_id in before_pages:
        assert client.get(f"/iiif/3/images/{page_id}/info.json").status_code == 200
    manifest = client.get(f"/iiif/3/documents/{document.pk}/manifest")
    assert manifest.status_code == 200
    assert not DescriptionRequest.objects.exists()


def test_an_unchanged_import_writes_no_version(tmp_path, ingested):
    document = HeritageDocument.objects.get()
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển 1\n")

    run_description_jobs()
    document.refresh_from_db()
    assert document.ocfl_version == "v1"
    assert get_store().head_version(document.ocfl_object_id) == "v1"
    assert not document.events.filter(event_type=MODIFIED).exists()


def test_a_change_of_other_fields_writes_no_version(ingested):
    document = HeritageDocument.objects.get()
    document.custody_history = "Nhận từ đình làng, 1998"
    document.save()

    assert not DescriptionRequest.objects.exists()
    assert get_store().head_version(document.ocfl_object_id) == "v1"


def test_edits_in_a_row_make_one_version_naming_everyone(tmp_path, ingested):
    document = HeritageDocument.objects.get()
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    document.refresh_from_db()
    document.description = "Bản in, 1925"
    document._history_user = make_staff("ngoc-anh")
    document.save()

    assert run_description_jobs() == [document.pk]
    assert run_description_jobs() == []

    assert get_store().head_version(document.ocfl_object_id) == "v2"
    assert (stored(document)["title"], stored(document)["description"]) == (
        "Quyển một",
        "Bản in, 1925",
    )
    (event,) = document.events.filter(event_type=MODIFIED)
    assert event.data["changed_by"] == ["import of kiểm kê.csv", "ngoc-anh"]


def test_an_edit_made_while_its_job_runs_waits_for_the_next(
    tmp_path, ingested, monkeypatch
):
    document = HeritageDocument.objects.get()
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    store = description._store

    def edited_meanwhile(stored_document, row):
        result = store(stored_document, row)
        HeritageDocument.objects.filter(pk=stored_document.pk).update(
            title="Quyển một, tập thượng"
        )
        description.request([stored_document.pk], changed_by="ngoc-anh")
        return result

    monkeypatch.setattr(description, "_store", edited_meanwhile)
    run_description_jobs()
    monkeypatch.setattr(description, "_store", store)
    assert stored(document)["title"] == "Quyển một"
    assert DescriptionRequest.objects.filter(document=document).exists()

    run_description_jobs()
    assert stored(document)["title"] == "Quyển một, tập thượng"
    assert get_store().head_version(document.ocfl_object_id) == "v3"
    assert not DescriptionRequest.objects.exists()


def test_an_admin_edit_and_its_revert_are_stored(ingested, client, description_jobs):
    document = HeritageDocument.objects.get()
    client.force_login(make_staff("ngoc-anh", superuser=True))
    url = reverse("admin:catalog_heritagedocument_change", args=[document.pk])
    first = document.history.first()

    data = form_data(client.get(url))
    data.update(title="Quyển một", access_level="secret")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert description_jobs == [document.pk]
    run_description_jobs()

    assert (stored(document)["title"], stored(document)["access_level"]) == (
        "Quyển một",
        "secret",
    )
    inventory = head_inventory(get_store().object_dir(document.ocfl_object_id))
    assert inventory["versions"]["v2"]["message"] == (
        "Description changed in the catalog by ngoc-anh"
    )

    revert = reverse(
        "admin:catalog_heritagedocument_simple_history",
        args=[document.pk, first.history_id],
    )
    assert client.post(revert, form_data(client.get(revert))).status_code == 302
    run_description_jobs()
    assert (stored(document)["title"], stored(document)["access_level"]) == (
        "Quyển 1",
        "public",
    )
    assert get_store().head_version(document.ocfl_object_id) == "v3"


def test_the_description_has_the_keys_of_ingest_metadata(tmp_path, ingested):
    (transfer,) = HeritageDocument.objects.get().transfers.all()
    document = HeritageDocument.objects.get()

    assert set(stored(document)) == set(transfer.metadata)
    assert stored(document) == description.describe(document)


def test_an_old_batch_after_tightening_access_stays_secret_with_the_edits(
    tmp_path, ingested, monkeypatch, client
):
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề,Mức truy cập\nHN-Q1,Quyển một,mật\n")
    run_description_jobs()

    run_batch(ingested, monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.access_level, document.title) == ("secret", "Quyển một")
    assert (stored(document)["access_level"], stored(document)["title"]) == (
        "secret",
        "Quyển một",
    )
    assert document.ocfl_version == "v2"
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_job_waits_while_an_ingest_of_its_document_is_at_work(tmp_path, ingested):
    from disan.ingest.models import Job

    document = HeritageDocument.objects.get()
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    job = Job.objects.filter(transfer__document=document).first()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    assert description.preserve(document.pk) is None
    assert DescriptionRequest.objects.filter(document=document).exists()
    assert get_store().head_version(document.ocfl_object_id) == "v1"

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    assert description.preserve(document.pk).version == "v2"


def test_a_lost_job_is_sent_again(tmp_path, ingested, description_jobs):
    document = HeritageDocument.objects.get()
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    assert description_jobs == [document.pk]

    assert description.recover(older_than=60) == 0
    assert description.recover(older_than=0) == 1
    assert description_jobs == [document.pk, document.pk]


def test_a_document_without_an_object_asks_for_nothing(tmp_path):
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q9,Quyển 9\n")
    document = HeritageDocument.objects.get()
    document.title = "Quyển chín"
    document.save()

    assert not DescriptionRequest.objects.exists()


def test_the_same_batch_again_keeps_an_imported_title(tmp_path, ingested, monkeypatch):
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    run_description_jobs()

    run_batch(ingested, monkeypatch)

    document = HeritageDocument.objects.get()
    assert document.title == "Quyển một"
    assert stored(document)["title"] == "Quyển một"
    assert get_store().head_version(document.ocfl_object_id) == "v2"


def test_a_heritage_status_decision_is_stored_naming_the_curator(ingested):
    document = HeritageDocument.objects.get()
    curator = make_staff("thu-ha", superuser=True)

    change_heritage_status(
        document,
        HeritageStatus.REGISTERED,
        user=curator,
        decision_number="12/QĐ-SVHTT",
        decision_date=datetime.date(2023, 3, 1),
        issuing_authority="Sở Văn hóa và Thể thao Hà Nội",
        decision_file=ContentFile(b"%PDF-1.4\n", name="quyet-dinh.pdf"),
    )
    run_description_jobs()

    assert stored(document)["heritage_status"] == "registered"
    inventory = head_inventory(get_store().object_dir(document.ocfl_object_id))
    assert inventory["versions"]["v2"]["message"] == (
        "Description changed in the catalog by thu-ha"
    )


def test_the_premis_record_names_the_event_by_its_vocabulary_term(tmp_path, ingested):
    import_rows(tmp_path, "Mã tài liệu,Tiêu đề\nHN-Q1,Quyển một\n")
    run_description_jobs()
    document = HeritageDocument.objects.get()
    store = get_store()
    masters = [
        (path, entry, None)
        for path, entry in store.files(document.ocfl_object_id).items()
    ]

    root = premis(document, masters, list(document.events.order_by("datetime")))

    names = {"premis": "http://www.loc.gov/premis/v3"}
    (event,) = [
        element
        for element in root.iterfind("premis:event", names)
        if element.findtext("premis:eventType", namespaces=names)
        == "metadata modification"
    ]
    linked = event.findtext(
        "premis:linkingObjectIdentifier/premis:linkingObjectIdentifierValue",
        namespaces=names,
    )
    assert linked == f"{document.ocfl_object_id}/{description.METADATA_PATH}"
    objects = {
        element.findtext(
            "premis:objectIdentifier/premis:objectIdentifierValue", namespaces=names
        )
        for element in root.iterfind("premis:object", names)
    }
    assert linked in objects
