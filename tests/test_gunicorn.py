"""The production server as configured by gunicorn.conf.py, on loopback: slow clients, huge bodies,
headers, and data reloads. Every wait is bounded by a socket timeout or a deadline.

The data folder is ``CALF_DATA_DIR``, a symlink to a release folder, so a data change is
deployed the way README describes: a new folder, an atomic swap of the link, ``kill -HUP``.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.processes import at_once, free_port, stop_process_group

from components.domain.data import DEFAULT_DATA_DIR
from components.domain.datapackage import seal

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
START_WITHIN = 120
EDITED_NAME = "the hollow behind the knee (edited)"


def request(port: int, path: str, method: str = "GET", body: bytes | None = None, headers=None, timeout: float = 20):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_for(condition, within: float, what: str):
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        time.sleep(0.1)


def release(base: Path, name: str, edit=None, reseal: bool = True) -> Path:
    folder = base / name
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    if edit:
        edit(folder)
    if reseal:
        seal(folder)
    return folder


def point_link_at(link: Path, folder: Path) -> None:
    """The atomic deploy: a new symlink beside the old one, renamed over it."""
    temporary = link.with_name(link.name + ".new")
    temporary.symlink_to(folder)
    temporary.replace(link)


def rename_knee_back(folder: Path) -> None:
    path = folder / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith("knee-back,")]
    assert hits
    parts = lines[hits[0]].split(",", 2)
    lines[hits[0]] = ",".join([parts[0], EDITED_NAME, parts[2]])
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("deploy")
    link = base / "current"
    point_link_at(link, release(base, "release-1"))
    port = free_port()
    log = base / "gunicorn.log"
    env = {**os.environ, "CALF_DATA_DIR": str(link)}
    env.pop("WEB_CONCURRENCY", None)
    with open(log, "wb") as log_file:
        # No -c: gunicorn reads ./gunicorn.conf.py by default, which is what is under test.
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "app:server"],
            cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, env=env,
        )
    try:
        def up():
            if proc.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                return request(port, "/api/regions", timeout=5)[0] == 200
            except OSError:
                return False

        wait_for(up, START_WITHIN, "gunicorn answers")
        yield {"port": port, "proc": proc, "log": log, "base": base, "link": link}
    finally:
        stop_process_group(proc, 30)


def workers_of(server) -> list[psutil.Process]:
    return psutil.Process(server["proc"].pid).children()


def test_gun001_the_config_file_is_used(server):
    log = server["log"].read_text()
    assert "Using worker: components.server.workers.FairGeventWorker" in log
    assert len(workers_of(server)) == WORKERS


def test_gun002_slow_clients_do_not_starve_the_server(server):
    """30 clients that stop mid-header (more than 2 workers x 8 threads): others are still served."""
    port = server["port"]
    slow = []
    try:
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET /api/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
            slow.append(sock)
        for _ in range(10):
            # A 10 s socket timeout bounds the test; sync workers would not answer at all.
            status, _, _ = request(port, "/api/trace?pain=instep", timeout=10)
            assert status == 200
    finally:
        for sock in slow:
            sock.close()


def test_gun010_a_client_that_trickles_its_headers_is_dropped(server):
    """gevent reads a request head under the keepalive timeout (5 s); a 30 s socket timeout bounds the test."""
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=30)
    try:
        sock.sendall(b"GET /api/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        assert sock.recv(64) == b"", "the server kept waiting for the rest of the head"
    finally:
        sock.close()


def test_gun003_a_huge_post_is_refused_without_growing_worker_memory(server):
    port = server["port"]
    request(port, "/api/regions")
    before = sum(worker.memory_info().rss for worker in workers_of(server))
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1073741824\r\n\r\n")
        chunk = b"[" * (1024 * 1024)
        try:
            for _ in range(64):  # 64 MiB of the announced 1 GiB, then the answer
                sock.sendall(chunk)
        except OSError:
            pass  # the server may stop reading once it has answered
        answer = sock.recv(64)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413")
    after = sum(worker.memory_info().rss for worker in workers_of(server))
    assert after - before < 32 * 1024 * 1024, f"workers grew by {(after - before) / 2 ** 20:.0f} MiB"


def test_gun004_a_huge_chunked_post_is_refused(server):
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=20)
    try:
        sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"[" * 65536
        try:
            for _ in range(64):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass
        assert sock.recv(64).startswith(b"HTTP/1.1 413")
    finally:
        sock.close()


def test_gun005_no_versions_in_server_and_no_store_on_pain(server):
    port = server["port"]
    for path in ("/", "/?pain=instep", "/handout?pain=instep", "/api/trace?pain=instep"):
        status, headers, _ = request(port, path)
        assert status == 200
        assert headers["Server"] == "gunicorn", headers["Server"]
        assert headers["Cache-Control"] == "no-store", path


def test_gun006_oversized_request_heads_are_refused_by_gunicorn(server):
    status, headers, _ = request(server["port"], "/api/trace?pain=" + "a" * 5000)
    assert status == 414  # limit_request_line
    # gunicorn answers this itself, without the app's headers: README says what the proxy adds.
    assert "Content-Security-Policy" not in headers


def test_gun007_unknown_paths_and_forged_files_are_404_without_traceback(server):
    for path in ("/console", "/.git/config", "/robots.txt", "/_dash-component-suites/os/path.py"):
        assert request(server["port"], path)[0] == 404, path
    assert "Traceback" not in server["log"].read_text()


def knee_back_names(port: int, count: int) -> list[str]:
    def client():
        status, _, body = request(port, "/api/regions")
        assert status == 200
        return next(r["name"] for r in json.loads(body) if r["id"] == "knee-back")

    return at_once(client, count)


def reload_and_wait(server, marker: str) -> None:
    log = server["log"]
    seen = log.read_text().count(marker)
    booted = log.read_text().count("Booting worker")
    os.kill(server["proc"].pid, signal.SIGHUP)
    wait_for(lambda: log.read_text().count(marker) > seen, 60, f"the master logs {marker!r}")
    wait_for(lambda: log.read_text().count("Booting worker") >= booted + WORKERS, 60, "new workers boot")
    old = {w.pid for w in workers_of(server)}
    wait_for(lambda: len(workers_of(server)) == WORKERS, 60, f"the old workers {old} stop")


def test_gun008_a_good_data_change_reaches_every_worker(server):
    point_link_at(server["link"], release(server["base"], "release-2", rename_knee_back))
    reload_and_wait(server, "Data reloaded")
    names = knee_back_names(server["port"], 40)
    assert names == [EDITED_NAME] * 40


def test_gun009_a_bad_data_change_is_refused_and_the_last_good_data_stays(server):
    def truncate_red_flags(folder: Path):
        path = folder / "red_flags.csv"
        path.write_bytes(path.read_bytes().splitlines(keepends=True)[0])

    expected = knee_back_names(server["port"], 1)[0]
    # A half-written deploy: the files were changed, the seal was not.
    point_link_at(server["link"], release(server["base"], "release-3", truncate_red_flags, reseal=False))
    reload_and_wait(server, "DATA RELOAD REFUSED")
    log = server["log"].read_text()
    assert "red_flags.csv:1: (file): has " in log and "truncated" in log
    assert server["proc"].poll() is None, "the server went down"
    assert knee_back_names(server["port"], 40) == [expected] * 40


# --------------------------------------------------------------------------- whole-request deadlines (issue 19)

BODY_DEADLINE_BOUND = 15  # the app's body deadline is 5 s; a socket timeout bounds each test


def head(path: str, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answer_and_close(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started, data = time.monotonic(), b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass
    return data, time.monotonic() - started


@pytest.mark.parametrize("framing", ["Content-Length: 200", "Transfer-Encoding: chunked"])
def test_gun011_a_body_that_trickles_is_cut_off_at_the_deadline(server, framing):
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=BODY_DEADLINE_BOUND)
    try:
        sock.sendall(head("/_dash-update-component", framing) + (b"9\r\n{" if "chunked" in framing else b"{"))
        data, seconds = answer_and_close(sock)
    finally:
        sock.close()
    assert data.startswith(b"HTTP/1.1 408"), data[:200]
    assert b'"error"' in data
    assert seconds < 8


def test_gun012_a_413_closes_the_connection_without_reading_the_body(server):
    pids = {w.pid for w in workers_of(server)}
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=BODY_DEADLINE_BOUND)
    try:
        sock.sendall(head("/_dash-update-component", "Content-Length: 1073741824"))
        started, sent = time.monotonic(), 0
        try:
            while time.monotonic() - started < 10:  # the server would drain 1 GiB: it must close at once
                sent += sock.send(b"[" * 65536)
        except OSError:
            pass
        seconds = time.monotonic() - started
    finally:
        sock.close()
    assert seconds < 5, f"the server kept reading for {seconds:.1f} s ({sent / 2 ** 20:.0f} MiB)"
    assert {w.pid for w in workers_of(server)} == pids, "a worker was killed"


def test_gun013_a_malformed_chunked_body_is_a_json_400_without_traceback(server):
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=BODY_DEADLINE_BOUND)
    try:
        sock.sendall(head("/_dash-update-component", "Transfer-Encoding: chunked") + b"zz\r\n{}\r\n0\r\n\r\n")
        data, _ = answer_and_close(sock)
    finally:
        sock.close()
    assert data.startswith(b"HTTP/1.1 400"), data[:200]
    assert data.rstrip().endswith(b'"}'), data[-200:]
    assert "Traceback" not in server["log"].read_text()


class Attack:
    """400 connections that trickle a body (one byte every 2 s) and 2 that send 1 GiB bodies, each
    reconnecting when the server drops it, for a bounded time; threads, all to 127.0.0.1."""

    def __init__(self, port: int, slow: int = 400, huge: int = 2):
        self.port, self.slow, self.huge = port, slow, huge
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.trickle, args=(i,), daemon=True) for i in range(4)]
        self.threads += [threading.Thread(target=self.flood, daemon=True) for _ in range(huge)]
        self.dropped = 0

    def connect(self, framing: str) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(head("/_dash-update-component", framing))
            return sock
        except OSError:
            return None

    def trickle(self, part: int) -> None:
        framings = ["Content-Length: 100000", "Transfer-Encoding: chunked"]
        socks = [self.connect(framings[i % 2]) for i in range(self.slow // 4)]
        while not self.stop.wait(2):
            for i, sock in enumerate(socks):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b"1\r\n{\r\n" if i % 2 else b"{")
                except OSError:
                    self.dropped += 1
                    if sock is not None:
                        sock.close()
                    socks[i] = self.connect(framings[i % 2])
        for sock in socks:
            if sock is not None:
                sock.close()

    def flood(self) -> None:
        chunk = b"[" * 65536
        while not self.stop.is_set():
            sock = self.connect("Content-Length: 1073741824")
            try:
                while sock is not None and not self.stop.is_set():
                    sock.sendall(chunk)
            except OSError:
                pass
            finally:
                if sock is not None:
                    sock.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(3)  # every slow connection is open and holding its slot
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def polite_requests(port: int, count: int, within: float = 2.0) -> list[float]:
    """Seconds for each of ``count`` requests, a fresh connection each; ``within`` + 1 on a failure."""
    seconds = []
    for _ in range(count):
        started = time.monotonic()
        try:
            ok = request(port, "/api/trace?pain=instep", timeout=within)[0] == 200
        except OSError:
            ok = False
        seconds.append(time.monotonic() - started if ok else within + 1)
        time.sleep(0.25)
    return seconds


def test_gun014_slow_bodies_and_huge_bodies_leave_a_polite_client_served(server):
    """Issue 19's attack: 400 slow-body connections and 2 senders of 1 GiB bodies, for about 25 s."""
    pids = {w.pid for w in workers_of(server)}
    with Attack(server["port"]) as attack:
        seconds = polite_requests(server["port"], 40)
    answered = sum(s <= 2.0 for s in seconds)
    print(f"\npolite client under attack: {answered}/{len(seconds)} within 2 s, "
          f"median {sorted(seconds)[len(seconds) // 2] * 1000:.0f} ms, slow connections dropped {attack.dropped}")
    assert answered >= 0.95 * len(seconds)
    assert {w.pid for w in workers_of(server)} == pids, "a worker was killed"
    assert server["proc"].poll() is None


