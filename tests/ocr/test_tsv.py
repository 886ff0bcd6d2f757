"""Tesseract TSV output read into lines, words, boxes and page text."""

import unicodedata

import pytest

from disan.ocr.engines.tsv import join_words, parse_tsv

HEADER = "\t".join(
    [
        *("level", "page_num", "block_num", "par_num", "line_num", "word_num"),
        *("left", "top", "width", "height", "conf", "text"),
    ]
)


def _row(level, block, par, line, word, box, conf, text=""):
    cells = [level, 1, block, par, line, word, *box, conf, text]
    return "\t".join(str(cell) for cell in cells)


def test_lines_words_boxes_and_paragraphs():
    decomposed = unicodedata.normalize("NFD", "Hằng năm")
    output = "\n".join(
        [
            HEADER,
            _row(1, 0, 0, 0, 0, (0, 0, 2550, 3300), -1),
            _row(4, 1, 1, 1, 0, (100, 200, 300, 50), -1),
            _row(5, 1, 1, 1, 1, (100, 200, 140, 50), 91.5, decomposed.split()[0]),
            _row(5, 1, 1, 1, 2, (260, 200, 140, 50), 88.25, decomposed.split()[1]),
            _row(4, 1, 1, 2, 0, (100, 260, 90, 50), -1),
            _row(5, 1, 1, 2, 1, (100, 260, 90, 50), 95, " "),
            _row(4, 1, 2, 1, 0, (100, 400, 200, 50), -1),
            _row(5, 1, 2, 1, 1, (100, 400, 200, 50), 96.123, "đường"),
        ]
    )

    lines, text = parse_tsv(output)

    assert lines == [
        {
            "text": "Hằng năm",
            "bbox": [100, 200, 300, 50],
            "words": [
                {"text": "Hằng", "bbox": [100, 200, 140, 50], "conf": 91.5},
                {"text": "năm", "bbox": [260, 200, 140, 50], "conf": 88.25},
            ],
        },
        {
            "text": "đường",
            "bbox": [100, 400, 200, 50],
            "words": [{"text": "đường", "bbox": [100, 400, 200, 50], "conf": 96.12}],
        },
    ]
    assert text == "Hằng năm\n\nđường"
    assert unicodedata.is_normalized("NFC", text)


def test_han_characters_are_joined_without_spaces():
    assert join_words(["大", "南", "一", "統", "志"]) == "大南一統志"
    assert join_words(["卷", "之", "一", "(1)", "𡨸", "喃"]) == "卷之一 (1) 𡨸喃"
    assert join_words(["Tôi", "đi", "học"]) == "Tôi đi học"


def test_output_that_is_not_tsv_is_refused():
    with pytest.raises(ValueError) as caught:
        parse_tsv("Tôi Đi Học\n")

    assert str(caught.value) == "the output does not start with Tesseract's TSV header"
