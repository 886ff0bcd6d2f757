"""Text recognition of page images behind a pluggable engine contract."""

from django.conf import settings
from django.utils.module_loading import import_string

from disan.ocr.exceptions import OcrUnavailable

_engines = {}


def get_engine():
    """Return the OCR engine named by ``DISAN_OCR_ENGINE`` (one per path).

    The class is imported on first use, not when Disan starts, so a site
    without OCR never loads it.
    """
    dotted = settings.DISAN_OCR_ENGINE
    engine = _engines.get(dotted)
    if engine is None:
        try:
            engine_class = import_string(dotted)
        except ImportError as err:
            raise OcrUnavailable(
                f"DISAN_OCR_ENGINE is '{dotted}', which cannot be imported: {err}. "
                "Set it to a dotted path such as "
                "'disan.ocr.engines.tesseract.TesseractEngine'."
            ) from err
        engine = _engines[dotted] = engine_class()
    return engine
