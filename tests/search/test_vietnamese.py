"""Normalization, folding, tone placement and tokenization of Vietnamese."""

import unicodedata

import pytest

from disan.search.vietnamese import fold, is_cjk, normalize, tokenize, tone_position


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hòa", "hoà"),
        ("hóa", "hoá"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("qúy", "quý"),
        ("tòa", "toà"),
        ("lõa", "loã"),
        ("xòe", "xoè"),
        ("lũy", "luỹ"),
    ],
)
def test_old_and_new_tone_placement_normalize_to_the_same_string(old, new):
    """Tone on the first vowel (old) and on the second (new) give one form."""
    assert normalize(old) == new
    assert normalize(new) == new


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("người", "người"),  # ươ: the second quality vowel takes the tone
        ("rượu", "rượu"),
        ("mứa", "mứa"),  # ưa: ư takes it
        ("hoàn", "hoàn"),  # with a final consonant, the last vowel
        ("hòan", "hoàn"),
        ("quyết", "quyết"),
        ("khúynh", "khuýnh"),
        ("khoái", "khoái"),  # three vowels: the middle one
        ("khóai", "khoái"),
        ("ngòeo", "ngoèo"),
        ("khủyu", "khuỷu"),
        ("múa", "múa"),  # ua without q: the first vowel
        ("núi", "núi"),
        ("mái", "mái"),
        ("gía", "giá"),  # gi is the onset before another vowel
        ("gìn", "gìn"),  # ... but the vowel itself in gìn
        ("qúa", "quá"),  # qu is the onset
        ("ý", "ý"),
    ],
)
def test_tone_goes_where_vietnamese_orthography_puts_it(word, expected):
    assert normalize(word) == expected


def test_tone_position_returns_none_for_non_vietnamese_words():
    assert tone_position("cafe") is None
    assert tone_position("strong") is None
    assert tone_position("hoa") == 2
    assert tone_position("ngươi") == 3
    assert tone_position("khuyu") == 3


def test_foreign_words_keep_their_accents_where_they_are():
    assert normalize("Café Société") == "café société"
    assert normalize("Zürich") == "zürich"


def test_normalize_is_nfc_and_case_folded():
    decomposed = unicodedata.normalize("NFD", "Đường Thủy HOÀ")
    assert normalize(decomposed) == "đường thuỷ hoà"
    assert normalize("ĐƯỜNG") == "đường"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_fold_strips_every_diacritic_and_writes_d_for_đ():
    assert fold("Đường") == "duong"
    assert fold("DUONG") == "duong"
    assert fold("Dương") == "duong"
    assert fold("Hà Nội, thuỷ lợi; Khỏe") == "ha noi, thuy loi; khoe"
    assert fold(unicodedata.normalize("NFD", "Ngữ văn Hán Nôm")) == "ngu van han nom"


def test_fold_leaves_han_and_nom_characters_alone():
    assert fold("大南一統志 \U00020c8e\U0002a6a5") == "大南一統志 \U00020c8e\U0002a6a5"


def test_tokenize_splits_words_and_single_ideographs():
    text = "Đại Nam nhất thống chí (大南一統志), quyển 1_2"
    assert tokenize(text) == [
        "đại",
        "nam",
        "nhất",
        "thống",
        "chí",
        "大",
        "南",
        "一",
        "統",
        "志",
        "quyển",
        "1",
        "2",
    ]


def test_tokenize_splits_ideographs_of_every_extension_block():
    text = (
        "\u3400"  # Extension A
        "\U00020c8e\U0002a6a5"  # Extension B (Nôm)
        "\U0002a700"  # Extension C
        "\U0002b740"  # Extension D
        "\U0002b820"  # Extension E
        "\U0002ceb0"  # Extension F
        "\U00030000"  # Extension G
        "\U00031350"  # Extension H
        "\U0002ebf0"  # Extension I
        "\ufa0e"  # compatibility ideograph kept by NFC
        "\U0002f800"  # compatibility supplement (NFC maps it to U+4E3D)
    )
    assert tokenize(text) == [
        "\u3400",
        "\U00020c8e",
        "\U0002a6a5",
        "\U0002a700",
        "\U0002b740",
        "\U0002b820",
        "\U0002ceb0",
        "\U00030000",
        "\U00031350",
        "\U0002ebf0",
        "\ufa0e",
        "\u4e3d",
    ]


def test_tokenize_mixed_han_and_vietnamese_without_spaces():
    assert tokenize("sách大南của") == ["sách", "大", "南", "của"]


def test_tokenize_empty_and_punctuation_only():
    assert tokenize("") == []
    assert tokenize(" \n\t*-:()\"' ") == []


def test_is_cjk():
    assert is_cjk("南") is True
    assert is_cjk("\U0002a6a5") is True
    assert is_cjk("a") is False
    assert is_cjk("ư") is False
    assert is_cjk("あ") is False
