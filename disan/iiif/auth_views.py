"""HTTP side of the IIIF Authorization Flow API 2.0.

The access service sends the reader through the ordinary login and then
closes its window; the token service posts an access token to the viewer's
page; the probe service answers whether the holder of a token (or of the
session) may see an image; the logout service ends the session.
"""

import json
import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from disan.iiif import auth
from disan.iiif.exceptions import AccessRefused, LoginRequired
from disan.iiif.lookups import check_access, find_page

logger = logging.getLogger(__name__)

_PLAIN = "text/plain; charset=utf-8"
_LOGGED_IN = [
    "Đã đăng nhập; có thể đóng cửa sổ này.",
    "Logged in; you may close this window.",
]
_LOGGED_OUT = [
    "Đã đăng xuất; có thể đóng cửa sổ này.",
    "Logged out; you may close this window.",
]
_CONFIRM_LOGOUT = ["Đăng xuất khỏi Di sản?", "Log out of Disan?"]


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def probe(request, image_id):
    """Answer the probe of an image service with an ``AuthProbeResult2``.

    The HTTP status is 200 whatever the outcome; the result's ``status``
    says 200, 401 or 403. The user is the one the bearer token stands for,
    or else the session's.
    """
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    try:
        page = find_page(image_id)
    except Http404 as err:
        return _cors(HttpResponseNotFound(str(err), content_type=_PLAIN))

    token = auth.bearer_token(request)
    user = auth.token_user(token) if token else request.user
    try:
        check_access(user, page.document, image_id)
        status = 200
    except LoginRequired:
        status = 401
    except AccessRefused:
        status = 403
    except Http404 as err:
        return _cors(HttpResponseNotFound(str(err), content_type=_PLAIN))

    body = json.dumps(auth.probe_result(status), ensure_ascii=False)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return _cors(response)


def _cors(response):
    # The probe is called from viewers on any site, with an Authorization
    # header, which browsers first clear with a preflight OPTIONS request.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Headers"] = "Authorization"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    return response


@require_http_methods(["GET"])
def access(request):
    """Log the reader in, then close the window the viewer opened."""
    if not request.user.is_authenticated:
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{query}")
    return render(request, "iiif/auth_window.html", {"lines": _LOGGED_IN})


@xframe_options_exempt
@require_http_methods(["GET"])
def token(request):
    """Post an access token, or the reason there is none, to the viewer.

    The page is loaded in an iframe of the viewer's page, so it may be
    framed by any site; it posts only to the origin the viewer named.
    """
    message_id = request.GET.get("messageId", "")
    origin = _origin(request.GET.get("origin", ""))
    if not message_id or origin is None:
        return HttpResponseBadRequest(
            "The token service needs messageId and origin (scheme://host[:port]) "
            "parameters, as the IIIF Authorization Flow API 2.0 defines.",
            content_type=_PLAIN,
        )

    if request.user.is_authenticated:
        message = {
            "@context": auth.AUTH_CONTEXT,
            "type": "AuthAccessToken2",
            "accessToken": auth.issue_token(request.user),
            "expiresIn": settings.DISAN_IIIF_TOKEN_SECONDS,
            "messageId": message_id,
        }
        logger.info("IIIF access token issued to user %s", request.user.pk)
    else:
        message = {
            "@context": auth.AUTH_CONTEXT,
            "type": "AuthAccessTokenError2",
            "profile": "missingAspect",
            "heading": auth.ACCESS_HEADING,
            "note": auth.ACCESS_NOTE,
            "messageId": message_id,
        }
    response = render(
        request, "iiif/auth_token.html", {"message": message, "origin": origin}
    )
    response["Cache-Control"] = "no-store"
    return response


def _origin(text):
    """Return ``text`` as a web origin, or None if it is not one."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


@require_http_methods(["GET", "POST"])
def logout_service(request):
    """Ask, then end the reader's session and close the window.

    Logging out takes a POST with the CSRF token, so another site cannot log
    a reader out by linking here.
    """
    if request.method == "GET":
        context = {"lines": _CONFIRM_LOGOUT, "logout_form": True}
        return render(request, "iiif/auth_window.html", context)
    logout(request)
    return render(request, "iiif/auth_window.html", {"lines": _LOGGED_OUT})
