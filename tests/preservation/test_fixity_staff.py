"""Staff see fixity failures: the report page and a banner on staff pages."""

import pytest
from django.contrib.auth.models import User

from disan.preservation.audit import audit

pytestmark = pytest.mark.django_db

OBJECT_ID = "Hương ước làng Đông Ngạc"
REPORT = "/staff/preservation/objectfixity/report/"


@pytest.fixture
def damaged(store, source):
    store.put(
        OBJECT_ID,
        [(source("a.jpg", b"trang " * 100), "tờ 1.jpg")],
        message="Nhập kho",
        agent="Lê Thị Thu",
    )
    (store.object_dir(OBJECT_ID) / "v1/content/tờ 1.jpg").unlink()
    audit()


@pytest.fixture
def staff(client):
    user = User.objects.create_user("thủ-thư", password="mật-khẩu-dài", is_staff=True)
    client.force_login(user)
    return user


def test_report_lists_failures_and_lost_files(damaged, staff, client):
    response = client.get(REPORT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 object(s) known, 1 failing their last audit, 0 never audited." in page
    assert "<code>missing</code> v1/content/tờ 1.jpg: expected " in page
    assert f"<tr><td>{OBJECT_ID}</td><td>v1/content/tờ 1.jpg</td></tr>" in page


def test_report_needs_a_staff_login(damaged, client):
    assert client.get(REPORT).status_code == 302
    user = User.objects.create_user("bạn-đọc", password="mật-khẩu-dài")
    client.force_login(user)
    assert client.get(REPORT).status_code == 302


def test_banner_on_staff_pages_until_the_object_is_whole(damaged, staff, client):
    page = client.get("/staff/").content.decode()
    assert "Fixity audit: 1 object(s) failed, 1 file(s) lost." in page


def test_no_banner_when_all_is_well(store, source, staff, client):
    store.put(OBJECT_ID, [(source("a.jpg", b"x"), "a.jpg")], message="m", agent="a")
    audit()

    assert "Fixity audit" not in client.get("/staff/").content.decode()
