"""Benchmark Disan's IIIF image service against IIPImage on the same pyramids.

    .venv/bin/python bench/iiif.py [--home DIR] [--seconds 10] [--connections 16]

Starts ``disan serve --no-worker`` and Debian's ``iipimage-server`` (two
``iipsrv`` FastCGI processes behind ``lighttpd``), each on a free loopback
port, both reading the pyramidal TIFFs of the same DISAN_HOME. Without
``--home`` a fresh DISAN_HOME is made with ``disan ingest samples --no-ocr``.

Four cases per server, loaded by ``wrk`` (a C client that leaves the CPU to
the servers):

- tiles, cold: both servers restarted and Disan's tile cache cleared; every
  aligned 256 px tile of every page (at every scale factor) asked once, in
  random order, as a viewer asks them (``x,y,w,h/w,/0/default.jpg``);
- tiles, warm: after one pass over all tiles, random tiles for the time
  limit;
- full views, cold: ``full/W,/0/default.jpg`` with W from 1024 down, each
  width of each page once, so no server answers from a cache of outputs;
- full views, warm: ``full/1024,/0/default.jpg`` of random pages.

Prints requests per second, p50 and p99 latency for both servers, Disan's
ratio to IIPImage, and the memory of each server: the RSS summed over its
processes and that of its largest process, sampled during the case.

Cold runs end when every URL has been asked once or at the time limit.
Both servers read the files through the same warm page cache of the
operating system: "cold" means no cache of the servers' own.
"""

import argparse
import json
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DISAN = REPO / ".venv" / "bin" / "disan"
IIPSRV = Path("/usr/lib/iipimage-server/iipsrv.fcgi")
FULL_WIDTH = 1024
TILE = 256

WRK_SCRIPT = textwrap.dedent(
    """
    -- Paths come from a file, one a line. In "once" mode each thread takes
    -- its share in order and stops when it is done, leaving a mark.
    local counter = 1
    local threads = {}

    function setup(thread)
      thread:set("id", #threads)
      table.insert(threads, thread)
    end

    function init(args)
      paths = {}
      for line in io.lines(args[1]) do paths[#paths + 1] = line end
      mode = args[2]
      marks = args[3]
      count = tonumber(args[4])
      counter = id + 1
      finished = false
      math.randomseed(id * 7919 + 17)
    end

    function request()
      local path
      if mode == "once" then
        path = paths[math.min(counter, #paths)]
        counter = counter + count
      else
        path = paths[math.random(#paths)]
      end
      return wrk.format("GET", path)
    end

    function response(status, headers, body)
      if status ~= 200 then
        io.stderr:write("HTTP " .. status .. "\\n")
      end
      if mode == "once" and counter > #paths + count and not finished then
        finished = true
        local mark = io.open(marks .. "/" .. id, "w")
        mark:close()
        wrk.thread:stop()
      end
    end

    function done(summary, latency, requests)
      io.write(string.format(
        "RESULT {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, " ..
        "\\"p99\\": %f, \\"errors\\": %d}\\n",
        summary.requests, summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read +
        summary.errors.write + summary.errors.timeout))
    end
    """
)


def main(argv=None):
    """Run every case on both servers and print the table."""
    options = _parser().parse_args(argv)
    for tool in ("wrk", "lighttpd"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install wrk lighttpd iipimage-server")
    if not IIPSRV.exists():
        sys.exit(f"{IIPSRV} is missing: apt-get install iipimage-server")

    work = Path(tempfile.mkdtemp(prefix="disan-bench-iiif-"))
    home = Path(options.home).resolve() if options.home else _ingest(work / "home")
    pages = _pages(home)
    print(
        f"{len(pages)} pages in {home}; {options.connections} connections, "
        f"{options.seconds} s per case, wrk with {options.threads} threads\n",
        flush=True,
    )
    (work / "wrk.lua").write_text(WRK_SCRIPT)

    disan = DisanServer(home, work, pages[0])
    disan.extra = shlex.split(options.serve_args)
    servers = [disan, IIPImageServer(home, work, pages[0])]
    results = {}
    try:
        for case in ("tiles-cold", "tiles-warm", "full-cold", "full-warm"):
            for server in servers:
                print(f"  {case} on {server.name} ...", file=sys.stderr, flush=True)
                results[case, server.name] = _run_case(
                    case, server, pages, work, options
                )
    finally:
        for server in servers:
            server.stop()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    _print_table(results)
    return 0


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="a DISAN_HOME with ingested documents")
    parser.add_argument("--seconds", type=int, default=10, help="time per case")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (logs)"
    )
    parser.add_argument(
        "--serve-args",
        default="",
        help="further options for disan serve, e.g. '--workers 2 --threads 2'",
    )
    return parser


