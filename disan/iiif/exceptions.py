"""Errors of the IIIF image and presentation services."""

from disan.core.exceptions import DisanError


class InvalidRequest(DisanError, ValueError):
    """An Image API request whose parameters break the IIIF 3.0 syntax.

    Views answer it with 400 and the message as plain text, so the message
    names the bad parameter and says what would be accepted.
    """


class PyramidMissing(DisanError, FileNotFoundError):
    """A page is online but its pyramidal TIFF derivative cannot be read."""
