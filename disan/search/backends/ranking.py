"""The score of a hit, shared by every backend.

A hit's score is 1 plus a relevance share for documents matching every
term with the diacritics as typed, and the relevance share alone for the
others; the share maps a BM25 value (0 to infinity) into 0 to 1, so the
score orders hits as they are returned and never crosses a tier.
"""


def share(relevance):
    """Map a non-negative BM25 value into [0, 1)."""
    relevance = max(relevance, 0.0)
    return relevance / (1.0 + relevance)


def score(raw, exact_boost):
    """Return the score of an engine's ``raw`` score, in which documents of
    the exact tier carry ``exact_boost`` on top of their BM25 value."""
    if raw >= exact_boost:
        return 1.0 + share(raw - exact_boost)
    return share(raw)
