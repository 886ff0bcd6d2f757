"""What a user typed into the search box, as terms a backend can match.

Nothing typed is passed on as syntax: the only operators are the implicit
AND between terms, double quotes around a phrase, and ``*`` right after a
word of at least :data:`MIN_PREFIX_CHARS` characters outside quotes, which
makes it a prefix (``Nguy*`` finds Nguyễn, Nguyên, Nguy). Every other
character either belongs to a word (letters, digits, CJK ideographs) or
separates words, so ``NEAR(``, a lone ``*``, ``-``, ``:``, parentheses and
NUL are harmless.

A prefix is never added on its own: "Nguy" finds only the word "nguy".
Prefixes are asked for, because an automatic one on the last word would
turn every finished one-syllable word ("an", "ba") into thousands of
words and flood the results; a search-as-you-type box can add the ``*``.
"""

import dataclasses
import unicodedata

from disan.search import vietnamese

# Only this much of a query is read; the rest is ignored.
MAX_QUERY_CHARS = 1000

# Only this many distinct terms are kept; a query of thousands of words
# would make a backend's expression huge for no better result.
MAX_TERMS = 32

# A shorter word followed by "*" is searched as a word: a one-letter
# prefix would match a large share of the vocabulary.
MIN_PREFIX_CHARS = 2

# A prefix matches at most this many distinct words, the most frequent.
MAX_PREFIX_WORDS = 200


@dataclasses.dataclass(frozen=True)
class Term:
    """Normalized tokens that must occur together, in this order.

    One token is a word or a single Hán character; more than one is a
    phrase: a quoted part of the query, or a run of Hán characters typed
    without spaces (a Hán word is such a run).
    """

    tokens: tuple[str, ...]
    # Whether the one token is a prefix of the words to find.
    prefix: bool = False

    @property
    def folded(self):
        """The tokens without diacritics."""
        return tuple(vietnamese.fold_tokens(self.tokens))


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    """All terms of a query; a document matches when every term does."""

    terms: tuple[Term, ...]

    def __bool__(self):
        return bool(self.terms)

    def tokens(self):
        """Return every distinct normalized token, in query order."""
        return list(dict.fromkeys(t for term in self.terms for t in term.tokens))


def parse(query):
    """Return the :class:`ParsedQuery` of ``query`` (any string, or None)."""
    text = query or ""
    if len(text) > MAX_QUERY_CHARS:
        head = text[:MAX_QUERY_CHARS]
        if not text[MAX_QUERY_CHARS].isspace():
            # The cut fell inside a word: drop the half word, if others remain.
            head = head.rsplit(None, 1)[0]
        text = head
    text = vietnamese.normalize(text.replace("\x00", " "))

    terms = []
    # Even-numbered parts lie outside quotes, odd ones inside; an unmatched
    # quote opens a phrase running to the end of the query.
    for number, part in enumerate(text.split('"')):
        if number % 2:
            tokens = tuple(
                vietnamese.normalize_token(token)
                for token in vietnamese.TOKEN_PATTERN.findall(part)
            )
            if tokens:
                terms.append(Term(tokens))
        else:
            terms.extend(_free_terms(part))
    return ParsedQuery(tuple(dict.fromkeys(terms))[:MAX_TERMS])


def short_prefixes(query):
    """Return the words of ``query`` typed as prefixes but too short for one.

    ``T*`` asks for a one-letter prefix, which is searched as the word "t"
    (see :data:`MIN_PREFIX_CHARS`); a caller may tell the user so.
    """
    text = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY_CHARS])
    short = []
    for part in text.split('"')[::2]:
        for match in vietnamese.TOKEN_PATTERN.finditer(part):
            token = vietnamese.normalize_token(match.group(0))
            if (
                part.startswith("*", match.end())
                and not vietnamese.is_cjk(token)
                and len(token) < MIN_PREFIX_CHARS
            ):
                short.append(match.group(0) + "*")
    return list(dict.fromkeys(short))


def _free_terms(part):
    """Split unquoted text into terms; adjacent ideographs form one."""
    terms = []
    run = []
    run_end = None
    for match in vietnamese.TOKEN_PATTERN.finditer(part):
        token = vietnamese.normalize_token(match.group(0))
        if vietnamese.is_cjk(token) and run and match.start() == run_end:
            run.append(token)
        else:
            if run:
                terms.append(Term(tuple(run)))
                run = []
            if vietnamese.is_cjk(token):
                run = [token]
            else:
                prefix = (
                    part.startswith("*", match.end()) and len(token) >= MIN_PREFIX_CHARS
                )
                terms.append(Term((token,), prefix=prefix))
        run_end = match.end()
    if run:
        terms.append(Term(tuple(run)))
    return terms
