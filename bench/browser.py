"""Headless Chromium through Playwright: device profiles, the contract's page hooks, real taps, and the probe.

The probe times one input: a capturing ``pointerdown`` listener stores ``event.timeStamp``; a
``MutationObserver`` on the whole document waits until the expected result is in the DOM (a
selector matches, or an element's markup differs from what it was before the tap); the time is
taken in the next ``requestAnimationFrame`` callback, i.e. the frame that paints the change.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# A phone (iPhone 12-15 viewport, touch) and a desktop window.
PROFILES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
              "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 1000}},
}

MEASURED = ("phone", "desktop")  # the devices every tap measure runs on

# What "the map script has wired its handlers" looks like (contract, issue 11).
INTERACTIVE = '#body-map[data-interactive="true"]'
MAP_VIEW = "#body-map svg.map-view"

PAUSE = 0.45  # s between taps: a second tap on a phone within ~300 ms is read as a double tap
HOVER_REST = 0.08  # s the mouse rests on the target before pressing
TAP_TIMEOUT = 5.0  # s for one result to appear
WARM_UP_TIMEOUT = 20.0  # s for the first tap, which also proves the handlers are wired

PROBE_JS = r"""
() => {
  if (window.__bench) return true;
  const B = window.__bench = {t0: null, spec: null, before: null, out: []};
  const stamp = (e) => { if (B.spec && B.t0 === null) B.t0 = e.timeStamp; };
  document.addEventListener('pointerdown', stamp, true);
  document.addEventListener('touchstart', stamp, {capture: true, passive: true});
  document.addEventListener('mousedown', stamp, true);
  const markup = (sel) => { const el = document.querySelector(sel); return el ? el.outerHTML : null; };
  const done = (s) => s.match ? !!document.querySelector(s.match) : markup(s.changed) !== B.before;
  new MutationObserver(() => {
    const s = B.spec;
    if (!s || B.t0 === null || !done(s)) return;
    const t0 = B.t0, tm = performance.now();
    B.spec = null; B.t0 = null;
    // the server round trip (if any) that ended before this change
    const posts = performance.getEntriesByType('resource').filter(
      (r) => r.name.indexOf('_dash-update-component') >= 0 && r.startTime >= t0 - 1 && r.responseEnd <= tm);
    const post = posts.length ? Math.max(...posts.map((r) => r.responseEnd)) - t0 : null;
    requestAnimationFrame(() => B.out.push({mutation: tm - t0, frame: performance.now() - t0, post: post}));
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
  B.arm = (s) => { B.t0 = null; B.before = s.changed ? markup(s.changed) : null; B.spec = s; };
  return true;
}
"""

# A viewport point where a tap lands on the element (elementFromPoint is it or inside it): the centre of
# its box when that hits, else the hitting point of an 11 x 11 grid nearest the centre.
TARGET_JS = r"""
(sel) => {
  const all = [...document.querySelectorAll(sel)];
  const el = all.find((e) => e.getClientRects().length) || all[0];
  if (!el) return null;
  const r = el.getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const hits = (x, y) => { const h = document.elementFromPoint(x, y); return !!h && (h === el || el.contains(h)); };
  if (hits(cx, cy)) return [cx, cy, true];
  let best = null;
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (hits(x, y) && (!best || d < best[2])) best = [x, y, d];
  }
  return best ? [best[0], best[1], true] : [cx, cy, false];
}
"""


class HooksNotFound(Exception):
    """The page lacks a hook the measure needs (e.g. the SVG map is not merged yet)."""

    status = "hooks not found"

    def __init__(self, missing: list[str]):
        super().__init__(f"{self.status}: " + ", ".join(missing))
        self.missing = missing


class NoAnswer(HooksNotFound):
    """The hooks are there, but the first tap never produced its result."""

    status = "no answer"


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser, profile: str, init_script: str | None = None):
    """A fresh context (empty cache, new connections) and a page in it, for one of PROFILES."""
    context = browser.new_context(**PROFILES[profile])
    if init_script:
        context.add_init_script(init_script)
    return context, context.new_page()


def wait_for_hooks(page, selectors: list[str], timeout: float = 15.0) -> None:
    """Wait until every selector matches; raise HooksNotFound naming the ones that never did."""
    try:
        page.wait_for_function("(sels) => sels.every((s) => document.querySelector(s))", arg=selectors,
                               timeout=timeout * 1000)
    except Exception as error:  # noqa: BLE001 - a Playwright timeout, or the page went away
        missing = page.evaluate("(sels) => sels.filter((s) => !document.querySelector(s))", selectors)
        if not missing:
            raise
        raise HooksNotFound(missing) from error


# On a phone the map shows one view at a time: a shape in another view is reached through its tab
# (Foot, for the sole's instep), as a person does. The tab is chosen before the timed tap.
SHOW_VIEW_JS = """(selector) => {
  const shapes = [...document.querySelectorAll(selector)];
  if (!shapes.length || shapes.some((el) => el.getClientRects().length)) return false;
  const figure = shapes[0].closest('.map-figure');
  const tab = figure && document.querySelector(`.view-tabs [data-action="view-${figure.dataset.tab}"]`);
  if (!tab) return false;
  tab.click();
  return true;
}"""


def tap_point(page, selector: str) -> tuple[float, float, bool]:
    """Show the element's view and scroll it into view; return where a tap lands on it, and whether
    it really does."""
    page.evaluate(SHOW_VIEW_JS, selector)
    page.locator(f"{selector} >> visible=true").first.scroll_into_view_if_needed(timeout=5000)
    where = page.evaluate(TARGET_JS, selector)
    if where is None:
        raise HooksNotFound([selector])
    return where[0], where[1], where[2]


def hover(page, profile: str, x: float, y: float) -> None:
    """A mouse rests on the target before it presses, as a hand does. Chromium aligns mousemove to
    frames, and a press queued right behind a move is dispatched at the next frame: without this
    rest every click would measure that wait (about one frame) instead of the page."""
    if not PROFILES[profile].get("has_touch"):
        page.mouse.move(x, y)
        time.sleep(HOVER_REST)


def tap(page, profile: str, x: float, y: float) -> None:
    """Real input: a touch tap on touch profiles, a mouse click elsewhere."""
    if PROFILES[profile].get("has_touch"):
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


@dataclass(frozen=True)
class Step:
    """Tap ``selector``; done when ``expect`` holds: {"match": selector} or {"changed": selector}."""
    selector: str
    expect: dict


def timed_taps(page, profile: str, plan: list[Step], taps: int, time_limit: float) -> list[dict | None]:
    """Tap the plan's steps in turn: one untimed warm-up tap, then up to ``taps`` timed ones within
    ``time_limit`` seconds. One record per timed tap; None when its result did not appear in time."""
    page.evaluate(PROBE_JS)
    deadline = time.monotonic() + time_limit
    records: list[dict | None] = []
    for n in range(taps + 1):
        if n and time.monotonic() > deadline:
            break
        step = plan[n % len(plan)]
        time.sleep(PAUSE)
        x, y, hit = tap_point(page, step.selector)
        hover(page, profile, x, y)
        before = page.evaluate("window.__bench.out.length")
        page.evaluate("(s) => window.__bench.arm(s)", step.expect)
        tap(page, profile, x, y)
        try:
            page.wait_for_function("(n) => window.__bench.out.length > n", arg=before,
                                   timeout=(WARM_UP_TIMEOUT if n == 0 else TAP_TIMEOUT) * 1000)
        except Exception:  # noqa: BLE001 - the result never came: a missed tap
            page.evaluate("window.__bench.spec = null")
            if n == 0:
                raise NoAnswer([f"{step.expect} within {WARM_UP_TIMEOUT:g} s of a tap on {step.selector}"]) from None
            records.append(None)
            continue
        if n:
            records.append({**page.evaluate("window.__bench.out[window.__bench.out.length - 1]"), "hit": hit})
    return records


def pressed(page, selector: str) -> str | None:
    """The element's aria-pressed now: what a screen reader would announce."""
    return page.evaluate("(s) => { const e = document.querySelector(s); return e && e.getAttribute('aria-pressed'); }",
                         selector)


def measure_taps(browser, url: str, profile: str, hooks: list[str], plan: list[Step], taps: int,
                 time_limit: float) -> dict:
    """Open ``url`` in a fresh context, wait for ``hooks``, time the plan's taps; report, never raise
    for a page that lacks the hooks. ``last_pressed`` is aria-pressed of the last element tapped."""
    from bench.stats import summarise

    context, page = new_page(browser, profile)
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=30000)
        wait_for_hooks(page, hooks)
        records = timed_taps(page, profile, plan, taps, time_limit)
        last = plan[len(records) % len(plan)]
        return {"status": "ok", **summarise(records), "last_tapped": last.selector,
                "last_pressed": pressed(page, last.selector)}
    except HooksNotFound as error:
        return {"status": error.status, "missing": error.missing}
    except PlaywrightError as error:  # e.g. the page navigated away or crashed: report it, go on
        return {"status": "browser error", "missing": [str(error).splitlines()[0]]}
    finally:
        context.close()


def measure_routes(name: str, browser, targets: dict[str, str], routes: dict[str, tuple[list[Step], list[str]]],
                   taps: int, time_limit: float) -> dict:
    """measure_taps for every route (name -> (plan, hooks)), device and page; the floor has only the map."""
    runs = {}
    for route, (plan, hooks) in routes.items():
        for profile in MEASURED:
            for label, url in targets.items():
                if route != "map" and label == "floor":
                    continue
                print(f"  {name} {route} {profile} {label}", flush=True)
                runs[f"{route} {profile} {label}"] = measure_taps(browser, url, profile, hooks, plan, taps, time_limit)
    return runs
