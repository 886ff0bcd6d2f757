"""Every page of the staff interface reads in Vietnamese.

The test walks the admin index, each list it links to and each add form,
with at least one record of every kind listed, and a document's change page
with its master files and pages, and looks for labels that are known to
have been left in English.
"""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from disan.catalog.models import HeritageDocument, MasterFile, Page
from disan.iiif.models import ImageAlias
from disan.ingest.models import Batch, Job, Rejection, Transfer
from disan.preservation.models import FixityCheck, ObjectFixity
from tests.catalog.conftest import make_document, make_file

pytestmark = pytest.mark.django_db

# Labels that Django makes from English model and field names, as they
# showed before the models were given Vietnamese ones.
ENGLISH = {
    "Batch",
    "Batches",
    "Job",
    "Jobs",
    "Rejection",
    "Rejections",
    "Transfer",
    "Transfers",
    "Fixity check",
    "Fixity checks",
    "Object fixity",
    "Image alias",
    "Image aliases",
    "Id",
    "Source",
    "Status",
    "Created",
    "Finished",
    "Started",
    "Ocr",
    "Step",
    "Attempts",
    "Page",
    "Path",
    "Code",
    "Reason",
    "Changed",
    "Document",
    "Object id",
    "Copy",
    "Checked at",
    "Outcome",
    "Files",
    "Bytes",
    "Last audit",
    "Fault count",
    "Languages",
    "Scripts",
    "Keywords",
    "Other names",
    "Metadata",
    "Staging path",
    "Heartbeat",
    "Worker",
    "Message",
    "Lost",
    "Sizes",
    "Faults",
    # The master file and page tables of a document's change page.
    "Sequence",
    "Label",
    "Width",
    "Height",
    "Ocr status",
    "Ocr languages",
    "Logical path",
    "Format name",
    "Puid",
    "Size",
    "Dpi",
    "Sha256",
    # The collection form.
    "Slug",
    "Holding unit",
}
# Words that must not appear inside any text of a page.
ENGLISH_WORDS = ("batch", "Enter a valid JSON")


@pytest.fixture
def records():
    document = make_document("HN-BT-0200", "Sắc phong làng Nhật Tân")
    make_file(document.holding_unit)
    master = MasterFile.objects.create(
        document=document,
        sequence=1,
        logical_path="0001.tif",
        size=1,
        sha256="0" * 64,
        format_name="TIFF",
        puid="fmt/353",
        width=2480,
        height=3508,
        dpi=300,
    )
    page = Page.objects.create(
        document=document,
        master_file=master,
        sequence=1,
        label="1",
        width=2480,
        height=3508,
        ocr_status="done",
        ocr_languages="vie",
    )
    ImageAlias.objects.create(alias="sac-phong-1", page=page)
    batch = Batch.objects.create(source="/lô quét/2026", status=Batch.Status.DONE)
    transfer = Transfer.objects.create(
        batch=batch,
        document=document,
        source="/lô quét/2026/sắc phong",
        staging_path="/tmp/lô/00001",
    )
    Job.objects.create(transfer=transfer, step=Job.Step.STORE)
    Rejection.objects.create(
        batch=batch,
        transfer=transfer,
        path="/lô quét/2026/a.gif",
        code="format",
        reason="không phải ảnh",
    )
    ObjectFixity.objects.create(object_id="urn:disan:1", document=document)
    FixityCheck.objects.create(
        object_id="urn:disan:1",
        copy="primary",
        document=document,
        checked_at=timezone.make_aware(datetime.datetime(2026, 1, 2)),
        outcome="success",
    )


def english_on(page):
    """Return the texts of ``page`` that are known English labels."""
    tree = lxml.html.fromstring(page)
    found = []
    for root in tree.xpath('//*[@id="content"] | //*[@id="nav-sidebar"]'):
        # Permission names are stored by Django in English for every model.
        for text in root.xpath(
            ".//text()[not(ancestor::script)]"
            "[not(ancestor::select[contains(@name, 'permissions')])]"
        ):
            text = " ".join(text.split()).strip(" :")
            if text in ENGLISH or any(word in text for word in ENGLISH_WORDS):
                found.append(text)
    return found


def test_no_page_of_the_staff_interface_is_left_in_english(admin_client, records):
    index = admin_client.get(reverse("admin:index"))
    assert index.status_code == 200
    pages = {reverse("admin:index"): index.content.decode()}
    models = [model for app in index.context["app_list"] for model in app["models"]]
    assert {model["object_name"] for model in models} >= {
        "Batch",
        "Job",
        "Rejection",
        "Transfer",
        "FixityCheck",
        "ObjectFixity",
        "ImageAlias",
        "Fonds",
        "ArchivalFile",
        "HeritageDocument",
    }
    for model in models:
        for url in (model.get("admin_url"), model.get("add_url")):
            if url:
                response = admin_client.get(url)
                assert response.status_code == 200, url
                pages[url] = response.content.decode()

    # A record of each kind of ingest, preservation and image service, and
    # a document's change page, with its master file and page tables.
    for record in (
        Batch,
        Transfer,
        Job,
        Rejection,
        ObjectFixity,
        FixityCheck,
        ImageAlias,
        HeritageDocument,
    ):
        obj = record.objects.first()
        url = reverse(
            f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
        )
        response = admin_client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    document = HeritageDocument.objects.first()
    document_url = reverse("admin:catalog_heritagedocument_change", args=[document.pk])

    left = {url: found for url, page in pages.items() if (found := english_on(page))}
    assert left == {}
    # The column headings of the batch list, and its heading.
    batches = pages[reverse("admin:ingest_batch_changelist")]
    for label in ("Thư mục nguồn", "Trạng thái", "Bắt đầu", "Kết thúc"):
        assert label in batches, label
    assert "Chọn lô số hóa để xem" in batches
    # The column headings of the page and master file tables.
    tree = lxml.html.fromstring(pages[document_url])
    headings = {
        " ".join(text.split())
        for text in tree.xpath('//div[contains(@class, "tabular")]//th/text()')
    }
    assert headings >= {
        "Số thứ tự trang",
        "Nhãn",
        "Chiều rộng (px)",
        "Chiều cao (px)",
        "Trạng thái OCR",
        "Ngôn ngữ OCR",
        "Số thứ tự tệp",
        "Đường dẫn trong gói OCFL",
        "Định dạng tệp",
        "Mã định danh PRONOM (PUID)",
        "Dung lượng (byte)",
        "Độ phân giải (dpi)",
        "Mã kiểm tra SHA-256",
    }, headings


def test_the_walk_finds_english_labels():
    """The check above would see a label left in English."""
    assert english_on(
        '<div id="content"><h1>Chọn batch để xem</h1><th>Ocr</th></div>'
    ) == ["Chọn batch để xem", "Ocr"]
    assert english_on(
        '<div id="content"><table><tr><th class="column-sequence">Sequence</th>'
        "<th>Label</th><th>Width</th><th>Height</th><th>Ocr status</th>"
        "<th>Ocr languages</th></tr></table></div>"
    ) == ["Sequence", "Label", "Width", "Height", "Ocr status", "Ocr languages"]
