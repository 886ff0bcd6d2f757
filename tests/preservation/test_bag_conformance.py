"""Every bag of the Library of Congress BagIt conformance suite is judged right."""

import subprocess
import sys
from pathlib import Path

import pytest

from disan.preservation.bagit import validate_bag

SUITE = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "judges"
) / "bagit-conformance-suite"
# linux-only and windows-only hold bags that are invalid on those systems;
# a path naming C:\ or a UNC share is outside the bag everywhere.
EXPECTED = {
    "valid": "valid",
    "warning": "warning",
    "invalid": "invalid",
    "linux-only": "invalid",
    "windows-only": "invalid",
}
CASES = sorted(
    path
    for path in SUITE.glob("v*/*/*")
    if path.is_dir() and path.parent.name in EXPECTED
)


def test_the_suite_is_all_there():
    """The walk below covers every bag of the suite, none skipped."""
    assert len(CASES) == 58
    assert {case.parent.name for case in CASES} == set(EXPECTED)


@pytest.mark.parametrize(
    "bag", CASES, ids=[str(case.relative_to(SUITE)) for case in CASES]
)
def test_conformance_bag_is_judged_as_its_folder_says(bag):
    report = validate_bag(bag)
    expected = EXPECTED[bag.parent.name]
    if expected == "invalid":
        assert not report.valid
        assert report.errors
    else:
        assert report.valid, [str(error) for error in report.errors]
    if expected == "warning":
        assert report.warnings
    if expected == "valid" and bag.name != "bag-with-leading-dot-slash-in-manifest":
        assert report.warnings == []


def test_invalid_whitespace_in_declaration_is_an_error_with_its_line():
    report = validate_bag(SUITE / "v1.0" / "invalid" / "bagit-with-invalid-whitespace")
    assert [(f.code, f.path) for f in report.errors] == [
        ("declaration_format", "bagit.txt"),
        ("declaration_format", "bagit.txt"),
        ("declaration_format", "bagit.txt"),
    ]
    assert "line 1 'BagIt-Version : 1.0'" in report.errors[0].message


def test_every_fixity_error_is_listed_not_only_the_first():
    report = validate_bag(SUITE / "v0.97" / "invalid" / "corrupt-tag-file")
    assert sorted((f.code, f.path) for f in report.errors) == [
        ("checksum_mismatch", "bag-info.txt"),
        ("checksum_mismatch", "bagit.txt"),
        ("checksum_mismatch", "manifest-md5.txt"),
    ]


def test_case_variants_with_equal_digests_warn():
    report = validate_bag(
        SUITE / "v0.97" / "warning" / "duplicate-file-with-different-case"
    )
    assert report.errors == []
    assert [f.code for f in report.warnings] == ["case_duplicate"]
    assert report.payload == ["data/hello.txt"]


def test_unicode_normalization_variants_warn():
    report = validate_bag(
        SUITE
        / "v0.97"
        / "warning"
        / "same-filename-listed-twice-with-different-normalization"
    )
    assert [f.code for f in report.warnings] == ["normalization_duplicate"]
    assert report.payload == ["data/Núñez"]


def test_command_exits_0_for_valid_and_1_for_invalid():
    def run(path):
        return subprocess.run(
            [sys.executable, "-m", "disan.cli", "bag", "validate", str(path)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            timeout=120,
        )

    valid = run(SUITE / "v0.97" / "warning" / "made-with-md5sum-tools")
    assert valid.returncode == 0, valid.stderr
    assert valid.stdout.count("warning: [binary_marker]") == 4
    assert "is a valid bag (BagIt 0.97, 1 payload files, 4 warning(s))" in valid.stdout

    invalid = run(SUITE / "v0.97" / "invalid" / "extra-file-in-bag")
    assert invalid.returncode == 1
    assert "error: [unexpected_file] data/bar:" in invalid.stdout
    assert "error: [oxum_mismatch] bag-info.txt:" in invalid.stdout
    assert "2 error(s), listed above" in invalid.stdout
