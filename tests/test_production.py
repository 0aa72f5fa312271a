"""The app as it runs in production: ``gunicorn -w 2 app:server`` on 127.0.0.1.

Two workers must answer the same links identically (each builds the app on its own after the
fork), every kind of response carries the security headers, and nothing of Werkzeug's
debugger is reachable when the app is not started with --debug.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.processes import free_port, stop_process_group

ROOT = Path(__file__).resolve().parent.parent

DEEP_LINKS = [
    "/?tp=gastrocnemius-tp1",
    "/?pain=instep",
    "/_dash-layout",
    "/_dash-dependencies",
    "/api/trace?pain=instep,knee-back",
    "/api/regions",
]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def request(port: int, path: str, method: str = "GET", body: bytes | None = None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """Two workers, as gunicorn.conf.py sets them up; the access log records which worker (pid) answered each request."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "app:server"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={k: v for k, v in os.environ.items() if k not in ("CALF_DATA_DIR",)},
    )
    deadline = time.time() + 90
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                if request(port, "/api/regions")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("gunicorn did not start within 90 s")
            time.sleep(0.2)
        yield {"port": port, "log": log, "proc": proc}
    finally:
        stop_process_group(proc, 15)


def normalise(body: bytes) -> bytes:
    """Dash 4 puts a fresh random token ("end_id") into every page's _dash-config; nothing else may differ."""
    return re.sub(rb'"end_id":"[^"]*"', b'"end_id":"*"', body)


def worker_pids(log: Path, path_prefix: str = "") -> set[str]:
    pids = set()
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2].startswith(path_prefix):
            pids.add(parts[0].lstrip("<").rstrip(">"))
    return pids


def test_two_workers_answer_deep_links_identically(gunicorn):
    port = gunicorn["port"]
    answers: dict[str, set[bytes]] = {path: set() for path in DEEP_LINKS}
    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()

    def client():
        for _ in range(4):
            for path in DEEP_LINKS:
                status, _, body = request(port, path)
                with lock:
                    statuses.append((path, status))
                    answers[path].add(normalise(body))

    # Concurrent clients, so that both workers are busy and both answer.
    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == 6 * 4 * len(DEEP_LINKS)  # 144 requests, 24 per link
    assert {s for _, s in statuses} == {200}, [x for x in statuses if x[1] != 200][:5]
    for path, bodies in answers.items():
        assert len(bodies) == 1, f"{path} differs between requests/workers ({len(bodies)} variants)"
    time.sleep(0.5)  # the access log is written after the response
    pids = worker_pids(gunicorn["log"])
    assert len(pids) == 2, f"expected both workers to answer, the access log shows pids {pids}"


def test_deep_link_page_and_api_content(gunicorn):
    port = gunicorn["port"]
    status, headers, body = request(port, "/api/trace?pain=instep,knee-back")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["pain"] == ["instep", "knee-back"]
    assert data["ranking"], "instep is referred to by at least one point"
    status, _, body = request(port, "/?tp=gastrocnemius-tp1")
    assert status == 200
    assert b"_dash-config" in body and b"dash-renderer" in body


@pytest.mark.parametrize(
    "kind, path, expected",
    [
        ("page", "/?tp=gastrocnemius-tp1", 200),
        ("layout", "/_dash-layout", 200),
        ("asset", "/assets/style.css", 200),
        ("api", "/api/trace?pain=instep", 200),
        ("api error", "/api/trace?pain=not-a-region", 400),
        ("404", "/api/no-such-route", 404),
        ("404 asset", "/assets/no-such-file.css", 404),
    ],
)
def test_security_headers_on_every_response_type(gunicorn, kind, path, expected):
    status, headers, _ = request(gunicorn["port"], path)
    assert status == expected, kind
    for name in SECURITY_HEADERS:
        assert name in headers, f"{kind} ({path}) lacks {name}"
    assert "frame-ancestors" in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"].upper() in ("DENY", "SAMEORIGIN")
    assert headers["Referrer-Policy"]


def test_security_headers_on_callback_responses(gunicorn):
    port = gunicorn["port"]
    status, headers, body = request(port, "/_dash-dependencies")
    output = next(d["output"] for d in json.loads(body) if d["output"].startswith("..ranking-top.children"))
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output.strip(".").split("...")]
    payload = {"output": output, "outputs": outputs, "changedPropIds": ["explorer-state.data"],
               "state": [{"id": "focus-muscle", "property": "data", "value": None}],
               "inputs": [{"id": "explorer-state", "property": "data",
                           "value": {"tp": "gastrocnemius-tp1", "pain": ["instep"]}}]}
    status, headers, body = request(port, "/_dash-update-component", "POST", json.dumps(payload).encode(),
                                    {"Content-Type": "application/json"})
    assert status == 200
    for name in SECURITY_HEADERS:
        assert name in headers


def test_werkzeug_debugger_is_not_reachable(gunicorn):
    port = gunicorn["port"]
    # Unknown paths are a 404 page (components/server/hardening.py), never Werkzeug's interactive console.
    assert request(port, "/console")[0] == 404
    for path in ("/console", "/?__debugger__=yes&cmd=resource&f=debugger.js",
                 "/console?__debugger__=yes&cmd=printpin&s=x"):
        status, _, body = request(port, path)
        text = body.decode(errors="replace")
        assert "__debugger__" not in text and "Werkzeug" not in text and "debugger.js" not in text, path
        assert status in (200, 404)
        if status == 200:
            assert "_dash-config" in text or "dash-renderer" in text, "only the app's page may answer"


def test_forced_error_shows_no_traceback(gunicorn):
    # A JSON body of the wrong shape made Dash itself raise (500); the app's request guard now
    # answers 400. Either way, in production the answer is never a traceback or the debugger.
    status, headers, body = request(gunicorn["port"], "/_dash-update-component", "POST", b"null",
                                    {"Content-Type": "application/json"})
    assert status >= 400
    text = body.decode(errors="replace")
    assert "Traceback" not in text and "__debugger__" not in text and "File \"" not in text
    assert not re.search(r"components/|site-packages", text)
    for name in SECURITY_HEADERS:
        assert name in headers
