"""The gunicorn worker ``disan serve`` runs: new connections go to idle processes.

A gunicorn process keeps every connection it accepted for as long as the
client keeps it alive, and under the GIL a process uses one core. gunicorn's
threaded worker accepts whenever a connection is waiting, so when a viewer
opens its connections at once, the process that wakes first takes most of
them and the other cores idle while it queues their requests. This worker
takes a new connection only while it has a thread free: the others wait in
the listening socket for a process that can answer them now.

Trade-off: it builds on the internals of gunicorn's threaded worker
(``enqueue_req``, ``finish_request``, ``set_accept_enabled``), so gunicorn is
held to one major version in ``pyproject.toml``;
``tests/core/test_webworkers.py`` fails when those change.
"""

from gunicorn.workers.gthread import ThreadWorker


class IdleFirstWorker(ThreadWorker):
    """A threaded worker that accepts connections only with a thread free."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Requests handed to the thread pool and not finished. Changed only
        # by the worker's main thread, which runs the event loop.
        self.requests_in_hand = 0

    def enqueue_req(self, conn):
        self.requests_in_hand += 1
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.requests_in_hand -= 1
        super().finish_request(conn, fs)

    def accept(self, listener):
        super().accept(listener)
        if not self.has_thread_free():
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled):
        # The event loop enables accepting whenever the connection limit
        # allows; a busy process declines until one of its requests is done.
        super().set_accept_enabled(enabled and self.has_thread_free())

    def has_thread_free(self):
        return self.requests_in_hand < self.cfg.threads
