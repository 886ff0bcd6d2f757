"""Where derivatives are written and what the page stores about them."""

import uuid

import pytest

from disan.derivatives import paths
from disan.derivatives.exceptions import DerivativePathError

DOCUMENT = uuid.UUID("0d3f6b7e-5c1a-4f0e-9a57-2b9a1e1c0a11")
PAGE = uuid.UUID("7a9c2f44-1b8e-4d2a-8e6f-3c5d9b0e4f22")


def test_paths_sit_in_a_folder_per_document(settings):
    root = settings.DISAN_DERIVATIVES_ROOT

    assert paths.pyramid_path(DOCUMENT, PAGE) == root / str(DOCUMENT) / f"{PAGE}.tif"
    assert paths.thumbnail_path(DOCUMENT, PAGE) == (
        root / str(DOCUMENT) / f"{PAGE}.thumb.jpg"
    )


def test_relative_is_what_a_page_stores_and_resolves_back(settings):
    pyramid = paths.pyramid_path(DOCUMENT, PAGE)

    stored = paths.relative(pyramid)

    assert stored == f"{DOCUMENT}/{PAGE}.tif"
    assert paths.resolve(stored) == pyramid


def test_root_is_read_at_call_time(settings, tmp_path):
    settings.DISAN_DERIVATIVES_ROOT = tmp_path / "kho phái sinh"

    assert paths.thumbnail_path("tài-liệu", "trang-1") == (
        tmp_path / "kho phái sinh" / "tài-liệu" / "trang-1.thumb.jpg"
    )
    assert paths.relative(tmp_path / "kho phái sinh" / "tài-liệu" / "a.tif") == (
        "tài-liệu/a.tif"
    )


def test_outside_paths_and_unsafe_ids_are_refused(tmp_path):
    with pytest.raises(DerivativePathError) as outside:
        paths.relative(tmp_path / "elsewhere.tif")
    with pytest.raises(DerivativePathError) as dotted:
        paths.pyramid_path("..", PAGE)
    with pytest.raises(DerivativePathError):
        paths.thumbnail_path(DOCUMENT, "a/b")
    with pytest.raises(DerivativePathError):
        paths.resolve("../secret_key")

    assert str(outside.value).startswith(f"{tmp_path / 'elsewhere.tif'} is not inside ")
    assert str(dotted.value) == (
        "document id '..' cannot name a derivative file; use the UUID of the "
        "document or page."
    )
    assert isinstance(dotted.value, ValueError)
