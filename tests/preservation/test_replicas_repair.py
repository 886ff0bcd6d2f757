"""Replicas are written after a put, audited per copy, and repair each other."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from disan.preservation.audit import audit
from disan.preservation.models import ObjectFixity, PreservationEvent
from disan.preservation.repair import repair
from disan.preservation.replicas import replicate
from disan.preservation.storage import OCFLStore

pytestmark = pytest.mark.django_db

OBJECT_ID = "HN-VM-002 Thăng Long tứ trấn"
PAGE = "v1/content/trang đầu.tif"
PAGE_BYTES = bytes(range(256)) * 40


@pytest.fixture
def stored(store, source, replica_root):
    """One object in the primary, replicated; returns (primary, replica) dirs."""
    store.put(
        OBJECT_ID,
        [(source("p.tif", PAGE_BYTES), "trang đầu.tif")],
        message="Nhập kho",
        agent="Trần Văn Đức",
    )
    replicate(OBJECT_ID)
    return store.object_dir(OBJECT_ID), OCFLStore(replica_root).object_dir(OBJECT_ID)


def faults(report):
    return [
        (copy.label, fault.code, fault.path)
        for result in report.objects
        for copy in result.copies
        for fault in copy.faults
    ]


def test_replica_is_a_full_copy_written_after_put(stored, replica_root, store, source):
    primary, replica = stored
    assert (replica / PAGE).read_bytes() == PAGE_BYTES
    assert (replica / "inventory.json").read_bytes() == (
        primary / "inventory.json"
    ).read_bytes()
    event = PreservationEvent.objects.get(event_type="replication")
    assert (event.outcome, event.data["replica"], event.data["version"]) == (
        "success",
        str(replica_root),
        "v1",
    )

    # A second version: the replica follows, and replicating again is a no-op.
    store.put(
        OBJECT_ID,
        [(source("q.tif", PAGE_BYTES + b"!"), "trang đầu.tif")],
        message="Quét lại",
        agent="Trần Văn Đức",
    )
    assert [r.changed for r in replicate(OBJECT_ID)] == [True]
    assert [r.changed for r in replicate(OBJECT_ID)] == [False]
    assert (replica / "v2/content/trang đầu.tif").read_bytes() == PAGE_BYTES + b"!"
    assert (replica / PAGE).stat().st_nlink == 1  # own file, not the primary's
    assert audit().ok is True


def test_audit_reports_each_copy(stored, replica_root):
    primary, replica = stored
    (replica / PAGE).write_bytes(PAGE_BYTES[:1000])

    report = audit()

    assert faults(report) == [(str(replica_root), "truncated", PAGE)]
    labels = [copy.label for copy in report.objects[0].copies]
    assert labels == ["primary", str(replica_root)]
    assert report.objects[0].lost == []


def test_missing_replica_copy_is_reported(store, source, replica_root):
    store.put(
        OBJECT_ID,
        [(source("p.tif", PAGE_BYTES), "trang đầu.tif")],
        message="Nhập kho",
        agent="Trần Văn Đức",
    )

    assert faults(audit()) == [(str(replica_root), "object-missing", "")]


def test_repair_restores_from_replica_with_event_and_quarantine(
    stored, settings, replica_root
):
    primary, replica = stored
    damaged = bytearray(PAGE_BYTES)
    damaged[5] ^= 0xFF
    (primary / PAGE).write_bytes(bytes(damaged))
    (primary / "v1/content/thừa.txt").write_text("lạc")

    report = repair()

    assert report.ok is True
    assert sorted((a.copy, a.path, a.action) for a in report.actions) == [
        ("primary", "v1/content/thừa.txt", "quarantined"),
        ("primary", PAGE, "quarantined"),
        ("primary", PAGE, "restored"),
    ]
    assert (primary / PAGE).read_bytes() == PAGE_BYTES
    assert not (primary / "v1/content/thừa.txt").exists()
    kept = sorted((settings.DISAN_HOME / "quarantine").rglob("*.tif"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == bytes(damaged)
    assert kept[0].parts[-5:] == (
        "primary",
        primary.name,
        "v1",
        "content",
        "trang đầu.tif",
    )
    events = PreservationEvent.objects.filter(
        event_type="replication", file_path=PAGE, data__repair=True
    ).order_by("detail")
    assert [e.detail for e in events] == [
        f"Repair: damaged file of copy primary kept as {kept[0]}.",
        f"Repair: restored in copy primary from {replica_root}; digest verified "
        "after writing.",
    ]
    assert audit().ok is True
    assert ObjectFixity.objects.get().outcome == "success"


def test_lost_when_every_copy_is_bad(stored):
    primary, replica = stored
    (primary / PAGE).write_bytes(b"hong")
    (replica / PAGE).unlink()

    with pytest.raises(CommandError) as raised:
        call_command("repair", "--object", OBJECT_ID)

    assert raised.value.returncode == 1
    assert str(raised.value).startswith("1 file(s) lost in every copy")
    assert (primary / PAGE).read_bytes() == b"hong"  # kept, not overwritten
    assert ObjectFixity.objects.get().lost == [PAGE]


def test_dry_run_changes_nothing(stored, capsys, replica_root):
    primary, replica = stored
    (replica / PAGE).unlink()

    call_command("repair", "--dry-run")

    assert not (replica / PAGE).exists()
    assert capsys.readouterr().out == (
        f"{OBJECT_ID} [{replica_root}] {PAGE}: would be restored from primary\n"
    )


def test_damaged_inventory_is_repaired_from_an_intact_copy(stored):
    primary, replica = stored
    good = (primary / "inventory.json").read_bytes()
    (primary / "inventory.json").write_bytes(b"{ hong")

    call_command("repair")

    assert (primary / "inventory.json").read_bytes() == good
    assert audit().ok is True


def test_failure_sends_mail_to_alert_addresses(stored, settings):
    settings.DISAN_ALERT_EMAILS = ["luu-tru@sovhtt.hanoi.gov.vn"]
    primary, _replica = stored
    (primary / PAGE).unlink()

    audit()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["luu-tru@sovhtt.hanoi.gov.vn"]
    assert message.subject == "[Disan] Fixity audit: 1 object(s) failed"
    assert f"  [primary] missing {PAGE}: expected " in message.body
