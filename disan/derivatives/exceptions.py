"""Errors raised while making derivatives (pyramids, thumbnails) of a page."""

from disan.core.exceptions import DisanError


class DerivativeError(DisanError):
    """A derivative could not be made from a master file."""


class UnsupportedImage(DerivativeError, ValueError):
    """The master's format, or the page asked for, cannot be rendered."""


class ImageTooLarge(DerivativeError, ValueError):
    """The page is larger than ``DISAN_MAX_IMAGE_PIXELS``; refused unread."""


class ImageDecodeError(DerivativeError, ValueError):
    """The master file is corrupt or truncated and cannot be decoded."""


class DerivativeWriteError(DerivativeError, OSError):
    """Writing a derivative failed; nothing was left at its destination."""


class MasterNotFound(DerivativeError, FileNotFoundError):
    """The master file to derive from is not on disk."""


class DerivativePathError(DerivativeError, ValueError):
    """An id or stored path cannot name a file under the derivatives root."""
