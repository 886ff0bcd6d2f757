"""Building index documents from the catalog, reindexing, get_backend()."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command

from disan.catalog.models import DocumentStatus, MasterFile, Page
from disan.search import get_backend
from disan.search.backends.sqlite_fts import SQLiteFTSBackend
from disan.search.exceptions import SearchConfigurationError
from disan.search.indexing import (
    build_index_document,
    index_document,
    reindex_all,
    remove_document,
)
from tests.catalog.conftest import make_document as make_heritage_document
from tests.search.conftest import make_document

pytestmark = pytest.mark.django_db


def add_pages(document, texts):
    master = MasterFile.objects.create(
        document=document,
        sequence=1,
        filename="trang.tif",
        logical_path="trang.tif",
        sha256="0" * 64,
        size=1,
        mime_type="image/tiff",
        format_name="TIFF",
    )
    # Created out of order: the text must still follow the page sequence.
    for sequence in sorted(texts, reverse=True):
        Page.objects.create(
            document=document,
            master_file=master,
            sequence=sequence,
            ocr_text=texts[sequence],
        )


def test_build_index_document_takes_every_field_and_pages_in_order():
    document = make_heritage_document(
        "HN-ĐNNTC-001",
        "Đại Nam nhất thống chí",
        original_title="大南一統志",
        description="Sách địa chí",
        doc_type="sách",
        languages=["lzh"],
        scripts=["Hani"],
        year_start=1865,
        year_end=1882,
        access_level="conditional",
    )
    add_pages(document, {2: "trang hai", 1: "trang một", 3: "trang ba"})
    doc = build_index_document(document)
    assert doc.id == str(document.id)
    assert (doc.identifier, doc.title, doc.original_title) == (
        "HN-ĐNNTC-001",
        "Đại Nam nhất thống chí",
        "大南一統志",
    )
    assert doc.text == "trang một\ntrang hai\ntrang ba"
    assert (doc.doc_type, doc.holding_unit) == ("sách", "Bảo tàng Hà Nội")
    assert (doc.languages, doc.scripts) == (["lzh"], ["Hani"])
    assert (doc.year_start, doc.year_end, doc.access_level) == (
        1865,
        1882,
        "conditional",
    )
    assert datetime.datetime.fromisoformat(doc.created) == document.created


def test_index_document_makes_ocr_text_searchable_and_remove_takes_it_out():
    document = make_heritage_document("HN-002", "Hương ước làng Mọc")
    add_pages(document, {1: "Điều thứ nhất: giữ gìn đình làng"})
    assert index_document(document) is True
    results = get_backend().search("gin dinh", access_levels=["public"])
    assert [hit.id for hit in results.hits] == [str(document.id)]
    assert results.hits[0].snippet_html == (
        "Điều thứ nhất: giữ <mark>gìn</mark> <mark>đình</mark> làng"
    )
    assert remove_document(document.id) is True
    assert get_backend().count() == 0


def test_documents_not_online_are_kept_out_of_the_index():
    document = make_heritage_document("HN-003", "Địa bạ xã Mọc")
    index_document(document)
    document.status = DocumentStatus.FAILED
    document.save()
    assert index_document(document) is False
    assert get_backend().count() == 0


@pytest.mark.parametrize(
    ("backend", "suffix"),
    [
        ("disan.search.backends.tantivy_index.TantivyBackend", ".tantivy"),
        ("disan.search.backends.sqlite_fts.SQLiteFTSBackend", ".sqlite3"),
    ],
)
def test_reindex_command_rebuilds_from_online_documents(settings, backend, suffix):
    settings.DISAN_SEARCH_BACKEND = backend
    online = [make_heritage_document(f"HN-1{n}", f"Sắc phong số {n}") for n in range(3)]
    make_heritage_document("HN-900", "Đang xử lý", status=DocumentStatus.PROCESSING)
    stale = type(get_backend())(get_backend().path)
    stale.index(make_document(title="Đã bị xoá khỏi danh mục"))

    output = io.StringIO()
    call_command("reindex", stdout=output)
    # The index the backend keeps, which exists: not always the setting itself.
    index = settings.DISAN_SEARCH_INDEX.resolve().with_suffix(suffix)
    assert index.exists()
    assert output.getvalue() == f"Indexed 3 documents into {index}.\n"
    results = get_backend().search("", access_levels=["public"])
    assert sorted(hit.id for hit in results.hits) == sorted(str(d.id) for d in online)
    assert reindex_all() == 3


def test_get_backend_reads_settings_when_called_and_caches_per_path(settings, tmp_path):
    settings.DISAN_SEARCH_BACKEND = "disan.search.backends.sqlite_fts.SQLiteFTSBackend"
    first = get_backend()
    assert isinstance(first, SQLiteFTSBackend)
    assert get_backend() is first
    assert first.path == settings.DISAN_SEARCH_INDEX.resolve()

    settings.DISAN_SEARCH_INDEX = tmp_path / "khác" / "index.sqlite3"
    other = get_backend()
    assert other is not first
    assert other.path == (tmp_path / "khác" / "index.sqlite3").resolve()


def test_get_backend_with_a_bad_class_path_says_what_to_give(settings):
    settings.DISAN_SEARCH_BACKEND = "disan.search.backends.khong_co.Backend"
    with pytest.raises(SearchConfigurationError) as caught:
        get_backend()
    assert str(caught.value).startswith(
        "DISAN_SEARCH_BACKEND 'disan.search.backends.khong_co.Backend' cannot be "
        "imported ("
    )
    assert str(caught.value).endswith(
        "give the dotted path of a SearchBackend class, e.g. "
        "disan.search.backends.sqlite_fts.SQLiteFTSBackend."
    )


def test_remove_document_of_an_unknown_id_returns_false():
    assert remove_document(uuid.uuid4()) is False
