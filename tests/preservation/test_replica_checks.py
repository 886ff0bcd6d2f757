"""What a new user of replicas, audit and repair ran into, kept fixed.

Object names given to --object, replica settings that are checked before
anything is written, and what the commands print.
"""

import io
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
    assert list(ObjectFixity.objects.values_list("object_id", flat=True)) == [OBJECT_ID]
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

    assert list(ObjectFixity.objects.values_list("object_id", flat=True)) == [OBJECT_ID]


# --- C, F: replica folders are checked before anything is written ---------


def refusal(command="audit"):
    with pytest.raises(CommandError) as raised:
        call_command(command)
    assert raised.value.returncode == 2
    return str(raised.value)


def test_a_replica_inside_the_primary_is_refused(stored, settings, store):
    settings.DISAN_REPLICAS = [str(store.root / "sub")]

    assert "lies inside or contains the primary storage root" in refusal("repair")
    assert not (store.root / "sub").exists()


def test_the_primary_spelled_differently_is_refused(stored, settings, store):
    settings.DISAN_REPLICAS = [f"{store.root}/../{store.root.name}"]

    assert "is the primary storage root" in refusal()


def test_a_replica_containing_the_primary_is_refused(stored, settings, store):
    settings.DISAN_REPLICAS = [str(store.root.parent)]

    assert "lies inside or contains the primary storage root" in refusal()


def test_two_nested_replica_folders_are_refused(stored, settings, replica_root):
    settings.DISAN_REPLICAS = [str(replica_root), str(replica_root / "x")]

    assert f"lies inside or contains the replica {replica_root}" in refusal()


def test_a_replica_through_a_symbolic_link_to_the_primary_is_refused(
    stored, settings, store, tmp_path
):
    (tmp_path / "link").symlink_to(store.root)
    settings.DISAN_REPLICAS = [str(tmp_path / "link")]

    assert "is the primary storage root" in refusal()


def test_a_missing_replica_folder_is_not_created(stored, settings, tmp_path):
    missing = tmp_path / "mnt" / "dia-2"
    settings.DISAN_REPLICAS = [str(missing)]

    message = refusal("repair")

    assert f"The replica folder {missing} does not exist" in message
    assert "create the empty folder, then run `disan repair`" in message
    assert not missing.exists()
    assert "does not exist" in refusal("audit")


def test_replication_to_a_missing_folder_is_a_failed_event(
    stored, settings, store, source, tmp_path
):
    from disan.preservation.models import PreservationEvent

    missing = tmp_path / "mnt" / "dia-2"
    settings.DISAN_REPLICAS = [str(missing)]

    (result,) = replicate(OBJECT_ID)

    assert not missing.exists()
    assert "does not exist" in result.error
    event = PreservationEvent.objects.filter(event_type="replication").last()
    assert (event.outcome, event.data["replica"]) == ("failure", str(missing))


def test_a_new_replica_starts_as_an_empty_folder_filled_by_repair(
    stored, settings, tmp_path
):
    new = tmp_path / "dia-3"
    new.mkdir()
    settings.DISAN_REPLICAS = [settings.DISAN_REPLICAS[0], str(new)]

    call_command("repair")

    assert (new / "0=ocfl_1.1").is_file()
    assert audit().ok


@pytest.mark.parametrize("value", ["ocfl-copy", "./ocfl", "../ocfl"])
def test_relative_replica_paths_are_refused(stored, settings, value, tmp_path):
    settings.DISAN_REPLICAS = [value]

    assert f"relative path {value!r}" in refusal()


@pytest.mark.parametrize(
    "value", ["s3:/disan-ban-sao/ocfl", "s3:disan-ban-sao", "S3:/b/p", "file:///mnt/x"]
)
def test_urls_that_are_not_s3_are_refused(
    stored, settings, value, monkeypatch, tmp_path
):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    settings.DISAN_REPLICAS = [value]

    assert "looks like a URL but is not s3://bucket/prefix" in refusal()
    assert list(cwd.iterdir()) == []


