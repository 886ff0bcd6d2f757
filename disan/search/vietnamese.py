"""Vietnamese-aware text normalization for search.

Three layers, each built on the one before:

* :func:`normalize` -- NFC, case folded, and every Vietnamese syllable with
  its tone mark on one canonical vowel, so ``hoà`` and ``hòa`` become the
  same string while the diacritics stay;
* :func:`fold` -- :func:`normalize` with every diacritic removed and ``đ``
  written ``d``, so ``duong`` matches ``Đường``;
* :func:`tokenize` -- the normalized words, with every CJK ideograph (Hán,
  Nôm, in any extension block) as a token of its own, because Hán text has
  no spaces between words.
"""

import functools
import re
import unicodedata

# Tone marks (dấu thanh) as combining characters: huyền, sắc, ngã, hỏi,
# nặng. The vowel-quality marks (circumflex, breve, horn) are not tones:
# they are part of the letters â, ă, ê, ô, ơ, ư and never move.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

# Every block of CJK ideographs, including the compatibility ideographs and
# U+3007 (ideographic zero, used in Hán dates).
CJK_RANGES = (
    ("\u3007", "\u3007"),
    ("\u3400", "\u4dbf"),  # Extension A
    ("\u4e00", "\u9fff"),  # Unified Ideographs
    ("\uf900", "\ufaff"),  # Compatibility Ideographs
    ("\U00020000", "\U0002a6df"),  # Extension B (most Nôm)
    ("\U0002a700", "\U0002ebef"),  # Extensions C, D, E, F
    ("\U0002ebf0", "\U0002ee5f"),  # Extension I
    ("\U0002f800", "\U0002fa1f"),  # Compatibility Ideographs Supplement
    ("\U00030000", "\U000323af"),  # Extensions G, H
)
CJK_CLASS = "".join(f"{low}-{high}" for low, high in CJK_RANGES)

# A token is one CJK ideograph, or a run of word characters (letters,
# digits, combining marks) that are not ideographs. Underscore separates.
TOKEN_PATTERN = re.compile(f"[{CJK_CLASS}]|(?:[^\\W_{CJK_CLASS}]|[\u0300-\u036f])+")
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")

# A Vietnamese syllable written without its tone mark: onset consonant(s),
# a vowel nucleus of one to three letters, an optional final consonant.
# Onsets are tried longest first; "gi" and "qu" count as onsets only when a
# vowel follows (so "gìn" is g + i + n but "giá" is gi + a).
_SYLLABLE = re.compile(
    "(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    "([aăâeêioôơuưy]{1,3})"
    "(ch|nh|ng|[cmnpt])?"
)
_QUALITY_VOWELS = frozenset("ăâêôơư")

# Two-vowel rhymes without a final consonant where old and new spelling
# disagree: old "hòa, khỏe, thủy", new "hoà, khoẻ, thuỷ".
_DISPUTED_RHYMES = frozenset({"oa", "oe", "uy"})

# "nghiêng" has seven letters; nothing longer is one syllable.
_LONGEST_SYLLABLE = 7

_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
_COMBINING = re.compile("[\u0300-\u036f]")


def is_cjk(char):
    """Return whether ``char`` is one CJK ideograph."""
    return bool(_CJK_CHAR.fullmatch(char))


def tone_position(bare):
    """Return the index in ``bare`` (a lowercase syllable with no tone mark)
    where the tone mark belongs, or None if it is not a Vietnamese syllable.

    The rule, from Vietnamese orthography:

    1. a vowel carrying a quality mark (ă â ê ô ơ ư) takes the tone; of two
       such vowels (ươ) the second does: "người", "rượu";
    2. a single vowel takes it: "má";
    3. with a final consonant the last vowel takes it: "hoàn", "quyết";
    4. of three vowels the middle one does: "khoái", "ngoẹo", "khuỷu";
    5. of two vowels, the first, as in "mái", "múa", "núi" -- except the
       rhymes oa, oe, uy, where this module puts the tone on the second
       vowel ("hoà", "khoẻ", "thuỷ": the placement of the 1980s school
       reform). Old texts put it on the first; both become the same.
    """
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return None
    onset, nucleus, coda = match.groups()
    start = len(onset or "")

    quality = [i for i, letter in enumerate(nucleus) if letter in _QUALITY_VOWELS]
    if quality:
        return start + quality[-1]
    if len(nucleus) == 1:
        return start
    if coda:
        return start + len(nucleus) - 1
    if len(nucleus) == 3:
        return start + 1
    if nucleus in _DISPUTED_RHYMES:
        return start + 1
    return start


@functools.lru_cache(maxsize=65536)
def _canonical_syllable(word):
    """Return ``word`` (NFC, lowercase) with its tone mark moved to the
    canonical vowel; unchanged if it has no tone or is not a syllable."""
    if len(word) > _LONGEST_SYLLABLE:
        return word
    letters = []
    tone = None
    for char in word:
        decomposed = unicodedata.normalize("NFD", char)
        marks = [mark for mark in decomposed[1:] if mark in TONE_MARKS]
        if marks:
            if tone is not None or len(marks) > 1:
                return word
            tone = marks[0]
            decomposed = "".join(m for m in decomposed if m not in TONE_MARKS)
        letters.append(unicodedata.normalize("NFC", decomposed))
    if tone is None:
        return word

    position = tone_position("".join(letters))
    if position is None:
        return word
    letters[position] = unicodedata.normalize("NFC", letters[position] + tone)
    return "".join(letters)


