"""Read Vietnamese text in the legacy encodings of old spreadsheets.

Inventories typed before Unicode use TCVN3 (TCVN 5712:1993, the "ABC"
fonts such as .VnTime), VNI (the VNI-Windows fonts such as VNI-Times, where
a toned letter is a base letter followed by a mark byte), VIQR (ASCII
with marks after letters: ``Vie^.t``) or Windows-1258 (base letters plus
combining tone marks). Opened by a program that assumes Windows-1252, they
turn into mojibake: "TiÕng ViÖt" (TCVN3) or "Tieáng Vieät" (VNI).

:func:`decode_vietnamese` finds the encoding of bytes and decodes them;
:func:`fix_mojibake` repairs text already decoded the wrong way. Both
return NFC. The guess rests on :func:`is_vietnamese_syllable`: the right
decoding is the one whose words are Vietnamese syllables.

# Limitation: text typed in a TCVN3 capitals font (.VnTimeH) uses the
# lowercase bytes and so decodes to lowercase; only the font said it was
# upper case, and a CSV file does not carry the font.
"""

import codecs
import re
import unicodedata

from disan.core.text import nfc

# --- TCVN 5712:1993 -----------------------------------------------------------

# Bytes 0x80 to 0xFF of TCVN 5712:1993 (VN1), sixteen to a row. VN3, the
# subset the ABC fonts carry, leaves the capitals with tones out and puts
# them in separate "H" fonts at the lowercase positions.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"
    "éẹềểễếệìỉỄẾỒĩíịò"
    "Ổỏõóọồổỗốộờởỡớợù"
    "ỖủũúụừửữứựỳỷỹýỵỐ"
)
# Capitals VN1 puts at control-code positions.
_TCVN3_LOW = {
    0x01: "Ú",
    0x02: "Ụ",
    0x04: "Ừ",
    0x05: "Ử",
    0x06: "Ữ",
    0x11: "Ứ",
    0x12: "Ự",
    0x13: "Ỳ",
    0x14: "Ỷ",
    0x15: "Ỹ",
    0x16: "Ý",
    0x17: "Ỵ",
}
TCVN3_TABLE = "".join(_TCVN3_LOW.get(byte, chr(byte)) for byte in range(128)) + (
    _TCVN3_HIGH
)
_TCVN3_ENCODING = codecs.charmap_build(TCVN3_TABLE)

# --- VNI ------------------------------------------------------------------------

# Mark bytes of VNI-Windows, lowercase forms; the capital forms are 0x20 lower.
# Tone alone (after a, e, o, ơ, u, ư, y): acute, grave, hook, tilde, dot.
_VNI_TONE = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB}
_VNI_TONE |= {"\u0303": 0xF5, "\u0323": 0xEF}
# Circumflex with no tone or a tone (after a, e, o).
_VNI_CIRCUMFLEX = {"": 0xE2, "\u0301": 0xE1, "\u0300": 0xE0, "\u0309": 0xE5}
_VNI_CIRCUMFLEX |= {"\u0303": 0xE3, "\u0323": 0xE4}
# Breve with no tone or a tone (after a).
_VNI_BREVE = {"": 0xEA, "\u0301": 0xE9, "\u0300": 0xE8, "\u0309": 0xFA}
_VNI_BREVE |= {"\u0303": 0xFC, "\u0323": 0xEB}
# Letters that are one byte of their own: ơ, ư, đ, the toned i and ỵ.
_VNI_SINGLE = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1, "í": 0xED, "ì": 0xEC, "ỉ": 0xE6}
_VNI_SINGLE |= {"ĩ": 0xF3, "ị": 0xF2, "ỵ": 0xEE}

# --- Vietnamese letters and syllables ---------------------------------------------

_TONES = "\u0301\u0300\u0309\u0303\u0323"
_VOWELS = "aăâeêioôơuưy"
LOWERCASE_LETTERS = tuple(
    ["ă", "â", "đ", "ê", "ô", "ơ", "ư"]
    + [unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES]
)
LETTERS = LOWERCASE_LETTERS + tuple(letter.upper() for letter in LOWERCASE_LETTERS)

_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi "
    "ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê iêu yêu oai oay oao oeo uây uôi uya "
    "uyê uyu ươi ươu"
).split()
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
    "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")

ENCODINGS = ("utf-8", "tcvn3", "vni", "windows-1258", "viqr", "windows-1252")


