"""Staff forms: lists chosen or typed, written dates read on every form."""

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from disan.catalog.dates import DateError, parse_date
from disan.catalog.models import ArchivalFile, Fonds, Person
from tests.catalog.conftest import make_document, make_file, make_staff, make_unit
from tests.catalog.test_admin import date_errors as errors
from tests.catalog.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(make_staff("quan-tri", superuser=True))
    return client


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def edit(client, record, **values):
    """Post ``record``'s change form as rendered, with ``values`` changed."""
    data = form_data(client.get(change_url(record)))
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(change_url(record), data)


def checkboxes(page, name):
    """Return ``{value: (label, checked)}`` of the check boxes named ``name``."""
    tree = lxml.html.fromstring(page)
    found = {}
    for box in tree.xpath(f'//input[@type="checkbox"][@name="{name}"]'):
        label = box.getparent().text_content().strip()
        found[box.get("value")] = (label, box.get("checked") is not None)
    return found


def test_languages_and_scripts_are_ticked_from_the_vocabularies(staff):
    document = make_document(
        "BT-020",
        "Hương ước làng Cổ Nhuế",
        languages=["lzh", "xyz"],
        scripts=["Hani"],
    )
    page = staff.get(change_url(document)).content.decode()

    languages = checkboxes(page, "languages")
    assert languages["vi"] == ("Tiếng Việt", False)
    assert languages["lzh"] == ("Hán văn", True)
    assert languages["nom"] == ("Nôm", False)
    # A stored code the list does not know is shown ticked, not dropped.
    assert languages["xyz"] == ("xyz (không có trong danh mục)", True)
    scripts = checkboxes(page, "scripts")
    assert scripts["Hani"] == ("Chữ Hán (Hán, Nôm)", True)
    assert scripts["Latn"] == ("Chữ Quốc ngữ (Latinh)", False)
    assert "Enter a valid JSON" not in page

    # Saving the form as it is does not drop the unknown code silently: the
    # catalog's rules refuse it, and it stays ticked until staff untick it.
    response = edit(staff, document)
    assert errors(response)["languages"] == [
        "Mã ngôn ngữ không hợp lệ xyz; hãy dùng vi, lzh, nom, zh, fr, en."
    ]
    assert checkboxes(response.content.decode(), "languages")["xyz"][1] is True
    assert edit(staff, document, languages=["lzh"]).status_code == 302
    document.refresh_from_db()
    assert document.languages == ["lzh"]

    response = edit(staff, document, languages=["vi", "lzh"], scripts=["Hani", "Latn"])
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.languages == ["lzh", "vi"]
    assert document.scripts == ["Hani", "Latn"]

    refused = errors(edit(staff, document, languages=["vi, lzh"]))
    assert refused["languages"] == [
        "Hãy chọn một lựa chọn hợp lệ. vi, lzh không phải là một trong các lựa chọn"
        " khả thi."
    ]


def test_a_files_languages_and_keywords(staff):
    record = make_file(make_unit(), languages=["vi"], keywords=["đình", "lễ hội"])
    page = staff.get(change_url(record)).content.decode()
    assert checkboxes(page, "languages")["vi"] == ("Tiếng Việt", True)
    keywords = lxml.html.fromstring(page).xpath('//input[@name="keywords"]')[0]
    assert keywords.get("value") == "đình; lễ hội"

    def saved(**values):
        assert edit(staff, record, **values).status_code == 302
        record.refresh_from_db()
        return record.languages, record.keywords

    assert saved(keywords="đình, di tích ,  lễ hội,") == (
        ["vi"],
        ["đình", "di tích", "lễ hội"],
    )
    # With a semicolon, commas belong to the words.
    assert saved(keywords="Hà Nội, 1945; đình", languages=["vi", "fr"]) == (
        ["vi", "fr"],
        ["Hà Nội, 1945", "đình"],
    )
    # One phrase with a comma is shown so that saving keeps it whole.
    record.keywords = ["Hà Nội, 1945"]
    record.save()
    page = staff.get(change_url(record)).content.decode()
    keywords = lxml.html.fromstring(page).xpath('//input[@name="keywords"]')[0]
    assert keywords.get("value") == "Hà Nội, 1945;"
    assert saved()[1] == ["Hà Nội, 1945"]
    assert saved(keywords="", languages=None) == ([], [])


def test_other_names_are_typed_on_one_line(staff):
    person = Person.objects.create(name="Nguyễn Du", alternate_names=["Tố Như"])
    page = staff.get(change_url(person)).content.decode()
    names = lxml.html.fromstring(page).xpath('//input[@name="alternate_names"]')[0]
    assert names.get("value") == "Tố Như"
    assert edit(staff, person, alternate_names="Tố Như; Thanh Hiên").status_code == 302
    person.refresh_from_db()
    assert person.alternate_names == ["Tố Như", "Thanh Hiên"]


@pytest.fixture
def fonds():
    return Fonds.objects.create(
        holding_unit=make_unit(), code="P-02", name="Phông Tòa Đốc lý Hà Nội"
    )


@pytest.mark.parametrize("kind", ["fonds", "file"])
def test_every_written_date_is_read_as_on_the_document_form(staff, fonds, kind):
    record = fonds if kind == "fonds" else make_file(fonds.holding_unit)
    next_year = timezone.localdate().year + 1

    impossible = errors(edit(staff, record, date_written="31/02/1867"))
    # The date reader's own message, in Vietnamese.
    with translation.override("vi"), pytest.raises(DateError) as refused:
        parse_date("31/02/1867")
    assert impossible["date_written"] == [str(refused.value)]
    assert "tháng 2 năm 1867 có 28 ngày" in impossible["date_written"][0]
    future = errors(edit(staff, record, date_written=str(next_year)))
    assert future["date_written"] == [
        f"“{next_year}” được đọc là {next_year}, muộn hơn năm nay"
        f" ({next_year - 1}); tài liệu không thể có niên đại ở tương lai"
    ]
    record.refresh_from_db()
    assert record.date_written == ""

    if kind == "file":
        # The file's days (2024) are not in 1867: refused, naming both.
        outside = errors(edit(staff, record, date_written="Tự Đức năm thứ 20"))
        assert outside["start_date"][0].startswith("Thời gian bắt đầu 2024-01-03")
        assert "Tự Đức năm thứ 20" in outside["start_date"][0]
        assert (
            edit(
                staff,
                record,
                date_written="Tự Đức năm thứ 20",
                start_date="",
                end_date="",
            ).status_code
            == 302
        )
    assert edit(staff, record, date_written="Tự Đức năm thứ 20").status_code == 302
    record.refresh_from_db()
    assert record.date_written == "Tự Đức năm thứ 20"
    # A date stored before the check is not refused while it is left alone.
    type(record).objects.filter(pk=record.pk).update(date_written="2999")
    assert edit(staff, record, note="Ghi chú").status_code == 302


def test_an_unread_date_on_a_file_is_refused_in_vietnamese(staff, fonds):
    record = make_file(fonds.holding_unit)
    refused = errors(edit(staff, record, date_written="ngày xưa"))
    assert refused["date_written"][0].startswith("không đọc được")
    assert "ngày xưa" in refused["date_written"][0]
    assert ArchivalFile.objects.get(pk=record.pk).date_written == ""
