"""Soak: simulated users against gunicorn on 127.0.0.1 for a fixed time, per server set-up.

Each user loops over a deep-linked page, ``/_dash-layout``, the server callback that renders the
state (found in ``/_dash-dependencies``; left out, and said so, if the app has none that answers)
and ``/api/trace``, with 0-50 ms of think time. Errors, latency, worker memory, and whether the
server is still up at the end.
"""
from __future__ import annotations

import http.client
import json
import random
import threading
import time

from bench.server import Gunicorn, get, server_configs
from bench.stats import percentile

USERS = 8


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


def soak_one(args: list[str], seconds: float, users: int) -> dict:
    from components.state import State

    with Gunicorn(args) as server:
        port = server.port
        regions = [r["id"] for r in json.loads(get(port, "/api/regions")[1])]
        points = [p["id"] for p in json.loads(get(port, "/api/trigger-points")[1])]
        render = render_step(port)
        if render and post(port, "/_dash-update-component", render(State(tp=points[0]).as_json())) != 200:
            render = None
        lock = threading.Lock()
        stats = {"requests": 0, "errors": 0, "lat": [], "examples": []}
        rss_start = server.worker_rss_mb()
        end = time.monotonic() + seconds

        def user(seed: int) -> None:
            rnd = random.Random(seed)
            lat, n, errors, examples = [], 0, 0, []
            while time.monotonic() < end:
                tp = rnd.choice(points)
                pain = rnd.sample(regions, rnd.randint(0, 3))
                steps = [("GET", f"/?tp={tp}", None), ("GET", "/_dash-layout", None),
                         ("GET", f"/api/trace?pain={','.join(pain) or 'instep'}", None)]
                if render:
                    steps.insert(2, ("POST", "/_dash-update-component",
                                     render(State(tp=tp, pain=tuple(pain)).as_json())))
                for method, path, body in steps:
                    t = time.perf_counter()
                    try:
                        status = post(port, path, body) if body else get(port, path, timeout=15)[0]
                    except Exception as error:  # noqa: BLE001 - a failed request is a result
                        status = repr(error)
                    lat.append(time.perf_counter() - t)
                    n += 1
                    if status != 200:
                        errors += 1
                        examples.append(f"{method} {path} -> {status}")
                time.sleep(rnd.uniform(0.0, 0.05))  # think time: a person, not a load generator
            with lock:
                stats["requests"] += n
                stats["errors"] += errors
                stats["lat"] += lat
                stats["examples"] += examples[:3]

        threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"command": server.command, "seconds": seconds, "users": users, "render_callback": bool(render),
                "requests": stats["requests"], "errors": stats["errors"], "rps": stats["requests"] / seconds,
                "p50_ms": percentile(stats["lat"], 50) * 1000, "p99_ms": percentile(stats["lat"], 99) * 1000,
                "rss_start": rss_start, "rss_end": server.worker_rss_mb(), "examples": stats["examples"][:5],
                "alive": server.alive()}


def measure(seconds: float, users: int = USERS) -> dict:
    out: dict = {"configs": {}}
    for label, args in server_configs():
        print(f"  soak {label} {seconds:g} s", flush=True)
        out["configs"][label] = soak_one(args, seconds, users)
    return out
