"""Replicas in an S3-compatible bucket: written, audited and repaired.

Every test talks to a real S3 API (moto's server on 127.0.0.1) through the
same boto3 calls production makes.
"""

import hashlib
import io
import json
from pathlib import Path

import ocfl
import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from disan.catalog.models import HeritageDocument
from disan.preservation.audit import audit
from disan.preservation.exceptions import (
    ReplicaConfigurationError,
    ReplicaUnavailable,
)
from disan.preservation.models import ObjectFixity, PreservationEvent
from disan.preservation.repair import repair
from disan.preservation.replicas import copies, replica_stores, replicate
from disan.preservation.storage.s3 import S3Store

from .conftest import assert_root_valid

pytestmark = pytest.mark.django_db

OBJECT_ID = "HN-VM-003 Đại Việt sử ký"
PAGE = "v1/content/trang đầu.tif"
PAGE_BYTES = bytes(range(256)) * 40
PREFIX = "lưu trữ/ocfl"


@pytest.fixture
def replica(s3_bucket, settings):
    """DISAN_REPLICAS names a prefix of the test bucket; return helpers."""
    client, bucket = s3_bucket
    url = f"s3://{bucket}/{PREFIX}"
    settings.DISAN_REPLICAS = [url]
    return Bucket(client, bucket, url)


class Bucket:
    """Direct access to the test bucket, behind Disan's back."""

    def __init__(self, client, name, url):
        self.client, self.name, self.url = client, name, url

    def key(self, relative):
        return f"{PREFIX}/{relative}"

    def keys(self):
        answer = self.client.list_objects_v2(Bucket=self.name)
        return sorted(
            item["Key"].removeprefix(PREFIX + "/")
            for item in answer.get("Contents", ())
        )

    def get(self, relative):
        answer = self.client.get_object(Bucket=self.name, Key=self.key(relative))
        return answer["Body"].read()

    def put(self, relative, data):
        self.client.put_object(Bucket=self.name, Key=self.key(relative), Body=data)

    def delete(self, relative):
        self.client.delete_object(Bucket=self.name, Key=self.key(relative))

    def download(self, folder):
        for relative in self.keys():
            path = Path(folder) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.get(relative))


@pytest.fixture
def stored(store, source, replica):
    """One object in the primary, replicated; return its folder name."""
    store.put(
        OBJECT_ID,
        [(source("p.tif", PAGE_BYTES), "trang đầu.tif")],
        message="Nhập kho",
        agent="Trần Văn Đức",
    )
    results = replicate(OBJECT_ID)
    assert [(r.copy, r.changed, r.error) for r in results] == [(replica.url, True, "")]
    return store.object_dir(OBJECT_ID).relative_to(store.root).as_posix()


def faults(report):
    return [
        (copy.label, fault.code, fault.path)
        for result in report.objects
        for copy in result.copies
        for fault in copy.faults
    ]


def local_files(folder):
    return sorted(
        p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file()
    )


# --- Writing -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ingest_writes_a_valid_storage_root_into_the_bucket(
    replica, settings, tmp_path, monkeypatch
):
    from tests.ingest.test_batches import run_batch

    folder = tmp_path / "lô" / "Hồng Đức bản đồ"
    folder.mkdir(parents=True)
    Image.new("RGB", (48, 32), (200, 180, 150)).save(folder / "tờ 1.png")

    run_batch(folder.parent, monkeypatch)

    document = HeritageDocument.objects.get()
    primary = Path(settings.DISAN_OCFL_ROOT)
    assert replica.keys() == local_files(primary)
    for relative in local_files(primary):
        assert replica.get(relative) == (primary / relative).read_bytes()
    event = PreservationEvent.objects.get(document=document, event_type="replication")
    assert (event.outcome, event.data["replica"], event.data["version"]) == (
        "success",
        replica.url,
        "v1",
    )
    # Synced to a disk, the bucket's tree is a valid OCFL storage root.
    replica.download(tmp_path / "synced")
    assert_root_valid(tmp_path / "synced", 1)
    report = audit()
    assert report.ok is True
    assert [copy.label for copy in report.objects[0].copies] == ["primary", replica.url]
    assert [copy.files for copy in report.objects[0].copies] == [2, 2]


