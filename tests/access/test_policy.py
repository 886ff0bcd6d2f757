"""The access policy: levels per permission, and what each user may see."""

from django.contrib.auth.models import AnonymousUser

from disan.access.policy import (
    can_download,
    can_view,
    published_documents,
    visible_levels,
)
from disan.catalog.models import AccessLevel, DocumentStatus
from tests.portal.factories import make_document, make_user


def test_levels_per_permission(db):
    assert visible_levels(None) == ["public"]
    assert visible_levels(AnonymousUser()) == ["public"]
    assert visible_levels(make_user("bạn-đọc")) == ["public"]
    assert visible_levels(make_user("có-điều-kiện", "view_conditional_document")) == [
        "public",
        "conditional",
    ]
    assert visible_levels(make_user("mật", "view_secret_document")) == [
        "public",
        "conditional",
        "secret",
    ]


def test_inactive_user_sees_public_only(db):
    user = make_user("đã-nghỉ", "view_secret_document")
    user.is_active = False
    assert visible_levels(user) == ["public"]


def test_published_documents_need_access_and_online_status(db):
    make_document("HN-1", "Công khai trực tuyến")
    make_document("HN-2", "Công khai chưa số hóa", status=DocumentStatus.RECORDED)
    secret = make_document("HN-3", "Mật trực tuyến", access=AccessLevel.SECRET)
    anonymous = sorted(published_documents(None).values_list("identifier", flat=True))
    assert anonymous == ["HN-1"]
    user = make_user("thủ-thư", "view_secret_document")
    assert sorted(published_documents(user).values_list("identifier", flat=True)) == [
        "HN-1",
        "HN-3",
    ]
    assert (can_view(None, secret), can_download(None, secret)) == (False, False)
    assert (can_view(user, secret), can_download(user, secret)) == (True, True)
