"""HTML excerpts of the original text with the matched words in ``<mark>``.

Matching is done on the folded form, but what is shown is always the text
as written, with its diacritics and case. Instead of folding the whole text
(which would lose the offsets into the original), each query token becomes a
regular expression accepting every accented form of its letters.
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
_WORD_CHAR = f"[^\\W_{vietnamese.CJK_CLASS}]"


@functools.cache
def _letter_variants():
    """Map each ASCII letter to the Latin letters that fold to it."""
    variants = {}
    for code in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = vietnamese.fold(char)
        if len(folded) == 1 and "a" <= folded <= "z":
            variants.setdefault(folded, set()).add(char)
    return {letter: "".join(sorted(chars)) for letter, chars in variants.items()}


def _token_regex(folded_token, prefix=False):
    variants = _letter_variants()
    parts = []
    for char in folded_token:
        if char in variants:
            parts.append(f"[{re.escape(variants[char])}]")
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    if vietnamese.is_cjk(folded_token):
        return body
    if prefix:
        return f"(?<!{_WORD_CHAR}){body}(?:{_WORD_CHAR}|[\u0300-\u036f])*"
    return f"(?<!{_WORD_CHAR}){body}(?!{_WORD_CHAR})"


class Highlighter:
    """Find and mark the tokens of one query in original text."""

    def __init__(self, folded_tokens, prefixes=()):
        """``prefixes`` are folded tokens that also mark words they begin."""
        self.tokens = frozenset(folded_tokens)
        self.prefixes = tuple(prefixes)
        # Longest first, so a token is not shadowed by a shorter one.
        ordered = sorted(self.tokens, key=lambda token: (-len(token), token))
        regexes = [_token_regex(token, token in self.prefixes) for token in ordered]
        self.pattern = re.compile("|".join(regexes), re.IGNORECASE) if ordered else None

    def matches(self, text):
        """Return (match, folded token) pairs of query tokens in ``text``."""
        if self.pattern is None or not text:
            return []
        found = []
        for match in self.pattern.finditer(text, 0, SCAN_CHARS):
            # The pattern is generous about letters; keep true fold matches.
            token = vietnamese.fold(match.group(0))
            if token in self.tokens or token.startswith(self.prefixes):
                found.append((match, self._matched(token)))
                if len(found) == MAX_MATCHES:
                    break
        return found

    def _matched(self, token):
        """Return the query token ``token`` (a folded word) stands for."""
        if token in self.tokens:
            return token
        return next(prefix for prefix in self.prefixes if token.startswith(prefix))

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


def _distinct(found):
    return len({token for _, token in found})


def _window(text, found):
    """Return (start, end) of the excerpt holding the most distinct tokens."""
    best_anchor, best_count = found[0][0], 0
    for index, (anchor, _) in enumerate(found[:MAX_ANCHORS]):
        limit = anchor.start() + SNIPPET_CHARS
        inside = set()
        for match, token in found[index:]:
            if match.end() > limit:
                break
            inside.add(token)
        if len(inside) > best_count:
            best_anchor, best_count = anchor, len(inside)

    start = max(0, best_anchor.start() - CONTEXT_CHARS)
    if start > 0:
        # Begin at a word boundary when one is near, never after the match.
        space = text.find(" ", start, best_anchor.start())
        start = space + 1 if space != -1 else start
    end = _cut_end(text, min(len(text), start + SNIPPET_CHARS))
    return start, max(end, best_anchor.end())


def _cut_end(text, end):
    """Move ``end`` back to a space if one is near, to keep whole words."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - CONTEXT_CHARS, end)
    return space if space > 0 else end


def _render(text, found, start, end):
    pieces = ["…"] if start > 0 else []
    position = start
    for match, _ in found:
        if match.start() < position or match.end() > end:
            continue
        pieces.append(_escape(text[position : match.start()]))
        pieces.append(f"<mark>{_escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(_escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    # Adjacent matches (a run of Hán characters) read as one mark.
    return "".join(pieces).strip().replace("</mark><mark>", "")


def _escape(text):
    return html.escape(_SPACE.sub(" ", text))
