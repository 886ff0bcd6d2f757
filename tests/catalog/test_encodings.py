"""Legacy Vietnamese encodings detected, decoded and repaired to NFC."""

import codecs
import shutil
import subprocess
import unicodedata

import pytest

from disan.catalog.encodings import (
    LETTERS,
    TCVN3_TABLE,
    decode,
    decode_vietnamese,
    detect_encoding,
    encode,
    encoding_damage,
    fix_mojibake,
    is_vietnamese_syllable,
    looks_like_viqr,
    mojibake_left,
    viqr_to_unicode,
)

SENTENCE = (
    "Đại Nam nhất thống chí, bộ địa chí của Quốc sử quán triều Nguyễn, "
    "chép về kinh thành Huế, Hà Nội và các tỉnh; chữ Hán Nôm trên giấy dó."
)
MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"


def windows_1252_view(data):
    """Return ``data`` as a program assuming Windows-1252 shows it."""
    return "".join(
        chr(byte)
        if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        else bytes([byte]).decode("cp1252")
        for byte in data
    )


def test_there_are_134_vietnamese_letters():
    assert len(LETTERS) == 134
    assert len(set(LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", letter) for letter in LETTERS)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "windows-1258", "utf-8"])
def test_every_letter_round_trips(encoding):
    failures = [
        letter
        for letter in LETTERS
        if decode(encode(letter, encoding), encoding) != letter
    ]
    assert failures == []


def test_every_letter_round_trips_in_viqr_inside_a_sentence():
    failures = [
        letter
        for letter in LETTERS
        if decode(encode(f"{letter} a", "viqr"), "viqr") != f"{letter} a"
    ]
    assert failures == []


def test_tcvn3_table_agrees_with_the_c_library():
    """glibc's TCVN5712-1 converter is an independent reading of the standard."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv is not installed")
    differences = []
    for byte in range(256):
        result = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
            input=bytes([byte]),
            capture_output=True,
            check=False,
        )
        if result.returncode == 0 and result.stdout.decode() != TCVN3_TABLE[byte]:
            differences.append(hex(byte))
    assert differences == []


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("tcvn3", b"Ti\xd5ng Vi\xd6t"),
        ("vni", b"Tie\xe1ng Vie\xe4t"),
        ("viqr", b"Tie^'ng Vie^.t"),
        ("windows-1258", b"Ti\xea\xecng Vi\xea\xf2t"),
        ("utf-8", "Tiếng Việt".encode()),
        ("utf-8", codecs.BOM_UTF8 + "Tiếng Việt".encode()),
    ],
)
def test_real_byte_sequences_decode(encoding, data):
    assert decode(data, encoding) == "Tiếng Việt"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "windows-1258", "viqr", "utf-8"])
@pytest.mark.parametrize("text", [SENTENCE, MOTTO])
def test_encoding_of_a_sentence_is_detected(encoding, text):
    data = encode(text, encoding)
    assert decode_vietnamese(data) == (text, encoding)


def test_utf8_with_bom_is_detected_and_bom_dropped():
    assert decode_vietnamese(codecs.BOM_UTF8 + MOTTO.encode()) == (MOTTO, "utf-8")


def test_windows_1258_decodes_to_composed_form():
    text, encoding = decode_vietnamese(encode(SENTENCE, "windows-1258"))
    assert encoding == "windows-1258"
    assert unicodedata.is_normalized("NFC", text)
    assert len(text) == len(SENTENCE)


def test_decomposed_utf8_is_returned_composed():
    data = unicodedata.normalize("NFD", "Hà Nội").encode()
    assert decode_vietnamese(data) == ("Hà Nội", "utf-8")


def test_utf8_cut_inside_a_character_is_still_utf8():
    data = "Việt".encode()[:-2]
    assert detect_encoding(data) == "utf-8"


def test_plain_ascii_is_utf8_not_viqr():
    assert decode_vietnamese(b"Dai Nam nhat thong chi, 1882") == (
        "Dai Nam nhat thong chi, 1882",
        "utf-8",
    )
    assert looks_like_viqr("What? Is it 3.5 or 4.5?") is False


@pytest.mark.parametrize(
    ("seen", "meant"),
    [
        ("TiÕng ViÖt", "Tiếng Việt"),
        ("Tieáng Vieät", "Tiếng Việt"),
        ("Tiáº¿ng Viá»‡t", "Tiếng Việt"),
        ("§¹i Nam nhÊt thèng chÝ", "Đại Nam nhất thống chí"),
        ("Ñaïi Nam nhaát thoáng chí", "Đại Nam nhất thống chí"),
        (
            "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
            "Cộng hòa xã hội chủ nghĩa Việt Nam",
        ),
        ("Hµ Néi", "Hà Nội"),
        ("Haø Noäi", "Hà Nội"),
        ("HaÌ Nôòi", "Hà Nội"),
    ],
)
def test_mojibake_as_people_see_it_is_repaired(seen, meant):
    assert fix_mojibake(seen) == meant


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "windows-1258", "utf-8"])
def test_mojibake_of_each_encoding_is_repaired(encoding):
    seen = windows_1252_view(encode(SENTENCE, encoding))
    assert seen != SENTENCE
    assert fix_mojibake(seen) == SENTENCE


@pytest.mark.parametrize(
    "text",
    [
        "Lê Thánh Tông",
        "Hà",
        "Société Générale des Imprimeries",
        "Tiếng Việt",
        "Ngô Thì Nhậm",
        "",
        "1882",
        "北京 景興三十年",
        "José Rizal",
    ],
)
def test_correct_text_is_left_alone(text):
    assert fix_mojibake(text) == text


def test_fix_mojibake_returns_nfc_and_passes_non_text():
    assert fix_mojibake(unicodedata.normalize("NFD", "Hà Nội")) == "Hà Nội"
    assert fix_mojibake(None) is None


def test_viqr_punctuation_and_escapes():
    assert viqr_to_unicode("Ha` No^.i la` thu? ddo^. Chu+a? DDu+o+`ng") == (
        "Hà Nội là thủ đô. Chưả Đường"
    )
    assert viqr_to_unicode("co' chu+a? DDu+o+`ng") == "có chưa? Đường"
    assert viqr_to_unicode("Ba\\'c") == "Ba'c"
    assert viqr_to_unicode("O+? Ha` Ta^y\\. Chu+a") == "Ở Hà Tây. Chưa"
    assert viqr_to_unicode("ma.\\.") == "mạ."


@pytest.mark.parametrize(
    ("viqr", "meant"),
    [
        # A hook that ends the text, a line or a cell is a tone...
        ("Mo^ ta?", "Mô tả"),
        ("Mo^ ta?  ", "Mô tả  "),
        (
            "Ma~ ta`i lie^.u,Mo^ ta?\r\nHN-01,Ba?n in\n",
            "Mã tài liệu,Mô tả\r\nHN-01,Bản in\n",
        ),
        ('"Mo^ ta?";Ghi chu\'', '"Mô tả";Ghi chú'),
        ("Thu? DDu+'c,Ba?n in\tSo^ng Ca?", "Thủ Đức,Bản in\tSông Cả"),
        # ...but a question mark after a word with a tone already, after a
        # consonant, or after a word that ends questions.
        ("Ha` No^.i?", "Hà Nội?"),
        ("Co' pha?i kho^ng?", "Có phải không?"),
        ("Co' pha?i chu+a?", "Có phải chưa?"),
        ("Ddi dda^u?\nVe^` nha`", "Đi đâu?\nVề nhà"),
        ("Ai?,Sao?", "Ai?,Sao?"),
        ("ddi\\?", "đi?"),
        # A question mark before a space: punctuation before a capital
        # after a word that ends questions or is not capitalized, a hook
        # before a lowercase word.
        ("Anh co' kho^ng? Co'.", "Anh có không? Có."),
        ("Ddi dda^u? Ve^` nha`.", "Đi đâu? Về nhà."),
        ("thu? ddo^", "thủ đô"),
        # A name's dot or hook before the next capitalized word is a tone.
        ("Tu+. DDu+'c na(m thu+' 20", "Tự Đức năm thứ 20"),
        ("TU+. DDU+'C NA(M THU+' 20", "TỰ ĐỨC NĂM THỨ 20"),
        ("(Tu+. DDu+'c)", "(Tự Đức)"),
        ("chi',Tu+. DDu+'c", "chí,Tự Đức"),
        ("Thu? DDu+'c", "Thủ Đức"),
        ("Nghe^. An", "Nghệ An"),
        ("Ha. Long", "Hạ Long"),
        ("Ho^. Xua^n Hu+o+ng", "Hộ Xuân Hương"),
        # A word with a tone already, or in lower case, ends a sentence.
        ("O+? Ha` No^.i. Chu+a", "Ở Hà Nội. Chưa"),
        ("thu? ddo^. Chu+a", "thủ đô. Chưa"),
        ("Hue^'. Ro^`i", "Huế. Rồi"),
        # Shape marks before tone marks, every vowel that takes one.
        ("ho+.p to+. mo+'i ddo+` so+? mo+~", "hợp tợ mới đờ sở mỡ"),
        ("tu+. thu+' nhu+~ng nhu+`ng tu+? tu+", "tự thứ những nhừng tử tư"),
        ("ta(.c na(m ha(`ng ha(?ng ha(~ng ha('c", "tặc năm hằng hẳng hẵng hắc"),
        ("la^.p ca^`n ca^?n ca^~n ca^'n", "lập cần cẩn cẫn cấn"),
        ("Vie^.t nghe^. the^' ke^? the^~ ke^`", "Việt nghệ thế kể thễ kề"),
        ("mo^.t ho^`i co^? mo^~ cho^'", "một hồi cổ mỗ chố"),
        ("O+? A(N A^'T E^. U+` O^~ O+.\\.", "Ở ĂN ẤT Ệ Ừ Ỗ Ợ."),
        ("DDA(.NG Vu+o+ng DDi`nh", "ĐẶNG Vương Đình"),
    ],
)
def test_viqr_words(viqr, meant):
    assert viqr_to_unicode(viqr) == meant


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("nghiêng", True),
        ("Quốc", True),
        ("giữa", True),
        ("khuyếch", True),
        ("TiÕng", False),
        ("Tieáng", False),
        ("hòá", False),
        ("Société", False),
    ],
)
def test_syllable_check(word, expected):
    assert is_vietnamese_syllable(word) is expected


def test_binary_junk_decodes_without_error():
    junk = bytes(range(256)) * 40
    text, encoding = decode_vietnamese(junk)
    assert encoding in ("tcvn3", "vni", "windows-1258", "windows-1252")
    assert len(text) > 0


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("TrÆ°Æ¡ng", ("Æ°", "ư")),
        ("CafÃ© au lait", ("Ã©", "é")),
        ("Ã€ la carte", ("Ã€", "À")),
        ("Tiếng Việt", ("", "")),
        ("“HÔ” và «Hà Nội»", ("", "")),
        ("Société Générale, Núñez — José, 100 €", ("", "")),
        ("北京 景興三十年", ("", "")),
    ],
)
def test_mojibake_left_over_is_found_and_real_text_is_not(text, left):
    assert mojibake_left(text) == left


def test_encoding_damage_names_lost_characters_and_unrepaired_mojibake():
    assert encoding_damage("TrÆ°á»\ufffdng Thi").startswith("holds \ufffd (U+FFFD)")
    assert fix_mojibake("TrÆ°á»\ufffdng Thi") == "TrÆ°á»\ufffdng Thi"
    assert encoding_damage("CafÃ©").startswith("holds 'Ã©', which is 'é'")
    assert encoding_damage("Trường Thi") == ""
    assert encoding_damage("plain ASCII?") == ""
