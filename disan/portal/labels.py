"""Human labels for codes the catalog and the search index store."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Language codes as catalogued (BCP 47 / ISO 639-3). Codes not listed here
# are shown as they are.
LANGUAGE_NAMES = {
    "vi": gettext_lazy("Vietnamese"),
    "lzh": gettext_lazy("Literary Chinese (Hán)"),
    "zh": gettext_lazy("Chinese"),
    "vi-Hani": gettext_lazy("Vietnamese in Nôm script"),
    "fr": gettext_lazy("French"),
    "en": gettext_lazy("English"),
}


def language_name(code):
    """Return the display name of a language code, or the code itself."""
    return str(LANGUAGE_NAMES.get(code, code))


def century_label(value):
    """Return "19th century"-style text for a century facet value like ``"19"``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    if number <= 0:
        return _("Century %(number)s BCE") % {"number": 1 - number}
    return _("Century %(number)s") % {"number": number}
