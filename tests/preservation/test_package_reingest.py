"""Packages written by `disan export` ingest again as the documents they hold."""

import shutil
import zipfile

import bagit
import pytest
from django.core.management import CommandError, call_command

from disan.catalog.models import HeritageDocument
from disan.ingest.models import Rejection
from disan.preservation.export import export_package
from tests.ingest.test_batches import PRINTED, run_batch
from tests.ingest.test_reingest import write_image

pytestmark = pytest.mark.django_db(transaction=True)


def ingest_document(root, identifier, title, access, make_page):
    folder = root / identifier
    folder.mkdir(parents=True)
    make_page(folder)
    (root / "metadata.csv").write_text(
        f"folder,identifier,title,access_level\n{identifier},{identifier},{title},"
        f"{access}\n",
        encoding="utf-8",
    )
    run_batch(root, monkeypatch=pytest.MonkeyPatch())
    return HeritageDocument.objects.get(identifier=identifier)


def exported(tmp_path, package_format):
    """Two documents exported, then gone from the catalog; their packages."""
    secret = ingest_document(
        tmp_path / "lô 1",
        "VIETOCR-SAMPLE",
        "Mẫu chữ in",
        "public",
        lambda folder: shutil.copyfile(PRINTED, folder / "trang.tif"),
    )
    # Staff close it after ingest: the stored metadata still says public.
    inventory = tmp_path / "s.csv"
    inventory.write_text(
        "Mã tài liệu,Tiêu đề,Mức truy cập\nVIETOCR-SAMPLE,Mẫu chữ in,mật\n",
        encoding="utf-8",
    )
    call_command("import", str(inventory), verbosity=0)
    secret.refresh_from_db()
    other = ingest_document(
        tmp_path / "lô 2",
        "DNNTC-Q1",
        "Đại Nam nhất thống chí",
        "public",
        lambda folder: write_image(folder / "bìa.png", 0),
    )
    packages = [
        export_package(document, package_format, tmp_path / "out")
        for document in (secret, other)
    ]
    HeritageDocument.objects.all().delete()
    return packages


@pytest.mark.parametrize("package_format", ["bagit", "eark"])
def test_a_package_comes_back_as_its_document_with_its_access(
    tmp_path, monkeypatch, package_format
):
    packages = exported(tmp_path, package_format)

    batches = [run_batch(package, monkeypatch) for package in packages]

    documents = HeritageDocument.objects.order_by("identifier")
    assert [
        (doc.identifier, doc.title, doc.access_level, doc.page_count, doc.status)
        for doc in documents
    ] == [
        ("DNNTC-Q1", "Đại Nam nhất thống chí", "public", 1, "online"),
        ("VIETOCR-SAMPLE", "Mẫu chữ in", "secret", 2, "online"),
    ]
    assert not Rejection.objects.filter(batch__in=batches).exists()
    assert [m.filename for m in documents[1].master_files.all()] == ["trang.tif"]


def test_a_zipped_package_is_ingested_too(tmp_path, monkeypatch):
    (package, _) = exported(tmp_path, "bagit")
    archive = tmp_path / f"{package.name}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                zipped.write(path, f"{package.name}/{path.relative_to(package)}")

    run_batch(archive, monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.identifier, document.access_level) == ("VIETOCR-SAMPLE", "secret")


def test_a_package_of_a_document_still_on_record_keeps_it_closed(tmp_path, monkeypatch):
    packages = exported(tmp_path, "bagit")
    run_batch(packages[0], monkeypatch)

    batch = run_batch(packages[0], monkeypatch)

    document = HeritageDocument.objects.get()
    assert (document.identifier, document.access_level) == ("VIETOCR-SAMPLE", "secret")
    assert not Rejection.objects.filter(batch=batch).exists()


def test_a_bag_that_is_one_document_takes_its_external_identifier(
    tmp_path, monkeypatch
):
    bags = []
    for number in (1, 2):
        bag = tmp_path / f"túi {number}" / "objects"
        bag.mkdir(parents=True)
        write_image(bag / "trang.png", number * 60)
        bagit.make_bag(str(bag), {"External-Identifier": f"HN-{number}"})
        bags.append(bag)

    for bag in bags:
        run_batch(bag, monkeypatch)

    assert sorted(HeritageDocument.objects.values_list("identifier", flat=True)) == [
        "HN-1",
        "HN-2",
    ]


def test_ingest_refuses_a_file_that_is_not_a_zipped_bag(tmp_path):
    stray = tmp_path / "ghi chú.txt"
    stray.write_text("không phải túi", encoding="utf-8")

    with pytest.raises(CommandError, match="neither a folder nor a zipped bag"):
        call_command("ingest", str(stray))