def test_a_folder_that_is_not_a_storage_root_is_a_configuration_error(
    stored, settings, tmp_path, capsys
):
    other = tmp_path / "ảnh"
    other.mkdir()
    (other / "notes.txt").write_text("không phải kho")
    settings.DISAN_REPLICAS = [str(other)]

    message = refusal("repair")

    assert "point DISAN_REPLICAS at an empty folder" in message
    assert "DISAN_OCFL_ROOT" not in message
    assert "backup" not in message
    assert capsys.readouterr().out == ""
    assert (other / "notes.txt").read_text() == "không phải kho"


# --- D: credentials in a replica URL are never shown -----------------------


@pytest.mark.parametrize(
    "value",
    [
        "s3://AKIA:secret@disan-ban-sao/ocfl",
        "s3://AKIA:se/cret@disan-ban-sao/ocfl",
        "ftp://AKIA:secret@example.vn/ocfl",
    ],
)
def test_credentials_in_a_replica_url_are_redacted(stored, settings, value):
    settings.DISAN_REPLICAS = [value]

    message = refusal()

    assert "secret" not in message and "cret" not in message
    assert "AKIA" not in message
    assert "***@" in message


# Credentials in the endpoint URL are refused and never shown; so is a query.


@pytest.mark.parametrize(
    "endpoint",
    ["http://minio:EndpointPW@127.0.0.1:1", "http://u:EndpointPW@127.0.0.1:1/"],
)
def test_credentials_in_the_endpoint_url_are_refused_unseen(
    stored, settings, caplog, endpoint
):
    from disan.preservation.models import PreservationEvent

    settings.DISAN_REPLICAS = ["s3://disan-rep/ocfl"]
    settings.DISAN_S3_ENDPOINT_URL = endpoint

    message = refusal()

    assert "EndpointPW" not in message and "minio" not in message
    assert "***@127.0.0.1:1" in message
    assert "AWS_ACCESS_KEY_ID" in message
    # Replication records the failure with the same discretion.
    (result,) = replicate(OBJECT_ID)
    assert "EndpointPW" not in result.error
    event = PreservationEvent.objects.filter(outcome="failure").latest("pk")
    assert "EndpointPW" not in event.detail and "EndpointPW" not in str(event.data)
    assert "EndpointPW" not in caplog.text


def test_a_query_in_a_replica_url_is_not_echoed(stored, settings):
    settings.DISAN_REPLICAS = ["s3://disan-rep/ocfl?x=S3cret"]

    message = refusal()

    assert "S3cret" not in message
    assert "s3://disan-rep/ocfl?***" in message


def test_a_query_in_the_endpoint_url_is_not_echoed(stored, settings):
    settings.DISAN_REPLICAS = ["s3://disan-rep/ocfl"]
    settings.DISAN_S3_ENDPOINT_URL = "http://127.0.0.1:1/?token=S3cret"

    message = refusal()

    assert "S3cret" not in message
    assert "http://127.0.0.1:1/?***" in message


# --- E: each S3 number setting is checked and named -----------------------

ATTEMPTS = "a whole number of attempts from 1 to 20"


@pytest.mark.parametrize(
    "name, value, wanted",
    [
        ("DISAN_S3_MAX_ATTEMPTS", "abc", ATTEMPTS),
        ("DISAN_S3_MAX_ATTEMPTS", "0", ATTEMPTS),
        ("DISAN_S3_MAX_ATTEMPTS", "2.5", ATTEMPTS),
        ("DISAN_S3_MAX_ATTEMPTS", "21", ATTEMPTS),
        ("DISAN_S3_MAX_ATTEMPTS", "99999999999999999999", ATTEMPTS),
        ("DISAN_S3_CONNECT_TIMEOUT", "-1", "a number of seconds above 0"),
        ("DISAN_S3_READ_TIMEOUT", "nan", "a number of seconds above 0"),
        ("DISAN_S3_READ_TIMEOUT", "inf", "a number of seconds above 0"),
    ],
)
def test_bad_s3_numbers_are_named(stored, settings, name, value, wanted):
    settings.DISAN_REPLICAS = ["s3://disan-ban-sao/ocfl"]
    settings.DISAN_S3_ENDPOINT_URL = "http://127.0.0.1:9"
    setattr(settings, name, value)

    message = refusal()

    assert message == (
        f"{name} is {value!r}; give {wanted}, or leave it unset for the default."
    )


