"""What the preservation commands print, and what they leave to the log.

`disan audit` and `disan repair` print each fault and each file they act
on. The same lines are logged at ERROR or WARNING for the worker and the
periodic audit, where the log is all anyone reads; when the command's
output and its log both go to one terminal, the log lines are held back so
nothing is shown twice. E-mail alerts are sent either way.
"""

import contextlib
import logging
import sys


def same_terminal(stdout):
    """Return True if ``stdout`` and stderr are both a terminal."""
    return _isatty(stdout) and _isatty(sys.stderr)


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def held_back(names, hold=True):
    """Drop the records of the loggers ``names`` while the block runs."""
    if not hold:
        yield
        return
    loggers = [logging.getLogger(name) for name in names]
    drop = _Drop()
    for logger in loggers:
        logger.addFilter(drop)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(drop)


class _Drop(logging.Filter):
    def filter(self, record):
        return False
