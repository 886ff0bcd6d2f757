"""The Vietnamese catalog is complete, compiles, and the committed .mo is current."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation.template import templatize

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "disan" / "locale" / "vi" / "LC_MESSAGES"
TEMPLATE_ROOTS = (
    REPO / "disan" / "portal" / "templates",
    REPO / "disan" / "targets" / "templates",
)
PYTHON_SOURCES = (
    *sorted((REPO / "disan" / "portal").rglob("*.py")),
    *sorted((REPO / "disan" / "targets").rglob("*.py")),
    REPO / "disan" / "catalog" / "admin.py",
)
TEMPLATE_CALL = re.compile(
    r"(n?gettext)\(u'((?:[^'\\]|\\.)*)'(?:, u'((?:[^'\\]|\\.)*)')?"
)
PYTHON_CALL = re.compile(
    r"\b(?:_|gettext|gettext_lazy)\(\s*\"((?:[^\"\\]|\\.)*)\"\s*\)"
)


def _po_entries():
    """Return (msgid, [msgstr...], flags) of each entry of django.po."""
    entries, current, field, flags = [], None, None, set()
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            current = {
                "msgid": ast.literal_eval(line[6:]),
                "msgstr": [],
                "flags": flags,
            }
            field = "msgid"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr"):
            current["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
            field = "msgstr"
        elif line.startswith('"') and current is not None:
            if field == "msgid":
                current["msgid"] += ast.literal_eval(line)
            elif field == "msgstr":
                current["msgstr"][-1] += ast.literal_eval(line)
        elif not line.strip() and current is not None:
            entries.append(current)
            current, field, flags = None, None, set()
    return entries


def test_every_message_has_a_vietnamese_translation():
    entries = [entry for entry in _po_entries() if entry["msgid"]]
    assert len(entries) >= 139
    untranslated = [
        e["msgid"] for e in entries if not all(e["msgstr"]) or not e["msgstr"]
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed"
)
def test_catalog_compiles_and_committed_mo_is_current(tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            str(compiled),
            str(LOCALE / "django.po"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as committed:
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(fresh)._catalog
        )


def _template_messages():
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for kind, singular, plural in TEMPLATE_CALL.findall(code):
                yield (
                    path.name,
                    kind,
                    ast.literal_eval(f"'{singular}'"),
                    (ast.literal_eval(f"'{plural}'") if plural else None),
                )


def test_every_template_string_is_translated():
    messages = list(_template_messages())
    assert len(messages) >= 100
    missing = []
    with translation.override("vi"):
        for name, kind, singular, plural in messages:
            if kind == "ngettext":
                translated = translation.ngettext(singular, plural, 2) != plural
            else:
                translated = translation.gettext(singular) != singular
            if not translated:
                missing.append((name, singular))
    assert missing == []


def test_every_python_string_of_portal_and_targets_is_translated():
    missing = []
    with translation.override("vi"):
        for path in PYTHON_SOURCES:
            for message in PYTHON_CALL.findall(path.read_text(encoding="utf-8")):
                if translation.gettext(message) == message:
                    missing.append((path.name, message))
    assert missing == []
