"""OCFLStore: versions, unchanged puts, deletions, names, validation."""

import json
import unicodedata

import ocfl
import pytest

from disan.preservation.exceptions import (
    ContentNotFound,
    InvalidPut,
    ObjectNotFound,
    SourceFileError,
    StorageConfigurationError,
)
from disan.preservation.storage import FileEntry, OCFLStore, PutResult, get_store

from .conftest import SHARED, assert_root_valid, tree

ONE = "Trang một".encode()
ONE_SHA = "b6e6b661fc33c61bdd118deee3e5dd95a458326a8563a1cb055ffca90b079953"
TWO = b"Trang hai"
TWO_SHA = "129245b887356442c3858c1d4b4c8cce6fc7b39a797b3cf2de992252cebb04c4"
TWO_FIXED = "Trang hai, bản sửa".encode()
TWO_FIXED_SHA = "21ae99e3dec6c240b0d390b82922b1335cf3f34f3a706439a38595a077bfb528"

OBJECT_ID = "dai-nam-nhat-thong-chi"


def inventory(store, object_id):
    return json.loads((store.object_dir(object_id) / "inventory.json").read_text())


def test_get_store_follows_the_setting_at_call_time(settings, tmp_path):
    first = get_store()
    assert isinstance(first, OCFLStore)
    assert first.root == settings.DISAN_OCFL_ROOT
    assert get_store() is first
    settings.DISAN_OCFL_ROOT = tmp_path / "khác" / "ocfl"
    assert get_store().root == tmp_path / "khác" / "ocfl"


def test_first_put_creates_storage_root_and_v1(store, source, settings):
    pages = [
        (source("p1.txt", ONE), "trang-001.txt"),
        (source("p2", TWO), "trang-002.txt"),
    ]

    result = store.put(OBJECT_ID, pages, message="Nhập lần đầu", agent="Disan 0.1.0")

    assert result == PutResult(
        version="v1",
        changed=True,
        files={
            "trang-001.txt": FileEntry(ONE_SHA, 11, "v1/content/trang-001.txt"),
            "trang-002.txt": FileEntry(TWO_SHA, 9, "v1/content/trang-002.txt"),
        },
    )
    root = settings.DISAN_OCFL_ROOT
    assert sorted(p.name for p in root.iterdir()) == [
        "0=ocfl_1.1",
        "ad6",
        "extensions",
        "ocfl_layout.json",
    ]
    assert json.loads((root / "ocfl_layout.json").read_text())["extension"] == (
        "0003-hash-and-id-n-tuple-storage-layout"
    )
    assert store.object_dir(OBJECT_ID) == root / "ad6/bf8/3fd/dai-nam-nhat-thong-chi"
    data = inventory(store, OBJECT_ID)
    assert data["id"] == OBJECT_ID
    assert data["head"] == "v1"
    assert data["digestAlgorithm"] == "sha256"
    assert data["type"] == "https://ocfl.io/1.1/spec/#inventory"
    assert data["manifest"] == {
        ONE_SHA: ["v1/content/trang-001.txt"],
        TWO_SHA: ["v1/content/trang-002.txt"],
    }
    assert data["versions"]["v1"]["state"] == {
        ONE_SHA: ["trang-001.txt"],
        TWO_SHA: ["trang-002.txt"],
    }
    assert data["versions"]["v1"]["message"] == "Nhập lần đầu"
    assert data["versions"]["v1"]["user"] == {"name": "Disan 0.1.0"}
    assert store.path(OBJECT_ID, "trang-001.txt").read_bytes() == ONE
    assert store.head_version(OBJECT_ID) == "v1"
    assert store.exists(OBJECT_ID) is True
    assert_root_valid(root, 1)