def test_a_new_version_uploads_only_new_files_and_the_inventory_last(
    stored, store, source, replica, monkeypatch
):
    uploaded = []
    real_put = S3Store.put

    def spy(self, relative, reader):
        uploaded.append(relative.removeprefix(stored + "/"))
        return real_put(self, relative, reader)

    monkeypatch.setattr(S3Store, "put", spy)
    # Larger than boto3's multipart threshold (8 MiB): sent in parts.
    big = bytes(range(251)) * (9 * 1024 * 1024 // 251)
    store.put(
        OBJECT_ID,
        [
            (source("p.tif", PAGE_BYTES), "trang đầu.tif"),
            (source("q.tif", big), "phụ lục/bản đồ.tif"),
        ],
        message="Bổ sung",
        agent="Trần Văn Đức",
    )

    assert [r.changed for r in replicate(OBJECT_ID)] == [True]
    assert uploaded == [
        "v2/content/phụ lục/bản đồ.tif",
        "v2/inventory.json",
        "v2/inventory.json.sha256",
        "inventory.json",
        "inventory.json.sha256",
    ]
    assert replica.get(f"{stored}/v2/content/phụ lục/bản đồ.tif") == big

    uploaded.clear()
    assert [r.changed for r in replicate(OBJECT_ID)] == [False]
    assert uploaded == []
    assert audit().ok is True


@pytest.mark.parametrize(
    ("stop_at", "faults_left"),
    [
        # Before the root inventory: the bucket still holds a whole v1.
        (
            "inventory.json",
            [
                ("out-of-date", "inventory.json"),
                ("unexpected", "v2/content/trang đầu.tif"),
                ("unexpected", "v2/inventory.json"),
                ("unexpected", "v2/inventory.json.sha256"),
            ],
        ),
        # Between the root inventory and its sidecar.
        ("inventory.json.sha256", [("inventory-digest-mismatch", "inventory.json")]),
    ],
)
def test_a_replication_cut_short_never_names_missing_content(
    stored, store, source, replica, monkeypatch, stop_at, faults_left
):
    real_put = S3Store.put

    def cut(self, relative, reader):
        if relative.endswith(f"{stored}/{stop_at}"):
            raise ReplicaUnavailable("Connection lost")
        return real_put(self, relative, reader)

    monkeypatch.setattr(S3Store, "put", cut)
    store.put(
        OBJECT_ID,
        [(source("p2.tif", PAGE_BYTES + b"!"), "trang đầu.tif")],
        message="Quét lại",
        agent="Trần Văn Đức",
    )
    (result,) = replicate(OBJECT_ID)
    assert result.error == "Connection lost"

    # Every content path any inventory in the bucket names is there.
    for relative in replica.keys():
        if relative.endswith("inventory.json"):
            data = json.loads(replica.get(relative))
            for paths in data["manifest"].values():
                assert all(f"{stored}/{path}" in replica.keys() for path in paths)
    report = audit()
    assert faults(report) == [(replica.url, code, path) for code, path in faults_left]

    monkeypatch.undo()
    assert [r.changed for r in replicate(OBJECT_ID)] == [True]
    assert audit().ok is True


def test_a_different_file_in_the_way_is_not_overwritten(stored, store, source, replica):
    intruder = f"{stored}/v2/content/trang đầu.tif"
    replica.put(intruder, b"khong phai ban goc")
    v1_inventory = replica.get(f"{stored}/inventory.json")
    store.put(
        OBJECT_ID,
        [(source("p2.tif", PAGE_BYTES + b"!"), "trang đầu.tif")],
        message="Quét lại",
        agent="Trần Văn Đức",
    )

    (result,) = replicate(OBJECT_ID)

    assert result.changed is False
    assert result.error.startswith(
        f"{replica.url}/{intruder} already holds other bytes (18 bytes, "
    )
    assert result.error.endswith(
        "; it was not overwritten. Run `disan audit`, then `disan repair` to set "
        "it aside."
    )
    assert replica.get(intruder) == b"khong phai ban goc"
    assert replica.get(f"{stored}/inventory.json") == v1_inventory
    event = PreservationEvent.objects.get(event_type="replication", outcome="failure")
    assert event.data["error"] == result.error

    # Repair sets the stranger aside and brings the bucket to v2.
    assert repair().ok is True
    assert replica.get(intruder) == PAGE_BYTES + b"!"
    assert audit().ok is True


def test_a_prefix_holding_other_files_is_refused(store, source, replica):
    replica.put("bao-cao.xlsx", b"PK\x03\x04")
    store.put(
        OBJECT_ID,
        [(source("p.tif", PAGE_BYTES), "trang đầu.tif")],
        message="Nhập kho",
        agent="Trần Văn Đức",
    )

    (result,) = replicate(OBJECT_ID)

    assert result.error == (
        f"{replica.url} is not empty and is not an OCFL storage root (it holds "
        "'bao-cao.xlsx' and no 0=ocfl_1.1); give the replica an empty prefix in "
        "DISAN_REPLICAS."
    )
    assert replica.keys() == ["bao-cao.xlsx"]


# --- Audit -------------------------------------------------------------


def _flip(data):
    damaged = bytearray(data)
    damaged[100] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("changed", [("changed", PAGE)]),
        ("truncated", [("truncated", PAGE)]),
        ("missing", [("missing", PAGE)]),
        ("unexpected", [("unexpected", "v1/content/thừa.txt")]),
        ("nfd-name", [("unexpected", "v1/content/trang \u0111a\u0302\u0300u.tif")]),
        ("inventory-damaged", [("inventory-damaged", "inventory.json")]),
        ("inventory-missing", [("inventory-missing", "inventory.json")]),
        ("sidecar-missing", [("sidecar-missing", "inventory.json.sha256")]),
        ("sidecar-wrong", [("inventory-digest-mismatch", "inventory.json")]),
        ("version-inventory", [("inventory-damaged", "v1/inventory.json")]),
        ("declaration", [("declaration-missing", "0=ocfl_object_1.1")]),
        ("object", [("object-missing", "")]),
    ],
)
def test_audit_names_each_fault_in_the_bucket(stored, replica, damage, expected):
    page = f"{stored}/{PAGE}"
    if damage == "changed":
        replica.put(page, _flip(PAGE_BYTES))
    elif damage == "truncated":
        replica.put(page, PAGE_BYTES[:1000])
    elif damage == "missing":
        replica.delete(page)
    elif damage == "unexpected":
        replica.put(f"{stored}/v1/content/thừa.txt", b"lac")
    elif damage == "nfd-name":
        replica.put(f"{stored}/v1/content/trang \u0111a\u0302\u0300u.tif", b"x")
    elif damage == "inventory-damaged":
        replica.put(f"{stored}/inventory.json", b"{ hong")
    elif damage == "inventory-missing":
        replica.delete(f"{stored}/inventory.json")
    elif damage == "sidecar-missing":
        replica.delete(f"{stored}/inventory.json.sha256")
    elif damage == "sidecar-wrong":
        replica.put(f"{stored}/inventory.json.sha256", b"0" * 64 + b" inventory.json\n")
    elif damage == "version-inventory":
        replica.put(f"{stored}/v1/inventory.json", b"[]")
    elif damage == "declaration":
        replica.delete(f"{stored}/0=ocfl_object_1.1")
    elif damage == "object":
        for relative in replica.keys():
            if relative.startswith(stored + "/"):
                replica.delete(relative)
    # "folder/" placeholders made by other tools are not files.
    replica.put(f"{stored}/v1/content/", b"")

    report = audit()

    assert faults(report) == [(replica.url, code, path) for code, path in expected]
    assert report.objects[0].lost == []
    row = ObjectFixity.objects.get()
    assert (row.outcome, row.fault_count) == ("failure", 1)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda data: data["manifest"].update({"0" * 64: ["v1/../../thoát.txt"]}),
            "manifest path 'v1/../../thoát.txt' is not a file of a version folder",
        ),
        (
            lambda data: data["manifest"].update({"0" * 64: ["/etc/passwd"]}),
            "manifest path '/etc/passwd' is not a file of a version folder",
        ),
        (
            lambda data: data["manifest"].update({"0" * 64: [7]}),
            "manifest path 7 is not a file of a version folder",
        ),
        (lambda data: data.update(head=["v1"]), "no versions or no head"),
        (
            lambda data: data["versions"].update({"../v2": {}}),
            "a version is not named v1, v2...",
        ),
    ],
)
def test_a_hostile_inventory_with_a_good_sidecar_is_damaged(
    stored, replica, change, problem
):
    data = json.loads(replica.get(f"{stored}/inventory.json"))
    change(data)
    raw = json.dumps(data).encode()
    replica.put(f"{stored}/inventory.json", raw)
    sidecar = hashlib.sha256(raw).hexdigest() + " inventory.json\n"
    replica.put(f"{stored}/inventory.json.sha256", sidecar.encode())

    (result,) = audit().objects

    assert [(f.code, f.path, f.detail) for f in result.copies[1].faults] == [
        ("inventory-damaged", "inventory.json", problem)
    ]
    # Repair puts the primary's inventory back; nothing is written elsewhere.
    assert repair().ok is True
    assert replica.get(f"{stored}/inventory.json") == (
        replica.get(f"{stored}/v1/inventory.json")
    )
    assert not any("thoát" in key or "passwd" in key for key in replica.keys())


