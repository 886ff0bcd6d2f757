"""A small library of documents at every access level, for portal tests."""

import pytest

from disan.catalog.models import AccessLevel, DocumentStatus, HeritageStatus
from tests.portal.factories import make_collection, make_document, make_unit


@pytest.fixture
def library(db):
    """Two public online books, one conditional, one secret, one not yet online."""
    museum = make_unit("bao-tang-ha-noi", "Bảo tàng Hà Nội")
    library = make_unit("thu-vien-ha-noi", "Thư viện Hà Nội")
    shelf = make_collection("dia-chi", "Địa chí Thăng Long – Hà Nội", museum)
    return {
        "museum": museum,
        "library": library,
        "collection": shelf,
        "printed": make_document(
            "HN-TV-0001",
            "Hà Nội địa dư",
            unit=library,
            pages=3,
            collection=shelf,
            doc_type="sách in",
            date_written="1930",
            languages=["vi"],
            heritage=HeritageStatus.REGISTERED,
            description="Sách in quốc ngữ về Hà Nội.",
        ),
        "han_nom": make_document(
            "HN-BT-0001",
            "Đại Nam nhất thống chí",
            unit=museum,
            pages=2,
            rtl=True,
            original_title="大南一統志",
            collection=shelf,
            languages=["lzh"],
            doc_type="sách chép tay",
        ),
        "conditional": make_document(
            "HN-BT-0002",
            "Hương ước làng Đông Ngạc",
            unit=museum,
            pages=1,
            access=AccessLevel.CONDITIONAL,
            collection=shelf,
        ),
        "secret": make_document(
            "HN-BT-0003",
            "Sắc phong thần Thăng Long",
            unit=museum,
            pages=1,
            access=AccessLevel.SECRET,
            collection=shelf,
        ),
        "recorded": make_document(
            "HN-TV-0002",
            "Bản đồ phố phường",
            unit=library,
            status=DocumentStatus.RECORDED,
        ),
    }
