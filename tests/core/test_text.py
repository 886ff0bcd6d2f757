"""Shared text helpers: NFC, natural order, diacritics removed."""

import unicodedata

from disan.core.text import natural_key, strip_diacritics


def test_strip_diacritics_reads_d_with_stroke_as_d_and_returns_nfc():
    nfd = unicodedata.normalize("NFD", "Đường Thuỷ Hoà")
    assert strip_diacritics(nfd) == "Duong Thuy Hoa"
    assert strip_diacritics("đê điều, Ḥà Nội") == "de dieu, Ha Noi"


def test_natural_order_puts_page_2_before_page_10():
    names = ["page_10.jpg", "Page_2.jpg", "page_1.jpg"]
    assert sorted(names, key=natural_key) == ["page_1.jpg", "Page_2.jpg", "page_10.jpg"]