def _ingest(home):
    home.mkdir(parents=True)
    print(f"ingesting {REPO / 'samples'} into {home} ...", file=sys.stderr)
    subprocess.run(
        [str(DISAN), "ingest", str(REPO / "samples"), "--no-ocr", "--json"],
        env=dict(os.environ, DISAN_HOME=str(home)),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return home


def _pages(home):
    """Return ``(image id, pyramid path, width, height)`` of public pages."""
    code = (
        "import json; from disan.catalog.models import Page;"
        "print(json.dumps([[str(p.id), p.pyramid_path, p.width, p.height] for p in "
        "Page.objects.filter(document__status='online', "
        "document__access_level='public').exclude(pyramid_path='')]))"
    )
    output = subprocess.run(
        [str(DISAN), "shell", "-c", code],
        env=dict(os.environ, DISAN_HOME=str(home)),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = json.loads(output.strip().splitlines()[-1])
    if not pages:
        sys.exit(f"No public online page with a pyramid in {home}; ingest first.")
    return pages


def tile_requests(width, height):
    """Return every aligned tile a viewer asks of a ``width`` x ``height`` image."""
    params = []
    scale = 1
    while True:
        step = TILE * scale
        for y in range(0, height, step):
            for x in range(0, width, step):
                w, h = min(step, width - x), min(step, height - y)
                params.append(f"{x},{y},{w},{h}/{-(-w // scale)},/0/default.jpg")
        if step >= max(width, height):
            return params
        scale *= 2


def _urls(case, server, pages):
    if case.startswith("tiles"):
        urls = [
            server.url(page, params)
            for page in pages
            for params in tile_requests(page[2], page[3])
        ]
    elif case == "full-cold":
        urls = [
            server.url(page, f"full/{FULL_WIDTH - step},/0/default.jpg")
            for page in pages
            for step in range(60)
        ]
    else:
        urls = [server.url(page, f"full/{FULL_WIDTH},/0/default.jpg") for page in pages]
    random.Random(4).shuffle(urls)
    return urls


def _run_case(case, server, pages, work, options):
    cold = case.endswith("cold")
    if cold or not server.running():
        server.restart()
    urls = _urls(case, server, pages)
    if not cold:
        _wrk(server, urls, "once", work, options, seconds=120)
    return _wrk(server, urls, "once" if cold else "random", work, options)


def _wrk(server, urls, mode, work, options, seconds=None):
    """Run wrk over ``urls``; return its figures and the server's memory."""
    seconds = seconds or options.seconds
    (work / "paths.txt").write_text("\n".join(urls) + "\n")
    marks = work / "marks"
    shutil.rmtree(marks, ignore_errors=True)
    marks.mkdir()
    command = [
        "wrk",
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{seconds + 5}s",
        "--timeout",
        "30s",
        "-s",
        str(work / "wrk.lua"),
        f"http://127.0.0.1:{server.port}",
        "--",
        str(work / "paths.txt"),
        mode,
        str(marks),
        str(options.threads),
    ]
    started = time.monotonic()
    client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = (0, 0)

    # Stop the client at the time limit, or in "once" mode as soon as every
    # thread has asked its share; sample the server's memory meanwhile.
    while client.poll() is None:
        elapsed = time.monotonic() - started
        finished = mode == "once" and len(list(marks.iterdir())) >= options.threads
        if finished or elapsed >= seconds:
            break
        total, largest = server.memory()
        memory = (max(memory[0], total), max(memory[1], largest))
        time.sleep(0.01 if mode == "once" else 0.2)
    elapsed = time.monotonic() - started
    client.send_signal(signal.SIGINT)
    out, err = client.communicate()
    line = next(
        (row for row in out.decode().splitlines() if row.startswith("RESULT ")), None
    )
    if line is None:
        sys.exit(f"wrk gave no result:\n{out.decode()}\n{err.decode()}")
    figures = json.loads(line.removeprefix("RESULT "))
    non_ok = err.decode().count("HTTP ")
    return {
        "rps": figures["requests"] / elapsed,
        "requests": figures["requests"],
        "p50": figures["p50"],
        "p99": figures["p99"],
        "errors": figures["errors"] + non_ok,
        "rss_total": memory[0],
        "rss_largest": memory[1],
    }


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_of_tree(root_pid):
    """Return (sum, largest) RSS in MB over ``root_pid`` and its descendants."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    sizes = []
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for row in status.splitlines():
            if row.startswith("VmRSS:"):
                sizes.append(int(row.split()[1]) / 1024)
    return (sum(sizes), max(sizes)) if sizes else (0, 0)


class Server:
    """A server process tree started and stopped by the benchmark."""

    name = ""

    def __init__(self, home, work, probe_page):
        self.home = home
        self.work = work
        self.probe_page = probe_page
        self.process = None
        self.port = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def restart(self):
        self.stop()
        self.port = _free_port()
        self.process = self.start()
        self._wait_ready()

    def _wait_ready(self):
        path = self.url(self.probe_page, "full/64,/0/default.jpg")
        probe = f"http://127.0.0.1:{self.port}{path}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} stopped at start; see {self.work}")
            try:
                with urllib.request.urlopen(probe, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"{self.name} did not answer {probe} within 60 s")

    def memory(self):
        return _rss_of_tree(self.process.pid) if self.running() else (0, 0)

    def stop(self):
        if self.running():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class DisanServer(Server):
    name = "Disan"
    extra = ()

    def start(self):
        shutil.rmtree(self.home / "cache" / "iiif", ignore_errors=True)
        log = open(self.work / "disan.log", "ab")  # noqa: SIM115
        return subprocess.Popen(
            [str(DISAN), "serve", "--no-worker", "--port", str(self.port)]
            + list(self.extra),
            env=dict(os.environ, DISAN_HOME=str(self.home), DISAN_LOG_LEVEL="ERROR"),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def url(self, page, params):
        return f"/iiif/3/images/{page[0]}/{params}"


class IIPImageServer(Server):
    name = "IIPImage"

    def start(self):
        root = self.home / "derivatives"
        config = self.work / "lighttpd.conf"
        config.write_text(
            textwrap.dedent(
                f"""
                server.modules = ("mod_fastcgi")
                server.document-root = "{self.work}"
                server.bind = "127.0.0.1"
                server.port = {self.port}
                server.errorlog = "{self.work}/lighttpd-error.log"
                server.max-keep-alive-requests = 100000
                fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
                    "socket" => "{self.work}/iipsrv-{self.port}.sock",
                    "bin-path" => "{IIPSRV}",
                    "max-procs" => 2,
                    "check-local" => "disable",
                    "bin-environment" => (
                        "LOGFILE" => "{self.work}/iipsrv.log",
                        "VERBOSITY" => "0",
                        "FILESYSTEM_PREFIX" => "{root}/",
                        "JPEG_QUALITY" => "85",
                        "MAX_CVT" => "5000"
                    )
                )))
                """
            )
        )
        return subprocess.Popen(
            ["lighttpd", "-D", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.work / "lighttpd.out", "ab"),  # noqa: SIM115
            start_new_session=True,
        )

    def url(self, page, params):
        return f"/fcgi-bin/iipsrv.fcgi?IIIF={page[1]}/{params}"


def _print_table(results):
    print(
        f"{'case':<12} {'server':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'RSS MB':>7} {'largest':>7}   ratio (Disan/IIPImage)"
    )
    for case in ("tiles-cold", "tiles-warm", "full-cold", "full-warm"):
        ours, theirs = results[case, "Disan"], results[case, "IIPImage"]
        for name, row in (("Disan", ours), ("IIPImage", theirs)):
            ratio = ""
            if name == "Disan" and theirs["rps"]:
                ratio = (
                    f"   {ours['rps'] / theirs['rps']:.2f}x req/s, "
                    f"p99 {ours['p99'] / max(theirs['p99'], 0.001):.2f}x"
                )
            print(
                f"{case:<12} {name:<9} {row['rps']:>8.0f} {row['p50']:>8.2f} "
                f"{row['p99']:>8.2f} {row['errors']:>6d} {row['rss_total']:>7.0f} "
                f"{row['rss_largest']:>7.0f}{ratio}"
            )


if __name__ == "__main__":
    sys.exit(main())
