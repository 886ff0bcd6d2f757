"""Catalog test setup: uploads under the test's data folder; factories."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import translation

from disan.catalog.models import (
    AccessLevel,
    ArchivalFile,
    DocumentStatus,
    Fonds,
    HeritageDocument,
    HoldingUnit,
)


@pytest.fixture(autouse=True)
def media_root(settings, disan_home):
    settings.MEDIA_ROOT = disan_home / "media"
    # Staff users are made in most tests; a real password hash is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    """Assert English messages unless a test switches to Vietnamese."""
    with translation.override("en"):
        yield


def make_unit(code="bao-tang-ha-noi", name="Bảo tàng Hà Nội"):
    unit, _ = HoldingUnit.objects.get_or_create(code=code, defaults={"name": name})
    return unit


def make_staff(username, unit=None, perms=(), superuser=False):
    """A staff user, member of ``unit``, with catalog permissions ``perms``."""
    user = User.objects.create_user(
        username, password="mật-khẩu-đủ-dài-2024", is_staff=True
    )
    user.is_superuser = superuser
    user.save()
    if unit is not None:
        unit.members.add(user)
    for codename in perms:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="catalog", codename=codename)
        )
    return User.objects.get(pk=user.pk)


def make_document(identifier, title, unit=None, **extra):
    extra.setdefault("status", DocumentStatus.ONLINE)
    # Public unless a test says otherwise, so staff without the permissions
    # for restricted documents see it (a new record is conditional).
    extra.setdefault("access_level", AccessLevel.PUBLIC)
    return HeritageDocument.objects.create(
        identifier=identifier,
        title=title,
        holding_unit=unit if unit is not None else make_unit(),
        **extra,
    )


def make_file(unit=None, number="15", **extra):
    fonds, _ = Fonds.objects.get_or_create(
        holding_unit=unit if unit is not None else make_unit(),
        code="P-01",
        defaults={"name": "Phông Sở Văn hóa và Thể thao Hà Nội"},
    )
    values = {
        "fonds": fonds,
        "agency_code": "000.00.31.H26",
        "year": 2024,
        "file_number": number,
        "title": "Hồ sơ xếp hạng di tích đình Đông Ngạc",
        "start_date": datetime.date(2024, 1, 3),
        "end_date": datetime.date(2024, 11, 28),
    }
    values.update(extra)
    return ArchivalFile.objects.create(**values)