def _canonical_match(match):
    return _canonical_syllable(match.group(0))


def normalize(text):
    """Return ``text`` in NFC, case folded, with canonical tone placement."""
    return _WORD.sub(_canonical_match, _cased(text))


def _strip_marks(word):
    if len(word) <= _LONGEST_SYLLABLE:
        return _strip_marks_cached(word)
    without = _COMBINING.sub("", unicodedata.normalize("NFD", word))
    return unicodedata.normalize("NFC", without.replace("đ", "d"))


@functools.lru_cache(maxsize=65536)
def _strip_marks_cached(word):
    without = _COMBINING.sub("", unicodedata.normalize("NFD", word))
    return unicodedata.normalize("NFC", without.replace("đ", "d"))


def strip_diacritics(normalized):
    """Return already normalized text without diacritics, ``đ`` as ``d``."""
    return _WORD.sub(lambda match: _strip_marks(match.group(0)), normalized)


def fold(text):
    """Return :func:`normalize` of ``text`` without diacritics, ``đ`` as ``d``."""
    return strip_diacritics(normalize(text))


def tokenize(text):
    """Return the normalized tokens of ``text``, in order.

    Words are runs of letters and digits; each CJK ideograph is a token of
    its own, so a Hán title can be searched one character at a time or as
    a sequence (a phrase of single-character tokens). Each token is
    normalized on its own (see :func:`normalize_token`), so a word written
    against a Hán character ("hòa大") is still a syllable.
    """
    cased = _cased(text)
    # Most text has no ideograph; a simpler pattern splits it three times
    # faster, which counts when indexing a million records.
    pattern = TOKEN_PATTERN if _CJK_CHAR.search(cased) else _PLAIN_TOKEN
    return list(map(_NORMALIZED.__getitem__, pattern.findall(cased)))


def normalize_token(token):
    """Return one token (NFC, case folded) with canonical tone placement."""
    return _NORMALIZED[token]


class _TokenCache(dict):
    """Token -> its form by ``function``, computed on first use.

    Tokens of running text repeat a great deal; looking them up from C (by
    ``map(cache.__getitem__, tokens)``) is most of what makes indexing a
    large collection fast. Past ``MAX_ENTRIES`` the cache starts over.
    """

    MAX_ENTRIES = 200_000

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, token):
        value = self.function(token)
        if len(self) >= self.MAX_ENTRIES:
            self.clear()
        self[token] = value
        return value


def _cased(text):
    # Casefold can leave a decomposed sequence (e.g. from "İ"); compose again.
    folded_case = unicodedata.normalize("NFC", text).casefold()
    return unicodedata.normalize("NFC", folded_case)


_PLAIN_TOKEN = re.compile("(?:[^\\W_]|[\u0300-\u036f])+")
_NORMALIZED = _TokenCache(lambda token: _WORD.sub(_canonical_match, token))
_FOLDED = _TokenCache(lambda token: _strip_marks(token))


def fold_tokens(tokens):
    """Return the diacritic-free form of already normalized ``tokens``."""
    return list(map(_FOLDED.__getitem__, tokens))


# Vietnamese alphabetical order; f, j, w and z (loanwords, foreign names)
# sit where the Latin alphabet puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

# Tones in dictionary order: level (no mark), grave, hook, tilde, acute,
# dot below.
TONE_ORDER = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# Collation key characters. They are ASCII, so comparing keys as code
# points, as UTF-8 bytes or as a search engine's raw terms gives one order:
# word break < tones < digits < letters < every other character (Hán, Nôm
# and other scripts keep their code point order after the Latin letters).
_KEY_WORD_BREAK = "\x01"
_KEY_TONES = {mark: chr(0x02 + rank) for rank, mark in enumerate(TONE_ORDER)}
_KEY_LETTERS = {letter: chr(0x41 + rank) for rank, letter in enumerate(ALPHABET)}
_QUALITY_MARKS = {"\u0306": "ă", "\u0302": "â"}


def sort_key(text):
    """Return a string whose order is the Vietnamese alphabetical order of
    ``text``: letters a ă â b c d đ e ê … y, then the tone of each word.

    Words are compared one after another, each by its letters first and by
    its tone only when the letters are equal, as dictionaries do: ba < bà <
    bả < bã < bá < bạ < bác < bạc < bách < ban. Case, tone placement
    (hoà/hòa), spacing and punctuation do not count: titles differing only
    by them get equal keys, and a backend orders those by its own tie-break.
    """
    return _KEY_WORD_BREAK.join(_word_key(token) for token in tokenize(text or ""))


@functools.lru_cache(maxsize=65536)
def _word_key(word):
    letters = []
    tone = ""
    for char in unicodedata.normalize("NFD", word):
        if char in TONE_MARKS:
            tone = tone or char
        elif unicodedata.combining(char):
            # A vowel-quality mark or horn: make the marked letter again.
            if letters and letters[-1] in _KEY_LETTERS.values():
                base = ALPHABET[ord(letters[-1]) - 0x41]
                marked = unicodedata.normalize("NFC", base + char)
                letters[-1] = _KEY_LETTERS.get(marked, letters[-1])
        elif char == "đ":
            letters.append(_KEY_LETTERS["đ"])
        elif char in _KEY_LETTERS:
            letters.append(_KEY_LETTERS[char])
        elif char.isdigit() and char.isascii():
            letters.append(char)
        else:
            letters.append(char)
    return "".join(letters) + _KEY_TONES[tone]
