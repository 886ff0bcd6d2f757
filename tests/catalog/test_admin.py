"""Staff interface: unit scoping, edit history with who and what, revert."""

import pytest
from django.urls import reverse
from django.utils import timezone

from disan.catalog.models import AccessLevel, HeritageDocument
from tests.catalog.conftest import make_document, make_staff, make_unit

pytestmark = pytest.mark.django_db

EDITOR_PERMS = ["view_heritagedocument", "change_heritagedocument"]


def change_url(document):
    return reverse("admin:catalog_heritagedocument_change", args=[document.pk])


def form_data(response):
    """Return the POST data of an admin change form as it was rendered."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = (
                field.widget.format_value(value)
                if hasattr(field.widget, "format_value")
                and not isinstance(value, (bool, str))
                else value
            )
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return {key: value for key, value in data.items() if value is not False}


@pytest.fixture
def units():
    return make_unit(), make_unit("thu-vien-ha-noi", "Thư viện Hà Nội")


def test_staff_see_and_open_only_their_units_documents(client, units):
    museum, library = units
    ours = make_document("BT-001", "Sắc phong làng Nhật Tân", museum)
    theirs = make_document("TV-001", "Hương ước làng Đông Ngạc", library)
    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))

    listing = client.get(reverse("admin:catalog_heritagedocument_changelist"))
    shown = [doc.identifier for doc in listing.context["cl"].result_list]
    assert shown == ["BT-001"]
    assert client.get(change_url(ours)).status_code == 200
    # Django's admin redirects a hidden record to the index with a message.
    assert client.get(change_url(theirs)).status_code == 302
    response = client.post(change_url(theirs), {"title": "Đổi tên"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Hương ước làng Đông Ngạc"


def test_holding_unit_choices_are_the_users_units(client, units):
    museum, _ = units
    document = make_document("BT-002", "Gia phả họ Đỗ", museum)
    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))
    form = client.get(change_url(document)).context["adminform"].form
    assert list(form.fields["holding_unit"].queryset) == [museum]


def test_an_edit_keeps_who_and_what_and_a_revert_restores_it(client, units):
    museum, _ = units
    document = make_document(
        "BT-003", "Địa bạ xã Mọc", museum, description="Bản chép tay"
    )
    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))

    data = form_data(client.get(change_url(document)))
    data.update(title="Địa bạ xã Nhân Mục", description="Bản chép tay, 1805")
    response = client.post(change_url(document), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    document.refresh_from_db()
    assert document.title == "Địa bạ xã Nhân Mục"
    latest, first = document.history.all()[:2]
    assert latest.history_user.username == "ngoc-anh"
    delta = latest.diff_against(first)
    assert sorted(
        (change.field, change.old, change.new)
        for change in delta.changes
        if change.field in ("title", "description")
    ) == [
        ("description", "Bản chép tay", "Bản chép tay, 1805"),
        ("title", "Địa bạ xã Mọc", "Địa bạ xã Nhân Mục"),
    ]

    revert_url = reverse(
        "admin:catalog_heritagedocument_simple_history",
        args=[document.pk, first.history_id],
    )
    response = client.post(revert_url, form_data(client.get(revert_url)))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.description) == ("Địa bạ xã Mọc", "Bản chép tay")
    assert document.history.count() == 3
    assert document.history.first().history_user.username == "ngoc-anh"


def test_view_only_staff_cannot_revert(client, units):
    museum, _ = units
    document = make_document("BT-004", "Thần tích đình Chèm", museum)
    first = document.history.first()
    document.title = "Thần tích đình Chèm (bản sửa)"
    document.save()
    client.force_login(make_staff("khach", museum, perms=["view_heritagedocument"]))
    revert_url = reverse(
        "admin:catalog_heritagedocument_simple_history",
        args=[document.pk, first.history_id],
    )
    assert client.get(revert_url).status_code == 200
    assert client.post(revert_url, {"title": "Thần tích đình Chèm"}).status_code == 403
    assert HeritageDocument.objects.get().title == "Thần tích đình Chèm (bản sửa)"


def test_superuser_sees_every_unit(client, units):
    museum, library = units
    make_document("BT-005", "Văn bia", museum)
    make_document("TV-005", "Châu bản", library, access_level=AccessLevel.CONDITIONAL)
    client.force_login(make_staff("quan-tri", superuser=True))
    listing = client.get(reverse("admin:catalog_heritagedocument_changelist"))
    assert sorted(doc.identifier for doc in listing.context["cl"].result_list) == [
        "BT-005",
        "TV-005",
    ]


def test_a_revert_restores_the_description_and_keeps_what_the_system_owns(
    client, units
):
    from django.utils import timezone

    from disan.catalog.models import DocumentStatus, HeritageStatus
    from disan.preservation.models import DescriptionRequest

    museum, _ = units
    # As ingest's storage step left it: processing, first OCFL version.
    document = make_document(
        "BT-006",
        "Sắc phong làng Yên Phụ",
        museum,
        status=DocumentStatus.PROCESSING,
        ocfl_object_id="urn:uuid:bt-006",
        ocfl_version="v1",
        access_level=AccessLevel.PUBLIC,
    )
    early = document.history.first()
    published = timezone.now()
    document.status = DocumentStatus.ONLINE
    document.ocfl_version = "v2"
    document.page_count = 12
    document.byte_count = 4096
    document.published = published
    document.heritage_status = HeritageStatus.NATIONAL
    document.title = "Sắc phong làng Yên Phụ (bản sửa)"
    document.save()

    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))
    revert_url = reverse(
        "admin:catalog_heritagedocument_simple_history",
        args=[document.pk, early.history_id],
    )
    page = client.get(revert_url)
    assert [str(m) for m in page.context["messages"]] == []
    response = client.post(revert_url, form_data(page))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Sắc phong làng Yên Phụ"
    assert (
        document.status,
        document.ocfl_object_id,
        document.ocfl_version,
        document.page_count,
        document.byte_count,
        document.published,
        document.heritage_status,
    ) == (
        DocumentStatus.ONLINE,
        "urn:uuid:bt-006",
        "v2",
        12,
        4096,
        published,
        HeritageStatus.NATIONAL,
    )
    # The restored description still goes to the preserved object.
    assert DescriptionRequest.objects.filter(document_id=document.pk).exists()


def test_a_revert_that_changes_the_access_level_says_so(client, units):
    museum, _ = units
    document = make_document(
        "BT-007", "Hương ước làng Thụy Khuê", museum, access_level=AccessLevel.PUBLIC
    )
    early = document.history.first()
    document.access_level = AccessLevel.CONDITIONAL
    document.save()

    client.force_login(
        make_staff(
            "ngoc-anh", museum, perms=EDITOR_PERMS + ["view_conditional_document"]
        )
    )
    revert_url = reverse(
        "admin:catalog_heritagedocument_simple_history",
        args=[document.pk, early.history_id],
    )
    page = client.get(revert_url)
    warnings = [str(m) for m in page.context["messages"]]
    # The staff interface speaks Vietnamese.
    assert warnings == [
        "Khôi phục phiên bản này sẽ đổi mức truy cập từ “Có điều kiện”"
        " thành “Công khai”."
    ]
    response = client.post(revert_url, form_data(page), follow=True)
    document.refresh_from_db()
    assert document.access_level == AccessLevel.PUBLIC
    assert [str(m) for m in response.context["messages"]][0] == (
        "Phiên bản được khôi phục đã đổi mức truy cập từ “Có điều kiện”"
        " thành “Công khai”."
    )


def edit_dates(client, document, **dates):
    data = form_data(client.get(change_url(document)))
    for name in ("date_written", "year_start", "year_end"):
        data.pop(name, None)
    data.update({name: value for name, value in dates.items() if value is not None})
    return client.post(change_url(document), data)


def date_errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_the_written_date_is_read_as_on_import(client, units):
    museum, _ = units
    document = make_document("BT-010", "Địa bạ xã Láng", museum)
    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))

    response = edit_dates(client, document, date_written="Tự Đức năm thứ 20")
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.year_start, document.year_end, document.date_edtf) == (
        1867,
        1867,
        "1867",
    )

    # Years given in their own fields win when they agree with the date.
    response = edit_dates(
        client, document, date_written="thế kỷ XIX", year_start="1865", year_end="1882"
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.year_start, document.year_end) == (1865, 1882)


def test_an_impossible_written_date_is_refused(client, units):
    museum, _ = units
    document = make_document("BT-011", "Địa bạ xã Mọc", museum)
    client.force_login(make_staff("ngoc-anh", museum, perms=EDITOR_PERMS))

    future = date_errors(edit_dates(client, document, date_written="năm 2099"))
    assert future["date_written"] == [
        f"“năm 2099” được đọc là 2099, muộn hơn năm nay ({timezone.localdate().year});"
        " tài liệu không thể có niên đại ở tương lai"
    ]

    past_the_era = date_errors(
        edit_dates(
            client,
            document,
            date_written="Tự Đức năm thứ 40",
            year_start="1865",
            year_end="1882",
        )
    )
    # The staff interface speaks Vietnamese: so does the date reader.
    assert past_the_era["date_written"] == [
        "năm thứ 40 niên hiệu Tự Đức trong “Tự Đức năm thứ 40” vượt quá số năm của"
        " niên hiệu: Tự Đức 嗣德 (Nguyễn, 1848–1883) có 36 năm, từ Tự Đức năm thứ 1"
        " đến Tự Đức năm thứ 36"
    ]

    contradiction = date_errors(
        edit_dates(
            client,
            document,
            date_written="Tự Đức năm thứ 20",
            year_start="1900",
            year_end="1910",
        )
    )
    assert contradiction["year_start"] == [
        "Các năm 1900–1910 mâu thuẫn với niên đại ghi trên tài liệu,"
        " “Tự Đức năm thứ 20”, được đọc là 1867."
    ]
    document.refresh_from_db()
    assert (document.date_written, document.year_start) == ("", None)
