"""OCFLStore.validate(): ocfl-py's findings, sorted into errors and warnings."""

import pytest

from disan.preservation.storage import ValidationReport

ONE = "Trang một".encode()


def test_missing_root_is_reported(store):
    assert store.validate() == ValidationReport(
        valid=False,
        errors=[
            f"{store.root} is not an OCFL storage root (no 0=ocfl_1.1 declaration); "
            "check DISAN_OCFL_ROOT. Disan creates the root when it stores the "
            "first document."
        ],
        warnings=[],
    )


def test_valid_root_lists_the_should_level_warnings_once(store, source):
    store.put("sắc phong 1", [(source("a", ONE), "a.txt")], message="m", agent="a")
    store.put("sắc phong 1", [(source("b", b"hai"), "a.txt")], message="m", agent="a")

    report = store.validate()

    assert (report.valid, report.errors) == (True, [])
    codes = [warning.split("]][", 1)[1][:4] for warning in report.warnings]
    assert codes == ["W004", "W005", "W008"]
    assert report.warnings[0].endswith("(see https://ocfl.io/1.1/spec/#W004) (2 times)")


def test_altered_content_file_makes_the_root_invalid(store, source):
    result = store.put(
        "sắc phong 2", [(source("a", ONE), "a.txt")], message="m", agent="a"
    )
    stored = store.object_dir("sắc phong 2") / result.files["a.txt"].content_path
    stored.chmod(0o644)
    stored.write_bytes("Trang mốt".encode())

    report = store.validate()

    assert report.valid is False
    assert len(report.errors) == 1
    assert "[E092a]" in report.errors[0]
    assert report.errors[0].startswith("[[336/f5f/e2d/s%e1%ba%afc%20phong%202]][E092a]")
    assert store.validate(check_digests=False).valid is True


@pytest.mark.django_db
def test_validate_storage_command_fails_on_an_invalid_root(store, source):
    from io import StringIO

    from django.core.management import CommandError, call_command

    store.put("sắc phong 3", [(source("a", ONE), "a.txt")], message="m", agent="a")
    out = StringIO()
    call_command("validate_storage", stdout=out)
    assert out.getvalue().splitlines()[0] == f"OCFL storage root {store.root} is valid."

    (store.object_dir("sắc phong 3") / "inventory.json.sha256").write_text(
        "0 inventory.json\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("validate_storage", stdout=StringIO())
    assert str(caught.value).startswith(f"OCFL storage root {store.root} is invalid: ")
