"""Prepare a page image for OCR: greyscale, upright, at canvas size."""

import uuid
from pathlib import Path

import pyvips


def ocr_image(image: pyvips.Image, dest_dir: Path) -> Path:
    """Write ``image`` as an 8-bit greyscale PNG in ``dest_dir``; return its path.

    ``image`` is the upright canvas from
    :func:`disan.derivatives.images.open_page`, so the boxes the engine
    returns are in canvas pixels. The grey is the red channel: black and
    blue ink stay dark while red stamps, seals and punctuation marks (common
    on Hán manuscripts and official papers) fade into the paper. Trade-off:
    text written in red is not recognized; revisit if rubricated documents
    need their red text searchable. PNG at low compression is written and
    decoded by Tesseract faster than TIFF or high-compression PNG.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    grey = image[0] if image.bands >= 3 else image.extract_band(0)
    if grey.format != "uchar":
        grey = grey.cast("uchar")
    grey = grey.copy(interpretation="b-w")

    path = dest_dir / f"ocr-{uuid.uuid4().hex}.png"
    grey.pngsave(str(path), compression=1, strip=True)
    return path
