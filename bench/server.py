"""Servers the bench starts itself, all bound to 127.0.0.1: the app under gunicorn, and the floor page."""
from __future__ import annotations

import functools
import http.client
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import ROOT
from bench.processes import free_port, stop_process_group

GUNICORN_CONF = ROOT / "gunicorn.conf.py"
HEALTH_PATH = "/api/regions"


def require_loopback(url: str) -> str:
    """The bench sends load and clicks: only ever to this machine."""
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to measure {url}: the bench talks to 127.0.0.1 only")
    return url.rstrip("/")


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_configs() -> list[tuple[str, list[str]]]:
    """The gunicorn set-ups to measure: the repo's gunicorn.conf.py if there is one, next to the old
    ``-w 2`` sync workers (issue 10 wants both in one run); else ``-w 2`` alone. With
    ``BENCH_STOCK_GEVENT=1``, also gunicorn.conf.py on gunicorn's stock gevent worker (issue 19)."""
    old = ("gunicorn -w 2 (sync workers, no config file)", ["-w", "2", "-k", "sync"])
    if not GUNICORN_CONF.exists():
        return [old]
    configs = [("gunicorn with the repo's gunicorn.conf.py", ["-c", str(GUNICORN_CONF)]),
               (old[0], ["-c", "{empty}", *old[1]])]
    if os.environ.get("BENCH_STOCK_GEVENT"):
        # Issue 19's "before": the same config with gunicorn's own gevent worker, which let one
        # busy keep-alive connection keep a worker to itself.
        configs.insert(1, ("gunicorn.conf.py with the stock gevent worker (-k gevent)",
                           ["-c", str(GUNICORN_CONF), "-k", "gevent"]))
    return configs


class Gunicorn:
    """``gunicorn app:server`` on 127.0.0.1:<free port>, started and stopped by the bench.

    ``args`` default to the first of :func:`server_configs`. ``{empty}`` in args is replaced by an
    empty config file, so gunicorn does not pick up gunicorn.conf.py from the working directory.
    """

    def __init__(self, args: list[str] | None = None, timeout: float = 90.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-gunicorn-")
        empty = Path(self._tmp.name) / "empty.conf.py"
        empty.write_text("")
        args = args if args is not None else server_configs()[0][1]
        self.command = " ".join(["gunicorn", *("<empty file>" if a == "{empty}" else a for a in args),
                                 "app:server"]).replace(str(ROOT) + "/", "")
        args = [str(empty) if a == "{empty}" else a for a in args]
        cmd = [sys.executable, "-m", "gunicorn", *args, "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
               "app:server"]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait(time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise

    def _wait(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                if get(self.port, HEALTH_PATH, timeout=5)[0] == 200:
                    self._wait_workers(deadline)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def _wait_workers(self, deadline: float) -> None:
        """Until the worker count has been steady for a second, then warm every worker up."""
        import psutil

        parent = psutil.Process(self.proc.pid)
        count, steady_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = len(parent.children())
            if now != count:
                count, steady_since = now, time.monotonic()
            elif now and time.monotonic() - steady_since >= 1.0:
                break
            time.sleep(0.1)
        self.workers = max(count, 1)

        def hit():
            for _ in range(10):
                get(self.port, HEALTH_PATH, timeout=30)

        threads = [threading.Thread(target=hit) for _ in range(self.workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def worker_rss_mb(self) -> list[float]:
        import psutil

        try:
            return [round(p.memory_info().rss / 2**20, 1) for p in psutil.Process(self.proc.pid).children()]
        except psutil.Error:
            return []

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        stop_process_group(self.proc, 10)
        self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticSite:
    """Serves one folder on 127.0.0.1:<free port> from a thread (the floor page: same transport as the app)."""

    def __init__(self, folder: Path):
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
