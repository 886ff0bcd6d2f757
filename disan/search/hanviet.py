"""Hán-Việt readings of Hán characters, added to the index as extra words.

A reader who cannot type 大南 finds it with ``đại nam`` or ``dai nam``: the
index holds, beside each document's text, the readings of its Hán
characters. The readings are Unihan's ``kVietnamese`` (see
``disan/search/data/README.md``); a character without one adds nothing.
"""

import functools
from pathlib import Path

from disan.search import vietnamese

DATA_FILE = Path(__file__).resolve().parent / "data" / "han_viet.tsv"

# Stands between readings of characters that are not adjacent in the text,
# so a phrase of readings cannot span two separate Hán words. It is
# punctuation, so no query token ever equals it.
GAP = "·"


@functools.cache
def readings():
    """Return {character: (normalized readings, most common first)}."""
    table = {}
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        char, _, values = line.partition("\t")
        table[char] = tuple(vietnamese.normalize(value) for value in values.split())
    return table


def reading_tokens(tokens):
    """Return the reading words of the Hán characters among ``tokens``.

    ``tokens`` come from :func:`vietnamese.tokenize`. Each run of adjacent
    characters with readings gives the first reading of each, in order, so
    a phrase of readings matches the characters in order; runs are parted
    by :data:`GAP`, and the other readings of a character follow at the end.

    # Limitation: a phrase matches only the first reading of each character
    # (the common one for nearly all: 174 of 8,307 characters have more).
    """
    table = readings()
    found_all = list(map(table.get, tokens))
    if not any(found_all):
        # Most documents have no Hán character: decided at C speed.
        return []
    words = []
    others = []
    previous = False
    for found in found_all:
        if not found:
            previous = False
            continue
        if not previous and words:
            words.append(GAP)
        words.append(found[0])
        others.extend(found[1:])
        previous = True
    if others:
        words.append(GAP)
        words.extend(others)
    return words
