"""Compare the old gunicorn setup with gunicorn.conf.py, on loopback, in one run.

    python -m scripts.compare_gunicorn [--load 10] [--soak 30] [--rounds 3]

Starts each server in turn on a free 127.0.0.1 port, runs the same load test, soak and
slow-client probe against it, stops it, and prints a markdown table (docs/performance.md,
"Production server"). Three rounds by default, each starting with the next server; a cell
shows each round's value. Every step is bounded: fixed durations and socket timeouts.

- old sync: ``gunicorn -w 2 app:server`` as before (no config file: sync workers, no preload);
- gthread: gunicorn.conf.py with ``-k gthread --threads 4``, the threaded alternative;
- gevent (new): gunicorn.conf.py as shipped.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.processes import at_once, free_port, stop_process_group

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CLIENT_TIMEOUT = 10.0
PROBE_REQUESTS = 10
PAIN = ["instep", "knee-back", "calf-upper-medial", "heel-underside", "sole", "achilles"]


def call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, float]:
    """Status (0 on a timeout or a dropped connection) and seconds taken."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        conn.close()


class Server:
    def __init__(self, name: str, args: list[str]):
        self.name, self.args = name, args
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *self.args, "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", "app:server"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={k: v for k, v in os.environ.items() if k not in ("CALF_DATA_DIR", "WEB_CONCURRENCY")},
        )
        deadline = time.monotonic() + 120
        while call(self.port, "GET", "/api/regions")[0] != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: gunicorn did not start")
            time.sleep(0.3)
        return self

    def __exit__(self, *_):
        stop_process_group(self.proc, 30)

    def workers_rss_mb(self) -> float:
        return sum(child.memory_info().rss for child in psutil.Process(self.proc.pid).children()) / 2 ** 20


def callback_body(port: int, pain: list[str]) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    conn.close()
    output = next(d["output"] for d in deps if d["output"].startswith("..tp-detail-wrap.children"))
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output.strip(".").split("...")]
    return json.dumps({"output": output, "outputs": outputs, "changedPropIds": ["explorer-state.data"], "state": [],
                       "inputs": [{"id": "explorer-state", "property": "data", "value": {"tp": None, "pain": pain}}]}).encode()


def drive(port: int, users: int, seconds: float, steps) -> dict:
    """``users`` threads repeat ``steps(rnd)`` for ``seconds``; latencies of answered requests, and errors."""
    latencies, errors, lock = [], [0], threading.Lock()
    end = time.monotonic() + seconds

    def user(seed: int):
        rnd = random.Random(seed)
        while time.monotonic() < end:
            for method, path, body in steps(rnd):
                status, seconds_taken = call(port, method, path, body)
                with lock:
                    if status == 200:
                        latencies.append(seconds_taken)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 4 * CLIENT_TIMEOUT)
    return {"count": len(latencies), "errors": errors[0], "rate": len(latencies) / seconds,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}


def percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[p - 1] * 1000 if len(values) > 1 else values[0] * 1000


