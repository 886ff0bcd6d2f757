"""Text normalization shared by every app: NFC, natural sort keys, word lists."""

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")


def nfc(value):
    """Return ``value`` in Unicode NFC, or ``value`` unchanged if not a string."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def natural_key(name):
    """Sort key putting ``page_2`` before ``page_10``; case-insensitive, NFC."""
    parts = _DIGITS.split(nfc(name).casefold())
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts]


def strip_diacritics(text):
    """Return ``text`` in NFC with every diacritic removed, ``đ`` read as ``d``.

    For codes, keys and ASCII fallbacks; search has its own folding, which
    also puts tone marks in one place first.
    """
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare)


def unique_words(items):
    """Return ``items`` with their spaces made single, each once, in order.

    Empty items are dropped; of items equal once their spaces are made
    single, the first is kept.
    """
    found = []
    for item in items:
        item = " ".join(item.split())
        if item and item not in found:
            found.append(item)
    return found
