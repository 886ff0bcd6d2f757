"""The gunicorn worker of ``disan serve`` hands new connections to idle processes."""

import http.client
import inspect
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from gunicorn.workers.gthread import ThreadWorker

from disan.core.webworkers import IdleFirstWorker

# A request that holds its process's only thread long enough for every
# connection of the test to be waiting by the time it ends.
APP = textwrap.dedent(
    """
    import os
    import time

    def application(environ, start_response):
        time.sleep(float(environ["QUERY_STRING"] or 0))
        body = str(os.getpid()).encode()
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]
    """
)


def test_gunicorn_still_has_what_the_worker_builds_on():
    def names(function):
        return list(inspect.signature(function).parameters)

    assert names(ThreadWorker.enqueue_req) == ["self", "conn"]
    assert names(ThreadWorker.finish_request) == ["self", "conn", "fs"]
    assert names(ThreadWorker.accept) == ["self", "listener"]
    assert names(ThreadWorker.set_accept_enabled) == ["self", "enabled"]
    assert issubclass(IdleFirstWorker, ThreadWorker)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """Two one-thread processes of the worker, serving ``APP``."""
    (tmp_path / "slow_app.py").write_text(APP)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "slow_app:application",
            "--chdir",
            str(tmp_path),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "1",
            "--worker-class",
            "disan.core.webworkers.IdleFirstWorker",
            "--control-socket",
            str(tmp_path / "gunicorn.ctl"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        # Both processes are up when two slow requests at once meet both.
        while time.monotonic() < deadline:
            try:
                if len(set(ask_at_once(port, 2, 0.2))) == 2:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start two processes in 30 s")
        yield port
    finally:
        process.terminate()
        process.wait(30)


def connect(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    return connection


def get(connection, seconds=0):
    connection.request("GET", f"/?{seconds}")
    return connection.getresponse().read().decode()


def ask_at_once(port, count, seconds, connections=None):
    """Return the process ids that answered ``count`` requests made at once."""
    connections = connections or [connect(port) for _ in range(count)]
    answers = [None] * count

    def ask(number):
        answers[number] = get(connections[number], seconds)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_connections_opened_at_once_are_shared_between_processes(server):
    connections = [connect(server) for _ in range(4)]
    answers = ask_at_once(server, 4, 0.5, connections)

    # A busy process leaves new connections to the idle one: two each.
    assert sorted(answers.count(pid) for pid in set(answers)) == [2, 2]
    # A kept-alive connection stays with the process that took it.
    assert [get(connection) for connection in connections] == answers