def test_audit_rehashes_a_changed_file_even_with_the_same_size(stored, replica):
    replica.put(f"{stored}/{PAGE}", _flip(PAGE_BYTES))

    (result,) = audit().objects
    (fault,) = result.copies[1].faults

    assert fault.detail == (
        f"digest {hashlib.sha256(_flip(PAGE_BYTES)).hexdigest()}, expected "
        f"{hashlib.sha256(PAGE_BYTES).hexdigest()} ({len(PAGE_BYTES)} bytes)"
    )


def test_sha512_objects_are_hashed_with_sha512(store, source, replica, tmp_path):
    # Disan writes SHA-256, but a storage root may hold objects from elsewhere.
    store.put("khác", [(source("k.txt", b"k"), "k.txt")], message="m", agent="a")
    content = tmp_path / "nguồn"
    content.mkdir()
    (content / "sac-phong.txt").write_bytes(PAGE_BYTES)
    store.object_dir(OBJECT_ID).mkdir(parents=True)
    ocfl.Object(identifier=OBJECT_ID, spec_version="1.1").create(
        srcdir=str(content),
        metadata=ocfl.VersionMetadata(message="Nhập kho", name="Trần Văn Đức"),
        objdir=str(store.object_dir(OBJECT_ID)),
    )
    (result,) = replicate(OBJECT_ID)
    assert result.error == ""
    relative = store.object_dir(OBJECT_ID).relative_to(store.root).as_posix()
    assert f"{relative}/inventory.json.sha512" in replica.keys()
    assert audit([OBJECT_ID]).ok is True

    replica.put(f"{relative}/v1/content/sac-phong.txt", _flip(PAGE_BYTES))
    (fault,) = audit([OBJECT_ID]).objects[0].copies[1].faults

    assert (fault.code, fault.path) == ("changed", "v1/content/sac-phong.txt")
    assert fault.detail.startswith(
        f"digest {hashlib.sha512(_flip(PAGE_BYTES)).hexdigest()}, expected "
        f"{hashlib.sha512(PAGE_BYTES).hexdigest()}"
    )


