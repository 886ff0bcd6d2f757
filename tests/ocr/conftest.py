"""Shared sample scans used by the OCR tests."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DAI_NAM = SHARED / "samples" / "dai-nam-nhat-thong-chi"
PRINTED = SHARED / "samples" / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"