# --------------------------------------------------------------------------- no health data at rest (issue 19)

MARKED = ("calf-lower-medial", "achilles", "heel-underside")


def raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=BODY_DEADLINE_BOUND) as sock:
        sock.sendall(data)
        return answer_and_close(sock)[0]


def test_gun015_a_session_that_marked_pain_leaves_no_region_id_in_the_logs(server):
    from bench.soak import post, render_step

    port, pain = server["port"], ",".join(MARKED)
    for path in (f"/?pain={pain}", f"/handout?pain={pain}&side=left", f"/api/trace?pain={pain}",
                 f"/nowhere?pain={pain}", f"/api/nowhere?pain={pain}"):
        assert request(port, path, headers={"Referer": f"http://127.0.0.1/?pain={pain}"})[0] in (200, 404), path
    render = render_step(port)
    assert post(port, "/_dash-update-component", render({"pain": list(MARKED)})) == 200
    # Forged and malformed requests that gunicorn or the app log as warnings or errors.
    assert post(port, "/_dash-update-component", json.dumps({"output": pain}).encode()) == 400
    raw_exchange(port, f"GET /?pain={pain} HTTP/1.1\r\nHost: x\r\nBad header {pain}\r\n\r\n".encode())
    raw_exchange(port, f"GET /?pain={pain}\x01 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    raw_exchange(port, head("/_dash-update-component", "Transfer-Encoding: chunked")
                 + f"{pain}\r\n{{}}\r\n0\r\n\r\n".encode())
    time.sleep(1)  # gunicorn's log handlers flush per line; give the workers a moment
    log = server["log"].read_text()
    assert '"GET / HTTP/1.1" 200' in log, "the access log has the path"
    for region in MARKED:
        assert region not in log, f"{region} is in the log"
    assert "pain=" not in log
    assert "ip=127" not in log and "127.0.0.1 -" not in log


