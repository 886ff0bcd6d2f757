"""The fixity audit names each kind of fault with its code and file."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from disan.catalog.models import HeritageDocument
from disan.preservation.audit import audit, list_object_ids
from disan.preservation.models import FixityCheck, ObjectFixity, PreservationEvent
from disan.preservation.replicas import copies

pytestmark = pytest.mark.django_db

OBJECT_ID = "urn:disan:Hán-Nôm/Đại Nam nhất thống chí"
PAGE_1 = "v1/content/Quyển 1/trang 001.jpg"
PAGE_2 = "v1/content/Quyển 1/trang 002.jpg"
PAGE_1_BYTES = b"\xff\xd8 trang mot " * 100
PAGE_2_BYTES = b"\xff\xd8 trang hai " * 50


@pytest.fixture
def stored(store, source):
    """A one-version object of two pages; returns its folder."""
    store.put(
        OBJECT_ID,
        [
            (source("a.jpg", PAGE_1_BYTES), "Quyển 1/trang 001.jpg"),
            (source("b.jpg", PAGE_2_BYTES), "Quyển 1/trang 002.jpg"),
        ],
        message="Số hoá lần đầu",
        agent="Nguyễn Thị Hương",
    )
    return store.object_dir(OBJECT_ID)


def faults(report):
    """Return (copy, code, path) of every fault in a report."""
    return [
        (copy.label, fault.code, fault.path)
        for result in report.objects
        for copy in result.copies
        for fault in copy.faults
    ]


def test_intact_object_passes_with_counts_and_rows(stored):
    document = HeritageDocument.objects.create(
        identifier="HN-001", title="Đại Nam nhất thống chí", ocfl_object_id=OBJECT_ID
    )

    report = audit()

    assert report.ok is True
    assert [r.object_id for r in report.objects] == [OBJECT_ID]
    assert (report.files, report.bytes) == (2, len(PAGE_1_BYTES) + len(PAGE_2_BYTES))
    event = PreservationEvent.objects.get(event_type="fixity check")
    assert (event.document, event.outcome) == (document, "success")
    assert event.data["copies"][0]["files"] == 2
    check = FixityCheck.objects.get()
    assert (check.copy, check.outcome, check.files, check.faults) == (
        "primary",
        "success",
        2,
        [],
    )
    row = ObjectFixity.objects.get()
    assert row.outcome == "success"
    assert row.sizes == {PAGE_1: 1300, PAGE_2: 650}


def test_changed_byte_is_named(stored):
    path = stored / PAGE_1
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))

    report = audit()

    assert faults(report) == [("primary", "changed", PAGE_1)]
    assert report.objects[0].lost == [PAGE_1]


def test_truncated_file_is_told_from_the_size_a_past_audit_saw(stored):
    audit()
    (stored / PAGE_2).write_bytes(PAGE_2_BYTES[:300])

    report = audit()

    assert faults(report) == [("primary", "truncated", PAGE_2)]
    detail = report.objects[0].copies[0].faults[0].detail
    assert detail.startswith("300 bytes of 650;")


def test_missing_file_is_named(stored):
    (stored / PAGE_2).unlink()

    assert faults(audit()) == [("primary", "missing", PAGE_2)]


def test_stray_file_in_a_content_folder_is_unexpected(stored):
    (stored / "v1/content/Quyển 1/ghi chú.txt").write_text("lạc chỗ")

    assert faults(audit()) == [
        ("primary", "unexpected", "v1/content/Quyển 1/ghi chú.txt")
    ]


def test_damaged_inventory_json(stored):
    (stored / "inventory.json").write_bytes(b'{"id": "broken')

    report = audit()

    assert faults(report) == [("primary", "inventory-damaged", "inventory.json")]
    # The content is still checked, against the version's own inventory.
    assert report.objects[0].copies[0].files == 2
    assert report.objects[0].lost == []


def test_missing_inventory(stored):
    (stored / "inventory.json").unlink()

    assert faults(audit()) == [("primary", "inventory-missing", "inventory.json")]


def test_sidecar_that_does_not_match(stored):
    sidecar = stored / "inventory.json.sha256"
    sidecar.write_text("0" * 64 + " inventory.json\n")

    report = audit()

    assert faults(report) == [
        ("primary", "inventory-digest-mismatch", "inventory.json")
    ]
    actual = hashlib.sha256((stored / "inventory.json").read_bytes()).hexdigest()
    assert report.objects[0].copies[0].faults[0].detail == (
        f"sidecar says {'0' * 64}, inventory hashes to {actual}"
    )


def test_damaged_version_inventory_is_named_by_its_path(stored):
    (stored / "v1/inventory.json").write_text("{}")

    assert faults(audit()) == [("primary", "inventory-damaged", "v1/inventory.json")]


def test_object_with_every_inventory_deleted_is_still_found_by_the_ledger(stored):
    audit()
    (stored / "inventory.json").unlink()
    (stored / "v1/inventory.json").unlink()

    report = audit()

    assert list_object_ids(copies()) == [OBJECT_ID]
    assert sorted(faults(report)) == [
        ("primary", "inventory-missing", "inventory.json"),
        ("primary", "inventory-missing", "v1/inventory.json"),
    ]
    assert report.objects[0].lost == ["inventory.json"]


def test_audit_command_exit_codes_and_json(stored, capsys):
    call_command("audit", "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["outcome"], out["objects"], out["files"]) == ("success", 1, 2)

    (stored / PAGE_1).unlink()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "--object", OBJECT_ID)
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "Fixity audit failed for 1 of 1 object(s); run `disan repair` to restore "
        "them from intact copies."
    )
    text = capsys.readouterr().out
    assert f"  [primary] missing {PAGE_1}: expected " in text
    assert f"  LOST {PAGE_1}" in text
