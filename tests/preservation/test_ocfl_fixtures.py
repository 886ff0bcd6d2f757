"""Our OCFL validation judges every object of the OCFL fixtures as named."""

import re
from pathlib import Path

import pytest

from disan.preservation.storage.validation import finding_codes, validate_object

FIXTURES = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "judges" / "ocfl-fixtures"
)
KINDS = ("good-objects", "warn-objects", "bad-objects")
OBJECTS = sorted(
    path
    for spec in ("1.0", "1.1")
    for kind in KINDS
    for path in (FIXTURES / spec / kind).iterdir()
    if path.is_dir()
)


def expected_codes(name):
    """Return the codes a fixture's name begins with (E058_no_sidecar -> E058)."""
    match = re.match(r"^((?:[EW]\d{3}_)+)", name)
    return set(match.group(1).rstrip("_").split("_")) if match else set()


def test_every_fixture_is_walked():
    assert len(OBJECTS) == 156
    assert sum(1 for p in OBJECTS if p.parent.name == "bad-objects") == 107


@pytest.mark.parametrize(
    "obj", OBJECTS, ids=[str(p.relative_to(FIXTURES)) for p in OBJECTS]
)
def test_fixture_is_judged_as_its_folder_says(obj):
    report = validate_object(obj)
    codes = finding_codes(report.errors) | finding_codes(report.warnings)
    kind = obj.parent.name
    if kind == "good-objects":
        assert report.valid, report.errors
        assert finding_codes(report.errors) == set()
    elif kind == "warn-objects":
        assert report.valid, report.errors
        assert expected_codes(obj.name) <= finding_codes(report.warnings)
    else:
        assert not report.valid
        assert expected_codes(obj.name) <= finding_codes(report.errors), codes


def test_a_version_inventory_naming_the_wrong_head_is_E040():
    report = validate_object(
        FIXTURES / "1.1" / "bad-objects" / "E040_wrong_version_in_version_dir"
    )
    assert (
        "[E040] the inventory in v2 gives head 'v3'; a version's inventory "
        "has itself, v2, as head." in report.errors
    )
