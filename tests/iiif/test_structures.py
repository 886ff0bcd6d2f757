"""Manifest ranges (table of contents) and the cost of a 500-page manifest."""

import json
import time

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disan.catalog.models import MasterFile, Page
from disan.iiif.manifests import build_manifest, manifest_json

from .conftest import SHARED

pytestmark = pytest.mark.django_db

BASE = "https://disan.example.vn"
SCHEMA = SHARED / "judges" / "iiif" / "presentation-3.0.schema.json"


def add_files(document, files, pages_per_file):
    """Record ``files`` master files of ``pages_per_file`` pages, no pixels."""
    pages = []
    for number in range(1, files + 1):
        master = MasterFile.objects.create(
            document=document,
            sequence=number,
            filename=f"quyển {number}.pdf",
            logical_path=f"quyển {number}.pdf",
            sha256="0" * 64,
            size=1,
            mime_type="application/pdf",
            format_name="PDF",
            page_count=pages_per_file,
        )
        for index in range(pages_per_file):
            pages.append(
                Page(
                    document=document,
                    master_file=master,
                    sequence=len(pages) + 1,
                    page_in_file=index,
                    label=f"tờ {len(pages) + 1}",
                    width=1654,
                    height=2339,
                )
            )
    Page.objects.bulk_create(pages)
    return Page.objects.filter(document=document).order_by("sequence")


def test_one_range_per_master_file(make_document):
    document = make_document(page_count=5)
    pages = list(add_files(document, files=2, pages_per_file=3)[:6])
    manifest = build_manifest(document, BASE)
    manifest_id = manifest["id"]

    def canvas(page):
        return {"id": f"{manifest_id}/canvas/{page.id}", "type": "Canvas"}

    assert manifest["structures"] == [
        {
            "id": f"{manifest_id}/range/toc",
            "type": "Range",
            "label": {"vi": ["Mục lục"], "en": ["Table of contents"]},
            "items": [
                {
                    "id": f"{manifest_id}/range/file-1",
                    "type": "Range",
                    "label": {"none": ["quyển 1.pdf"]},
                    "items": [canvas(page) for page in pages[:3]],
                },
                {
                    "id": f"{manifest_id}/range/file-2",
                    "type": "Range",
                    "label": {"none": ["quyển 2.pdf"]},
                    "items": [canvas(page) for page in pages[3:]],
                },
            ],
        }
    ]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(manifest)) == []


def test_single_file_has_no_table_of_contents(make_document):
    document = make_document(page_count=4)
    add_files(document, files=1, pages_per_file=4)
    manifest = build_manifest(document, BASE)
    assert "structures" not in manifest
    assert manifest["behavior"] == ["paged"]
    assert len(manifest["items"]) == 4


def test_500_page_manifest_builds_in_one_query_and_is_served_from_cache(
    make_document, capsys
):
    """Print the build times; the 100 ms goal is for the cached answer."""
    document = make_document(page_count=500)
    add_files(document, files=5, pages_per_file=100)

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        text = manifest_json(document, BASE)
        built = time.perf_counter() - started
    assert len(queries) == 1

    started = time.perf_counter()
    again = manifest_json(document, BASE)
    cached = time.perf_counter() - started
    assert again == text
    manifest = json.loads(text)
    assert len(manifest["items"]) == 500
    assert [len(r["items"]) for r in manifest["structures"][0]["items"]] == [100] * 5
    with capsys.disabled():
        print(
            f"\n500-page manifest: {len(text.encode()) // 1024} KiB, built in "
            f"{built * 1000:.1f} ms, from cache in {cached * 1000:.2f} ms"
        )
