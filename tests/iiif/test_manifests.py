"""Presentation API 3.0 manifests: content, schema validity, caching."""

import json

import jsonschema
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disan.catalog.models import HeritageStatus
from disan.iiif.manifests import build_manifest, manifest_json

from .conftest import SHARED

pytestmark = pytest.mark.django_db

BASE = "https://disan.example.vn"
SCHEMA = SHARED / "judges" / "iiif" / "presentation-3.0.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def test_manifest_of_a_han_book_is_valid_presentation_3(han_book, validator):
    document, _ = han_book
    manifest = build_manifest(document, BASE)
    errors = [error.message for error in validator.iter_errors(manifest)]
    assert errors == []


def test_manifest_top_level(han_book):
    document, pages = han_book
    manifest = build_manifest(document, BASE)

    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == f"{BASE}/iiif/3/documents/{document.id}/manifest"
    assert manifest["type"] == "Manifest"
    assert manifest["label"] == {
        "vi": ["Đại Nam nhất thống chí"],
        "en": ["Đại Nam nhất thống chí"],
    }
    assert manifest["summary"] == {
        "vi": ["Bộ địa chí do Quốc sử quán triều Nguyễn biên soạn."]
    }
    assert manifest["viewingDirection"] == "right-to-left"
    assert manifest["behavior"] == ["paged"]
    assert manifest["requiredStatement"] == {
        "label": {"vi": ["Đơn vị lưu giữ"], "en": ["Holding unit"]},
        "value": {"vi": ["Bảo tàng Hà Nội"], "en": ["Hanoi Museum"]},
    }
    assert manifest["rights"] == "http://rightsstatements.org/vocab/CNE/1.0/"
    assert manifest["homepage"] == [
        {
            "id": f"{BASE}/documents/{document.id}/",
            "type": "Text",
            "label": {
                "vi": ["Đại Nam nhất thống chí"],
                "en": ["Đại Nam nhất thống chí"],
            },
            "format": "text/html",
        }
    ]
    assert manifest["thumbnail"] == [
        {
            "id": f"{BASE}/iiif/3/images/{pages[0].id}/full/400,280/0/default.jpg",
            "type": "Image",
            "format": "image/jpeg",
            "width": 400,
            "height": 280,
            "service": [
                {
                    "id": f"{BASE}/iiif/3/images/{pages[0].id}",
                    "type": "ImageService3",
                    "profile": "level2",
                }
            ],
        }
    ]


def test_thumbnail_of_a_page_smaller_than_the_box_is_the_whole_page(
    make_document, make_page
):
    """A 300x200 page fits the 400 px box: the thumbnail asks for max, since
    !400,400 would ask for upscaling, which the image service refuses."""
    document = make_document()
    page = make_page(document, width=300, height=200)
    thumbnail = build_manifest(document, BASE)["thumbnail"][0]
    assert (thumbnail["id"], thumbnail["width"], thumbnail["height"]) == (
        f"{BASE}/iiif/3/images/{page.id}/full/max/0/default.jpg",
        300,
        200,
    )


def test_manifest_metadata_pairs_have_vietnamese_and_english_labels(han_book):
    document, _ = han_book
    metadata = build_manifest(document, BASE)["metadata"]
    assert [
        (entry["label"]["vi"][0], entry["label"]["en"][0]) for entry in metadata
    ] == [
        ("Mã định danh", "Identifier"),
        ("Nhan đề nguyên văn", "Original-script title"),
        ("Loại hình", "Type"),
        ("Thời gian", "Date"),
        ("Ngôn ngữ", "Languages"),
        ("Văn tự", "Scripts"),
        ("Đơn vị lưu giữ", "Holding unit"),
        ("Cấp công nhận di sản", "Heritage status"),
        ("Mức độ tiếp cận", "Access level"),
    ]
    assert [entry["value"] for entry in metadata] == [
        {"none": [document.identifier]},
        {"none": ["大南一統志"]},
        {"vi": ["Sách chép tay"]},
        {"none": ["Tự Đức năm thứ 3"]},
        {"vi": ["Hán văn"], "en": ["Literary Chinese (Hán)"]},
        {"vi": ["Chữ Hán (Hán, Nôm)"], "en": ["Han characters (Hán, Nôm)"]},
        {"vi": ["Bảo tàng Hà Nội"], "en": ["Hanoi Museum"]},
        {"vi": ["Đã kiểm kê"], "en": ["Inventoried"]},
        {"vi": ["Công khai"], "en": ["Public"]},
    ]


def test_canvases_follow_page_sequence(han_book):
    document, pages = han_book
    manifest_id = f"{BASE}/iiif/3/documents/{document.id}/manifest"
    canvases = build_manifest(document, BASE)["items"]

    assert [canvas["label"] for canvas in canvases] == [
        {"none": ["1"]},
        {"none": ["2"]},
        {"none": ["3"]},
    ]
    assert [(c["width"], c["height"]) for c in canvases] == [
        (1000, 700),
        (700, 1000),
        (1000, 700),
    ]
    second = canvases[1]
    canvas_id = f"{manifest_id}/canvas/{pages[1].id}"
    service = f"{BASE}/iiif/3/images/{pages[1].id}"
    assert second["id"] == canvas_id
    assert second["items"] == [
        {
            "id": f"{canvas_id}/page",
            "type": "AnnotationPage",
            "items": [
                {
                    "id": f"{canvas_id}/painting",
                    "type": "Annotation",
                    "motivation": "painting",
                    "target": canvas_id,
                    "body": {
                        "id": f"{service}/full/max/0/default.jpg",
                        "type": "Image",
                        "format": "image/jpeg",
                        "width": 700,
                        "height": 1000,
                        "service": [
                            {
                                "id": f"{BASE}/iiif/3/images/{pages[1].id}",
                                "type": "ImageService3",
                                "profile": "level2",
                            }
                        ],
                    },
                }
            ],
        }
    ]


