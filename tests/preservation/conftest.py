"""Fixtures for the preservation tests: a store and source files."""

from pathlib import Path

import ocfl
import pytest

from disan.preservation.storage import get_store

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def store():
    """The store configured for this test's DISAN_OCFL_ROOT."""
    return get_store()


@pytest.fixture
def source(tmp_path):
    """Return a function writing ``data`` to a new source file named ``name``."""
    folder = tmp_path / "sources"

    def write(name, data):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return write


def assert_root_valid(root, objects):
    """Validate ``root`` with ocfl-py itself and count its valid objects."""
    storage_root = ocfl.StorageRoot(root=str(root))
    assert storage_root.validate(log_warnings=False) is True
    assert storage_root.errors == []
    assert (storage_root.num_objects, storage_root.good_objects) == (objects, objects)


def tree(folder):
    """Return every path under ``folder``, relative and sorted."""
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*"))
