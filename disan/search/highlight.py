"""HTML excerpts of the original text with the matched words in ``<mark>``.

Matching is done on the folded form, but what is shown is always the text
as written, with its diacritics and case. Instead of folding the whole text
word by word (which would lose the offsets into the original), each
character is folded on its own into a copy of the same length: every Latin
letter that folds to one ASCII letter becomes that letter, in lower case.
The query words are found in that copy by a pattern of plain words, which
costs next to nothing to build for each query; a match counts when it
begins a word of the original text and that whole word (or, for a prefix,
its beginning) folds to a query word.
"""

import functools
import html
import re

from disan.search import vietnamese

# Characters of an excerpt, and how many of them come before the first
# highlighted word.
SNIPPET_CHARS = 240
CONTEXT_CHARS = 60

# Limitation: only this much of each field is scanned for matches, to keep
# a page of ten results fast when a document has a very long OCR text; a
# word found only further on still matches, but its excerpt is the opening
# of the document, unhighlighted.
SCAN_CHARS = 200_000

# How many matches of one field are weighed when choosing the excerpt, and
# at how many of them an excerpt may start.
MAX_MATCHES = 500
MAX_ANCHORS = 50

_SPACE = re.compile(r"\s+")
# A letter or digit that is not an ideograph: what words are made of.
_WORD_CHAR = re.compile(f"[^\\W_{vietnamese.CJK_CLASS}]|[\u0300-\u036f]")
_WORD_REST = re.compile(f"(?:{_WORD_CHAR.pattern})*")


@functools.cache
def _fold_table():
    """Map each Latin letter folding to one ASCII letter to that letter."""
    table = {}
    for code in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        folded = vietnamese.fold(chr(code))
        if len(folded) == 1 and "a" <= folded <= "z":
            table[code] = folded
    return table


@functools.lru_cache(maxsize=65536)
def _fold_word(word):
    return vietnamese.fold(word)


class Highlighter:
    """Find and mark the tokens of one query in original text."""

    def __init__(self, folded_tokens, prefixes=()):
        """``prefixes`` are folded tokens that also mark words they begin."""
        self.tokens = frozenset(folded_tokens)
        self.prefixes = tuple(prefixes)
        # Longest first, so a token is not shadowed by a shorter one.
        ordered = sorted(self.tokens, key=lambda token: (-len(token), token))
        self.pattern = (
            re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE)
            if ordered
            else None
        )

    def matches(self, text):
        """Return (start, end, folded token) of query tokens in ``text``."""
        if self.pattern is None or not text:
            return []
        text = text[:SCAN_CHARS]
        folded = text.translate(_fold_table())
        found = []
        position = 0
        while len(found) < MAX_MATCHES:
            match = self.pattern.search(folded, position)
            if match is None:
                break
            start = match.start()
            if vietnamese.is_cjk(match.group(0)):
                # An ideograph is a word of its own, whatever stands beside it.
                found.append((start, match.end(), match.group(0)))
                position = match.end()
                continue
            end = _word_end(folded, start)
            position = end
            if start and _WORD_CHAR.match(folded, start - 1):
                continue  # inside a word
            token = self._matched(_fold_word(text[start:end]))
            if token is not None:
                found.append((start, end, token))
        return found

    def _matched(self, word):
        """Return the query token the folded ``word`` stands for, or None."""
        if word in self.tokens:
            return word
        return next((p for p in self.prefixes if word.startswith(p)), None)

    def mark(self, text):
        """Return all of ``text`` escaped, with every match marked."""
        return _render(text, self.matches(text), 0, len(text))

    def snippet(self, fields):
        """Return an excerpt of the field of ``fields`` (best first) that
        matches the most distinct tokens; the opening of the first non-empty
        field when none matches."""
        best = None
        for priority, text in enumerate(fields):
            found = self.matches(text)
            if not found:
                continue
            key = (_distinct(found), -priority)
            if best is None or key > best[0]:
                best = (key, text, found)
        if best is None:
            return plain_snippet(fields)

        _, text, found = best
        start, end = _window(text, found)
        return _render(text, found, start, end)


def plain_snippet(fields):
    """Return the escaped opening of the first non-empty field."""
    for text in fields:
        if text and text.strip():
            end = _cut_end(text, min(len(text), SNIPPET_CHARS))
            return _render(text, [], 0, end)
    return ""


def _word_end(text, start):
    """Return where the word beginning at ``start`` of ``text`` ends."""
    return _WORD_REST.match(text, start).end()


def _distinct(found):
    return len({token for _, _, token in found})


def _window(text, found):
    """Return (start, end) of the excerpt holding the most distinct tokens."""
    best_anchor, best_count = found[0], 0
    for index, anchor in enumerate(found[:MAX_ANCHORS]):
        limit = anchor[0] + SNIPPET_CHARS
        inside = set()
        for _, match_end, token in found[index:]:
            if match_end > limit:
                break
            inside.add(token)
        if len(inside) > best_count:
            best_anchor, best_count = anchor, len(inside)

    anchor_start, anchor_end, _ = best_anchor
    start = max(0, anchor_start - CONTEXT_CHARS)
    if start > 0:
        # Begin at a word boundary when one is near, never after the match.
        space = text.find(" ", start, anchor_start)
        start = space + 1 if space != -1 else start
    end = _cut_end(text, min(len(text), start + SNIPPET_CHARS))
    return start, max(end, anchor_end)


def _cut_end(text, end):
    """Move ``end`` back to a space if one is near, to keep whole words."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - CONTEXT_CHARS, end)
    return space if space > 0 else end


def _render(text, found, start, end):
    pieces = ["…"] if start > 0 else []
    position = start
    for match_start, match_end, _ in found:
        if match_start < position or match_end > end:
            continue
        pieces.append(_escape(text[position:match_start]))
        pieces.append(f"<mark>{_escape(text[match_start:match_end])}</mark>")
        position = match_end
    pieces.append(_escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    # Adjacent matches (a run of Hán characters) read as one mark.
    return "".join(pieces).strip().replace("</mark><mark>", "")


def _escape(text):
    return html.escape(_SPACE.sub(" ", text))
