"""IIIF Authorization Flow API 2.0: service descriptions and access tokens.

A restricted image carries a probe service; the probe names the access
service (our login, profile "active"), which names the token and logout
services. Images themselves are sent on the Django session cookie; the
access token only lets a viewer on another page ask the probe service
whether that session may see an image.

Trade-off: a token is signed, not stored, so logging out does not revoke
tokens already handed out before they expire (DISAN_IIIF_TOKEN_SECONDS).
Such a token still only answers the probe; tiles, info.json and manifests
follow the session, which logout ends. A password change revokes tokens at
once. Revisit if the probe ever returns more than an access status.

Limitation: the session cookie is SameSite=Lax (Django's default), so a
viewer on another site gets the login window and the token, but its tile
requests carry no cookie and are refused; serving restricted images to
other sites needs SESSION_COOKIE_SAMESITE="None" with HTTPS.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.urls import reverse

logger = logging.getLogger(__name__)

AUTH_CONTEXT = "http://iiif.io/api/auth/2/context.json"
_SALT = "disan.iiif.auth.token"

# Texts shown by viewers, in both languages of the portal.
ACCESS_LABEL = {"vi": ["Đăng nhập Di sản"], "en": ["Log in to Disan"]}
ACCESS_HEADING = {
    "vi": ["Tài liệu này không công khai"],
    "en": ["This document is not public"],
}
ACCESS_NOTE = {
    "vi": ["Đăng nhập bằng tài khoản được phép xem tài liệu này."],
    "en": ["Log in with an account allowed to see this document."],
}
CONFIRM_LABEL = {"vi": ["Đăng nhập"], "en": ["Log in"]}
LOGOUT_LABEL = {"vi": ["Đăng xuất khỏi Di sản"], "en": ["Log out of Disan"]}
REFUSED_HEADING = {
    "vi": ["Tài khoản không được phép xem"],
    "en": ["Your account may not see this"],
}
REFUSED_NOTE = {
    "vi": ["Hãy liên hệ đơn vị lưu giữ để xin quyền tiếp cận."],
    "en": ["Ask the holding unit for access."],
}


def access_service(base_url):
    """Return the access service with its token and logout services."""
    return {
        "id": base_url + reverse("iiif:auth-access"),
        "type": "AuthAccessService2",
        "profile": "active",
        "label": ACCESS_LABEL,
        "heading": ACCESS_HEADING,
        "note": ACCESS_NOTE,
        "confirmLabel": CONFIRM_LABEL,
        "service": [
            {
                "id": base_url + reverse("iiif:auth-token"),
                "type": "AuthAccessTokenService2",
            },
            {
                "id": base_url + reverse("iiif:auth-logout"),
                "type": "AuthLogoutService2",
                "label": LOGOUT_LABEL,
            },
        ],
    }


def probe_service(image_id, base_url):
    """Return the probe service of the image service ``image_id``."""
    return {
        "id": base_url + reverse("iiif:image-probe", args=[image_id]),
        "type": "AuthProbeService2",
        "service": [access_service(base_url)],
    }


def probe_result(status):
    """Return the probe's answer for an HTTP-like ``status`` (200, 401, 403)."""
    result = {"@context": AUTH_CONTEXT, "type": "AuthProbeResult2", "status": status}
    if status == 401:
        result.update(heading=ACCESS_HEADING, note=ACCESS_NOTE)
    elif status == 403:
        result.update(heading=REFUSED_HEADING, note=REFUSED_NOTE)
    return result


def issue_token(user):
    """Return an access token standing for the logged-in ``user``."""
    payload = {"u": str(user.pk), "h": user.get_session_auth_hash()}
    return signing.dumps(payload, salt=_SALT, compress=True)


def token_user(token):
    """Return the user ``token`` stands for, or an anonymous user.

    Expired, forged and revoked tokens (the user's password changed, or the
    account was disabled) all give the anonymous user.
    """
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=settings.DISAN_IIIF_TOKEN_SECONDS
        )
    except signing.BadSignature as err:
        logger.info("Refused an IIIF access token: %s", err)
        return AnonymousUser()
    user = get_user_model().objects.filter(pk=payload.get("u")).first()
    if (
        user is None
        or not user.is_active
        or user.get_session_auth_hash() != payload.get("h")
    ):
        return AnonymousUser()
    return user


def bearer_token(request):
    """Return the token of an ``Authorization: Bearer`` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