def is_vietnamese_syllable(word):
    """Return whether ``word`` could be one Vietnamese syllable.

    At most one tone mark, on a vowel, and the letters in the order
    Vietnamese spelling allows: onset, vowel cluster, final consonant.
    """
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = [char for char in decomposed if char in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize(
        "NFC", "".join(char for char in decomposed if char not in _TONES)
    )
    return _SYLLABLE.fullmatch(base) is not None


def _judge(text):
    """Return ``(bad, good)``: non-ASCII words that are or are not syllables.

    Control characters other than tab and newline count as bad words.
    """
    bad = sum(
        1
        for char in text
        if (unicodedata.category(char) in ("Cc", "Co", "Cn") or char == "\ufffd")
        and char not in "\t\r\n"
    )
    good = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        if is_vietnamese_syllable(word):
            good += 1
        else:
            bad += 1
    return bad, good


# --- Decoding -----------------------------------------------------------------


def decode(data, encoding):
    """Decode ``data`` from one of :data:`ENCODINGS`; return NFC text."""
    if encoding == "utf-8":
        text = data.decode("utf-8-sig")
    elif encoding == "tcvn3":
        text, _ = codecs.charmap_decode(data, "strict", TCVN3_TABLE)
    elif encoding == "vni":
        text = _vni_to_unicode(data.decode("latin-1"))
    elif encoding == "viqr":
        text = viqr_to_unicode(data.decode("ascii"))
    elif encoding in ("windows-1258", "windows-1252"):
        text = data.decode(encoding, errors="replace")
    else:
        raise ValueError(f"unknown encoding '{encoding}'; use one of {ENCODINGS}")
    return unicodedata.normalize("NFC", text)


def detect_encoding(sample):
    """Return the name, among :data:`ENCODINGS`, that ``sample`` is in.

    UTF-8 wins whenever the bytes are valid UTF-8 (a BOM or not); ASCII is
    VIQR when it looks like it; other bytes take the legacy encoding whose
    decoding has the fewest words that are not Vietnamese syllables.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as err:
        # A sample cut in the middle of a character is still UTF-8.
        if err.start < len(sample) - 3 or err.reason != "unexpected end of data":
            text = None
        else:
            text = sample[: err.start].decode("utf-8")
    if text is not None:
        return "viqr" if text.isascii() and looks_like_viqr(text) else "utf-8"

    scores = {}
    for encoding in ("tcvn3", "vni", "windows-1258", "windows-1252"):
        bad, good = _judge(decode(sample, encoding))
        scores[encoding] = (bad, -good)
    return min(scores, key=lambda name: (scores[name], ENCODINGS.index(name)))


def decode_vietnamese(data):
    """Return ``(text, encoding)``: ``data`` decoded from the encoding found.

    The text is NFC. See :func:`detect_encoding` for how the encoding is
    chosen from the first megabyte.
    """
    encoding = detect_encoding(data[: 1024 * 1024])
    return decode(data, encoding), encoding


def _vni_decoder():
    table = {}
    for letter in LOWERCASE_LETTERS:
        encoded = encode(letter, "vni")
        table[encoded.decode("latin-1")] = letter
        table[encode(letter.upper(), "vni").decode("latin-1")] = letter.upper()
    pairs = sorted(table, key=len, reverse=True)
    return table, re.compile("|".join(map(re.escape, pairs)))


_VNI_DECODER = None


def _vni_to_unicode(text):
    global _VNI_DECODER
    if _VNI_DECODER is None:
        _VNI_DECODER = _vni_decoder()
    table, pattern = _VNI_DECODER
    return pattern.sub(lambda match: table[match[0]], text)


# --- Encoding (for tests and for writing legacy files) -------------------------


def encode(text, encoding):
    """Encode NFC ``text`` into ``encoding``; raise ``UnicodeEncodeError``."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return codecs.charmap_encode(text, "strict", _TCVN3_ENCODING)[0]
    if encoding == "vni":
        return b"".join(_vni_letter(char) for char in text)
    if encoding == "viqr":
        return "".join(_viqr_letter(char) for char in text).encode("ascii")
    if encoding == "windows-1258":
        return b"".join(_cp1258_letter(char) for char in text)
    return text.encode(encoding)


def _split(char):
    """Return ``(base letter with shape marks, tone mark or "")``."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(mark for mark in decomposed if mark in _TONES)
    base = "".join(mark for mark in decomposed if mark not in _TONES)
    return unicodedata.normalize("NFC", base), tone


def _vni_letter(char):
    lower = char.lower()
    shift = 0x20 if char != lower else 0
    if lower in _VNI_SINGLE:
        return bytes([_VNI_SINGLE[lower] - shift])
    base, tone = _split(lower)
    if base in ("â", "ê", "ô"):
        return _ascii_base(base, char) + bytes([_VNI_CIRCUMFLEX[tone] - shift])
    if base == "ă":
        return _ascii_base(base, char) + bytes([_VNI_BREVE[tone] - shift])
    if tone:
        if base in _VNI_SINGLE:
            return bytes([_VNI_SINGLE[base] - shift, _VNI_TONE[tone] - shift])
        return _ascii_base(base, char) + bytes([_VNI_TONE[tone] - shift])
    return char.encode("latin-1")


def _ascii_base(base, char):
    letter = unicodedata.normalize("NFD", base)[0]
    return (letter.upper() if char.isupper() else letter).encode("ascii")


def _cp1258_letter(char):
    try:
        return char.encode("windows-1258")
    except UnicodeEncodeError:
        base, tone = _split(char)
        return base.encode("windows-1258") + tone.encode("windows-1258")


# --- VIQR (RFC 1456) -----------------------------------------------------------

_VIQR_SHAPE = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_VIQR_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_LETTER = re.compile(
    r"\\(?P<escaped>.)|(?P<dd>[dD][dD])"
    r"|(?P<vowel>[aeiouyAEIOUY])(?P<shape>[(^+])?"
    r"(?:(?P<tone>[?.](?=\w|\\|[ \t]+[a-z])|['`~])"
    # A dot or "?" before a capital: a tone or punctuation, by the word.
    r"|(?P<either>[?.](?=[ \t]+[A-Z]))"
    # A "?" that ends the text, a line or a cell: a hook or a question mark.
    r"|(?P<final>\?(?=[ \t]*(?:[\r\n,;\"]|\Z))))?"
)
# Words that end a question and end in a vowel: their final "?" is a
# question mark ("Co' pha?i chu+a?" is "Có phải chưa?").
_QUESTION_WORDS = {"chưa", "sao", "ai", "đâu", "ư"}
_LAST_WORD = re.compile(r"[^\W\d_]*$")
_VIQR_HINT = re.compile(r"[aeiouyAEIOUY](?:[(^+]['`?~.]?|['`?~.]\w)|\b[dD][dD]\w")


def looks_like_viqr(text):
    """Return whether ASCII ``text`` is Vietnamese written in VIQR."""
    words = len(re.findall(r"[A-Za-z]+", text))
    hints = len(_VIQR_HINT.findall(text))
    return words > 0 and hints >= max(2, words // 10)


def viqr_to_unicode(text):
    """Return VIQR ``text`` in Unicode NFC.

    A dot or question mark after a vowel is a tone mark when a letter, or
    a space and a lowercase letter, follow it ("thu? ddo^" is "thủ đô").
    Before a space and a capital it is a tone mark too when the word it
    ends is capitalized and takes the tone as a Vietnamese syllable with
    one tone: names are written in capitalized words ("Tu+. DDu+'c" is
    "Tự Đức", "Thu? DDu+'c" is "Thủ Đức"), while "ddo^. Chu+a" and
    "No^.i. Chu+a" end a sentence. A question mark that ends the text, a
    line or a cell (before a comma, semicolon or double quote) is a hook
    tone when the word it ends takes it as a syllable with one tone ("Mo^
    ta?" is "Mô tả"), unless the word is one that ends a question ("chu+a?",
    "dda^u?", "ai?", "sao?"); a word with a tone already keeps it as
    punctuation ("no^.i?"). Otherwise the mark is punctuation. A backslash
    keeps a mark literal.

    # Limitation: VIQR itself is ambiguous here. A dot-below tone on the
    # last word of a sentence or line ("ma." at the end) is read as
    # punctuation: write "ma.\\." (tone, then an escaped dot). A question
    # mark before a space and a lowercase word is read as a hook ("chu+a?
    # ro^`i" is "chửa rồi"), and so is one ending a question on a word that
    # takes a hook ("ddi?" at the end is "đỉ"): write "ddi\\?". A
    # capitalized word without a tone that ends a sentence before another
    # capital ("Ha` Ta^y. Chu+a") takes the dot as its tone: write
    # "Ta^y\\." for a literal dot.
    """

    def letter(match):
        if match["escaped"]:
            return match["escaped"]
        if match["dd"]:
            return "Đ" if match["dd"][0] == "D" else "đ"
        shape = _VIQR_SHAPE.get(match["shape"] or "", "")
        if match["shape"] and not _valid_shape(match["vowel"], match["shape"]):
            return match[0]
        tone = _VIQR_TONE.get(match["tone"] or "", "")
        toned = unicodedata.normalize("NFC", match["vowel"] + shape + tone)
        mark = match["either"] or match["final"]
        if not mark:
            return toned
        # The word this letter ends: the letters before it, decoded.
        before = match.string[: match.start()]
        start = max(before.rfind(" "), before.rfind("\t")) + 1
        # (A letter after them lets a tone mark they end read as a tone.)
        stem = viqr_to_unicode(before[start:] + "a")[:-1]
        word = _LAST_WORD.search(stem)[0] + toned
        with_tone = unicodedata.normalize("NFC", word + _VIQR_TONE[mark])
        if match["final"]:
            takes_tone = word.casefold() not in _QUESTION_WORDS
        else:
            takes_tone = word[:1].isupper()
        if takes_tone and is_vietnamese_syllable(with_tone):
            return unicodedata.normalize("NFC", toned + _VIQR_TONE[mark])
        return toned + mark

    return nfc(_VIQR_LETTER.sub(letter, text))


def _valid_shape(vowel, shape):
    allowed = {"(": "a", "^": "aeo", "+": "ou"}[shape]
    return vowel.lower() in allowed


def _viqr_letter(char):
    if char.lower() == "đ":
        return "DD" if char == "Đ" else "dd"
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 1:
        return char
    shapes = {mark: key for key, mark in _VIQR_SHAPE.items()}
    tones = {mark: key for key, mark in _VIQR_TONE.items()}
    # VIQR writes the shape mark before the tone, whatever NFD's order.
    marks = decomposed[1:]
    return (
        decomposed[0]
        + "".join(shapes[mark] for mark in marks if mark in shapes)
        + "".join(tones[mark] for mark in marks if mark in tones)
    )


# --- Mojibake -------------------------------------------------------------------


def _windows_1252_bytes(text):
    """Return the bytes a Windows-1252 reader turned into ``text``, or None."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("windows-1252")
        except UnicodeEncodeError:
            # Bytes Windows-1252 leaves undefined come through as C1 controls.
            if ord(char) < 256:
                out.append(ord(char))
            else:
                return None
    return bytes(out)


def fix_mojibake(text):
    """Return ``text`` repaired if it is legacy Vietnamese read as Windows-1252.

    "TiÕng ViÖt" (TCVN3), "Tieáng Vieät" (VNI) and "Tiáº¿ng Viá»‡t" (UTF-8)
    all become "Tiếng Việt". Text is changed only when it has words that
    cannot be Vietnamese and a decoding has fewer of them; anything else,
    French or correct Vietnamese, is returned unchanged (in NFC).
    """
    if not isinstance(text, str) or text.isascii():
        return text
    text = nfc(text)
    # Only text a Windows-1252 reader could have produced can be mojibake;
    # most Vietnamese has a letter outside it and returns here at once.
    raw = _windows_1252_bytes(text)
    if raw is None:
        return text
    bad, good = _judge(text)
    if bad == 0:
        return text

    best, best_score = text, (bad, -good)
    for encoding in ("utf-8", "tcvn3", "vni", "windows-1258"):
        try:
            candidate = decode(raw, encoding)
        except UnicodeDecodeError:
            continue
        candidate_bad, candidate_good = _judge(candidate)
        if (candidate_bad, -candidate_good) < best_score:
            best, best_score = candidate, (candidate_bad, -candidate_good)
    return best


# UTF-8 sequences of two or three bytes, as a Windows-1252 reader sees them.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def mojibake_left(text):
    """Return the first piece of ``text`` that is UTF-8 read as Windows-1252.

    "Æ°" is the two bytes of "ư" shown one by one. Such a piece left after
    :func:`fix_mojibake` could not be repaired, because other parts of the
    text are not mojibake of the same kind or were lost. Returns ``("", "")``
    when there is none, else ``(piece, the letter it was)``; only Latin
    letters count, so symbols after a capital ("Ô”") are not taken for it.
    """
    for run in re.findall(r"[\x80-\uffff]{2,}", text):
        raw = bytearray()
        for char in run:
            # A character outside Windows-1252 ends a sequence.
            raw += _windows_1252_bytes(char) or b"\x00"
        for match in _UTF8_SEQUENCE.finditer(bytes(raw)):
            letter = match[0].decode("utf-8", errors="replace")
            code = ord(letter[0])
            if letter.isalpha() and (0xC0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF):
                return match[0].decode("windows-1252", errors="replace"), letter
    return "", ""


def encoding_damage(text):
    """Return what is wrong with ``text`` from a wrong encoding, or "".

    Text holding U+FFFD, the mark of a byte a decoder could not read, has
    lost characters for good; text still holding mojibake (see
    :func:`mojibake_left`) was not repaired. Either needs retyping.
    """
    if text.isascii():
        return ""
    if "\ufffd" in text:
        return (
            "holds \ufffd (U+FFFD), the mark of characters lost when the text "
            "was read in a wrong encoding; retype it, or save the inventory "
            'again as "CSV UTF-8"'
        )
    piece, letter = mojibake_left(text)
    if piece:
        return (
            f"holds '{piece}', which is '{letter}' read in a wrong encoding, and "
            'cannot be repaired; retype it, or save the inventory again as "CSV '
            'UTF-8"'
        )
    return ""
