"""Disan: digitize, preserve, describe and publish documentary heritage."""

__version__ = "0.1.0"
