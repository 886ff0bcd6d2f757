"""OCR with the Tesseract command-line program, one thread per process.

Tesseract's own OpenMP threading makes a page several times slower on a
busy machine (here a clean 300-dpi page takes ~1.3 s on one thread and 5-6 s
with the default threads), so it runs with ``OMP_THREAD_LIMIT=1`` and the
worker pool gives the parallelism.
"""

import logging
import os
import subprocess
from pathlib import Path

from django.conf import settings

from disan.ocr.engines.base import OcrEngine, OcrResult
from disan.ocr.engines.tsv import parse_tsv
from disan.ocr.exceptions import OcrFailed, OcrUnavailable

logger = logging.getLogger(__name__)

# Page segmentation modes: 3 finds blocks and lines by itself; 5 reads the
# page as one block of vertical columns. The automatic layout finds almost
# nothing on vertical Hán manuscripts, so those get 5.
_PSM_AUTO, _PSM_VERTICAL_BLOCK = "3", "5"

# Seconds allowed for `tesseract --list-langs`.
_LIST_TIMEOUT = 30

_MISSING_DATA_MARKERS = ("Failed loading language", "Error opening data file")


class TesseractEngine(OcrEngine):
    """Run ``DISAN_TESSERACT_CMD`` on a page image and read its TSV output."""

    def __init__(self):
        self._languages = {}

    def recognize(self, image_path: Path, *, languages: str) -> OcrResult:
        """Return the text, lines and words of the image at ``image_path``."""
        image_path = Path(image_path)
        codes = [code for code in (languages or "").split("+") if code.strip()]
        if not codes:
            raise OcrFailed(f"No OCR language given for {image_path.name}.")
        self._require(codes)
        logger.debug("Running Tesseract (%s) on %s", "+".join(codes), image_path)
        if not image_path.is_file():
            raise OcrFailed(f"Image {image_path} does not exist; cannot run OCR.")

        psm = page_segmentation_mode(codes)
        output = self._run(
            [str(image_path), "stdout", "-l", "+".join(codes), "--psm", psm, "tsv"],
            what=image_path.name,
            timeout=settings.DISAN_OCR_TIMEOUT,
        )
        try:
            lines, text = parse_tsv(output)
        except ValueError as err:
            raise OcrFailed(
                f"Tesseract gave unreadable output for {image_path.name}: {err}."
            ) from err
        return OcrResult(text=text, lines=lines, languages="+".join(codes))

    def available_languages(self) -> set[str]:
        """Return the traineddata names Tesseract finds (cached per command)."""
        command = settings.DISAN_TESSERACT_CMD
        if command not in self._languages:
            output = self._run(
                ["--list-langs"], what="--list-langs", timeout=_LIST_TIMEOUT
            )
            names = {
                line.strip()
                for line in output.splitlines()[1:]
                if line.strip() and " " not in line.strip()
            }
            self._languages[command] = names
        return set(self._languages[command])

    def _require(self, codes):
        """Raise ``OcrUnavailable`` naming the package of any missing language."""
        missing = [code for code in codes if code not in self.available_languages()]
        if missing:
            packages = " ".join(debian_package(code) for code in missing)
            raise OcrUnavailable(
                f"Tesseract language data {', '.join(missing)} is not installed. "
                f"Install the Debian package(s): apt install {packages}"
            )

    def _run(self, arguments, *, what, timeout):
        """Run tesseract with one OpenMP thread; return its standard output."""
        command = settings.DISAN_TESSERACT_CMD
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            completed = subprocess.run(
                [command, *arguments],
                capture_output=True,
                env=environment,
                timeout=timeout,
                check=False,
            )
        except (FileNotFoundError, PermissionError, NotADirectoryError) as err:
            raise OcrUnavailable(
                f"Tesseract cannot be run: '{command}' was not found or is not "
                "executable. Install the Debian package tesseract-ocr (with "
                "tesseract-ocr-vie and tesseract-ocr-chi-tra-vert), or set "
                "DISAN_TESSERACT_CMD to the tesseract program."
            ) from err
        except subprocess.TimeoutExpired as err:
            raise OcrFailed(
                f"Tesseract took longer than {timeout} s on {what} and was stopped; "
                "raise DISAN_OCR_TIMEOUT for very large pages."
            ) from err

        stderr = completed.stderr.decode("utf-8", errors="replace")
        if completed.returncode != 0:
            if any(marker in stderr for marker in _MISSING_DATA_MARKERS):
                self._languages.pop(command, None)
                raise OcrUnavailable(
                    f"Tesseract could not load its language data for {what}: "
                    f"{_tail(stderr)}. Install the tesseract-ocr-<language> package."
                )
            raise OcrFailed(
                f"Tesseract exited with status {completed.returncode} on {what}: "
                f"{_tail(stderr)}"
            )
        return completed.stdout.decode("utf-8", errors="replace")


def page_segmentation_mode(codes: list[str]) -> str:
    """Return Tesseract's ``--psm`` for these languages: 5 if all vertical."""
    vertical = bool(codes) and all(code.endswith("_vert") for code in codes)
    return _PSM_VERTICAL_BLOCK if vertical else _PSM_AUTO


def debian_package(code: str) -> str:
    """Return the Debian package holding Tesseract's ``code`` traineddata."""
    return "tesseract-ocr-" + code.lower().replace("_", "-")


def _tail(stderr, lines=3):
    """Keep the last lines of Tesseract's messages, on one line."""
    kept = [line.strip() for line in stderr.splitlines() if line.strip()]
    return " / ".join(kept[-lines:]) or "no message"
