"""Errors the portal raises on purpose."""

from disan.core.exceptions import DisanError


class DerivativeUnreadable(DisanError, OSError):
    """A derivative file exists but could not be turned into an access copy."""
