"""Errors of the IIIF image and presentation services."""

from django.core.exceptions import PermissionDenied

from disan.core.exceptions import DisanError


class InvalidRequest(DisanError, ValueError):
    """An Image API request whose parameters break the IIIF 3.0 syntax.

    Views answer it with 400 and the message as plain text, so the message
    names the bad parameter and says what would be accepted.
    """


class PyramidMissing(DisanError, FileNotFoundError):
    """A page is online but its pyramidal TIFF derivative cannot be read."""


class LoginRequired(DisanError, PermissionDenied):
    """A restricted document asked for by someone not logged in.

    Views answer 401 and describe the IIIF Authorization Flow services, so
    a viewer can offer the login; nothing about the image is told.
    """

    def __init__(self, message, *, image_id=None):
        super().__init__(message)
        self.image_id = image_id


class AccessRefused(DisanError, PermissionDenied):
    """A restricted document asked for by a user the access policy refuses."""

    def __init__(self, message, *, image_id=None):
        super().__init__(message)
        self.image_id = image_id
