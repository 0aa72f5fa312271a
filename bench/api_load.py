"""The JSON API under load: ``/api/trace`` against gunicorn on 127.0.0.1, for each server set-up.

wrk (a C client) if it is installed, and a Python ``http.client`` generator in separate processes
in any case; both run for a fixed time and share the machine's CPUs with the workers.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

from bench import TRACE_PAIN
from bench.server import Gunicorn, get, server_configs
from bench.stats import NAN, percentile

PATH = "/api/trace?pain=" + ",".join(TRACE_PAIN)

CLIENT = r"""
import http.client, json, sys, threading, time
port, path, threads, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
lat, errors, lock = [], [0], threading.Lock()
end = time.time() + seconds
def run():
    conn, mine, err = None, [], 0
    while time.time() < end:
        try:
            if conn is None:
                conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            t = time.perf_counter(); conn.request('GET', path); r = conn.getresponse(); r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200: err += 1
            if r.getheader('Connection', '').lower() == 'close': conn.close(); conn = None
        except Exception:
            err += 1; conn = None
    with lock: lat.extend(mine); errors[0] += err
ts = [threading.Thread(target=run) for _ in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
print(json.dumps({'lat': lat, 'errors': errors[0]}))
"""


def python_load(port: int, threads: int, seconds: float, processes: int = 2) -> dict:
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, str(port), PATH, str(threads // processes), str(seconds)],
                              stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    lat, errors = [], 0
    for proc in procs:
        data = json.loads(proc.communicate(timeout=seconds + 60)[0])
        lat += data["lat"]
        errors += data["errors"]
    return {"tool": f"python http.client, {processes} processes x {threads // processes} threads",
            "requests": len(lat), "rps": len(lat) / seconds, "p50_ms": percentile(lat, 50) * 1000,
            "p99_ms": percentile(lat, 99) * 1000, "errors": errors, "seconds": seconds}


def parse_wrk(text: str) -> dict:
    def ms(value: str) -> float:
        number = re.match(r"[\d.]+", value).group()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}.get(value[len(number):], 1)

    out: dict = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else NAN
    for q in ("50", "99"):
        m = re.search(rf"\s{q}(?:\.000)?%\s+([\d.]+\w+)", text)
        out[f"p{q}_ms"] = ms(m.group(1)) if m else NAN
    m = re.search(r"(\d+) requests in", text)
    out["requests"] = int(m.group(1)) if m else 0
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    out["errors"] = errors
    return out


def inprocess_cost(calls: int = 3000) -> dict:
    """CPU time of one /api/trace request inside Flask (test client, no sockets), and of trace() alone."""
    from app import create_app
    from components.domain.data import load_model
    from components.domain.referral import normalise_region_ids, trace

    client = create_app().server.test_client()
    for _ in range(200):
        client.get(PATH)
    t = time.process_time()
    for _ in range(calls):
        client.get(PATH)
    flask_ms = (time.process_time() - t) / calls * 1000
    model = load_model()
    t = time.process_time()
    for _ in range(calls):
        trace(model, normalise_region_ids(",".join(TRACE_PAIN))).as_json()
    trace_ms = (time.process_time() - t) / calls * 1000
    return {"flask_request_ms": flask_ms, "trace_json_ms": trace_ms, "ceiling_2cpu_rps": 2000 / flask_ms}


def polite_client(port: int, until: float, pause: float = 0.1) -> dict:
    """One person's requests beside the load: one at a time, a fresh connection each, ``pause`` apart.

    Issue 19: under ``wrk -c16`` the stock gevent worker made such a client wait up to 7 s. A failed
    request counts as not answered within 2 s; the percentiles are of the answered ones."""
    lat, failed = [], 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            ok = get(port, PATH, timeout=10)[0] == 200
        except OSError:
            ok = False
        if ok:
            lat.append(time.perf_counter() - started)
        else:
            failed += 1
        time.sleep(pause)
    requests = len(lat) + failed
    return {"requests": requests, "failed": failed, "p50_ms": percentile(lat, 50) * 1000,
            "p95_ms": percentile(lat, 95) * 1000, "p99_ms": percentile(lat, 99) * 1000,
            "max_ms": max(lat, default=NAN) * 1000,
            "within_2s": sum(1 for x in lat if x <= 2.0) / requests if requests else NAN}


def load_one(args: list[str], seconds: float) -> dict:
    with Gunicorn(args) as server:
        result: dict = {"command": server.command, "workers": server.workers}
        if shutil.which("wrk"):
            cmd = ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "--latency", server.url + PATH]
            wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            time.sleep(1)  # the load is on before the polite client starts
            result["polite"] = polite_client(server.port, time.monotonic() + seconds - 2)
            text = wrk.communicate(timeout=seconds + 60)[0]
            result["wrk"] = {"tool": "wrk -t2 -c16 --latency", **parse_wrk(text), "seconds": seconds}
        result["python"] = python_load(server.port, threads=8, seconds=seconds)
        result["rss_mb"] = server.worker_rss_mb()
        single = []  # one request alone, new connection: the cost without queueing
        for _ in range(200):
            t = time.perf_counter()
            get(server.port, PATH)
            single.append(time.perf_counter() - t)
        result["single_p50_ms"] = percentile(single, 50) * 1000
        result["alive"] = server.alive()
    return result


def measure(seconds: float) -> dict:
    out: dict = {"path": PATH, "configs": {}}
    for label, args in server_configs():
        print(f"  api_load {label}", flush=True)
        out["configs"][label] = load_one(args, seconds)
    out["inprocess"] = inprocess_cost()
    return out
