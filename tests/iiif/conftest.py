"""Factories for IIIF tests: real pyramidal TIFFs and catalog rows."""

from pathlib import Path

import pytest
import pyvips
from django.conf import settings
from django.contrib.auth.models import Permission

from disan.catalog.models import (
    AccessLevel,
    DocumentStatus,
    HeritageDocument,
    HoldingUnit,
    MasterFile,
    Page,
    ReadingDirection,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

RED = [255, 0, 0]
WHITE = [255, 255, 255]


def marked_image(width, height):
    """Return a white sRGB image with a red 100x100 block in its top-left corner.

    The block shows where the top-left corner went after mirroring and
    rotation.
    """
    white = (pyvips.Image.black(width, height, bands=3) + WHITE).cast("uchar")
    white = white.copy(interpretation="srgb")
    return white.draw_rect(RED, 0, 0, 100, 100, fill=True)


def save_pyramid(image, relative_path, **options):
    """Write ``image`` as a tiled JPEG pyramid under the derivatives root."""
    path = Path(settings.DISAN_DERIVATIVES_ROOT) / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    image.tiffsave(
        str(path),
        tile=True,
        pyramid=True,
        compression="jpeg",
        Q=90,
        tile_width=settings.DISAN_TILE_SIZE,
        tile_height=settings.DISAN_TILE_SIZE,
        **options,
    )
    return relative_path


@pytest.fixture
def make_document(db):
    """Create an online document; keyword arguments override its fields."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        number = next(counter)
        values = {
            "identifier": f"HN-HÁN-{number:04d}",
            "title": "Đại Nam nhất thống chí",
            "original_title": "大南一統志",
            "status": DocumentStatus.ONLINE,
            "access_level": AccessLevel.PUBLIC,
        }
        values.update(fields)
        return HeritageDocument.objects.create(**values)

    return make


@pytest.fixture
def make_page(db):
    """Create a page of ``document`` with a real pyramid of the given size."""

    def make(
        document, sequence=1, width=1000, height=700, ocr_text="", image=None, **options
    ):
        master = MasterFile.objects.create(
            document=document,
            sequence=sequence,
            filename=f"trang_{sequence:03d}.jpg",
            logical_path=f"tư liệu/trang_{sequence:03d}.jpg",
            sha256="0" * 64,
            size=1,
            mime_type="image/jpeg",
            format_name="JPEG",
            width=width,
            height=height,
        )
        if image is None:
            image = marked_image(width, height)
        relative = f"pyramids/{document.id}/{sequence:04d}.tif"
        save_pyramid(image, relative, **options)
        return Page.objects.create(
            document=document,
            master_file=master,
            sequence=sequence,
            width=width,
            height=height,
            pyramid_path=relative,
            ocr_text=ocr_text,
        )

    return make


@pytest.fixture
def han_book(make_document, make_page):
    """A right-to-left Hán book of three pages held by a Hanoi unit."""
    unit = HoldingUnit.objects.create(
        code="bao-tang-ha-noi", name="Bảo tàng Hà Nội", name_en="Hanoi Museum"
    )
    document = make_document(
        holding_unit=unit,
        reading_direction=ReadingDirection.RIGHT_TO_LEFT,
        doc_type="Sách chép tay",
        date_written="Tự Đức năm thứ 3",
        languages=["lzh"],
        scripts=["Hani"],
        description="Bộ địa chí do Quốc sử quán triều Nguyễn biên soạn.",
        page_count=3,
    )
    pages = [
        make_page(document, sequence=1, ocr_text="大南一統志 卷之一"),
        make_page(document, sequence=2, width=700, height=1000),
        make_page(document, sequence=3),
    ]
    return document, pages


@pytest.fixture
def secret_reader(django_user_model):
    """An active user holding catalog.view_secret_document."""
    user = django_user_model.objects.create_user("nguyễn.thị.đào", password="x")
    user.user_permissions.add(Permission.objects.get(codename="view_secret_document"))
    return user
