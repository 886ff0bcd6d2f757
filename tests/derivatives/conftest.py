"""Paths of the shared sample scans and hostile files used by these tests."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
HOSTILE = SHARED / "cases" / "hostile-files"
DAI_NAM = SHARED / "samples" / "dai-nam-nhat-thong-chi"
PRINTED = SHARED / "samples" / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"


@pytest.fixture
def out_dir(tmp_path):
    """A folder with a Vietnamese name, to write derivatives into."""
    folder = tmp_path / "phái sinh Đại Nam"
    folder.mkdir()
    return folder
