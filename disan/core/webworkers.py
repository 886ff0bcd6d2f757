"""The gunicorn worker ``disan serve`` runs: connections shared out evenly.

A gunicorn process keeps every connection it accepted for as long as the
client keeps it alive, and under the GIL a process uses one core. gunicorn's
threaded worker accepts whenever a connection is waiting, so when a viewer
opens its connections at once, the process that wakes first takes most of
them and the other cores idle while it queues their requests.

Under :mod:`disan.core.webserver` every process publishes how many
connections it holds, and takes a waiting connection at once only while it
holds no more than any other: sixteen connections opened at once on four
processes are four each within a few requests' time, however busy the
processes are. A process that declined looks again every
``RECHECK_SECONDS`` while connections wait, and takes them anyway when
they have waited ``UNTAKEN_SECONDS`` (a process holding fewer may be stuck,
or gone and not yet replaced). Under plain gunicorn, without those counts,
it takes a connection at once only with a thread free, and while busy at
most one every ``BUSY_ACCEPT_SECONDS``.

Before its first connection a process runs the application's ``warm_up()``,
if it has one, in each thread that will answer requests, and waits for the
processes forked with it (:func:`disan.core.webserver.wait_for_siblings`).

Trade-off: it builds on the internals of gunicorn's threaded worker
(``enqueue_req``, ``finish_request``, ``accept``, ``set_accept_enabled``,
``wait_for_and_dispatch_events``, ``tpool``, ``nr_conns``), so gunicorn is
held to one major version in ``pyproject.toml``;
``tests/core/test_webworkers.py`` fails when those change.
"""

import select
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

from disan.core import webserver

# Without the connection counts of the other processes: least time between
# two connections a busy process accepts, in seconds.
BUSY_ACCEPT_SECONDS = 0.01

# How often a process that declined looks again while connections wait.
RECHECK_SECONDS = 0.001

# How long connections may wait for the processes holding the fewest before
# any process takes them, in seconds.
UNTAKEN_SECONDS = 0.05


class IdleFirstWorker(ThreadWorker):
    """A threaded worker that accepts at once only while it holds the fewest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Requests handed to the thread pool and not finished. Changed only
        # by the worker's main thread, which runs the event loop.
        self.requests_in_hand = 0
        self.last_accept = 0.0
        self.counts, self.slot = None, None
        # Since when connections have waited while this process declined.
        self.declined_since = None

    def run(self):
        self.counts, self.slot = webserver.connection_counts()
        # Before the first connection: the application's first requests in
        # a new process would otherwise keep its first clients waiting.
        warm_up = getattr(self.wsgi, "warm_up", None)
        if warm_up is not None:
            self.warm_up_threads(warm_up)
        # Processes started together take their first connections together
        # (see disan.core.webserver), so none gets them all.
        webserver.wait_for_siblings()
        super().run()

    def warm_up_threads(self, warm_up):
        """Run ``warm_up`` once in each thread that will answer requests.

        Some of what it sets up is kept per thread (Django's database
        connection, for one).
        """
        threads = self.cfg.threads
        together = threading.Barrier(threads)

        def in_one_thread():
            # Each thread holds here until all have started, so that every
            # thread of the pool takes one call.
            try:
                together.wait(webserver.STARTUP_WAIT_SECONDS)
            except threading.BrokenBarrierError:
                pass
            warm_up()

        for done in [self.tpool.submit(in_one_thread) for _ in range(threads)]:
            done.result()

    def enqueue_req(self, conn):
        self.requests_in_hand += 1
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.requests_in_hand -= 1
        super().finish_request(conn, fs)

    def accept(self, listener):
        super().accept(listener)
        self.last_accept = time.monotonic()
        self.publish()
        if not self.may_accept():
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled):
        # The event loop enables accepting whenever the connection limit
        # allows, once per pass; this declines while may_accept() says no.
        super().set_accept_enabled(enabled and self.may_accept())

    def wait_for_and_dispatch_events(self, timeout):
        self.publish()
        if not self._accepting and select.select(self.sockets, [], [], 0)[0]:
            # Declined while connections wait: the others taking them may
            # soon make this process one of those holding the fewest.
            if self.declined_since is None:
                self.declined_since = time.monotonic()
            timeout = min(timeout, RECHECK_SECONDS)
        else:
            self.declined_since = None
        super().wait_for_and_dispatch_events(timeout)

    def publish(self):
        """Tell the other processes how many connections this one holds."""
        if self.counts is not None:
            self.counts[self.slot] = self.nr_conns

    def may_accept(self):
        """Return whether to take a waiting connection now."""
        if self.counts is None:
            # Alone, or under plain gunicorn: idle first.
            return (
                self.requests_in_hand < self.cfg.threads
                or time.monotonic() - self.last_accept >= BUSY_ACCEPT_SECONDS
            )
        others = [
            count
            for slot, count in enumerate(self.counts)
            if count >= 0 and slot != self.slot
        ]
        if not others or self.nr_conns <= min(others):
            return True
        # Connections left waiting by those holding fewer (stuck, or gone
        # and not yet replaced) are taken all the same.
        return (
            self.declined_since is not None
            and time.monotonic() - self.declined_since >= UNTAKEN_SECONDS
        )