def slow_client_probe(port: int, slow: int) -> dict:
    """``slow`` clients send one header line every 2 s; meanwhile 10 normal requests at once."""
    stop = threading.Event()
    sockets = []
    for _ in range(slow):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT)
            sock.sendall(b"GET /api/regions HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sockets.append(sock)
        except OSError:
            break

    def trickle():
        n = 0
        while not stop.wait(2.0):
            n += 1
            for sock in sockets:
                try:
                    sock.sendall(b"X-Slow-%d: 1\r\n" % n)
                except OSError:
                    pass

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    time.sleep(0.5)  # let the server accept the slow connections first
    # Each thread waits at most CLIENT_TIMEOUT (call's own timeout) for its answer.
    results = at_once(lambda: call(port, "GET", "/api/trace?pain=instep"), PROBE_REQUESTS, 2 * CLIENT_TIMEOUT)
    stop.set()
    for sock in sockets:
        sock.close()
    answered = [seconds for status, seconds in results if status == 200]
    return {"answered": len(answered), "max": max(answered) * 1000 if answered else float("nan")}


def measure(server: Server, load_seconds: float, soak_seconds: float) -> dict:
    port = server.port
    busy = os.getloadavg()[0]
    callbacks = {tuple(p): callback_body(port, list(p)) for p in ([PAIN[0]], PAIN[:2], PAIN[2:4], PAIN[3:])}

    def load_steps(rnd):
        pain = rnd.choice(list(callbacks))
        return [("GET", f"/api/trace?pain={','.join(pain)}", None), ("POST", "/_dash-update-component", callbacks[pain])]

    def soak_steps(rnd):
        pain = rnd.choice(list(callbacks))
        return [("GET", f"/?pain={','.join(pain)}", None), ("GET", "/_dash-layout", None),
                ("GET", f"/api/trace?pain={','.join(pain)}", None), ("POST", "/_dash-update-component", callbacks[pain]),
                ("GET", f"/handout?pain={','.join(pain)}", None)]

    drive(port, 2, 2, load_steps)  # warm-up
    result = {"load": drive(port, 8, load_seconds, load_steps)}
    rss_before = server.workers_rss_mb()
    result["soak"] = drive(port, 4, soak_seconds, soak_steps)
    result["rss"] = (rss_before, server.workers_rss_mb())
    result["slow2"] = slow_client_probe(port, 2)
    result["slow30"] = slow_client_probe(port, 30)
    result["alive"] = call(port, "GET", "/api/regions")[0] == 200
    result["busy"] = busy
    return result


def table(results: dict[str, list[dict]], load_seconds: float, soak_seconds: float) -> str:
    """One column per server; where there were several rounds, a cell lists each round's value."""
    names = list(results)

    def ms(value: float) -> str:
        return "–" if value != value else f"{value:.0f}"  # NaN: no request was answered

    def row(label, cell):
        return f"| {label} | " + " | ".join(" · ".join(cell(r) for r in results[name]) for name in names) + " |"

    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines += [
        row(f"load: req/s (8 clients, {load_seconds:g} s)", lambda r: f"{r['load']['rate']:.0f}"),
        row("load: p50 / p95 ms", lambda r: f"{r['load']['p50']:.0f} / {r['load']['p95']:.0f}"),
        row("load: errors", lambda r: str(r["load"]["errors"])),
        row(f"soak: requests (4 users, {soak_seconds:g} s)", lambda r: str(r["soak"]["count"])),
        row("soak: p50 / p95 ms", lambda r: f"{r['soak']['p50']:.0f} / {r['soak']['p95']:.0f}"),
        row("soak: errors", lambda r: str(r["soak"]["errors"])),
        row("soak: workers' RSS MB, start -> end", lambda r: f"{r['rss'][0]:.0f} -> {r['rss'][1]:.0f}"),
        row("2 slow clients: answered of 10 (10 s timeout)", lambda r: str(r["slow2"]["answered"])),
        row("2 slow clients: slowest answer ms", lambda r: ms(r["slow2"]["max"])),
        row("30 slow clients: answered of 10 (10 s timeout)", lambda r: str(r["slow30"]["answered"])),
        row("30 slow clients: slowest answer ms", lambda r: ms(r["slow30"]["max"])),
        row("still serving afterwards", lambda r: "yes" if r["alive"] else "no"),
        row("machine load average (1 min) at the start", lambda r: f"{r['busy']:.1f}"),
    ]
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    import gunicorn

    return (f"{cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2 ** 30:.0f} GiB; Python "
            f"{platform.python_version()}, gunicorn {gunicorn.__version__}; "
            f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", type=float, default=10, help="seconds of load per server")
    parser.add_argument("--soak", type=float, default=30, help="seconds of soak per server")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all servers, each starting with the next")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        # The old setup had no config file; this one only keeps gunicorn's control socket off,
        # so the runs do not fight over its fixed path.
        old_config = Path(tmp) / "old.conf.py"
        old_config.write_text("control_socket_disable = True\n")
        configs = {
            "old sync (-w 2)": ["-c", str(old_config)],
            "gthread (2 x 4 threads)": ["-c", "gunicorn.conf.py", "-k", "gthread", "--threads", "4"],
            "gevent (new config)": ["-c", "gunicorn.conf.py"],
        }
        results = {name: [] for name in configs}
        for round_number in range(args.rounds):
            # Each round starts with the next server, so that other work on a shared machine
            # does not always land on the same server.
            order = list(configs)[round_number % len(configs):] + list(configs)[:round_number % len(configs)]
            for name in order:
                print(f"round {round_number + 1}: measuring {name} ...", file=sys.stderr, flush=True)
                with Server(name, configs[name]) as server:
                    results[name].append(measure(server, args.load, args.soak))
    print(f"Machine: {machine()}; load average at the end {' / '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(table(results, args.load, args.soak))
    return 0


if __name__ == "__main__":
    sys.exit(main())
