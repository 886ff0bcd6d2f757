"""``disan serve``: the web server and a worker, together."""

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from disan.ingest.workers import run_dir, start_local_worker, stop_local_worker


class Command(BaseCommand):
    help = "Serve the portal, IIIF and staff interface, with a background worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=port_number, default=8000, help="Port (default 8000)."
        )
        parser.add_argument(
            "--workers",
            type=at_least_one,
            default=None,
            help="Web server processes (default one per core).",
        )
        parser.add_argument(
            "--threads",
            type=at_least_one,
            default=4,
            help="Threads per web process (default 4).",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a background worker."
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="Print a line for every request (a tile costs a tenth more).",
        )

    def handle(self, *args, **options):
        check_address(options["host"], options["port"])
        worker = None if options["no_worker"] else start_local_worker()
        env = dict(os.environ, DISAN_HOME=str(settings.DISAN_HOME))
        # glibc gives each thread that mallocs its own arena; with pyvips
        # decoding in several threads a worker grows past a gigabyte that
        # way. Tiles are small: one libvips thread per request is enough, and
        # the requests themselves keep the cores busy.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        env.setdefault("VIPS_CONCURRENCY", "1")
        # numpy's BLAS is never used here; its threads would only be forked.
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        # One process of four threads per core by default. The processes
        # share the connections out evenly (see disan.core.webworkers), and
        # within a process a slow request (a render, or a thread the kernel
        # preempted) no longer holds up the connections queued behind it:
        # libjpeg-turbo, libvips and the socket writes release the GIL.
        # Measured with bench/iiif.py on two cores, 16 connections: p99 of
        # cold and warm tiles 1.65-1.81x and 1.05-1.65x IIPImage's, against
        # 2.7-3.2x for two one-thread processes per core, at the same
        # throughput. A client slow to send its request holds a thread, so
        # before the public put a buffering proxy (nginx, lighttpd) in front.
        workers = options["workers"] or (os.cpu_count() or 1)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                # gunicorn, with every process started at once.
                "disan.core.webserver",
                "disan.iiif.fastpath:serve_application()",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(workers),
                "--worker-class",
                "disan.core.webworkers.IdleFirstWorker",
                # Loaded once and forked: every process answers as soon as
                # the server listens, and they share the pages of the code.
                "--preload",
                "--threads",
                str(options["threads"]),
                "--graceful-timeout",
                "10",
                # gunicorn's longest request line (its default is 4094
                # bytes): a search query edited into the address, past the
                # box's limit, gets the portal's own message instead of a
                # bare "URI Too Long" (a Vietnamese letter is 9 bytes there).
                "--limit-request-line",
                "8190",
                # One control socket per server, not gunicorn's shared default.
                "--control-socket",
                str(run_dir() / f"gunicorn-{options['port']}.ctl"),
                # Off by default: a proxy in front usually keeps the access
                # log, and a line per request costs a tile a tenth of its
                # time here.
                *(["--access-logfile", "-"] if options["access_log"] else []),
            ],
            env=env,
        )
        self.stdout.write(
            f"Disan is serving at http://{options['host']}:{options['port']}/ "
            "(Ctrl+C stops it)"
        )

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            server.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            status = server.wait()
        except KeyboardInterrupt:
            stopping = True
            server.terminate()
            status = server.wait()
        finally:
            if worker is not None:
                stop_local_worker(worker)
        if status and not stopping:
            raise CommandError(
                f"The web server stopped with exit status {status}; "
                "its messages are above.",
                returncode=1,
            )


def port_number(value):
    """An argparse type: a TCP port, 1 to 65535."""
    try:
        port = int(value)
    except ValueError:
        port = None
    if port is None or not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a port; give a whole number from 1 to 65535"
        )
    return port


def at_least_one(value):
    """An argparse type: a whole number, 1 or more."""
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole number of 1 or more"
        )
    return number


def check_address(host, port):
    """Refuse at once an address this machine cannot listen on.

    gunicorn would otherwise retry for a while and then exit, after
    ``disan serve`` had already said it was serving.
    """
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror as err:
        raise CommandError(
            f"Cannot serve at {host}:{port}: {err.strerror}.", returncode=2
        ) from err
    with socket.socket(family, kind, proto) as probe:
        # As gunicorn binds: a port left in TIME_WAIT is free, one that a
        # program listens on is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            raise CommandError(
                f"Cannot serve at {host}:{port}: {err.strerror}. {_hint(err, host)}",
                returncode=2,
            ) from err


def _hint(err, host):
    if err.errno == errno.EADDRINUSE:
        return "Another program is using that port; choose another with --port."
    if err.errno == errno.EADDRNOTAVAIL:
        return (
            f"{host} is not an address of this machine; give one of its own "
            "addresses with --host, 127.0.0.1 (this machine only) or 0.0.0.0 "
            "(every network)."
        )
    if err.errno == errno.EACCES:
        return (
            "Ports below 1024 need administrator rights; choose a port from 1024 "
            "with --port, or put a proxy in front."
        )
    return "Check --host and --port."
