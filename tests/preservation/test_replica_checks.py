"""What a new user of replicas, audit and repair ran into, kept fixed.

Object names given to --object, replica settings that are checked before
anything is written, and what the commands print.
"""

import uuid

import pytest
from django.core.management import CommandError, call_command

from disan.catalog.models import HeritageDocument
from disan.preservation.audit import audit
from disan.preservation.models import ObjectFixity
from disan.preservation.replicas import replicate
from disan.preservation.storage import OCFLStore

pytestmark = pytest.mark.django_db

DOCUMENT_UUID = uuid.UUID("d27d097c-0713-4c4e-9d2a-6f0c1e2b3a4d")
OBJECT_ID = f"urn:uuid:{DOCUMENT_UUID}"
PAGE = "v1/content/trang.tif"
PAGE_BYTES = bytes(range(256)) * 8


@pytest.fixture
def replica_root(tmp_path, settings):
    root = tmp_path / "bản sao" / "ocfl"
    root.mkdir(parents=True)
    settings.DISAN_REPLICAS = [str(root)]
    return root


@pytest.fixture
def stored(store, source, replica_root):
    """A document stored as one object and replicated to a folder."""
    store.put(
        OBJECT_ID,
        [(source("p.tif", PAGE_BYTES), "trang.tif")],
        message="Nhập kho",
        agent="Trần Văn Đức",
    )
    HeritageDocument.objects.create(
        id=DOCUMENT_UUID,
        identifier="DNNTC-Q1",
        title="Đại Nam nhất thống chí",
        ocfl_object_id=OBJECT_ID,
    )
    replicate(OBJECT_ID)
    return store.object_dir(OBJECT_ID), OCFLStore(replica_root).object_dir(OBJECT_ID)


# --- A: --object takes a document's identifier or uuid, refuses the rest ---


@pytest.mark.parametrize("key", ["DNNTC-Q1", str(DOCUMENT_UUID), OBJECT_ID])
@pytest.mark.parametrize("command", ["audit", "repair"])
def test_object_by_identifier_uuid_or_ocfl_id(stored, capsys, key, command):
    primary, _replica = stored
    (primary / PAGE).write_bytes(b"hong")

    with pytest.raises(CommandError) as raised:
        call_command("audit", "--object", key)
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert f"[primary] truncated {PAGE}" in out
    assert "object-missing" not in out
    if command == "repair":
        call_command("repair", "--object", key)
        assert (primary / PAGE).read_bytes() == PAGE_BYTES


@pytest.mark.parametrize("command", ["audit", "repair"])
@pytest.mark.parametrize("key", ["nope", "d27d097c-0713-4c4e-9d2a-000000000000"])
def test_an_unknown_object_is_refused_and_never_recorded(stored, command, key):
    with pytest.raises(CommandError) as raised:
        call_command(command, "--object", key)

    assert raised.value.returncode == 2
    assert f"No document or stored object is called {key!r}" in str(raised.value)
    assert list(ObjectFixity.objects.values_list("object_id", flat=True)) == [
        OBJECT_ID
    ]
    assert len(audit().objects) == 1


def test_rows_left_by_audits_of_unknown_names_are_not_audited(stored, store):
    # What `audit --object nope` left before it refused unknown names.
    audit(["nope"])
    assert ObjectFixity.objects.count() == 2

    report = audit()

    assert [result.object_id for result in report.objects] == [OBJECT_ID]
    assert report.ok


def test_a_real_object_missing_from_every_copy_is_still_reported(
    stored, store, replica_root
):
    import shutil

    primary, replica = stored
    shutil.rmtree(primary)
    shutil.rmtree(replica)

    report = audit()

    assert [result.object_id for result in report.objects] == [OBJECT_ID]
    codes = [fault.code for copy in report.objects[0].copies for fault in copy.faults]
    assert codes == ["object-missing", "object-missing"]


def test_the_migration_forgets_rows_of_names_never_stored(stored):
    from importlib import import_module

    from django.apps import apps

    audit(["nope"])
    migration = import_module(
        "disan.preservation.migrations.0003_forget_unknown_objects"
    )
    migration.forget(apps, None)

    assert list(ObjectFixity.objects.values_list("object_id", flat=True)) == [
        OBJECT_ID
    ]
