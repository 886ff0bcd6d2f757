"""Documents, pages and derivative files for portal, targets and access tests."""

import functools
from pathlib import Path

import pyvips
from django.conf import settings
from django.contrib.auth.models import Permission, User

from disan.catalog.models import (
    AccessLevel,
    Collection,
    DocumentStatus,
    HeritageDocument,
    HeritageStatus,
    HoldingUnit,
    MasterFile,
    Page,
    ReadingDirection,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SAMPLE_JPEG = SHARED / "samples" / "dai-nam-nhat-thong-chi"

# Width of the pyramid made for tests: small enough to be quick.
PYRAMID_WIDTH = 500


def sample_scan():
    """Return the first real scan of the Đại Nam nhất thống chí sample."""
    return sorted(SAMPLE_JPEG.glob("*.jpg"))[0]


@functools.cache
def thumbnail_bytes():
    """Return a JPEG thumbnail (longest edge 200) of the first sample scan."""
    return pyvips.Image.thumbnail(str(sample_scan()), 200).jpegsave_buffer(Q=80)


@functools.cache
def pyramid_bytes():
    """Return a tiled pyramidal TIFF of the first sample scan, 500 pixels wide."""
    image = pyvips.Image.thumbnail(str(sample_scan()), PYRAMID_WIDTH)
    return image.tiffsave_buffer(tile=True, pyramid=True, compression="jpeg", Q=85)


def make_unit(code, name):
    return HoldingUnit.objects.create(code=code, name=name)


def make_collection(slug, title, unit=None):
    return Collection.objects.create(slug=slug, title=title, holding_unit=unit)


def make_document(
    identifier,
    title,
    *,
    unit=None,
    access=AccessLevel.PUBLIC,
    status=DocumentStatus.ONLINE,
    heritage=HeritageStatus.INVENTORIED,
    pages=0,
    rtl=False,
    collection=None,
    derivatives=True,
    **fields,
):
    """Create a document with ``pages`` pages (and their derivative files)."""
    document = HeritageDocument.objects.create(
        identifier=identifier,
        title=title,
        holding_unit=unit,
        access_level=access,
        status=status,
        heritage_status=heritage,
        collection=collection,
        reading_direction=(
            ReadingDirection.RIGHT_TO_LEFT if rtl else ReadingDirection.LEFT_TO_RIGHT
        ),
        page_count=pages,
        **fields,
    )
    for sequence in range(1, pages + 1):
        make_page(document, sequence, derivatives=derivatives)
    return document


def make_page(document, sequence, *, derivatives=True, ocr_text=""):
    """Create a page of ``document``; with ``derivatives`` also write its files."""
    master = MasterFile.objects.create(
        document=document,
        sequence=sequence,
        filename=f"trang-{sequence:03d}.jpg",
        logical_path=f"trang-{sequence:03d}.jpg",
        sha256="0" * 64,
        size=1,
        mime_type="image/jpeg",
        format_name="JPEG",
    )
    page = Page(
        document=document,
        master_file=master,
        sequence=sequence,
        label=str(sequence),
        width=2000,
        height=1773,
        ocr_text=ocr_text,
    )
    if derivatives:
        folder = f"{document.pk}/{sequence:04d}"
        root = Path(settings.DISAN_DERIVATIVES_ROOT)
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "thumbnail.jpg").write_bytes(thumbnail_bytes())
        (root / folder / "pyramid.tif").write_bytes(pyramid_bytes())
        page.thumbnail_path = f"{folder}/thumbnail.jpg"
        page.pyramid_path = f"{folder}/pyramid.tif"
    page.save()
    return page


def make_user(username, *permissions):
    """Create an active user holding ``catalog.<codename>`` permissions."""
    user = User.objects.create_user(username, password="mật-khẩu-dài-123")
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)
