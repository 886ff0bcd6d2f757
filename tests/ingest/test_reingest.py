"""Ingesting a folder again: what the catalog keeps, and what pages keep."""

import shutil

import pytest
from django.core.management import call_command

from disan.catalog.models import HeritageDocument
from disan.ingest.models import Rejection
from disan.ingest.services.summary import summarize
from tests.ingest.test_batches import PRINTED, run_batch

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "folder,identifier,title,access_level,description\n"


def make_batch(root, *, description="Bản in", access="public"):
    folder = root / "lô" / "quyển 1"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "trang.tif").exists():
        shutil.copyfile(PRINTED, folder / "trang.tif")
    (root / "lô" / "metadata.csv").write_text(
        HEADER + f'quyển 1,HN-Q1,Quyển 1,{access},"{description}"\n', encoding="utf-8"
    )
    return root / "lô"


def make_secret_in_catalog(tmp_path):
    inventory = tmp_path / "s.csv"
    inventory.write_text(
        "Mã tài liệu,Tiêu đề,Mức truy cập\nHN-Q1,Quyển 1,mật\n", encoding="utf-8"
    )
    call_command("import", str(inventory), verbosity=0)
    assert HeritageDocument.objects.get().access_level == "secret"


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
    (entry,) = summarize(batch)["documents"]
    assert entry["changed"] is False
    assert any("never loosens access" in note for note in entry["notes"])
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


def test_a_first_ingest_may_open_a_new_document(tmp_path, monkeypatch):
    run_batch(make_batch(tmp_path), monkeypatch)

    assert HeritageDocument.objects.get().access_level == "public"