chunk_size_lines = st.one_of(
    st.text(alphabet="0123456789abcdefABCDEFxyz;=\" \t-+", min_size=0, max_size=12),
    st.binary(max_size=12).filter(lambda b: b"\n" not in b).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size_line=chunk_size_lines, data=st.binary(max_size=40), ending=st.sampled_from(["\r\n", "\n", "", "0\r\n\r\n"]))
def test_gun016_malformed_chunked_bodies_are_4xx_json_without_traceback(server, size_line, data, ending):
    body = size_line.encode("latin-1") + b"\r\n" + data + ending.encode()
    sock = socket.create_connection(("127.0.0.1", server["port"]), timeout=BODY_DEADLINE_BOUND)
    try:
        sock.sendall(head("/_dash-update-component", "Transfer-Encoding: chunked") + body)
        sock.shutdown(socket.SHUT_WR)  # the body ends here: no waiting for the deadline
        answer, _ = answer_and_close(sock)
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    assert 400 <= status < 500, (body, answer[:200])
    assert answer.rstrip().endswith(b"}"), (body, answer[-200:])
    assert "Traceback" not in server["log"].read_text()


def test_gun017_a_keep_alive_connection_is_closed_after_its_share_of_requests(server):
    """So that a burst of connections that all landed on one worker spreads out again
    (components/server/workers.py, MAX_KEEPALIVE_REQUESTS)."""
    from components.server.workers import MAX_KEEPALIVE_REQUESTS

    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=20)
    try:
        said = []
        for _ in range(MAX_KEEPALIVE_REQUESTS):
            conn.request("GET", "/api/regions")
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            said.append((response.getheader("Connection") or "").lower())
    finally:
        conn.close()
    assert "close" not in said[:-1], "the connection stayed open for its share"
    assert said[-1] == "close", "the last request of its share closed it"
