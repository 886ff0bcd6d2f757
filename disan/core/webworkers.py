"""The gunicorn worker ``disan serve`` runs: new connections go to idle processes.

A gunicorn process keeps every connection it accepted for as long as the
client keeps it alive, and under the GIL a process uses one core. gunicorn's
threaded worker accepts whenever a connection is waiting, so when a viewer
opens its connections at once, the process that wakes first takes most of
them and the other cores idle while it queues their requests. This worker
takes a new connection at once only while it has a thread free; a busy one
takes at most one every ``BUSY_ACCEPT_SECONDS``, so that when every process
is busy the waiting connections are still shared out, not left waiting for
a process to fall idle.

Trade-off: it builds on the internals of gunicorn's threaded worker
(``enqueue_req``, ``finish_request``, ``accept``, ``set_accept_enabled``),
so gunicorn is held to one major version in ``pyproject.toml``;
``tests/core/test_webworkers.py`` fails when those change.
"""

import time

from gunicorn.workers.gthread import ThreadWorker

# Least time between two connections a busy process accepts, in seconds.
BUSY_ACCEPT_SECONDS = 0.01


class IdleFirstWorker(ThreadWorker):
    """A threaded worker that accepts at once only with a thread free."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Requests handed to the thread pool and not finished. Changed only
        # by the worker's main thread, which runs the event loop.
        self.requests_in_hand = 0
        self.last_accept = 0.0

    def enqueue_req(self, conn):
        self.requests_in_hand += 1
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.requests_in_hand -= 1
        super().finish_request(conn, fs)

    def accept(self, listener):
        super().accept(listener)
        self.last_accept = time.monotonic()
        if not self.may_accept():
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled):
        # The event loop enables accepting whenever the connection limit
        # allows, at least once per finished request; this declines while
        # the process is busy and accepted only a moment ago.
        super().set_accept_enabled(enabled and self.may_accept())

    def may_accept(self):
        """Return whether to take a waiting connection now."""
        return (
            self.requests_in_hand < self.cfg.threads
            or time.monotonic() - self.last_accept >= BUSY_ACCEPT_SECONDS
        )
