"""Choose Tesseract languages from a document's languages and scripts."""

from disan.ocr.images import ocr_image

__all__ = ["choose_languages", "ocr_image"]

VIETNAMESE = "vie"
HAN_HORIZONTAL = "chi_tra"
HAN_VERTICAL = "chi_tra_vert"

# BCP 47 language subtags (and ISO 639-3 codes) per writing family.
_VIETNAMESE_LANGUAGES = {"vi", "vie"}
_HAN_LANGUAGES = {"lzh", "nom", "zh", "zho", "chi", "och", "ltc"}
# ISO 15924 script codes.
_VIETNAMESE_SCRIPTS = {"latn"}
_HAN_SCRIPTS = {"hani", "hant", "hans", "nom"}

_VERTICAL_DIRECTIONS = {
    "right-to-left",
    "rtl",
    "vertical",
    "top-to-bottom",
    "vertical-rl",
}


def choose_languages(
    languages: list[str], scripts: list[str], reading_direction: str
) -> str:
    """Return the ``+``-joined Tesseract languages for a document.

    Vietnamese in quốc ngữ maps to ``vie``; Hán and Nôm to ``chi_tra_vert``
    when the document reads right to left in vertical columns, else
    ``chi_tra``. A document with both gets both, in the order its languages
    then scripts name them. Nothing recognized falls back to ``vie``.
    """
    direction = (reading_direction or "").strip().lower()
    han = HAN_VERTICAL if direction in _VERTICAL_DIRECTIONS else HAN_HORIZONTAL

    chosen = []
    for code in [*map(_language_subtag, languages or []), *_lowered(scripts)]:
        if code in _VIETNAMESE_LANGUAGES or code in _VIETNAMESE_SCRIPTS:
            model = VIETNAMESE
        elif code in _HAN_LANGUAGES or code in _HAN_SCRIPTS:
            model = han
        else:
            continue
        if model not in chosen:
            chosen.append(model)
    return "+".join(chosen) or VIETNAMESE


def _language_subtag(tag):
    """Return the primary subtag of a BCP 47 tag: "vi-VN" -> "vi"."""
    return str(tag).strip().replace("_", "-").split("-")[0].lower()


def _lowered(scripts):
    return [str(script).strip().lower() for script in scripts or []]