def test_a_bad_s3_number_does_not_stop_django_from_starting(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DISAN_HOME": str(tmp_path),
        "DISAN_S3_MAX_ATTEMPTS": "abc",
        "DISAN_S3_CONNECT_TIMEOUT": "-1",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import disan.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --- B: a folder replica never destroys bytes Disan did not write ---------


def test_a_file_added_by_hand_survives_a_new_version(
    stored, store, source, replica_root, settings
):
    _primary, replica = stored
    (replica / "v2/content").mkdir(parents=True)
    (replica / "v2/content/keepme.txt").write_bytes(b"ghi tay")

    store.put(
        OBJECT_ID,
        [(source("q.tif", PAGE_BYTES + b"!"), "trang.tif")],
        message="Quét lại",
        agent="Trần Văn Đức",
    )
    (result,) = replicate(OBJECT_ID)

    assert (result.changed, result.error) == (True, "")
    assert (replica / "v2/content/keepme.txt").read_bytes() == b"ghi tay"
    assert (replica / "v2/content/trang.tif").read_bytes() == PAGE_BYTES + b"!"
    codes = [(f.code, f.path) for c in audit().objects[0].copies for f in c.faults]
    assert codes == [("unexpected", "v2/content/keepme.txt")]

    call_command("repair")

    assert not (replica / "v2/content/keepme.txt").exists()
    (kept,) = (settings.DISAN_HOME / "quarantine").rglob("keepme.txt")
    assert kept.read_bytes() == b"ghi tay"
    assert audit().ok


def test_other_bytes_where_a_new_file_goes_stop_the_copy(stored, store, source):
    _primary, replica = stored
    (replica / "v2/content").mkdir(parents=True)
    (replica / "v2/content/trang.tif").write_bytes(b"ban khac")
    before = (replica / "inventory.json").read_bytes()

    store.put(
        OBJECT_ID,
        [(source("q.tif", PAGE_BYTES + b"!"), "trang.tif")],
        message="Quét lại",
        agent="Trần Văn Đức",
    )
    (result,) = replicate(OBJECT_ID)

    assert "it was not overwritten" in result.error
    assert (replica / "v2/content/trang.tif").read_bytes() == b"ban khac"
    assert (replica / "inventory.json").read_bytes() == before


# --- H: no noise, and no fault shown twice on a terminal -------------------


def test_libraries_print_no_info_lines(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import logging, django; django.setup()\n"
        "import disan.preservation.storage\n"
        "logging.getLogger('botocore.credentials').info('Found credentials')\n"
        "logging.info('Storage root layout is 0003')\n"
    )
    env = {
        **os.environ,
        "DISAN_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "disan.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("command", ["audit", "repair"])
def test_faults_are_not_logged_again_on_the_terminal_they_are_printed_on(
    stored, monkeypatch, command
):
    import logging
    import sys

    primary, replica = stored
    (primary / PAGE).write_bytes(b"hong")
    (replica / PAGE).write_bytes(b"hong")
    records = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append
    names = ("disan.preservation.audit", "disan.preservation.alerts")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    try:
        monkeypatch.setattr(sys, "stderr", Terminal())
        out = Terminal()
        with pytest.raises(CommandError):
            call_command(command, stdout=out)
        assert "LOST" in out.getvalue()
        assert records == []

        # Output to a file: the log on the terminal is all that is seen there.
        with pytest.raises(CommandError):
            call_command(command, stdout=io.StringIO())
        assert {record.name for record in records} == set(names)
    finally:
        for name in names:
            logging.getLogger(name).removeHandler(handler)


def test_a_failed_repair_names_the_object_and_asks_for_no_backup(
    stored, monkeypatch, capsys, replica_root
):
    from disan.preservation import repair as repair_module
    from disan.preservation.exceptions import StorageError

    _primary, replica = stored
    (replica / PAGE).unlink()

    def refuse(*args, **kwargs):
        raise StorageError("the disk is read-only")

    monkeypatch.setattr(repair_module, "install_copy", refuse)

    with pytest.raises(CommandError) as raised:
        call_command("repair")

    assert capsys.readouterr().out == (
        f"{OBJECT_ID} [{replica_root}] (object): failed the disk is read-only\n"
    )
    assert raised.value.returncode == 1
    assert "backup" not in str(raised.value)
    assert "1 repair(s) failed" in str(raised.value)


def test_a_replica_setting_refused_at_replication_is_a_failed_event(stored, settings):
    from disan.preservation.models import PreservationEvent

    settings.DISAN_REPLICAS = ["ocfl-copy"]

    (result,) = replicate(OBJECT_ID)

    assert "relative path 'ocfl-copy'" in result.error
    event = PreservationEvent.objects.filter(event_type="replication").last()
    assert (event.outcome, event.data["replica"]) == ("failure", "ocfl-copy")


def test_a_malformed_entry_does_not_stop_the_valid_replicas(
    stored, settings, store, source, replica_root, tmp_path
):
    from disan.preservation.models import PreservationEvent

    second = tmp_path / "bản sao 2"
    second.mkdir()
    settings.DISAN_REPLICAS = [str(replica_root), "s3:/bad", str(second)]
    store.update(
        OBJECT_ID,
        [(source("q.tif", b"trang hai"), "trang-2.tif")],
        message="Thêm trang",
        agent="Trần Văn Đức",
    )

    results = replicate(OBJECT_ID)

    assert [(r.copy, r.changed, bool(r.error)) for r in results] == [
        (str(replica_root), True, False),
        ("s3:/bad", False, True),
        (str(second), True, False),
    ]
    assert "looks like a URL" in results[1].error
    head = (store.object_dir(OBJECT_ID) / "inventory.json").read_bytes()
    for root in (replica_root, second):
        copy = OCFLStore(root).object_dir(OBJECT_ID)
        assert (copy / "inventory.json").read_bytes() == head
    failed = PreservationEvent.objects.get(event_type="replication", outcome="failure")
    assert failed.data["replica"] == "s3:/bad"
    assert "s3:/bad" in failed.detail
    # The audit still stops at once on the bad setting.
    assert "looks like a URL" in refusal()


# --- J: repair prints every file it writes ---------------------------------


def _files(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_repair_prints_every_file_it_writes(
    stored, settings, store, source, replica_root, capsys
):
    _primary, replica = stored
    settings.DISAN_REPLICAS = []
    for number in (2, 3):
        store.update(
            OBJECT_ID,
            [(source(f"p{number}.tif", b"trang %d" % number), f"trang-{number}.tif")],
            message=f"Thêm trang {number}",
            agent="Trần Văn Đức",
        )
    settings.DISAN_REPLICAS = [str(replica_root)]
    before = _files(replica)

    call_command("repair")

    after = _files(replica)
    written = {path for path, data in after.items() if before.get(path) != data}
    assert {
        "v2/inventory.json",
        "v3/inventory.json",
        "v2/inventory.json.sha256",
        "inventory.json",
        "inventory.json.sha256",
    } <= written
    printed = {
        line.split("] ", 1)[1].split(": ", 1)[0]
        for line in capsys.readouterr().out.splitlines()
    }
    assert written <= printed
