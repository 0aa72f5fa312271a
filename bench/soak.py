"""Soak: a polite client beside ``wrk -c16`` on 127.0.0.1 for a fixed time, per server set-up (issue 19).

Issue 19's "Done means": under ``wrk -c16`` and a 3-minute soak, *a polite client's* requests keep a
p99 under 100 ms, measured beside the old sync workers. So for each set-up in turn (gunicorn.conf.py,
then ``-w 2`` sync workers): wrk (``-t2 -c16``, keep-alive, no pause) loads ``/api/trace`` for the whole
soak, and one polite client, a person's browser, sends ``/api/trace`` one request at a time, each on a
fresh connection, 100 ms apart, and records every latency: p50/p95/p99/max and the share answered within
2 s. wrk's own numbers (req/s, p99, errors) are kept beside it; without wrk the Python load generator of
``api_load`` takes its place. Worker memory at the start and end, whether the server is still up, and the
machine's load average before and after (the bench shares its CPUs with whatever else runs).

``render_step`` and ``post`` are the server callback's request, shared with tests/test_gunicorn.py.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import threading
import time

from bench import api_load
from bench.server import Gunicorn, get, server_configs


def _outputs(output: str) -> list[dict]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]} for part in parts]


def render_step(port: int):
    """A function state -> POST body for the server callback fed by explorer-state.data, or None."""
    deps = json.loads(get(port, "/_dash-dependencies")[1])
    for dep in deps:
        inputs = [f"{i['id']}.{i['property']}" for i in dep["inputs"]]
        if dep.get("clientside_function") or inputs != ["explorer-state.data"]:
            continue

        # The callback's State values too: the app refuses a request whose count differs (a forgery).
        states = [{"id": s["id"], "property": s["property"], "value": None} for s in dep.get("state", [])]

        def body(state: dict, output=dep["output"]) -> bytes:
            return json.dumps({"output": output, "outputs": _outputs(output),
                               "inputs": [{"id": "explorer-state", "property": "data", "value": state}],
                               "changedPropIds": ["explorer-state.data"], "state": states}).encode()
        return body
    return None


def post(port: int, path: str, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def soak_one(args: list[str], seconds: float) -> dict:
    with Gunicorn(args) as server:
        result: dict = {"command": server.command, "workers": server.workers, "seconds": seconds,
                        "loadavg_start": loadavg(), "rss_start": server.worker_rss_mb()}
        load: dict = {}
        if shutil.which("wrk"):
            cmd = ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "--latency", server.url + api_load.PATH]
            wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            finish = lambda: load.update(  # noqa: E731
                {"tool": "wrk -t2 -c16 --latency", **api_load.parse_wrk(wrk.communicate(timeout=seconds + 60)[0])})
        else:
            thread = threading.Thread(target=lambda: load.update(api_load.python_load(server.port, 16, seconds)))
            thread.start()
            finish = thread.join
        time.sleep(1)  # the load is on before the polite client starts
        result["polite"] = api_load.polite_client(server.port, time.monotonic() + seconds - 2)
        finish()
        result["load"] = load
        result["rss_end"] = server.worker_rss_mb()
        result["alive"] = server.alive()
        result["loadavg_end"] = loadavg()
    return result


def measure(seconds: float) -> dict:
    out: dict = {"path": api_load.PATH, "configs": {}}
    for label, args in server_configs():
        print(f"  soak {label} {seconds:g} s (load average {loadavg()})", flush=True)
        out["configs"][label] = soak_one(args, seconds)
        print(f"    polite {out['configs'][label]['polite']}", flush=True)
    return out
