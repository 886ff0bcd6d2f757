"""`disan export` writes BagIt and E-ARK packages that validators accept."""

import hashlib
import io
from pathlib import Path

import bagit
import pytest
import xmlschema
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from lxml import etree

import disan
from disan.catalog.models import HeritageDocument, HoldingUnit, MasterFile
from disan.preservation.events import record_event
from disan.preservation.export import ExportError, export_package
from disan.preservation.storage import get_store

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PREMIS_XSD = SHARED / "judges" / "premis" / "premis-v3-0.xsd"
PAGE = SHARED / "samples" / "dai-nam-nhat-thong-chi" / "page_001.jpg"
METS = "{http://www.loc.gov/METS/}"
PAGE_SHA = hashlib.sha256(PAGE.read_bytes()).hexdigest()


@pytest.fixture
def document(tmp_path):
    unit = HoldingUnit.objects.create(code="thu-vien-ha-noi", name="Thư viện Hà Nội")
    document = HeritageDocument.objects.create(
        identifier="DNNTC-Q1",
        title="Đại Nam nhất thống chí, quyển 1",
        original_title="大南一統志",
        date_written="Tự Đức (1865–1882)",
        year_start=1865,
        year_end=1882,
        languages=["lzh"],
        scripts=["Hani"],
        holding_unit=unit,
        access_level="conditional",
        ocfl_object_id="urn:uuid:0d6a7c1e-0000-4000-8000-000000000001",
        page_count=2,
    )
    notes = tmp_path / "ghi chú.txt"
    notes.write_text("Bản chép tay", encoding="utf-8")
    result = get_store().put(
        document.ocfl_object_id,
        [(PAGE, "trang 1.jpg"), (notes, "ghi chú.txt")],
        message="ingest",
        agent="Disan test",
    )
    document.ocfl_version = result.version
    document.save()
    MasterFile.objects.create(
        document=document,
        sequence=1,
        filename="trang 1.jpg",
        logical_path="trang 1.jpg",
        sha256=PAGE_SHA,
        size=PAGE.stat().st_size,
        mime_type="image/jpeg",
        format_name="JPEG File Interchange Format",
        puid="fmt/43",
    )
    record_event(
        document=document,
        event_type="message digest calculation",
        outcome="success",
        detail="SHA-256 của trang 1",
        file_path="trang 1.jpg",
    )
    record_event(document=document, event_type="ingestion", outcome="success")
    return document


@pytest.mark.django_db
def test_eark_package_is_a_valid_bag_with_the_csip_layout(document, tmp_path):
    package = export_package(document, "eark", tmp_path / "out")
    assert package.name == "DNNTC-Q1_v1_eark"
    bag = bagit.Bag(str(package))
    bag.validate()
    assert bag.algorithms == ["sha256"]
    assert sorted(bag.payload_entries()) == [
        "data/METS.xml",
        "data/metadata/descriptive/dc.xml",
        "data/metadata/descriptive/ead.xml",
        "data/metadata/preservation/premis.xml",
        "data/representations/rep1/METS.xml",
        "data/representations/rep1/data/ghi chú.txt",
        "data/representations/rep1/data/trang 1.jpg",
    ]
    assert (package / "tagmanifest-sha256.txt").is_file()
    master = package / "data/representations/rep1/data/trang 1.jpg"
    assert hashlib.sha256(master.read_bytes()).hexdigest() == PAGE_SHA
    assert bag.info["External-Identifier"] == "DNNTC-Q1"
    assert bag.info["Source-Organization"] == "Thư viện Hà Nội"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["DNNTC-Q1_v1_eark"]


@pytest.mark.django_db
def test_premis_is_valid_against_the_schema_and_holds_fixity_and_events(
    document, tmp_path
):
    package = export_package(document, "eark", tmp_path)
    premis = package / "data/metadata/preservation/premis.xml"
    schema = xmlschema.XMLSchema(str(PREMIS_XSD))
    schema.validate(str(premis))
    tree = etree.parse(str(premis))
    ns = {"p": "http://www.loc.gov/premis/v3"}
    assert sorted(tree.xpath("//p:object//p:messageDigest/text()", namespaces=ns)) == (
        sorted([PAGE_SHA, hashlib.sha256("Bản chép tay".encode()).hexdigest()])
    )
    assert tree.xpath("//p:event/p:eventType/text()", namespaces=ns) == [
        "message digest calculation",
        "ingestion",
    ]
    times = tree.xpath("//p:eventDateTime/text()", namespaces=ns)
    assert all(t.endswith("+07:00") for t in times) and len(times) == 2
    assert tree.xpath("//p:formatRegistryKey/text()", namespaces=ns) == ["fmt/43"]
    assert tree.xpath("//p:agent/p:agentName/text()", namespaces=ns) == [
        f"Disan {disan.__version__}"
    ]