def test_objects_only_the_bucket_holds_are_audited(stored, store, replica):
    # The primary lost the object and the ledger forgot it.
    store_dir = store.object_dir(OBJECT_ID)
    for path in sorted(store_dir.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    store_dir.rmdir()
    ObjectFixity.objects.all().delete()

    report = audit()

    assert [result.object_id for result in report.objects] == [OBJECT_ID]
    assert faults(report) == [("primary", "object-missing", "")]


# --- Repair ------------------------------------------------------------


def test_repair_restores_the_bucket_from_the_primary(stored, replica, settings):
    page = f"{stored}/{PAGE}"
    replica.put(page, _flip(PAGE_BYTES))
    replica.put(f"{stored}/v1/content/thừa.txt", b"lac")
    replica.put(f"{stored}/inventory.json", b"{ hong")

    report = repair()

    assert report.ok is True
    assert sorted((a.copy, a.path, a.action) for a in report.actions) == [
        (replica.url, "inventory.json", "quarantined"),
        (replica.url, "inventory.json", "restored"),
        (replica.url, "inventory.json.sha256", "quarantined"),
        (replica.url, "inventory.json.sha256", "restored"),
        (replica.url, "v1/content/thừa.txt", "quarantined"),
        (replica.url, PAGE, "quarantined"),
        (replica.url, PAGE, "restored"),
    ]
    assert replica.get(page) == PAGE_BYTES
    assert f"{stored}/v1/content/thừa.txt" not in replica.keys()
    (stamp,) = (settings.DISAN_HOME / "quarantine").iterdir()
    (copy_folder,) = stamp.iterdir()
    assert copy_folder.name == f"s3_{replica.name}_lưu_trữ_ocfl"
    (object_folder,) = copy_folder.iterdir()
    kept = {
        path.relative_to(object_folder).as_posix(): path.read_bytes()
        for path in object_folder.rglob("*")
        if path.is_file()
    }
    assert kept == {
        "inventory.json": b"{ hong",
        "inventory.json.sha256": replica.get(f"{stored}/inventory.json.sha256"),
        "v1/content/thừa.txt": b"lac",
        PAGE: _flip(PAGE_BYTES),
    }
    restored = PreservationEvent.objects.get(
        event_type="replication",
        file_path=PAGE,
        data__repair=True,
        data__source="primary",
    )
    assert restored.detail == (
        f"Repair: restored in copy {replica.url} from primary; digest verified "
        "after writing."
    )
    assert audit().ok is True


def test_repair_restores_the_primary_from_the_bucket(stored, store, replica):
    primary = store.object_dir(OBJECT_ID)
    (primary / PAGE).write_bytes(PAGE_BYTES[:10])

    report = repair()

    assert report.ok is True
    assert sorted((a.copy, a.path, a.action, a.detail) for a in report.actions)[1] == (
        "primary",
        PAGE,
        "restored",
        f"from {replica.url}",
    )
    assert (primary / PAGE).read_bytes() == PAGE_BYTES
    assert audit().ok is True


def test_repair_rebuilds_a_lost_primary_object_from_the_bucket(stored, store, replica):
    store_dir = store.object_dir(OBJECT_ID)
    for path in sorted(store_dir.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    store_dir.rmdir()

    call_command("repair")

    assert local_files(store_dir) == sorted(
        relative.removeprefix(stored + "/")
        for relative in replica.keys()
        if relative.startswith(stored + "/")
    )
    assert (store_dir / PAGE).read_bytes() == PAGE_BYTES
    assert_root_valid(store.root, 1)


def test_a_file_bad_in_every_copy_is_lost_and_left_alone(stored, store, replica):
    (store.object_dir(OBJECT_ID) / PAGE).write_bytes(b"hong")
    replica.put(f"{stored}/{PAGE}", b"cung hong")

    with pytest.raises(CommandError) as raised:
        call_command("repair", "--object", OBJECT_ID)

    assert raised.value.returncode == 1
    assert str(raised.value).startswith("1 file(s) lost in every copy")
    assert replica.get(f"{stored}/{PAGE}") == b"cung hong"
    assert (store.object_dir(OBJECT_ID) / PAGE).read_bytes() == b"hong"
    assert ObjectFixity.objects.get().lost == [PAGE]
    event = PreservationEvent.objects.get(data__lost=True)
    assert (event.outcome, event.file_path) == ("failure", PAGE)


# --- Configuration -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "s3://",
            "DISAN_REPLICAS names 's3://', whose bucket '' is not a valid bucket "
            "name (3 to 63 lower-case letters, digits, '.' or '-'); write "
            "s3://bucket/prefix, e.g. s3://disan-ban-sao/ocfl.",
        ),
        (
            "s3://Kho_Lưu_Trữ/ocfl",
            "DISAN_REPLICAS names 's3://Kho_Lưu_Trữ/ocfl', whose bucket "
            "'Kho_Lưu_Trữ' is not a valid bucket name (3 to 63 lower-case "
            "letters, digits, '.' or '-'); write s3://bucket/prefix, e.g. "
            "s3://disan-ban-sao/ocfl.",
        ),
        (
            "s3://khoa:bi-mat@kho/ocfl",
            "DISAN_REPLICAS names 's3://***@kho/ocfl': an s3:// replica "
            "is only s3://bucket/prefix, e.g. s3://disan-ban-sao/ocfl, with no "
            "port, credentials, '?' or '#'. The endpoint goes in "
            "DISAN_S3_ENDPOINT_URL, credentials in AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY.",
        ),
        (
            "s3://kho/a//b",
            "DISAN_REPLICAS names 's3://kho/a//b', whose prefix 'a//b' has an "
            "empty, '.', '..' or unprintable part; write it as folder names "
            "joined by single '/'.",
        ),
        (
            "s3://kho/../ocfl",
            "DISAN_REPLICAS names 's3://kho/../ocfl', whose prefix '../ocfl' has "
            "an empty, '.', '..' or unprintable part; write it as folder names "
            "joined by single '/'.",
        ),
        (
            "gs://kho/ocfl",
            "DISAN_REPLICAS names 'gs://kho/ocfl', which looks like a URL but is "
            "not s3://bucket/prefix; a replica is an absolute folder path or "
            "s3://bucket/prefix (an S3-compatible bucket).",
        ),
    ],
)
def test_malformed_s3_urls_are_refused(settings, value, message):
    settings.DISAN_REPLICAS = [value]

    with pytest.raises(ReplicaConfigurationError) as raised:
        replica_stores()

    assert str(raised.value) == message


