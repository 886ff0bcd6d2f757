"""Write disan/search/data/han_viet.tsv from Unihan's kVietnamese readings.

Usage: python scripts/han_viet_readings.py [UNIHAN_READINGS] [OUTPUT]

UNIHAN_READINGS is Unihan_Readings.txt, plain or bzip2-compressed; by
default the copy of Debian's ``unicode-data`` package,
/usr/share/unicode/Unihan_Readings.txt.bz2. OUTPUT defaults to the data
file the search app reads. Each output line is one character, a tab and its
readings separated by spaces, in NFC, in code point order.
"""

import bz2
import sys
import unicodedata
from pathlib import Path

DEFAULT_SOURCE = Path("/usr/share/unicode/Unihan_Readings.txt.bz2")
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parents[1] / "disan" / "search" / "data" / "han_viet.tsv"
)
FIELD = "kVietnamese"


def read_lines(source):
    """Return the text lines of ``source``, decompressing a .bz2 file."""
    opener = bz2.open if source.suffix == ".bz2" else open
    with opener(source, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def readings(lines):
    """Return {character: [readings]} from Unihan_Readings.txt lines."""
    found = {}
    version = ""
    for number, line in enumerate(lines, start=1):
        if line.startswith("# Unicode version:"):
            version = line.split(":", 1)[1].strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].startswith("U+"):
            raise ValueError(
                f"line {number} is not 'U+XXXX<TAB>field<TAB>value': {line!r}; "
                "give Unihan_Readings.txt from the Unicode Character Database."
            )
        if parts[1] != FIELD:
            continue
        char = chr(int(parts[0][2:], 16))
        values = [unicodedata.normalize("NFC", value) for value in parts[2].split()]
        found[char] = list(dict.fromkeys(values))
    return version, found


def write(version, found, output):
    """Write the TSV with a header naming the source; return the line count."""
    lines = [
        f"# kVietnamese readings from Unihan_Readings.txt, Unicode {version}.",
        "# Regenerate with scripts/han_viet_readings.py; see README.md here.",
    ]
    lines += [f"{char}\t{' '.join(found[char])}" for char in sorted(found)]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(found)


def main(argv):
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    output = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    if not source.is_file():
        print(
            f"{source} not found: install Debian's unicode-data package "
            "(apt-get install unicode-data) or give the path of "
            "Unihan_Readings.txt from https://www.unicode.org/Public/UCD/latest/.",
            file=sys.stderr,
        )
        return 2
    try:
        version, found = readings(read_lines(source))
    except (ValueError, UnicodeDecodeError, OSError) as err:
        print(f"{source}: {err}", file=sys.stderr)
        return 1
    count = write(version, found, output)
    print(f"Wrote {count} characters with kVietnamese readings to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
