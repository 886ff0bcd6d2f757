"""Step 4, per page: recognize the text, keeping line and word boxes."""

import logging
import tempfile
from pathlib import Path

from disan.derivatives.images import open_page
from disan.ingest.models import Job
from disan.ingest.steps.derive import master_path
from disan.ocr import get_engine
from disan.ocr.exceptions import OcrUnavailable
from disan.ocr.images import ocr_image
from disan.ocr.languages import choose_languages

logger = logging.getLogger(__name__)

# Pages are read for OCR at this resolution when the master is a PDF.
OCR_PDF_DPI = 300


def run(job):
    """Run OCR on the page; say so and go on when the engine is missing."""
    page = job.page
    document = page.document
    master = page.master_file
    languages = choose_languages(
        document.languages, document.scripts, document.reading_direction
    )

    dpi = OCR_PDF_DPI if master.mime_type == "application/pdf" else None
    with tempfile.TemporaryDirectory(prefix="disan-ocr-") as tmp:
        image = open_page(
            master_path(page), master.mime_type, page.page_in_file, dpi=dpi
        )
        try:
            result = get_engine().recognize(
                ocr_image(image, Path(tmp)), languages=languages
            )
        except OcrUnavailable as err:
            page.ocr_status, page.ocr_message = "unavailable", str(err)
            page.save(update_fields=["ocr_status", "ocr_message"])
            job.status = Job.Status.SKIPPED
            job.message = str(err)
            logger.warning("OCR skipped for page %s: %s", page.pk, err)
            return []

    scale_x = page.width / image.width if image.width else 1.0
    scale_y = page.height / image.height if image.height else 1.0
    page.ocr_text = result.text
    page.ocr_lines = [_scaled(line, scale_x, scale_y) for line in result.lines]
    page.ocr_languages = result.languages
    page.ocr_status = "done"
    page.ocr_message = ""
    page.save(
        update_fields=[
            "ocr_text",
            "ocr_lines",
            "ocr_languages",
            "ocr_status",
            "ocr_message",
        ]
    )
    return []


def _scaled(line, scale_x, scale_y):
    if scale_x == 1.0 and scale_y == 1.0:
        return line

    def box(bbox):
        x, y, w, h = bbox
        return [
            round(x * scale_x),
            round(y * scale_y),
            round(w * scale_x),
            round(h * scale_y),
        ]

    words = [{**word, "bbox": box(word["bbox"])} for word in line.get("words", [])]
    return {**line, "bbox": box(line["bbox"]), "words": words}
