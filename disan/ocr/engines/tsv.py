"""Read Tesseract's TSV output into lines and words with boxes.

Each TSV row is one layout element: level 1 page, 2 block, 3 paragraph,
4 line, 5 word, followed by its box (left, top, width, height), a
confidence and, for words, the text. A vertical column of Hán text comes
out as one line.
"""

import unicodedata

from disan.core.text import nfc

_LINE, _WORD = 4, 5
_COLUMNS = 12


def parse_tsv(output: str) -> tuple[list[dict], str]:
    """Return the lines of a TSV page in reading order, and the page text.

    Lines without any word are left out. In the text, lines are separated
    by a newline and paragraphs by a blank line. Raise ``ValueError`` when
    the output is not Tesseract TSV.
    """
    rows = output.splitlines()
    if not rows or not rows[0].startswith("level\t"):
        raise ValueError("the output does not start with Tesseract's TSV header")

    # Collect each line with the (block, paragraph) it belongs to.
    found = []
    for row in rows[1:]:
        cells = row.split("\t", _COLUMNS - 1)
        if len(cells) < _COLUMNS - 1:
            continue
        level, box = int(cells[0]), [int(value) for value in cells[6:10]]
        if level == _LINE:
            found.append((tuple(cells[1:5]), {"text": "", "bbox": box, "words": []}))
        elif level == _WORD and found and found[-1][0] == tuple(cells[1:5]):
            text = nfc(cells[11].strip()) if len(cells) == _COLUMNS else ""
            if text:
                conf = round(max(float(cells[10]), 0.0), 2)
                found[-1][1]["words"].append({"text": text, "bbox": box, "conf": conf})

    # Join words into lines, and lines into paragraphs.
    lines, parts, paragraph = [], [], None
    for key, line in found:
        if not line["words"]:
            continue
        line["text"] = join_words(word["text"] for word in line["words"])
        if parts and key[:3] != paragraph:
            parts.append("")
        parts.append(line["text"])
        paragraph = key[:3]
        lines.append(line)
    return lines, "\n".join(parts)


def join_words(words) -> str:
    """Join words with spaces, except between two CJK characters.

    Tesseract reports each Hán character as a word; a space between two of
    them is not in the text, while Vietnamese words are space-separated.
    """
    text = ""
    for word in words:
        if text and not (_is_wide(text[-1]) and _is_wide(word[0])):
            text += " "
        text += word
    return text


def _is_wide(char):
    return unicodedata.east_asian_width(char) in ("W", "F")
