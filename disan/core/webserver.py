"""gunicorn as ``disan serve`` runs it: every process started at once.

``python -m disan.core.webserver`` takes gunicorn's command line. gunicorn
forks its processes one by one with a random pause of up to a tenth of a
second after each, so the first process answers while the last is still to
come: connections opened in that time all land on the first processes, and
with kept-alive connections they stay there, queued behind one another, while
the later processes idle. Here the processes are forked one after the other
without a pause; each warms up (see :mod:`disan.core.webworkers`) and takes
connections as soon as it is ready.

Trade-off: it builds on gunicorn's ``Arbiter.spawn_worker`` and on where
``BaseApplication.run`` starts the arbiter, so gunicorn is held to one major
version in ``pyproject.toml``; ``tests/core/test_webworkers.py`` fails when
those change.
"""

import mmap
import multiprocessing
import sys
import threading

from gunicorn.app.base import BaseApplication
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.arbiter import Arbiter

# Longest a new process waits for the others started with it, in seconds.
STARTUP_WAIT_SECONDS = 5.0

# Processes one server can have at once (a slot each for its connection count).
MAX_PROCESSES = 64
_FREE = -1

# The barrier of the processes being forked together, in the process that
# forks them; each inherits it.
_started_together = None
# The connection counts of all processes (shared memory), and the slot of
# the process being forked; each inherits both.
_counts = None
_slot = None


class AllAtOnceArbiter(Arbiter):
    """gunicorn's arbiter, forking the missing processes without pausing.

    Processes started together (at start, or after a reload) take their
    first connection together, once each has warmed up: the server answers
    only when all of them can. Each process publishes how many connections
    it holds in a slot of memory shared by all (:func:`connection_counts`).
    """

    def __init__(self, app):
        super().__init__(app)
        global _counts
        memory = mmap.mmap(-1, 4 * MAX_PROCESSES)
        _counts = memoryview(memory).cast("i")
        for slot in range(MAX_PROCESSES):
            _counts[slot] = _FREE
        self.slots = {}

    def spawn_workers(self):
        global _started_together, _slot
        for pid in [pid for pid in self.slots if pid not in self.WORKERS]:
            _counts[self.slots.pop(pid)] = _FREE
        missing = self.num_workers - len(self.WORKERS)
        if missing > 1:
            _started_together = multiprocessing.get_context("fork").Barrier(missing)
        try:
            for _ in range(missing):
                taken = set(self.slots.values())
                _slot = next(
                    (slot for slot in range(MAX_PROCESSES) if slot not in taken), None
                )
                if _slot is not None:
                    _counts[_slot] = 0
                pid = self.spawn_worker()
                if _slot is not None:
                    self.slots[pid] = _slot
        finally:
            _started_together = _slot = None


def connection_counts():
    """Return ``(counts, slot)``: every process's connections and this one's slot.

    ``counts[slot]`` is this process's to write; a slot of ``-1`` is no
    process. ``(None, None)`` outside :class:`AllAtOnceArbiter`.
    """
    if _counts is None or _slot is None:
        return None, None
    return _counts, _slot


def wait_for_siblings():
    """Wait until the processes forked with this one are ready, or give up.

    Called by each process once it is ready to take connections; returns
    at once in a process forked alone, or outside :class:`AllAtOnceArbiter`.
    """
    if _started_together is None:
        return
    try:
        _started_together.wait(STARTUP_WAIT_SECONDS)
    except threading.BrokenBarrierError:
        # One of them failed or is slow: serve without it.
        pass


class _RunsAllAtOnce(BaseApplication):
    # Stands between gunicorn's Application and BaseApplication, whose run()
    # only starts the arbiter, so Application.run() keeps its own steps.
    def run(self):
        try:
            AllAtOnceArbiter(self).run()
        except RuntimeError as err:
            sys.exit(f"\nError: {err}\n")


class ServerApplication(WSGIApplication, _RunsAllAtOnce):
    """gunicorn's WSGI application runner with :class:`AllAtOnceArbiter`."""


def main():
    ServerApplication("%(prog)s [OPTIONS] [APP_MODULE]", prog="disan serve").run()


if __name__ == "__main__":
    # The processes look up what the arbiter shares with them in the
    # imported module, not in this copy run as __main__.
    from disan.core import webserver

    webserver.main()