def test_see_also_links_pages_that_have_ocr_text(han_book):
    document, pages = han_book
    canvases = build_manifest(document, BASE)["items"]
    assert canvases[0]["seeAlso"] == [
        {
            "id": f"{BASE}/iiif/3/documents/{document.id}/pages/{pages[0].id}/text",
            "type": "Text",
            "label": {
                "vi": ["Văn bản nhận dạng (OCR)"],
                "en": ["Recognized text (OCR)"],
            },
            "format": "text/plain",
        },
        {
            "id": f"{BASE}/iiif/3/documents/{document.id}/pages/{pages[0].id}/alto",
            "type": "Dataset",
            "label": {
                "vi": ["Văn bản nhận dạng (OCR) kèm vị trí, ALTO"],
                "en": ["Recognized text (OCR) with positions, ALTO"],
            },
            "format": "application/xml",
            "profile": "http://www.loc.gov/standards/alto/v4/alto-4-2.xsd",
        },
    ]
    assert "seeAlso" not in canvases[1]


def test_single_page_left_to_right_document(make_document, make_page, validator):
    document = make_document(
        title="Hà Nội băm sáu phố phường",
        original_title="",
        heritage_status=HeritageStatus.NATIONAL,
        year_start=1943,
        year_end=1943,
    )
    make_page(document)
    manifest = build_manifest(document, BASE)

    assert manifest["viewingDirection"] == "left-to-right"
    assert "behavior" not in manifest
    assert "requiredStatement" not in manifest
    assert "summary" not in manifest
    values = {e["label"]["en"][0]: e["value"] for e in manifest["metadata"]}
    assert values["Date"] == {"none": ["1943"]}
    assert values["Heritage status"] == {
        "vi": ["Di sản tư liệu quốc gia"],
        "en": ["National list of documentary heritage"],
    }
    assert "Original-script title" not in values
    assert list(validator.iter_errors(manifest)) == []


def test_page_without_recorded_size_is_left_out(make_document, make_page):
    document = make_document()
    make_page(document, sequence=1)
    broken = make_page(document, sequence=2)
    broken.width = 0
    broken.save()
    manifest = build_manifest(document, BASE)
    assert len(manifest["items"]) == 1


def test_manifest_view(client, han_book, validator):
    document, _ = han_book
    response = client.get(f"/iiif/3/documents/{document.id}/manifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = json.loads(response.content.decode("utf-8"))
    assert (
        manifest["id"] == f"http://testserver/iiif/3/documents/{document.id}/manifest"
    )
    assert list(validator.iter_errors(manifest)) == []
    # Vietnamese is sent as UTF-8, not as \\u escapes.
    assert "Đại Nam nhất thống chí".encode() in response.content

    ld = client.get(
        f"/iiif/3/documents/{document.id}/manifest", HTTP_ACCEPT="application/ld+json"
    )
    assert ld["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    )


def test_unknown_manifest_is_404(client):
    response = client.get(
        "/iiif/3/documents/0b3b0c6e-5a55-4f0e-9c1e-2f8f3c6a1d00/manifest"
    )
    assert (response.status_code, response.content) == (
        404,
        b"No such document or image.",
    )


def test_built_manifest_is_cached_until_the_document_changes(han_book):
    document, _ = han_book
    cache.clear()
    first = manifest_json(document, BASE)
    with CaptureQueriesContext(connection) as queries:
        assert manifest_json(document, BASE) == first
    assert len(queries) == 0

    document.title = "Đại Nam nhất thống chí (bản Duy Tân)"
    document.save()
    changed = json.loads(manifest_json(document, BASE))
    assert changed["label"]["vi"] == ["Đại Nam nhất thống chí (bản Duy Tân)"]


def test_large_manifest_is_built_with_few_queries(make_document, make_page):
    from disan.catalog.models import MasterFile, Page

    document = make_document(page_count=500)
    master = make_page(document, sequence=1).master_file
    Page.objects.bulk_create(
        Page(
            document=document,
            master_file=master,
            sequence=number,
            width=2000,
            height=1773,
            pyramid_path=f"p/{number}.tif",
        )
        for number in range(2, 501)
    )
    assert MasterFile.objects.count() == 1
    with CaptureQueriesContext(connection) as queries:
        manifest = build_manifest(document, BASE)
    assert len(manifest["items"]) == 500
    assert manifest["items"][499]["label"] == {"none": ["500"]}
    assert len(queries) == 1


def test_schema_rejects_a_manifest_with_a_broken_canvas(han_book, validator):
    """The judge schema is strict enough to catch a canvas without a size."""
    document, _ = han_book
    manifest = build_manifest(document, BASE)
    del manifest["items"][0]["width"]
    assert list(validator.iter_errors(manifest)) != []


def test_language_and_script_codes_are_named_and_unknown_ones_kept():
    from disan.iiif import vocabulary

    assert vocabulary.named_list(["lzh", "vi", "xyz"], vocabulary.LANGUAGES) == {
        "vi": ["Hán văn, Tiếng Việt, xyz"],
        "en": ["Literary Chinese (Hán), Vietnamese, xyz"],
    }
