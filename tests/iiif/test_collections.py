"""Presentation 3.0 collections: top, per holding unit, per collection."""

import json

import jsonschema
import pytest

from disan.catalog.models import AccessLevel, Collection, DocumentStatus, HoldingUnit
from disan.iiif.collections import (
    build_named_collection,
    build_top_collection,
    build_unit_collection,
)
from disan.iiif.manifests import build_manifest

from .conftest import SHARED

pytestmark = pytest.mark.django_db

BASE = "https://disan.example.vn"
SCHEMA = SHARED / "judges" / "iiif" / "presentation-3.0.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.fixture
def holdings(make_document):
    """Two units, one collection; public, secret and unfinished documents."""
    library = HoldingUnit.objects.create(
        code="thu-vien-ha-noi", name="Thư viện Hà Nội", name_en="Hanoi Library"
    )
    archive = HoldingUnit.objects.create(code="luu-tru", name="Trung tâm Lưu trữ")
    hue = Collection.objects.create(
        slug="dia-chi",
        title="Địa chí triều Nguyễn",
        title_en="Nguyễn gazetteers",
        holding_unit=library,
        description="Sách địa chí chép tay.",
    )
    documents = {
        "book": make_document(
            identifier="DNNTC-Q1",
            title="Đại Nam nhất thống chí",
            holding_unit=library,
            collection=hue,
        ),
        "prose": make_document(
            identifier="HN-36", title="Hà Nội băm sáu phố phường", holding_unit=library
        ),
        "secret": make_document(
            identifier="MAT-01",
            title="Hồ sơ mật về đê điều",
            holding_unit=archive,
            access_level=AccessLevel.SECRET,
        ),
        "pending": make_document(
            identifier="DNNTC-Q2",
            title="Đại Nam nhất thống chí, quyển 2",
            holding_unit=library,
            collection=hue,
            status=DocumentStatus.PROCESSING,
        ),
    }
    return library, archive, hue, documents


def manifest_ref(document):
    return {
        "id": f"{BASE}/iiif/3/documents/{document.id}/manifest",
        "type": "Manifest",
        "label": {"vi": [document.title], "en": [document.title]},
    }


def test_unit_collection_lists_what_the_user_may_see(
    holdings, validator, secret_reader
):
    library, archive, _, documents = holdings
    collection = build_unit_collection(None, library.code, BASE)

    assert collection == {
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": f"{BASE}/iiif/3/collections/units/thu-vien-ha-noi",
        "type": "Collection",
        "label": {"vi": ["Thư viện Hà Nội"], "en": ["Hanoi Library"]},
        "rights": "http://rightsstatements.org/vocab/CNE/1.0/",
        "items": [manifest_ref(documents["book"]), manifest_ref(documents["prose"])],
        "summary": {
            "vi": ["Tài liệu do đơn vị này lưu giữ."],
            "en": ["Documents held by this unit."],
        },
        "requiredStatement": {
            "label": {"vi": ["Đơn vị lưu giữ"], "en": ["Holding unit"]},
            "value": {"vi": ["Thư viện Hà Nội"], "en": ["Hanoi Library"]},
        },
        "partOf": [{"id": f"{BASE}/iiif/3/collections", "type": "Collection"}],
    }
    assert list(validator.iter_errors(collection)) == []

    assert build_unit_collection(None, archive.code, BASE)["items"] == []
    permitted = build_unit_collection(secret_reader, archive.code, BASE)
    assert permitted["items"] == [manifest_ref(documents["secret"])]


def test_named_collection(holdings, validator):
    _, _, hue, documents = holdings
    collection = build_named_collection(None, hue.slug, BASE)
    assert collection["id"] == f"{BASE}/iiif/3/collections/dia-chi"
    assert collection["label"] == {
        "vi": ["Địa chí triều Nguyễn"],
        "en": ["Nguyễn gazetteers"],
    }
    assert collection["summary"] == {"vi": ["Sách địa chí chép tay."]}
    assert collection["items"] == [manifest_ref(documents["book"])]
    assert collection["partOf"] == [
        {"id": f"{BASE}/iiif/3/collections", "type": "Collection"},
        {
            "id": f"{BASE}/iiif/3/collections/units/thu-vien-ha-noi",
            "type": "Collection",
        },
    ]
    assert list(validator.iter_errors(collection)) == []


def test_top_collection_hides_units_with_nothing_visible(
    holdings, validator, secret_reader
):
    anonymous = build_top_collection(None, BASE)
    assert [item["id"] for item in anonymous["items"]] == [
        f"{BASE}/iiif/3/collections/units/thu-vien-ha-noi",
        f"{BASE}/iiif/3/collections/dia-chi",
    ]
    assert anonymous["items"][1]["label"]["en"] == ["Nguyễn gazetteers"]
    assert list(validator.iter_errors(anonymous)) == []
    permitted = build_top_collection(secret_reader, BASE)
    assert [item["id"] for item in permitted["items"]] == [
        f"{BASE}/iiif/3/collections/units/luu-tru",
        f"{BASE}/iiif/3/collections/units/thu-vien-ha-noi",
        f"{BASE}/iiif/3/collections/dia-chi",
    ]


def test_manifest_is_part_of_its_unit_and_collection(holdings):
    _, _, _, documents = holdings
    manifest = build_manifest(documents["book"], BASE)
    assert manifest["partOf"] == [
        {
            "id": f"{BASE}/iiif/3/collections/units/thu-vien-ha-noi",
            "type": "Collection",
            "label": {"vi": ["Thư viện Hà Nội"], "en": ["Hanoi Library"]},
        },
        {
            "id": f"{BASE}/iiif/3/collections/dia-chi",
            "type": "Collection",
            "label": {"vi": ["Địa chí triều Nguyễn"], "en": ["Nguyễn gazetteers"]},
        },
    ]


def test_collection_views(client, holdings):
    response = client.get("/iiif/3/collections/units/thu-vien-ha-noi")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert len(response.json()["items"]) == 2
    assert client.get("/iiif/3/collections").json()["type"] == "Collection"
    assert client.get("/iiif/3/collections/dia-chi").status_code == 200
    for url in ("/iiif/3/collections/units/khong-co", "/iiif/3/collections/khong-co"):
        response = client.get(url)
        assert response.status_code == 404, url


def test_rights_can_be_set_or_left_out(holdings, settings):
    library, _, _, documents = holdings
    settings.DISAN_DEFAULT_RIGHTS = "http://creativecommons.org/publicdomain/mark/1.0/"
    assert build_manifest(documents["book"], BASE)["rights"] == (
        "http://creativecommons.org/publicdomain/mark/1.0/"
    )
    settings.DISAN_DEFAULT_RIGHTS = ""
    assert "rights" not in build_manifest(documents["book"], BASE)
    assert "rights" not in build_unit_collection(None, library.code, BASE)
