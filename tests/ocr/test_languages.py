"""Which Tesseract languages a document's languages and scripts call for."""

import pytest

from disan.ocr.languages import choose_languages


@pytest.mark.parametrize(
    ("languages", "scripts", "direction", "expected"),
    [
        (["vi"], ["Latn"], "left-to-right", "vie"),
        (["vi-VN"], [], "left-to-right", "vie"),
        ([], ["Latn"], "left-to-right", "vie"),
        (["lzh"], ["Hani"], "right-to-left", "chi_tra_vert"),
        (["lzh"], ["Hant"], "left-to-right", "chi_tra"),
        (["nom"], [], "right-to-left", "chi_tra_vert"),
        (["zh-Hant"], [], "vertical", "chi_tra_vert"),
        ([], ["Hani"], "", "chi_tra"),
        (["vi", "lzh"], ["Latn", "Hani"], "left-to-right", "vie+chi_tra"),
        (["lzh", "vi"], [], "right-to-left", "chi_tra_vert+vie"),
        (["vi"], ["Hani", "Latn"], "right-to-left", "vie+chi_tra_vert"),
        ([], [], "left-to-right", "vie"),
        (["fr"], ["Cyrl"], "left-to-right", "vie"),
        (None, None, None, "vie"),
    ],
)
def test_choose_languages(languages, scripts, direction, expected):
    assert choose_languages(languages, scripts, direction) == expected