def test_unchanged_put_writes_nothing(store, source, settings):
    store.put(OBJECT_ID, [(source("a", ONE), "trang-001.txt")], message="m", agent="a")
    before = tree(settings.DISAN_OCFL_ROOT)
    inventory_before = (store.object_dir(OBJECT_ID) / "inventory.json").read_bytes()

    # Same bytes from another source file, same logical path.
    result = store.put(
        OBJECT_ID, [(source("b/c", ONE), "trang-001.txt")], message="lại", agent="a"
    )

    assert result == PutResult(
        "v1",
        False,
        {"trang-001.txt": FileEntry(ONE_SHA, 11, "v1/content/trang-001.txt")},
    )
    assert tree(settings.DISAN_OCFL_ROOT) == before
    after = (store.object_dir(OBJECT_ID) / "inventory.json").read_bytes()
    assert after == inventory_before
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_changed_put_adds_v2_with_forward_delta(store, source, settings):
    store.put(
        OBJECT_ID,
        [(source("1", ONE), "trang-001.txt"), (source("2", TWO), "trang-002.txt")],
        message="v1",
        agent="a",
    )

    result = store.put(
        OBJECT_ID,
        [
            (source("1", ONE), "trang-001.txt"),
            (source("3", TWO_FIXED), "trang-002.txt"),
        ],
        message="Sửa trang 2",
        agent="Nguyễn Thị Hương",
    )

    assert result.version == "v2"
    assert result.changed is True
    assert result.files == {
        "trang-001.txt": FileEntry(ONE_SHA, 11, "v1/content/trang-001.txt"),
        "trang-002.txt": FileEntry(TWO_FIXED_SHA, 22, "v2/content/trang-002.txt"),
    }
    data = inventory(store, OBJECT_ID)
    assert data["head"] == "v2"
    assert data["manifest"] == {
        ONE_SHA: ["v1/content/trang-001.txt"],
        TWO_SHA: ["v1/content/trang-002.txt"],
        TWO_FIXED_SHA: ["v2/content/trang-002.txt"],
    }
    assert data["versions"]["v1"]["state"] == {
        ONE_SHA: ["trang-001.txt"],
        TWO_SHA: ["trang-002.txt"],
    }
    assert data["versions"]["v2"]["state"] == {
        ONE_SHA: ["trang-001.txt"],
        TWO_FIXED_SHA: ["trang-002.txt"],
    }
    assert data["versions"]["v2"]["user"] == {"name": "Nguyễn Thị Hương"}
    assert tree(store.object_dir(OBJECT_ID) / "v2") == [
        "content",
        "content/trang-002.txt",
        "inventory.json",
        "inventory.json.sha256",
    ]
    # The copy of v1's inventory in v1/ is untouched.
    v1_data = json.loads(
        (store.object_dir(OBJECT_ID) / "v1" / "inventory.json").read_text()
    )
    assert v1_data["head"] == "v1"
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_update_replaces_one_file_and_keeps_the_others(store, source, settings):
    store.put(
        OBJECT_ID,
        [(source("1", ONE), "trang-001.txt"), (source("2", TWO), "trang-002.txt")],
        message="v1",
        agent="a",
    )

    result = store.update(
        OBJECT_ID,
        [(source("3", TWO_FIXED), "trang-002.txt")],
        message="Sửa trang 2",
        agent="b",
    )
    again = store.update(
        OBJECT_ID,
        [(source("4", TWO_FIXED), "trang-002.txt")],
        message="Sửa lại",
        agent="b",
    )

    assert (result.version, result.changed) == ("v2", True)
    assert result.files == {
        "trang-001.txt": FileEntry(ONE_SHA, 11, "v1/content/trang-001.txt"),
        "trang-002.txt": FileEntry(TWO_FIXED_SHA, 22, "v2/content/trang-002.txt"),
    }
    assert (again.version, again.changed) == ("v2", False)
    assert tree(store.object_dir(OBJECT_ID) / "v2" / "content") == ["trang-002.txt"]
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_update_of_a_missing_object_is_refused(store, source):
    with pytest.raises(ObjectNotFound):
        store.update(
            OBJECT_ID, [(source("1", ONE), "trang-001.txt")], message="m", agent="a"
        )


