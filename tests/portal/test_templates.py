"""Templates never show their authors' notes to readers."""

import re
from pathlib import Path

DISAN = Path(__file__).resolve().parents[2] / "disan"


def test_no_template_comment_spans_lines():
    """Django's {# #} ends at the line's end; a longer one would be printed."""
    open_comments = []
    for template in sorted(DISAN.rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if re.search(r"\{#(?!.*#\})", line):
                open_comments.append(f"{template.relative_to(DISAN)}:{number}")
    assert open_comments == []
