"""The contract every OCR engine fulfils."""

import abc
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class OcrResult:
    """The text of one page and where each line and word sits on it.

    ``lines`` holds ``{"text", "bbox", "words"}`` dicts, each word a
    ``{"text", "bbox", "conf"}`` dict; every ``bbox`` is ``[x, y, w, h]`` in
    pixels of the image that was recognized (the canvas as displayed).
    ``conf`` is the engine's confidence, 0 to 100. All text is NFC.
    """

    text: str
    lines: list[dict] = field(default_factory=list)
    languages: str = ""


class OcrEngine(abc.ABC):
    """Recognize the text of a page image; subclasses wrap one engine."""

    @abc.abstractmethod
    def recognize(self, image_path: Path, *, languages: str) -> OcrResult:
        """Return the text of the image at ``image_path``.

        ``languages`` is a ``+``-joined list of the engine's language codes
        (see :func:`disan.ocr.languages.choose_languages`). Raise
        ``OcrUnavailable`` when the engine or a language is missing and
        ``OcrFailed`` when the page cannot be read.
        """

    @abc.abstractmethod
    def available_languages(self) -> set[str]:
        """Return the language codes this engine can recognize right now."""
