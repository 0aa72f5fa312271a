"""Measure the calf pain explorer and write docs/performance.md (issue 6).

    python bench/run.py                 # everything except the long soak (~3-4 min)
    python bench/run.py --soak 120      # plus a 120 s soak with concurrent users
    python bench/run.py --only a,e      # some sections only (a click, b ranking, c load, d api, e growth)

The script starts the app itself (gunicorn on 127.0.0.1, a free port), drives headless
Chromium through Playwright, and sends all load to 127.0.0.1 only, bounded in time.
It measures; it changes nothing in the app.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import http.client
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
TARGETS = {
    "click": 17.0,  # ms, p95, click on an X -> zone painted
    "ranking": 50.0,  # ms, p95, mark a region -> ranking updated
    "load": 0.7,  # s, p50, cold load -> interactive
    "api": 2000.0,  # req/s
    "trace": 5.0,  # ms at 1000x
    "model_load": 2.0,  # s at 1000x
}
TRACE_PAIN = "instep,knee-back"


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(round(q / 100 * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]


class Gunicorn:
    """``gunicorn -w N app:server`` on 127.0.0.1, started and stopped by this script."""

    def __init__(self, workers: int = 2, env: dict | None = None, extra: list[str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
               "--log-level", "warning", *(extra or []), "app:server"]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.workers = workers
        self._wait()

    def _wait(self, timeout: float = 90.0) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/regions")
                if conn.getresponse().status == 200:
                    conn.close()
                    # every worker loads the app itself; give the others time to finish too
                    self._wait_workers(deadline)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def _wait_workers(self, deadline: float) -> None:
        import psutil

        parent = psutil.Process(self.proc.pid)
        while time.time() < deadline:
            kids = parent.children()
            if len(kids) >= self.workers:
                break
            time.sleep(0.2)
        # each worker runs create_app() itself after the fork: wait until both accept work in parallel
        def hit():
            for _ in range(10):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", "/api/regions")
                conn.getresponse().read()
                conn.close()

        threads = [threading.Thread(target=hit) for _ in range(self.workers * 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(1.0)

    def worker_rss_mb(self) -> list[float]:
        import psutil

        try:
            return [round(p.memory_info().rss / 2**20, 1) for p in psutil.Process(self.proc.pid).children()]
        except psutil.Error:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "loadavg": load}


def versions() -> dict:
    import dash
    import plotly

    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as error:  # noqa: BLE001
        chromium = f"unknown ({error})"
    try:
        from importlib.metadata import version

        pw = version("playwright")
        gunicorn = version("gunicorn")
    except Exception:  # noqa: BLE001
        pw = gunicorn = "?"
    return {"python": platform.python_version(), "dash": dash.__version__, "plotly": plotly.__version__,
            "chromium": chromium, "playwright": pw, "gunicorn": gunicorn}


# --------------------------------------------------------------------------- browser


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# Records the next frame after the watched mutation, measured from the input event's timeStamp.
PROBE_JS = r"""
([target, attrs, kind]) => {
  const B = window.__bench = {t0: null, out: [], kind: kind};
  document.addEventListener('pointerdown', (e) => { B.t0 = e.timeStamp; }, true);
  const el = document.querySelector(target);
  const obs = new MutationObserver(() => {
    if (B.t0 === null) return;
    const t0 = B.t0; B.t0 = null;
    const tm = performance.now();
    const paintAt = B.paintAt, restyleMs = B.restyle; B.paintAt = null; B.restyle = null;
    // the server round trip (if any) that ended before this change: the render callback's POST
    const posts = performance.getEntriesByType('resource').filter(
      (r) => r.name.indexOf('_dash-update-component') >= 0 && r.startTime >= t0 - 1 && r.responseEnd <= tm);
    const post = posts.length ? Math.max(...posts.map((r) => r.responseEnd)) - t0 : null;
    requestAnimationFrame(() => { B.out.push({mutation: tm - t0, frame: performance.now() - t0, post: post,
                                         paint: paintAt, restyle: restyleMs}); });
  });
  const opts = attrs ? {attributes: true, attributeFilter: attrs, subtree: true}
                     : {childList: true, subtree: true, characterData: true, attributes: true};
  obs.observe(el, opts);
  // Where the time goes: when the clientside paint callback starts, and how long its Plotly.restyle takes.
  B.paintAt = null; B.restyle = null;
  if (window.dash_clientside && window.dash_clientside.explorer && window.Plotly) {
    const ex = window.dash_clientside.explorer, paint = ex.paint, restyle = window.Plotly.restyle;
    ex.paint = function () { if (B.t0 !== null && B.paintAt === null) B.paintAt = performance.now() - B.t0;
                             return paint.apply(this, arguments); };
    window.Plotly.restyle = function () { const t = performance.now(); const r = restyle.apply(this, arguments);
                                          if (B.t0 !== null) B.restyle = performance.now() - t; return r; };
  }
  return !!el;
}
"""

READY_JS = """() => {
  const gd = document.querySelector('#body-map .js-plotly-plot');
  return !!(gd && document.querySelector('#body-map .main-svg') && window.dash_clientside
            && window.dash_clientside.explorer && gd.hasAttribute('data-shown-tp'));
}"""

# Installed before any page script: timestamps the first frame at which the diagram is interactive.
INTERACTIVE_INIT = """
(() => {
  function check() {
    const gd = document.querySelector('#body-map .js-plotly-plot');
    if (gd && document.querySelector('#body-map .main-svg') && window.dash_clientside
        && window.dash_clientside.explorer && gd.hasAttribute('data-shown-tp')) {
      window.__interactiveAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""

MARKER_XY_JS = """([x, y]) => {
  const gd = document.querySelector('#body-map .js-plotly-plot');
  const fl = gd._fullLayout, box = gd.getBoundingClientRect();
  return [box.left + fl.xaxis._offset + fl.xaxis.l2p(x), box.top + fl.yaxis._offset + fl.yaxis.l2p(y)];
}"""


def marker_positions(tp_ids):
    from components.data import load_model
    from components.figure import build_figure

    model = load_model()
    figure, index = build_figure(model)
    out = {}
    for tp in tp_ids:
        trace, number = index["points"][tp]
        out[tp] = (figure["data"][trace]["x"][number], figure["data"][trace]["y"][number])
    zones = {tp: index["zones"].get(tp, []) for tp in tp_ids}
    return out, zones, len(model.zones)


def timed_clicks(page, targets, clicks: int, pause: float = 0.45, hover_first: bool = True) -> list[dict]:
    """Click the targets in turn; return one probe record per click (None if nothing changed in 5 s).

    ``targets`` are callables returning the (x, y) screen point *now*: the page's layout moves
    when the detail panel fills in (a scroll bar appears, the responsive plot resizes).
    """
    results = []
    for n in range(clicks):
        x, y = targets[n % len(targets)]()
        if hover_first:
            page.mouse.move(x, y)
            time.sleep(0.08)  # let Plotly's hover (throttled) find the point, as a human pointer would
        before = page.evaluate("window.__bench.out.length")
        page.mouse.click(x, y)
        try:
            # a function, not a string: the app's CSP forbids eval, which string predicates need
            page.wait_for_function("(n) => window.__bench.out.length > n", arg=before, timeout=5000)
        except Exception as error:  # noqa: BLE001
            print(f"  click {n}: no change seen ({str(error).splitlines()[0]})", flush=True)
            results.append(None)
            page.evaluate("window.__bench.t0 = null")
        else:
            results.append(page.evaluate("window.__bench.out[window.__bench.out.length - 1]"))
        time.sleep(pause)
    return results


def marker_target(page, xy):
    return lambda: tuple(page.evaluate(MARKER_XY_JS, list(xy)))


def element_target(page, selector):
    def where():
        page.locator(selector).scroll_into_view_if_needed()
        box = page.locator(selector).bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return where


def summarise(records) -> dict:
    good = [r for r in records if r]
    frames = [r["frame"] for r in good]
    muts = [r["mutation"] for r in good]
    return {"n": len(good), "missed": len(records) - len(good),
            "p50": percentile(frames, 50), "p95": percentile(frames, 95), "max": max(frames) if frames else float("nan"),
            "mut_p50": percentile(muts, 50), "mut_p95": percentile(muts, 95),
            "after_post": sum(1 for r in good if r.get("post") is not None),
            "post_p50": percentile([r["post"] for r in good if r.get("post") is not None], 50),
            "paint_p50": percentile([r["paint"] for r in good if r.get("paint") is not None], 50),
            "restyle_p50": percentile([r["restyle"] for r in good if r.get("restyle") is not None], 50),
            "restyle_p95": percentile([r["restyle"] for r in good if r.get("restyle") is not None], 95)}


def floor_page(zone_count: int, half: int) -> str:
    """A static page: the same number of SVG zone paths; a click toggles a class on one point's zones."""
    paths = []
    for i in range(zone_count):
        group = "a" if i < half else "b"
        paths.append(f'<path class="zone z{group}" d="M{20 + i * 7},{40 + i * 9} l60,10 l-10,70 l-55,-20 z"/>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body{{margin:0}} .zone{{fill:#f97316;opacity:0;stroke:#9a3412;stroke-width:2}} .on{{opacity:1}}
#x1,#x2{{position:absolute;width:24px;height:24px;background:#111;cursor:pointer}}
#x1{{left:100px;top:300px}} #x2{{left:300px;top:300px}}
</style></head><body>
<svg id="plot" width="600" height="600" viewBox="0 0 600 600">{''.join(paths)}</svg>
<div id="x1"></div><div id="x2"></div>
<script>
function show(group) {{
  document.querySelectorAll('.zone').forEach(function (p) {{
    p.classList.toggle('on', p.classList.contains('z' + group));
  }});
  document.getElementById('plot').setAttribute('data-shown-tp', group);
}}
document.getElementById('x1').addEventListener('click', function () {{ show('a'); }});
document.getElementById('x2').addEventListener('click', function () {{ show('b'); }});
</script></body></html>"""


def bench_browser(base_url: str, clicks: int, loads: int, sections: set[str]) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    tp_ids = ["gastrocnemius-tp1", "gastrocnemius-tp2"]
    positions, zones, zone_count = marker_positions(tp_ids)
    with sync_playwright() as pw:
        browser = launch(pw)
        if "a" in sections:
            ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = ctx.new_page()
            page.goto(base_url + "/")
            page.wait_for_function(READY_JS, timeout=30000)
            time.sleep(1.0)
            screen = [marker_target(page, positions[tp]) for tp in tp_ids]
            page.evaluate(PROBE_JS, ["#body-map .js-plotly-plot", ["data-shown-tp"], "click"])
            records = timed_clicks(page, screen, clicks)
            shown = page.evaluate("document.querySelector('#body-map .js-plotly-plot').getAttribute('data-shown-tp')")
            expected = tp_ids[(clicks - 1) % 2]
            # the zone trace of the last point clicked must really be visible in the SVG
            zone_visible = page.evaluate(
                """(n) => { const g = document.querySelectorAll('#body-map .scatterlayer .trace')[n];
                           return g ? getComputedStyle(g).opacity : null; }""", zones[expected][0])
            out["click_marker"] = {**summarise(records), "last_shown": shown, "expected": expected,
                                   "zone_opacity": zone_visible}
            # second measure: the same points through the #tp-list buttons
            button_xy = [element_target(page, f'.tp-button[data-tp-id="{tp}"]') for tp in tp_ids]
            records = timed_clicks(page, button_xy, clicks, hover_first=False)
            out["click_button"] = summarise(records)
            ctx.close()

            tmp = Path(tempfile.mkdtemp(prefix="floor-"))
            (tmp / "floor.html").write_text(floor_page(zone_count, len(zones[tp_ids[0]])))
            ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = ctx.new_page()
            page.goto((tmp / "floor.html").as_uri())
            page.evaluate(PROBE_JS, ["#plot", ["data-shown-tp"], "floor"])
            floor_xy = [lambda: (112, 312), lambda: (312, 312)]
            records = timed_clicks(page, floor_xy, clicks)
            out["click_floor"] = {**summarise(records), "zones": zone_count}
            ctx.close()
            shutil.rmtree(tmp, ignore_errors=True)

        if "b" in sections:
            ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = ctx.new_page()
            page.goto(base_url + "/")
            page.wait_for_function(READY_JS, timeout=30000)
            time.sleep(1.0)
            toggle = page.locator('.region-toggle[data-region-id="instep"]')
            toggle.scroll_into_view_if_needed()
            xy = element_target(page, '.region-toggle[data-region-id="instep"]')
            page.evaluate(PROBE_JS, ["#ranking-wrap", None, "ranking"])
            records = timed_clicks(page, [xy], max(20, clicks // 2), pause=0.5, hover_first=False)
            out["ranking"] = summarise(records)
            ctx.close()

        if "c" in sections:
            out["load"] = {}
            for label, path in (("/", "/"), ("deep link /?tp=gastrocnemius-tp1", "/?tp=gastrocnemius-tp1")):
                runs, nav, resources = [], [], None
                for _ in range(loads):
                    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
                    ctx.add_init_script(INTERACTIVE_INIT)
                    page = ctx.new_page()
                    page.goto(base_url + path, wait_until="commit")
                    page.wait_for_function("() => window.__interactiveAt !== undefined", timeout=30000, polling=50)
                    runs.append(page.evaluate("window.__interactiveAt") / 1000)
                    nav.append(page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                        return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ttfb: n.responseStart}; }"""))
                    if resources is None:
                        resources = page.evaluate("""() => {
                          const n = performance.getEntriesByType('navigation')[0];
                          const rows = [{name: n.name, type: 'document', transfer: n.transferSize, body: n.decodedBodySize}];
                          for (const r of performance.getEntriesByType('resource'))
                            rows.push({name: r.name, type: r.initiatorType, transfer: r.transferSize, body: r.decodedBodySize});
                          return rows; }""")
                    ctx.close()
                out["load"][label] = {"runs": runs, "p50": statistics.median(runs),
                                      "dcl_p50": statistics.median(n["dcl"] for n in nav) / 1000,
                                      "ttfb_p50": statistics.median(n["ttfb"] for n in nav) / 1000,
                                      "resources": resources}
        browser.close()
    return out


# --------------------------------------------------------------------------- API load


def python_load(url: str, threads: int, seconds: float, processes: int = 2) -> dict:
    """Fallback when wrk is missing: threads with http.client in a few client processes."""
    code = r"""
import http.client, json, sys, threading, time
host, port, path, threads, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
lat, errors, lock = [], [0], threading.Lock()
end = time.time() + seconds
def run():
    conn, mine, err = None, [], 0
    while time.time() < end:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=10)
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
    host_port = url.split("//")[1]
    host, port = host_port.split(":")
    procs = [subprocess.Popen([sys.executable, "-c", code, host, port, f"/api/trace?pain={TRACE_PAIN}",
                               str(threads // processes), str(seconds)], stdout=subprocess.PIPE, text=True)
             for _ in range(processes)]
    lat, errors = [], 0
    for p in procs:
        data = json.loads(p.communicate(timeout=seconds + 60)[0])
        lat += data["lat"]
        errors += data["errors"]
    return {"tool": f"python http.client, {processes} processes x {threads // processes} threads",
            "requests": len(lat), "rps": len(lat) / seconds, "p50_ms": percentile(lat, 50) * 1000,
            "p99_ms": percentile(lat, 99) * 1000, "errors": errors, "seconds": seconds}


def parse_wrk(text: str) -> dict:
    def ms(value: str) -> float:
        number = float(re.match(r"[\d.]+", value).group())
        unit = value[len(re.match(r"[\d.]+", value).group()):]
        return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}.get(unit, 1)

    out = {"raw": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else float("nan")
    for q in ("50", "99"):
        m = re.search(rf"\s{q}(?:\.000)?%\s+([\d.]+\w+)", text)
        out[f"p{q}_ms"] = ms(m.group(1)) if m else float("nan")
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
    from components.referral import normalise_region_ids, trace

    app = create_app()
    client = app.server.test_client()
    for _ in range(200):
        client.get(f"/api/trace?pain={TRACE_PAIN}")
    t = time.process_time()
    for _ in range(calls):
        client.get(f"/api/trace?pain={TRACE_PAIN}")
    flask_ms = (time.process_time() - t) / calls * 1000
    from components.data import load_model

    model = load_model()
    t = time.process_time()
    for _ in range(calls):
        trace(model, normalise_region_ids(TRACE_PAIN)).as_json()
    trace_ms = (time.process_time() - t) / calls * 1000
    return {"flask_request_ms": flask_ms, "trace_json_ms": trace_ms, "ceiling_2cpu_rps": 2000 / flask_ms}


def bench_api(seconds: float = 10.0) -> dict:
    server = Gunicorn(workers=2)
    try:
        url = server.url
        results = {}
        if shutil.which("wrk"):
            cmd = ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "--latency", f"{url}/api/trace?pain={TRACE_PAIN}"]
            text = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
            results["wrk"] = {"tool": "wrk -t2 -c16 --latency", **parse_wrk(text), "seconds": seconds}
        results["python"] = python_load(url, threads=8, seconds=seconds)
        results["rss_mb"] = server.worker_rss_mb()
        # one request alone, for the cost of a request without queueing
        single = []
        for _ in range(200):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            t = time.perf_counter()
            conn.request("GET", f"/api/trace?pain={TRACE_PAIN}")
            conn.getresponse().read()
            single.append(time.perf_counter() - t)
            conn.close()
        results["single_p50_ms"] = percentile(single, 50) * 1000
        results["inprocess"] = inprocess_cost()
        return results
    finally:
        server.stop()


# --------------------------------------------------------------------------- growth


def write_scaled(src: Path, dst: Path, factor: int) -> tuple[int, int]:
    """Copy the data and replicate trigger points and their zones ``factor`` times, with new ids."""
    shutil.copytree(src, dst)
    with open(src / "trigger_points.csv", newline="", encoding="utf-8") as f:
        points = list(csv.DictReader(f))
    with open(src / "referral_zones.csv", newline="", encoding="utf-8") as f:
        zones = list(csv.DictReader(f))
    point_fields, zone_fields = list(points[0]), list(zones[0])
    per_muscle: dict[str, int] = {}
    for p in points:
        per_muscle[p["muscle"]] = max(per_muscle.get(p["muscle"], 0), int(p["label"][2:]))
    new_points, new_zones = [], []
    for copy in range(factor):
        for p in points:
            row = dict(p)
            if copy:
                row["id"] = f"{p['id']}-c{copy}"
                row["label"] = f"TP{int(p['label'][2:]) + copy * per_muscle[p['muscle']]}"
            new_points.append(row)
        for z in zones:
            row = dict(z)
            if copy:
                row["id"] = f"{z['id']}-c{copy}"
                row["trigger_point"] = f"{z['trigger_point']}-c{copy}"
            new_zones.append(row)
    for name, fields, rows in (("trigger_points.csv", point_fields, new_points),
                               ("referral_zones.csv", zone_fields, new_zones)):
        with open(dst / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return len(new_points), len(new_zones)


def bench_growth(factors=(1, 10, 100, 1000)) -> dict:
    from components.data import DEFAULT_DATA_DIR, load_model
    from components.referral import trace

    rows = []
    profile_text = ""
    tmp = Path(tempfile.mkdtemp(prefix="growth-"))
    try:
        for factor in factors:
            target = tmp / f"x{factor}"
            n_points, n_zones = write_scaled(DEFAULT_DATA_DIR, target, factor)
            repeats = 5 if factor <= 100 else 3
            load_times, model = [], None
            for _ in range(repeats):
                t = time.perf_counter()
                model = load_model(target)
                load_times.append(time.perf_counter() - t)
            pain = tuple(TRACE_PAIN.split(",")) + ("calf-upper-medial",)
            pain = tuple(r for r in pain if r in model.regions)
            calls = 2000 if factor <= 10 else (300 if factor <= 100 else 50)
            trace_times = []
            for _ in range(calls):
                t = time.perf_counter()
                result = trace(model, pain)
                trace_times.append(time.perf_counter() - t)
            rows.append({"factor": factor, "points": n_points, "zones": n_zones, "load_s": statistics.median(load_times),
                         "trace_ms": statistics.median(trace_times) * 1000, "trace_calls": calls,
                         "candidates": len(result.ranking), "pain": ",".join(pain)})
            if factor == max(factors):
                profile = cProfile.Profile()
                profile.enable()
                load_model(target)
                profile.disable()
                buffer = io.StringIO()
                pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(18)
                buffer.write("\n--- by own time ---\n")
                pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(10)
                profile_text = buffer.getvalue()
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(20):
                    trace(model, pain)
                profile.disable()
                buffer = io.StringIO()
                pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(8)
                profile_text += "\n--- trace() x20, by own time ---\n" + buffer.getvalue()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"rows": rows, "profile": profile_text}


# --------------------------------------------------------------------------- soak


def render_payload(output: str, state) -> bytes:
    inner = output.strip(".")
    outputs = []
    for part in inner.split("..."):
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return json.dumps({"output": output, "outputs": outputs,
                       "inputs": [{"id": "explorer-state", "property": "data", "value": state}],
                       "changedPropIds": ["explorer-state.data"], "state": []}).encode()


def render_output(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    conn.close()
    return next(d["output"] for d in deps if d["output"].startswith("..tp-detail-wrap.children"))


def bench_soak(seconds: float, users: int = 8) -> dict:
    server = Gunicorn(workers=2)
    try:
        output = render_output(server.port)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/api/regions")
        regions = [r["id"] for r in json.loads(conn.getresponse().read())]
        conn.request("GET", "/api/trigger-points")
        points = [p["id"] for p in json.loads(conn.getresponse().read())]
        conn.close()
        lock = threading.Lock()
        stats = {"requests": 0, "errors": 0, "lat": [], "examples": []}
        rss_start = server.worker_rss_mb()
        end = time.time() + seconds

        def user(seed: int) -> None:
            rnd = random.Random(seed)
            lat, n, errors, examples = [], 0, 0, []
            while time.time() < end:
                tp = rnd.choice(points)
                pain = rnd.sample(regions, rnd.randint(0, 3))
                steps = [("GET", f"/?tp={tp}", None), ("GET", "/_dash-layout", None),
                         ("POST", "/_dash-update-component",
                          render_payload(output, {"tp": tp, "pain": pain, "side": "right", "muscle": "all",
                                                  "mode": "explore"})),
                         ("GET", f"/api/trace?pain={','.join(pain) or 'instep'}", None)]
                for method, path, body in steps:
                    try:
                        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
                        t = time.perf_counter()
                        conn.request(method, path, body=body,
                                     headers={"Content-Type": "application/json"} if body else {})
                        response = conn.getresponse()
                        response.read()
                        lat.append(time.perf_counter() - t)
                        conn.close()
                        n += 1
                        if response.status != 200:
                            errors += 1
                            examples.append(f"{method} {path} -> {response.status}")
                    except Exception as error:  # noqa: BLE001
                        errors += 1
                        examples.append(f"{method} {path} -> {error!r}")
                time.sleep(rnd.uniform(0.0, 0.05))  # think time: a person, not a load generator
            with lock:
                stats["requests"] += n
                stats["errors"] += errors
                stats["lat"] += lat
                stats["examples"] += examples[:3]

        threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {"seconds": seconds, "users": users, "requests": stats["requests"], "errors": stats["errors"],
                "rps": stats["requests"] / seconds, "p50_ms": percentile(stats["lat"], 50) * 1000,
                "p99_ms": percentile(stats["lat"], 99) * 1000, "rss_start": rss_start,
                "rss_end": server.worker_rss_mb(), "examples": stats["examples"][:5],
                "alive": server.proc.poll() is None}
    finally:
        server.stop()


# --------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def write_report(path: Path, info: dict) -> None:
    m, v, r = info["machine"], info["versions"], info["results"]
    lines = ["# Performance", "",
             "Written by " + " then ".join(f"`{c}`" for c in info.get("commands", ["python bench/run.py"])) +
             " (issue 6); `python bench/run.py --soak 120` re-measures everything in one go. Targets are from the issue.", "",
             "## Run", "",
             "| | |", "|---|---|",
             f"| date (UTC) | {info['date']} |",
             f"| machine | {m['nproc']} CPUs, {m['memory']} RAM, {m['cpu']} |",
             f"| load average at start | {m['loadavg']} (the machine was shared with other work during the run) |",
             f"| python | {v['python']} |", f"| dash | {v['dash']} |", f"| plotly | {v['plotly']} |",
             f"| chromium | {v['chromium']} (headless, `--no-sandbox --disable-gpu`) |",
             f"| playwright / gunicorn | {v['playwright']} / {v['gunicorn']} |",
             f"| wall time of the run | {info['wall']:.0f} s |",
             *([f"| note | sections not re-run here come from the run of {info['merged_from']} UTC, same machine |"]
               if info.get("merged_from") else []), "",
             "## Results against targets", "",
             "| # | measure | target | result | verdict |", "|---|---|---|---|---|"]
    if "click_marker" in r:
        c, f, b = r["click_marker"], r["click_floor"], r["click_button"]
        ratio = c["p95"] / f["p95"] if f["p95"] else float("nan")
        lines.append(f"| a | click on an X → zone painted, p50 / p95 ({c['n']} clicks, TP1↔TP2) | p95 ≤ {TARGETS['click']:g} ms "
                     f"| {c['p50']:.1f} / {c['p95']:.1f} ms (max {c['max']:.1f}) | {verdict(c['p95'] <= TARGETS['click'])} |")
        lines.append(f"| a | same through the #tp-list buttons, p50 / p95 ({b['n']} clicks) | p95 ≤ {TARGETS['click']:g} ms "
                     f"| {b['p50']:.1f} / {b['p95']:.1f} ms | {verdict(b['p95'] <= TARGETS['click'])} |")
        lines.append(f"| a | floor: static page, {f['zones']} SVG zone paths, class toggle, p50 / p95 | — "
                     f"| {f['p50']:.1f} / {f['p95']:.1f} ms | app/floor p95 = {ratio:.1f}× |")
        info["ratio"] = ratio
    if "ranking" in r:
        k = r["ranking"]
        lines.append(f"| b | mark *instep* → #source-ranking updated, p50 / p95 ({k['n']} toggles) | ≤ {TARGETS['ranking']:g} ms "
                     f"| {k['p50']:.1f} / {k['p95']:.1f} ms | {verdict(k['p95'] <= TARGETS['ranking'])} |")
    if "load" in r:
        for label, d in r["load"].items():
            lines.append(f"| c | cold load {label} → interactive, p50 of {len(d['runs'])} | ≤ {TARGETS['load']:g} s "
                         f"| {d['p50']:.2f} s (min {min(d['runs']):.2f}, max {max(d['runs']):.2f}) | "
                         f"{verdict(d['p50'] <= TARGETS['load'])} |")
    if "api" in r:
        a = r["api"]
        main = a.get("wrk") or a["python"]
        lines.append(f"| d | /api/trace?pain={TRACE_PAIN}, gunicorn -w 2, {main['tool']}, {main['seconds']:g} s | ≥ {TARGETS['api']:g} req/s "
                     f"| {main['rps']:.0f} req/s, p99 {main['p99_ms']:.1f} ms, {main['errors']} errors | "
                     f"{verdict(main['rps'] >= TARGETS['api'])} |")
        if "wrk" in a:
            p = a["python"]
            lines.append(f"| d | same, {p['tool']} (second client) | ≥ {TARGETS['api']:g} req/s | {p['rps']:.0f} req/s, "
                         f"p99 {p['p99_ms']:.1f} ms, {p['errors']} errors | {verdict(p['rps'] >= TARGETS['api'])} |")
    if "growth" in r:
        big = r["growth"]["rows"][-1]
        lines.append(f"| e | trace() at {big['factor']}× ({big['points']} points, {big['zones']} zones), median | < {TARGETS['trace']:g} ms "
                     f"| {big['trace_ms']:.3f} ms | {verdict(big['trace_ms'] < TARGETS['trace'])} |")
        lines.append(f"| e | load_model at {big['factor']}×, median | < {TARGETS['model_load']:g} s | {big['load_s']:.2f} s "
                     f"| {verdict(big['load_s'] < TARGETS['model_load'])} |")
    if "soak" in r:
        s = r["soak"]
        lines.append(f"| soak | {s['users']} users × {s['seconds']:g} s (page, layout, render callback, API) | 0 errors "
                     f"| {s['requests']} requests, {s['errors']} errors, p99 {s['p99_ms']:.0f} ms | {verdict(s['errors'] == 0 and s['alive'])} |")
    lines.append("")

    lines += ["## How each number is taken", "",
              "- **a, b — input to pixels.** A capturing `pointerdown` listener stores `event.timeStamp`; a "
              "`MutationObserver` waits for the result (a: the `data-shown-tp` attribute that `paint` sets on the plot "
              "div right after its one `Plotly.restyle`; b: any change under `#ranking-wrap`); the time is taken in the "
              "next `requestAnimationFrame` callback, i.e. the frame that paints the change. The pointer moves onto "
              "the X 80 ms before the press (so Plotly's throttled hover has found the point, as with a real mouse); "
              "clicks are ≥ 450 ms apart so Plotly never sees a double click. The X's screen position comes from the "
              "figure's own data through `xaxis.l2p`/`yaxis.l2p` plus each axis's `_offset`, re-read before every click "
              "(the layout shifts when the detail panel fills in). To see where the time goes, the probe also wraps "
              "`dash_clientside.explorer.paint` (start time) and `Plotly.restyle` (duration). After the run the script checks "
              "that the last point's zone trace really has opacity 1 in the SVG.",
              "- **floor.** A static HTML file with the same number of SVG zone paths; a click toggles a class on "
              "one point's paths and sets the same attribute; the same probe measures it. It is what the browser "
              "alone costs on this machine, so app/floor says how much the app adds.",
              "- **c — interactive.** A new browser context per run (empty cache, new connections). The clock is the "
              "page's own `performance.now()` (0 = navigation start). *Interactive* = the first animation frame at which "
              "`#body-map .main-svg` exists, `window.dash_clientside.explorer` is registered, and the plot div carries "
              "`data-shown-tp` — i.e. Dash has rendered the layout, Plotly has drawn the figure, and the clientside "
              "`paint` callback has run once, so the click handlers are wired and a click is answered.",
              "- **d — API.** `gunicorn -w 2 -b 127.0.0.1:PORT app:server` (sync workers: one request at a time per "
              "worker, connection closed after each response), load from a separate process. The load generator "
              "shares the 2 CPUs with the two workers.",
              "- **e — growth.** Synthetic data sets made at run time: every trigger point and referral zone "
              "copied N times with new ids and new TP numbers, same shapes and coordinates, so every copy passes "
              "validation. `load_model` = read + validate + build (median of 3–5); `trace()` = median of many calls "
              "with pain = instep, knee-back, calf-upper-medial.", ""]

    if "click_marker" in r:
        c, f, b = r["click_marker"], r["click_floor"], r["click_button"]
        lines += ["## a. Click on an X", "",
                  "| measure | clicks | missed | to mutation p50 / p95 | to next frame p50 / p95 | max |",
                  "|---|---|---|---|---|---|"]
        for name, d in (("X on the diagram", c), ("#tp-list button", b), ("floor (static SVG)", f)):
            lines.append(f"| {name} | {d['n']} | {d['missed']} | {d['mut_p50']:.1f} / {d['mut_p95']:.1f} ms | "
                         f"{d['p50']:.1f} / {d['p95']:.1f} ms | {d['max']:.1f} ms |")
        for name, d in (("X on the diagram", c), ("#tp-list button", b)):
            if d.get("paint_p50") is not None and d["paint_p50"] == d["paint_p50"]:
                lines.append(f"\nWhere the time goes ({name}, p50 after pointerdown): the server's `render` response "
                             f"has arrived at {d['post_p50']:.0f} ms (in {d['after_post']} of {d['n']} clicks the zone changed "
                             f"only after such a response); the clientside `paint` starts at {d['paint_p50']:.0f} ms; its "
                             f"one `Plotly.restyle` takes {d['restyle_p50']:.1f} ms (p95 {d['restyle_p95']:.1f}); the zone "
                             f"has changed at {d['mut_p50']:.0f} ms.")
        lines += ["", f"Last point shown after the run: `{c['last_shown']}` (expected `{c['expected']}`), its zone "
                  f"trace's opacity in the SVG: {c['zone_opacity']}.", ""]
    if "ranking" in r:
        k = r["ranking"]
        lines += ["## b. Mark a pain region", "",
                  f"{k['n']} clicks on `.region-toggle[data-region-id=instep]` (mark, unmark, …), {k['missed']} missed. "
                  f"First change under `#ranking-wrap`: p50 {k['mut_p50']:.1f} ms, p95 {k['mut_p95']:.1f} ms; next frame: "
                  f"p50 {k['p50']:.1f} ms, p95 {k['p95']:.1f} ms, max {k['max']:.1f} ms. This path has a server round trip "
                  "(the `render` callback) by design.", ""]
    if "load" in r:
        lines += ["## c. Cold load", ""]
        for label, d in r["load"].items():
            runs = ", ".join(f"{x:.2f}" for x in d["runs"])
            lines.append(f"- **{label}**: interactive p50 {d['p50']:.2f} s (runs: {runs}); time to first byte p50 "
                         f"{d['ttfb_p50'] * 1000:.0f} ms; DOMContentLoaded p50 {d['dcl_p50']:.2f} s.")
        first = next(iter(r["load"].values()))["resources"] or []
        by_type: dict[str, list[int]] = {}
        for row in first:
            name = row["name"].split("?")[0]
            ext = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
            kind = {"js": "script (.js)", "css": "stylesheet (.css)"}.get(ext, row["type"])
            if re.search(r"/_dash-(layout|dependencies|update-component)$", name):
                kind = "Dash JSON (" + name.rsplit("/", 1)[-1] + ")"
            entry = by_type.setdefault(kind, [0, 0, 0])
            entry[0] += 1
            entry[1] += row["transfer"] or 0
            entry[2] += row["body"] or 0
        lines += ["", "Transferred on the first cold load of `/` (`transferSize` includes headers; body = decoded size):", "",
                  "| resource type | files | transferred | decoded body |", "|---|---|---|---|"]
        total = [0, 0, 0]
        for kind, (count, transfer, body) in sorted(by_type.items(), key=lambda kv: -kv[1][1]):
            lines.append(f"| {kind} | {count} | {transfer / 1024:.1f} KiB | {body / 1024:.1f} KiB |")
            total = [total[0] + count, total[1] + transfer, total[2] + body]
        lines.append(f"| **total** | {total[0]} | {total[1] / 1024:.1f} KiB | {total[2] / 1024:.1f} KiB |")
        biggest = sorted(first, key=lambda row: -(row["transfer"] or 0))[:6]
        lines += ["", "Largest files: " + "; ".join(
            f"`{row['name'].split('?')[0].rsplit('/', 1)[-1]}` {(row['transfer'] or 0) / 1024:.0f} KiB" for row in biggest) + ".", ""]
    if "api" in r:
        a = r["api"]
        lines += ["## d. API under load", ""]
        if "wrk" in a:
            w = a["wrk"]
            lines.append(f"- wrk: {w['requests']} requests in {w['seconds']:g} s = **{w['rps']:.0f} req/s**, p50 "
                         f"{w['p50_ms']:.2f} ms, p99 {w['p99_ms']:.2f} ms, errors {w['errors']}.")
        p = a["python"]
        lines.append(f"- {p['tool']}: {p['requests']} requests = {p['rps']:.0f} req/s, p50 {p['p50_ms']:.2f} ms, p99 "
                     f"{p['p99_ms']:.2f} ms, errors {p['errors']}.")
        lines.append(f"- one request alone (new connection, no load): p50 {a['single_p50_ms']:.2f} ms; worker RSS after the "
                     f"load: {a['rss_mb']} MiB.")
        if "inprocess" in a:
            i = a["inprocess"]
            lines.append(f"- CPU per request inside Flask (test client, no socket, no gunicorn): {i['flask_request_ms']:.3f} ms, "
                         f"of which `trace()` + `as_json()` {i['trace_json_ms']:.3f} ms. Two fully free CPUs could therefore "
                         f"serve at most ≈ {i['ceiling_2cpu_rps']:.0f} req/s before any HTTP parsing, socket or gunicorn cost.")
        lines.append("")
    if "growth" in r:
        lines += ["## e. Growth", "", "| size | trigger points | zones | load_model (median) | trace() (median) | candidates ranked |",
                  "|---|---|---|---|---|---|"]
        for row in r["growth"]["rows"]:
            lines.append(f"| {row['factor']}× | {row['points']} | {row['zones']} | {row['load_s']:.3f} s | "
                         f"{row['trace_ms']:.3f} ms ({row['trace_calls']} calls) | {row['candidates']} |")
        rows = r["growth"]["rows"]
        if len(rows) >= 2:
            a0, a1 = rows[-2], rows[-1]
            lines += ["", f"From {a0['factor']}× to {a1['factor']}× the load time grows {a1['load_s'] / a0['load_s']:.1f}× and "
                      f"trace() {a1['trace_ms'] / a0['trace_ms']:.1f}× for {a1['factor'] / a0['factor']:.0f}× the rows."]
        lines += ["", "<details><summary>cProfile of load_model at the largest size, and of trace()</summary>", "", "```",
                  r["growth"]["profile"].strip()[:9000], "```", "", "</details>", ""]
    if "soak" in r:
        s = r["soak"]
        lines += ["## Soak", "",
                  f"`--soak {s['seconds']:g}`: {s['users']} concurrent simulated users against `gunicorn -w 2` on 127.0.0.1 for "
                  f"{s['seconds']:g} s, each looping over a deep-linked page, `/_dash-layout`, the `render` callback with a "
                  f"random valid state, and `/api/trace` (0–50 ms think time). {s['requests']} requests "
                  f"({s['rps']:.0f} req/s), **{s['errors']} errors**, p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms; "
                  f"server alive at the end: {s['alive']}; worker RSS {s['rss_start']} → {s['rss_end']} MiB.", ""]
        if s["examples"]:
            lines += ["Errors seen: " + "; ".join(s["examples"]), ""]
    if info.get("analysis"):
        lines += [ANALYSIS_HEADING, "", info["analysis"].strip(), ""]
    path.write_text("\n".join(lines))


ANALYSIS_HEADING = "## Missed targets: by how much, why, what was tried"


def kept_analysis(previous: str) -> str:
    """A re-run keeps the hand-written analysis of the last report, marked as written for older numbers."""
    if ANALYSIS_HEADING not in previous:
        return ""
    text = previous.split(ANALYSIS_HEADING, 1)[1].strip()
    note = "*Written for an earlier run; check it against the numbers above.*"
    date = re.search(r"\| date \(UTC\) \| ([^|]+) \|", previous)
    if date:
        note = f"*Written for the run of {date.group(1).strip()} UTC; check it against the numbers above.*"
    text = re.sub(r"^\*Written for (the run of|an earlier run).*?\*\n\n", "", text)
    return note + "\n\n" + text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--soak", type=float, default=0, help="also run a soak of this many seconds")
    parser.add_argument("--only", default="a,b,c,d,e", help="sections to run: a,b,c,d,e")
    parser.add_argument("--clicks", type=int, default=50)
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--api-seconds", type=float, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, default=None, help="also dump the raw results here")
    parser.add_argument("--analysis", type=Path, default=None,
                        help="a markdown file with the analysis of missed targets, copied into the report")
    parser.add_argument("--merge-json", type=Path, default=None,
                        help="start from the results saved by an earlier --json run; the sections run now replace theirs")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="re-write the report from results saved with --json (e.g. to add --analysis)")
    args = parser.parse_args(argv)
    if args.from_json:
        info = json.loads(args.from_json.read_text())
        if args.analysis and args.analysis.exists():
            info["analysis"] = args.analysis.read_text()
        write_report(args.out, info)
        print(args.out.read_text())
        return 0
    sections = set(args.only.split(","))
    started = time.time()
    info = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"), "machine": machine(),
            "versions": versions(), "results": {}, "soak": args.soak}
    results = info["results"]
    if args.merge_json:
        earlier = json.loads(args.merge_json.read_text())
        results.update(earlier["results"])
        info["merged_from"] = earlier["date"]
        info["commands"] = earlier.get("commands", [])
    if sections & {"a", "b", "c"}:
        server = Gunicorn(workers=2)
        try:
            print("browser sections...", flush=True)
            results.update(bench_browser(server.url, args.clicks, args.loads, sections))
        finally:
            server.stop()
    if "d" in sections:
        print("api load...", flush=True)
        results["api"] = bench_api(args.api_seconds)
    if "e" in sections:
        print("growth...", flush=True)
        results["growth"] = bench_growth()
    if args.soak:
        print(f"soak {args.soak:g} s...", flush=True)
        results["soak"] = bench_soak(args.soak)
    info["wall"] = time.time() - started
    info["commands"] = info.get("commands", []) + [" ".join(["python bench/run.py", *sys.argv[1:]]).replace(
        str(ROOT) + "/", "")]
    if args.analysis and args.analysis.exists():
        info["analysis"] = args.analysis.read_text()
    elif args.out.exists():
        info["analysis"] = kept_analysis(args.out.read_text())
    if args.json:
        args.json.write_text(json.dumps(info, indent=1, default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_report(args.out, info)
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
