"""The root of Disan's error classes."""


class DisanError(Exception):
    """Base class of every error Disan raises on purpose."""