def test_deleted_file_in_new_version(store, source, settings):
    store.put(
        OBJECT_ID,
        [(source("1", ONE), "trang-001.txt"), (source("2", TWO), "trang-002.txt")],
        message="v1",
        agent="a",
    )

    result = store.put(
        OBJECT_ID,
        [(source("2", TWO), "trang-002.txt")],
        message="Bỏ trang 1",
        agent="a",
    )

    assert result == PutResult(
        "v2", True, {"trang-002.txt": FileEntry(TWO_SHA, 9, "v1/content/trang-002.txt")}
    )
    data = inventory(store, OBJECT_ID)
    assert data["versions"]["v2"]["state"] == {TWO_SHA: ["trang-002.txt"]}
    assert data["manifest"] == {
        ONE_SHA: ["v1/content/trang-001.txt"],
        TWO_SHA: ["v1/content/trang-002.txt"],
    }
    assert tree(store.object_dir(OBJECT_ID) / "v2") == [
        "inventory.json",
        "inventory.json.sha256",
    ]
    with pytest.raises(ContentNotFound) as caught:
        store.path(OBJECT_ID, "trang-001.txt")
    assert str(caught.value) == (
        "Object 'dai-nam-nhat-thong-chi' has no file 'trang-001.txt' in its head "
        "version; list its files with files() to see the logical paths."
    )
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_nfd_logical_path_is_stored_as_one_nfc_file(store, source, settings):
    nfc_name = "Hán Nôm/trang đầu.txt"
    nfd_name = unicodedata.normalize("NFD", nfc_name)
    assert nfd_name != nfc_name

    result = store.put(
        OBJECT_ID, [(source("x", ONE), nfd_name)], message="m", agent="a"
    )

    assert list(result.files) == [nfc_name]
    assert result.files[nfc_name].content_path == "v1/content/" + nfc_name
    content = store.object_dir(OBJECT_ID) / "v1" / "content" / "Hán Nôm"
    assert [p.name for p in content.iterdir()] == ["trang đầu.txt"]
    assert inventory(store, OBJECT_ID)["versions"]["v1"]["state"] == {
        ONE_SHA: [nfc_name]
    }
    assert store.path(OBJECT_ID, nfd_name).read_bytes() == ONE
    # The NFC spelling of the same name is the same state: nothing to write.
    again = store.put(OBJECT_ID, [(source("y", ONE), nfc_name)], message="m", agent="a")
    assert (again.version, again.changed) == ("v1", False)
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_nfc_and_nfd_spellings_in_one_put_are_refused(store, source):
    a = source("a", ONE)
    b = source("b", TWO)
    with pytest.raises(InvalidPut) as caught:
        store.put(
            OBJECT_ID,
            [
                (a, "Đồng Khánh.txt"),
                (b, unicodedata.normalize("NFD", "Đồng Khánh.txt")),
            ],
            message="m",
            agent="a",
        )
    assert str(caught.value) == (
        f"Logical path 'Đồng Khánh.txt' is given twice for object "
        f"'dai-nam-nhat-thong-chi' (from {a} and {b}; NFC and NFD spellings of "
        "one name are the same path); keep one."
    )
    assert store.exists(OBJECT_ID) is False


@pytest.mark.parametrize(
    ("object_id", "folder"),
    [
        (
            "Hà Nội/Văn Miếu 1",
            "1c9/15a/a0d/H%c3%a0%20N%e1%bb%99i%2fV%c4%83n%20Mi%e1%ba%bfu%201",
        ),
        ("sắc phong 𠀧", None),
    ],
)
def test_object_ids_with_vietnamese_spaces_and_slashes(
    store, source, object_id, folder
):
    result = store.put(object_id, [(source("x", TWO), "a.txt")], message="m", agent="a")

    assert result.version == "v1"
    object_dir = store.object_dir(object_id)
    if folder is not None:
        assert object_dir.relative_to(store.root).as_posix() == folder
    assert inventory(store, object_id)["id"] == object_id
    # An NFD spelling of the id names the same object.
    nfd_id = unicodedata.normalize("NFD", object_id)
    assert store.head_version(nfd_id) == "v1"
    assert store.files(nfd_id) == result.files
    assert_root_valid(store.root, 1)


def test_two_objects_share_the_root(store, source):
    store.put("tài liệu 1", [(source("x", ONE), "a.txt")], message="m", agent="a")
    store.put("tài liệu 2", [(source("y", TWO), "a.txt")], message="m", agent="a")
    assert store.files("tài liệu 2") == {
        "a.txt": FileEntry(TWO_SHA, 9, "v1/content/a.txt")
    }
    assert_root_valid(store.root, 2)


def test_empty_file_list_is_refused(store):
    with pytest.raises(InvalidPut) as caught:
        store.put(OBJECT_ID, [], message="m", agent="a")
    assert str(caught.value) == (
        "No files given for object 'dai-nam-nhat-thong-chi'; an OCFL version "
        "needs at least one file."
    )
    assert isinstance(caught.value, ValueError)
    assert not store.root.exists()