def test_nested_prefixes_are_refused(settings):
    settings.DISAN_REPLICAS = ["s3://kho-a/ocfl", "s3://kho-a/ocfl/ban-sao"]

    with pytest.raises(ReplicaConfigurationError) as raised:
        replica_stores()

    assert str(raised.value) == (
        "DISAN_REPLICAS names s3://kho-a/ocfl and s3://kho-a/ocfl/ban-sao, and one "
        "lies inside the other; give each replica its own prefix."
    )


def _closed_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_endpoint_is_a_clear_error(stored, settings, replica):
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    settings.DISAN_S3_ENDPOINT_URL = endpoint

    with pytest.raises(CommandError) as raised:
        call_command("audit")

    assert raised.value.returncode == 2
    assert str(raised.value) == (
        f"Replica {replica.url} at {endpoint} could not reach the bucket: Could "
        f'not connect to the endpoint URL: "{endpoint}/{replica.name}". Check '
        "DISAN_S3_ENDPOINT_URL and the network."
    )
    # An ingest is not stopped by it: the failure is recorded.
    (result,) = replicate(OBJECT_ID)
    assert result.error.startswith(f"Replica {replica.url} at {endpoint} could not ")
    event = PreservationEvent.objects.get(event_type="replication", outcome="failure")
    assert event.data["error"] == result.error


