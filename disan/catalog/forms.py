"""Form fields and checks shared by the catalog's staff forms.

Lists of codes (languages, scripts) are chosen from the catalog's
vocabularies; lists of words (keywords, other names) are typed as one line.
Both are stored as the JSON lists the models hold. Written dates are read
by :func:`disan.catalog.importing.values.written_date`, as ``disan import``
reads them.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from disan.catalog.importing.values import CellError, written_date
from disan.catalog.vocabularies import LANGUAGES, SCRIPTS
from disan.core.text import unique_words


class CodeListField(forms.TypedMultipleChoiceField):
    """Codes from a vocabulary, ticked in a list of check boxes.

    A stored code the vocabulary does not know is offered too, ticked and
    marked as such, so saving the form keeps it unless staff untick it.
    The codes are kept in the order stored, new ones after them.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_value", [])
        super().__init__(choices=list(vocabulary.items()), **kwargs)
        self.stored = []

    def keep_stored(self, codes):
        """Offer the codes ``codes`` already stored, known or not."""
        self.stored = [code for code in codes or [] if isinstance(code, str)]
        unknown = [code for code in self.stored if code not in self.vocabulary]
        self.choices = list(self.vocabulary.items()) + [
            (code, _("%(code)s (not in the list)") % {"code": code}) for code in unknown
        ]

    def clean(self, value):
        chosen = super().clean(value) or []
        kept = [code for code in self.stored if code in chosen]
        return kept + [code for code in chosen if code not in kept]


class WordListField(forms.CharField):
    """Words or phrases typed on one line, stored as a list.

    Semicolons separate them; a line without a semicolon is split at its
    commas instead. A single stored phrase holding a comma is shown with a
    closing semicolon so that saving it again keeps it whole.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "Separate them with semicolons (;), or with commas when none"
                " contains a comma."
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            words = [str(word) for word in value]
            text = "; ".join(words)
            if len(words) == 1 and "," in words[0]:
                text += ";"
            return text
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return [str(word) for word in value]
        text = super().to_python(value) or ""
        separator = ";" if ";" in text else ","
        return unique_words(re.split(f"[{separator}\n]", text))

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


def language_field(**kwargs):
    return CodeListField(LANGUAGES, **kwargs)


def script_field(**kwargs):
    return CodeListField(SCRIPTS, **kwargs)


class CatalogForm(forms.ModelForm):
    """A staff form of the catalog: lists as widgets, written dates read.

    ``written_date_fields`` names the fields holding a date as written;
    each is read as ``disan import`` reads it, and a date it cannot read
    or one after this year is refused with the date reader's message.
    """

    written_date_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, CodeListField):
                field.keep_stored(self.initial.get(name))

    def read_written_date(self, name):
        """Return the :class:`ParsedDate` of field ``name``, or ``None``.

        ``None`` also when the field is empty or already in error; a date
        that cannot be read or lies in the future is added as its error.
        """
        if name in self.errors:
            return None
        written = (self.cleaned_data.get(name) or "").strip()
        if not written:
            return None
        try:
            return written_date(written, None)
        except CellError as err:
            self.add_error(name, str(err))
            return None

    def clean(self):
        cleaned = super().clean()
        for name in self.written_date_fields:
            if name in self.changed_data:
                self.read_written_date(name)
        return cleaned