@pytest.mark.parametrize(
    ("logical_path", "message"),
    [
        (
            "../trang.txt",
            "Logical path '../trang.txt' has an empty, '.' or '..' element; remove it.",
        ),
        (
            "/trang.txt",
            "Logical path '/trang.txt' must not begin or end with '/'; "
            "make it relative, e.g. 'a/b.jpg'.",
        ),
        (
            "a//b.txt",
            "Logical path 'a//b.txt' has an empty, '.' or '..' element; remove it.",
        ),
        (
            "thư mục\\trang.txt",
            "Logical path 'thư mục\\\\trang.txt' contains '\\'; "
            "separate folders with '/'.",
        ),
        ("", "Logical path '' is empty; name each file, e.g. 'trang-001.jpg'."),
    ],
)
def test_bad_logical_paths_are_refused(store, source, logical_path, message):
    with pytest.raises(InvalidPut) as caught:
        store.put(OBJECT_ID, [(source("x", ONE), logical_path)], message="m", agent="a")
    assert str(caught.value) == message


def test_file_and_folder_with_one_name_are_refused(store, source):
    with pytest.raises(InvalidPut) as caught:
        store.put(
            OBJECT_ID,
            [(source("x", ONE), "trang"), (source("y", TWO), "trang/1.txt")],
            message="m",
            agent="a",
        )
    assert str(caught.value) == (
        "Logical path 'trang' of object 'dai-nam-nhat-thong-chi' is both a file "
        "and the folder of 'trang/1.txt'; rename one of them."
    )


def test_missing_source_file_is_named(store, tmp_path):
    missing = tmp_path / "không có.jpg"
    with pytest.raises(SourceFileError) as caught:
        store.put(OBJECT_ID, [(missing, "a.jpg")], message="m", agent="a")
    assert str(caught.value) == (
        f"Source file {missing} for object 'dai-nam-nhat-thong-chi' does not "
        "exist or is not a regular file; check the path given to put()."
    )
    assert isinstance(caught.value, OSError)


def test_empty_message_is_refused(store, source):
    with pytest.raises(InvalidPut) as caught:
        store.put(OBJECT_ID, [(source("x", ONE), "a")], message=" ", agent="a")
    assert str(caught.value) == (
        "The message of a new version of object 'dai-nam-nhat-thong-chi' is "
        "empty; say what changed and who changed it."
    )


def test_reading_a_missing_object(store):
    assert store.exists("không có") is False
    assert store.head_version("không có") is None
    with pytest.raises(ObjectNotFound) as caught:
        store.files("không có")
    assert isinstance(caught.value, FileNotFoundError)


def test_non_empty_folder_is_not_taken_as_root(settings, source):
    settings.DISAN_OCFL_ROOT.mkdir(parents=True)
    (settings.DISAN_OCFL_ROOT / "ghi chú.txt").write_text("của người khác")
    with pytest.raises(StorageConfigurationError) as caught:
        get_store().put(OBJECT_ID, [(source("x", ONE), "a")], message="m", agent="a")
    assert str(caught.value) == (
        f"{settings.DISAN_OCFL_ROOT} is not empty and is not an OCFL storage root "
        "(no 0=ocfl_1.1 file); point DISAN_OCFL_ROOT at an empty or missing folder."
    )


def test_empty_existing_folder_becomes_the_root(settings, source):
    settings.DISAN_OCFL_ROOT.mkdir(parents=True)
    get_store().put(OBJECT_ID, [(source("x", ONE), "a")], message="m", agent="a")
    assert_root_valid(settings.DISAN_OCFL_ROOT, 1)


def test_real_scans_are_kept_byte_for_byte(store):
    folder = SHARED / "samples" / "dai-nam-nhat-thong-chi"
    pages = [
        (folder / f"page_{n:03d}.jpg", f"Quyển 1/trang {n:03d}.jpg") for n in (1, 2, 3)
    ]

    result = store.put("Đại Nam nhất thống chí", pages, message="m", agent="a")

    assert [entry.size for entry in result.files.values()] == [544073, 623173, 563718]
    for source_path, logical_path in pages:
        stored = store.path("Đại Nam nhất thống chí", logical_path)
        assert stored.read_bytes() == source_path.read_bytes()
    passed, validator = ocfl.Object().validate(
        objdir=str(store.object_dir("Đại Nam nhất thống chí"))
    )
    assert passed is True
    assert validator.log.num_errors == 0
