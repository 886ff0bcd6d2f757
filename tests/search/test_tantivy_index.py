"""The Tantivy backend's index folder: where it is, versions, damage."""

import pytest

from disan.search.backends.tantivy_index import SCHEMA_VERSION, TantivyBackend
from disan.search.exceptions import SearchIndexError
from tests.search.conftest import make_document


def test_index_is_the_folder_beside_the_configured_path(tmp_path):
    backend = TantivyBackend(tmp_path / "tìm kiếm" / "index.sqlite3")
    backend.index(make_document(title="Văn Miếu"))
    folder = tmp_path / "tìm kiếm" / "index.tantivy"
    assert backend.folder == folder
    assert (folder / "disan-schema-version").read_text() == f"{SCHEMA_VERSION}\n"
    assert (folder / "meta.json").is_file()
    assert TantivyBackend(tmp_path / "tìm kiếm" / "index.sqlite3").count() == 1


def test_index_of_another_schema_version_asks_for_a_reindex(tmp_path):
    folder = tmp_path / "index.tantivy"
    folder.mkdir()
    (folder / "disan-schema-version").write_text("99\n")
    backend = TantivyBackend(tmp_path / "index.sqlite3")
    with pytest.raises(SearchIndexError) as caught:
        backend.count()
    assert str(caught.value) == (
        f"Search index {folder} has schema version 99, this Disan uses "
        f"{SCHEMA_VERSION}; run "
        "`disan reindex` to rebuild it."
    )
    backend.clear()
    assert backend.count() == 0


def test_damaged_index_folder_gives_an_error_saying_how_to_fix_it(tmp_path):
    folder = tmp_path / "index.tantivy"
    folder.mkdir()
    (folder / "meta.json").write_text("không phải JSON")
    with pytest.raises(SearchIndexError) as caught:
        TantivyBackend(tmp_path / "index.sqlite3").search("hà", access_levels=["x"])
    message = str(caught.value)
    assert message.startswith(f"Cannot search search index {folder}: ")
    assert message.endswith(
        ". If the folder is damaged, delete it and run `disan reindex`."
    )
    assert isinstance(caught.value, RuntimeError)
