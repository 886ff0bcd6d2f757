"""Vietnamese first: the portal speaks Vietnamese unless a reader chooses English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Choose the language from the reader's choice only, never the browser's.

    Django's own middleware follows Accept-Language, so a reader in Hà Nội
    whose browser is set to English would never see the Vietnamese portal
    first. Here the language-switch cookie decides; without it, Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
