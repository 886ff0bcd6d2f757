"""Template filters for text in a document's own languages."""

from django import template

register = template.Library()

# BCP 47 tags for the catalog's language codes where they differ: Nôm is
# Vietnamese written in Han characters.
_TAGS = {"nom": "vi-Hani"}
# Checked in this order: the text in a document's own script (its original
# title, its OCR text) is in the first of these it has.
_HAN_FIRST = ("lzh", "nom", "vi-Hani", "zh")


@register.filter
def text_lang(document):
    """The ``lang`` tag for a document's original title and OCR text.

    A browser picks Han glyphs and a screen reader its voice from it; the
    page around is in the reader's language.
    """
    languages = list(getattr(document, "languages", None) or [])
    for code in _HAN_FIRST:
        if code in languages:
            return _TAGS.get(code, code)
    if languages:
        return _TAGS.get(languages[0], languages[0])
    return "vi"
