"""Zipped bags: unpacked only when safe, validated like folders."""

import stat
import zipfile
from pathlib import Path

import bagit
import pytest

from disan.preservation.bagit import (
    UnsafeArchive,
    is_bag,
    opened_bag,
    unpack_zip,
    validate_bag,
)


def make_bag(folder):
    """A real bag of two Vietnamese-named payload files, made by bagit-python."""
    (folder / "Hồ sơ").mkdir(parents=True)
    (folder / "Hồ sơ" / "trang 1.txt").write_text("Đại Nam", encoding="utf-8")
    (folder / "đê điều.txt").write_text("Hà Nội", encoding="utf-8")
    bagit.make_bag(
        str(folder), {"Source-Organization": "Sở Văn hóa"}, checksums=["sha256"]
    )
    return folder


def zip_folder(folder, archive, prefix=""):
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def test_a_zipped_bag_in_one_top_folder_is_valid(tmp_path):
    bag = make_bag(tmp_path / "túi")
    archive = zip_folder(bag, tmp_path / "túi.zip", prefix="túi/")
    assert is_bag(archive) and is_bag(bag)
    with opened_bag(archive, tmp_path / "work") as (folder, report):
        assert report.valid, [str(e) for e in report.errors]
        assert report.version == "0.97"
        assert report.payload == ["data/Hồ sơ/trang 1.txt", "data/đê điều.txt"]
        assert (folder / "data" / "đê điều.txt").read_text() == "Hà Nội"
        unpacked = folder.parent
    assert not unpacked.exists()


def test_a_changed_byte_in_a_zipped_bag_is_reported(tmp_path):
    bag = make_bag(tmp_path / "túi")
    (bag / "data" / "đê điều.txt").write_text("Hà Nộj", encoding="utf-8")
    archive = zip_folder(bag, tmp_path / "túi.zip")
    with opened_bag(archive) as (_folder, report):
        assert [(e.code, e.path) for e in report.errors] == [
            ("checksum_mismatch", "data/đê điều.txt")
        ]


def test_a_zip_without_a_bag_is_not_a_bag(tmp_path):
    archive = tmp_path / "ảnh.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a/trang.txt", "x")
        zipped.writestr("b/trang.txt", "y")
    with opened_bag(archive) as (folder, report):
        assert folder is None
        assert [e.code for e in report.errors] == ["not_a_bag"]


@pytest.mark.parametrize(
    "name",
    ["../thoát.txt", "/etc/passwd", "data/../../x", "C:/Windows/x", "a\\..\\b"],
)
def test_members_pointing_outside_are_refused(tmp_path, name):
    archive = tmp_path / "độc.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("bagit.txt", "BagIt-Version: 1.0\n")
        zipped.writestr(name, "x")
    with pytest.raises(UnsafeArchive, match="points outside the bag"):
        unpack_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "thoát.txt").exists()


def test_a_symbolic_link_member_is_refused(tmp_path):
    archive = tmp_path / "liên kết.zip"
    link = zipfile.ZipInfo("data/passwd")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeArchive, match="is a symbolic link"):
        unpack_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_is_refused_from_its_ratio(tmp_path):
    archive = tmp_path / "bom.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("data/zeros.bin", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(UnsafeArchive, match="expands 1028 times, more than 200"):
        unpack_zip(archive, tmp_path / "out")


def test_the_total_size_limit_holds(tmp_path, settings):
    settings.DISAN_BAG_MAX_BYTES = 1000
    archive = tmp_path / "lớn.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("data/a.bin", b"a" * 600)
        zipped.writestr("data/b.bin", b"b" * 600)
    with pytest.raises(UnsafeArchive, match="more than 1000 bytes"):
        unpack_zip(archive, tmp_path / "out")


def test_a_member_writing_more_than_it_declares_is_stopped(tmp_path):
    archive = tmp_path / "giả.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("data/a.txt", b"abcdefgh")
    raw = bytearray(archive.read_bytes())
    # Lower the declared size in the central directory (offset 24 of it).
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (4).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    with pytest.raises((UnsafeArchive, zipfile.BadZipFile)):
        unpack_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_names_equal_after_nfc_are_refused(tmp_path):
    archive = tmp_path / "trùng.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("data/Nguye\u0302\u0303n.txt", "1")
        zipped.writestr("data/Nguy\u1ec5n.txt", "2")
    with pytest.raises(UnsafeArchive, match="are one name"):
        unpack_zip(archive, tmp_path / "out")


def test_a_damaged_zip_names_the_file(tmp_path):
    archive = tmp_path / "hỏng.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with opened_bag(archive) as (folder, report):
        assert folder is None
        assert [e.code for e in report.errors] == ["unsafe_zip"]
        assert report.errors[0].message.startswith("hỏng.zip is not a readable zip")


def test_hostile_shared_files_are_no_bags():
    hostile = Path(__file__).resolve().parents[2] / ".." / "shared" / "cases"
    for path in sorted((hostile / "hostile-files").iterdir()):
        if path.is_file() and not path.read_bytes()[:2] == b"PK":
            assert not is_bag(path)


def test_a_zip_name_on_a_file_that_is_no_zip_says_so(tmp_path):
    fake = tmp_path / "không phải.zip"
    fake.write_text("hello\n")
    with opened_bag(fake) as (_folder, report):
        assert [(e.code, e.message) for e in report.errors] == [
            (
                "not_a_zip",
                "is not a zip archive (it does not begin like one); make the "
                "zip again, or give the bag's folder.",
            )
        ]
    other = tmp_path / "ghi chú.txt"
    other.write_text("hello\n")
    assert [e.message for e in validate_bag(other).errors] == [
        "is neither a folder nor a zip archive; give the bag's folder or a .zip "
        "holding one."
    ]


def test_a_malformed_payload_manifest_line_is_reported_as_such(tmp_path):
    bag = make_bag(tmp_path / "túi")
    manifest = bag / "manifest-sha256.txt"
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("line without spaces\n")
        handle.write("f" * 64 + "  ghi chú.txt\n")
    report = validate_bag(bag)
    errors = [(e.code, e.path, e.message) for e in report.errors]
    assert errors[:2] == [
        (
            "manifest_line",
            "manifest-sha256.txt",
            "line 3 'line without spaces' does not begin with a sha256 digest "
            "(64 hexadecimal digits) followed by whitespace and a path.",
        ),
        (
            "manifest_line",
            "manifest-sha256.txt",
            "line 4 lists 'ghi chú.txt', which is outside data/; a payload "
            "manifest lists only payload files.",
        ),
    ]
    # The tag manifest's digest of the changed manifest no longer matches;
    # nothing is said to be a missing tag file.
    assert [code for code, _path, _message in errors[2:]] == ["checksum_mismatch"]
