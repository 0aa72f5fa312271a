"""Cold load: navigation start -> map visible, and -> map interactive.

A new browser context per run (empty cache, new connections). The clock is the page's own
``performance.now()`` (0 = navigation start). An init script, installed before any page script,
checks in every animation frame:

- *map visible*: the first frame in which ``#body-map svg.map-view`` has a box (the map is static
  SVG in the first HTML, so it is painted in that frame);
- *interactive*: the first frame in which a tap on the map marks: from the frame the map is
  visible, each frame sends a click to its first pain area (``[data-region-id]``) and looks whether
  it is then marked (``aria-pressed="true"``); when it is, a second click unmarks it. So it times
  what a person gets, a tap that works, not a hook the page sets (``#body-map[data-interactive]``
  is still required, as the contract's hook).
"""
from __future__ import annotations

import statistics

from playwright.sync_api import Error as PlaywrightError

from bench.browser import MAP_VIEW, new_page

PAGES = (("/", "", "desktop"), ("deep link ?tp=gastrocnemius-tp1", "?tp=gastrocnemius-tp1", "desktop"),
         ("/ on a phone", "", "phone"))
RUN_TIMEOUT = 15.0  # s for one load to become interactive
AREA = "#body-map [data-region-id]"  # the pain area the probe taps

INIT = """
(() => {
  const L = window.__load = {};
  function check() {
    const now = performance.now();
    if (L.mapVisible === undefined) {
      const svg = document.querySelector(%(map)r);
      if (svg) { const r = svg.getBoundingClientRect(); if (r.width > 0 && r.height > 0) L.mapVisible = now; }
    }
    if (L.mapVisible !== undefined && L.interactive === undefined) {
      const area = document.querySelector(%(area)r);
      if (area) {
        area.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
        if (area.getAttribute('aria-pressed') === 'true') {
          L.interactive = now;
          area.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
        }
      }
    }
    if (L.mapVisible === undefined || L.interactive === undefined) requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
""" % {"map": MAP_VIEW, "area": AREA}

NAVIGATION_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          fcp: fcp ? fcp.startTime : null, mapVisible: window.__load.mapVisible ?? null,
          interactive: window.__load.interactive ?? null};
}"""

RESOURCES_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const rows = [{name: n.name, type: 'document', transfer: n.transferSize, body: n.decodedBodySize}];
  for (const r of performance.getEntriesByType('resource'))
    rows.push({name: r.name, type: r.initiatorType, transfer: r.transferSize, body: r.decodedBodySize});
  return rows;
}"""


def timed_load(page, url: str) -> tuple[dict, list[dict]]:
    """Load ``url`` in ``page`` (its context has INIT): the times (seconds; None for a hook that never
    appeared) and what was transferred."""
    page.goto(url, wait_until="commit", timeout=30000)
    try:
        page.wait_for_function("() => window.__load && window.__load.mapVisible !== undefined "
                               "&& window.__load.interactive !== undefined", timeout=RUN_TIMEOUT * 1000, polling=50)
    except Exception:  # noqa: BLE001 - a hook never appeared: report it, with whatever else was timed
        page.wait_for_load_state("load", timeout=RUN_TIMEOUT * 1000)
    times = {k: (v / 1000 if v is not None else None) for k, v in page.evaluate(NAVIGATION_JS).items()}
    return times, page.evaluate(RESOURCES_JS)


def one_load(browser, url: str, profile: str) -> tuple[dict, list[dict]]:
    """Times of one cold load and what it transferred."""
    context, page = new_page(browser, profile, INIT)
    try:
        return timed_load(page, url)
    finally:
        context.close()


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r[key] is not None]
    return statistics.median(values) if values else None


def measure(browser, targets: dict[str, str], loads: int, load=one_load, pages=PAGES, name: str = "cold_load") -> dict:
    """``loads`` runs of ``load`` (default: a cold load) per target and page; bench/second_visit.py reuses it."""
    out: dict = {"runs": {}}
    for label, url in targets.items():
        for page_label, query, profile in pages:
            print(f"  {name} {label} {page_label}", flush=True)
            runs, resources = [], None
            for _ in range(loads):
                try:
                    times, transferred = load(browser, url + query, profile)
                except PlaywrightError as error:  # the page failed to load: report it, go on
                    out["runs"][f"{label} {page_label}"] = {"status": "browser error", "loads": [],
                                                            "missing": [str(error).splitlines()[0]]}
                    break
                runs.append(times)
                resources = resources or transferred
                if times["mapVisible"] is None or times["interactive"] is None:
                    break  # the hooks are missing; more runs would only wait for them again
            if not runs:
                continue
            missing = [hook for hook, key in ((MAP_VIEW, "mapVisible"), (AREA + " marked by a tap", "interactive"))
                       if runs[0][key] is None]
            out["runs"][f"{label} {page_label}"] = {
                "status": "hooks not found" if missing else "ok", "missing": missing, "loads": runs,
                **{f"{key}_p50": median(runs, key) for key in ("mapVisible", "interactive", "fcp", "ttfb", "dcl")},
                **{f"{key}_max": max((r[key] for r in runs if r[key] is not None), default=None)
                   for key in ("mapVisible", "interactive")},
                "resources": resources if (label, query, profile) == ("app", "", "desktop") else None}
    return out