def test_a_missing_bucket_is_a_clear_error(s3_bucket, settings):
    settings.DISAN_REPLICAS = ["s3://khong-co-kho/ocfl"]

    with pytest.raises(ReplicaConfigurationError) as raised:
        copies()

    assert str(raised.value) == (
        "Bucket 'khong-co-kho' of replica s3://khong-co-kho/ocfl does not exist at "
        f"{settings.DISAN_S3_ENDPOINT_URL}; create it, or correct DISAN_REPLICAS or "
        "DISAN_S3_ENDPOINT_URL."
    )


def test_a_malformed_endpoint_is_a_clear_error(s3_bucket, settings):
    client, bucket = s3_bucket
    settings.DISAN_REPLICAS = [f"s3://{bucket}/ocfl"]
    settings.DISAN_S3_ENDPOINT_URL = "kho-luu-tru:9000"

    with pytest.raises(ReplicaConfigurationError) as raised:
        copies()

    assert str(raised.value).startswith(
        "DISAN_S3_ENDPOINT_URL 'kho-luu-tru:9000' is not a usable endpoint ("
    )


def test_inventory_json_in_the_bucket_is_what_the_primary_holds(stored, store, replica):
    primary = store.object_dir(OBJECT_ID)
    data = json.loads(replica.get(f"{stored}/inventory.json"))
    assert data["id"] == OBJECT_ID
    assert (
        replica.get(f"{stored}/inventory.json")
        == (primary / "inventory.json").read_bytes()
    )
    assert io.BytesIO(replica.get(f"{stored}/0=ocfl_object_1.1")).read() == (
        b"ocfl_object_1.1\n"
    )


def test_the_periodic_audit_alerts_when_a_bucket_cannot_be_reached(
    stored, settings, replica
):
    from django.core import mail

    from disan.preservation.tasks import periodic_audit

    settings.DISAN_ALERT_EMAILS = ["luu-tru@sovhtt.hanoi.gov.vn"]
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    settings.DISAN_S3_ENDPOINT_URL = endpoint

    assert periodic_audit() == 0

    (message,) = mail.outbox
    assert message.subject == "[Disan] Fixity audit could not run"
    assert message.body.startswith(f"Replica {replica.url} at {endpoint} could not ")


def test_repair_says_it_restored_a_missing_root_inventory_and_sidecar(
    stored, replica, capsys
):
    replica.delete(f"{stored}/inventory.json")
    replica.delete(f"{stored}/inventory.json.sha256")

    call_command("repair")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{OBJECT_ID} [{replica.url}] inventory.json: restored from primary",
        f"{OBJECT_ID} [{replica.url}] inventory.json.sha256: restored from its "
        "inventory",
    ]
    assert audit().ok is True


def test_repair_prints_quarantine_before_restore(stored, replica, capsys):
    page = f"{stored}/{PAGE}"
    replica.put(page, _flip(PAGE_BYTES))

    call_command("repair")

    words = [
        line.split(": ")[1].split()[0] for line in capsys.readouterr().out.splitlines()
    ]
    assert words == ["quarantined", "restored"]