@pytest.mark.django_db
def test_mets_lists_every_file_with_its_digest(document, tmp_path):
    package = export_package(document, "eark", tmp_path)
    root = etree.parse(str(package / "data/METS.xml")).getroot()
    assert root.get("PROFILE") == "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
    assert root.find(f"{METS}metsHdr").get("CREATEDATE").endswith("+07:00")
    files = root.findall(f".//{METS}fileGrp/{METS}file")
    hrefs = {
        f.find(f"{METS}FLocat").get("{http://www.w3.org/1999/xlink}href"): f
        for f in files
    }
    assert sorted(hrefs) == [
        "representations/rep1/data/ghi%20ch%C3%BA.txt",
        "representations/rep1/data/trang%201.jpg",
    ]
    page = hrefs["representations/rep1/data/trang%201.jpg"]
    assert (page.get("CHECKSUM"), page.get("CHECKSUMTYPE"), page.get("MIMETYPE")) == (
        PAGE_SHA,
        "SHA-256",
        "image/jpeg",
    )
    refs = root.findall(f".//{METS}mdRef")
    assert [r.get("MDTYPE") for r in refs] == ["DC", "EAD", "PREMIS"]
    for ref in refs:
        target = package / "data" / ref.get("{http://www.w3.org/1999/xlink}href")
        assert hashlib.sha256(target.read_bytes()).hexdigest() == ref.get("CHECKSUM")
    div = root.find(f"{METS}structMap/{METS}div")
    assert len(div.get("DMDID").split()) == 2
    assert len(div.findall(f".//{METS}fptr")) == 2


@pytest.mark.django_db
def test_dublin_core_and_ead_carry_the_file_level_fields(document, tmp_path):
    package = export_package(document, "bagit", tmp_path)
    dc = etree.parse(str(package / "data/metadata/dc.xml"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert dc.xpath("//dc:title/text()", namespaces=ns) == [
        "Đại Nam nhất thống chí, quyển 1",
        "大南一統志",
    ]
    ead = etree.parse(str(package / "data/metadata/ead.xml"))
    e = {"e": "http://ead3.archivists.org/schema/"}
    assert ead.xpath("//e:archdesc/@level", namespaces=e) == ["file"]
    assert ead.xpath("//e:did/e:unitid/text()", namespaces=e) == ["DNNTC-Q1"]
    assert ead.xpath("//e:unitdate/text()", namespaces=e) == ["Tự Đức (1865–1882)"]
    assert ead.xpath("//e:fromdate/@standarddate", namespaces=e) == ["1865"]
    assert ead.xpath("//e:todate/@standarddate", namespaces=e) == ["1882"]
    assert ead.xpath("//e:language/@langcode", namespaces=e) == ["lzh"]
    assert ead.xpath("//e:repository//e:part/text()", namespaces=e) == [
        "Thư viện Hà Nội"
    ]
    assert ead.xpath("//e:accessrestrict/e:p/text()", namespaces=e) == ["Có điều kiện"]
    assert sorted(p.name for p in (package / "data" / "objects").iterdir()) == [
        "ghi chú.txt",
        "trang 1.jpg",
    ]
    bagit.Bag(str(package)).validate()


@pytest.mark.django_db
def test_an_existing_package_is_never_overwritten(document, tmp_path):
    export_package(document, "bagit", tmp_path)
    with pytest.raises(ExportError, match="DNNTC-Q1_v1_bagit already exists"):
        export_package(document, "bagit", tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.django_db
def test_the_command_finds_by_identifier_or_uuid(document, tmp_path):
    out = io.StringIO()
    call_command(
        "export", "DNNTC-Q1", "--format", "eark", "--output", str(tmp_path), stdout=out
    )
    assert out.getvalue().strip() == str(tmp_path / "DNNTC-Q1_v1_eark")
    call_command(
        "export",
        str(document.pk),
        "--format",
        "bagit",
        "--output",
        str(tmp_path),
        stdout=out,
    )
    assert (tmp_path / "DNNTC-Q1_v1_bagit" / "bagit.txt").is_file()
    with pytest.raises(
        CommandError, match="No document has the identifier or uuid 'KHÔNG-CÓ'"
    ):
        call_command("export", "KHÔNG-CÓ", "--output", str(tmp_path))


@pytest.mark.django_db
def test_labels_are_vietnamese_whatever_the_callers_language(document, tmp_path):
    with translation.override("en"):
        package = export_package(document, "eark", tmp_path)
    ead = etree.parse(str(package / "data/metadata/descriptive/ead.xml"))
    e = {"e": "http://ead3.archivists.org/schema/"}
    assert ead.xpath("//e:accessrestrict/e:p/text()", namespaces=e) == ["Có điều kiện"]
