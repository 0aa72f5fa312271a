"""Shared browser-test helpers: tap the SVG map where a person would, and read what they see or hear.

Every reader works on a dash_duo (Selenium) or on a Playwright page: the page-side code is one
JavaScript function per question, run by ``js``. Nothing here reads the script's own variables:
only the DOM a person sees (geometry, computed styles, ARIA attributes, the live region, the URL).
"""
from __future__ import annotations

import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder

MAP = "#body-map"
# A PDF page object is "/Type /Page"; the page tree root is "/Type /Pages".
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")
# The map works from the first paint, in the page shell; Dash's page (its panels, lists and
# callbacks) is there once the map has moved into it. Tests of the whole page wait for that.
SHELL_MAP = '#body-map[data-interactive="true"]'
INTERACTIVE_MAP = '#page #body-map[data-interactive="true"]'

# ----------------------------------------------------------------------------- page-side functions
# Each takes one array argument, so Selenium and Playwright call it the same way.

# The band of the viewport a finger can reach: above the phone's bottom sheet (a fixed #answer).
_VISIBLE_BAND = """
  const visibleBand = () => {
    const answer = document.getElementById('answer');
    let bottom = window.innerHeight;
    // On phones the answer is a sheet across the bottom of the screen; beside the map it covers nothing.
    const sheet = answer && getComputedStyle(answer).position === 'fixed' && answer.getBoundingClientRect().left < 1;
    if (sheet) bottom = Math.min(bottom, answer.getBoundingClientRect().top);
    return [0, bottom];
  };
  const bringIntoBand = (docY, pad = 8) => {
    const [top, bottom] = visibleBand();
    const y = docY - window.scrollY;
    if (y < top + pad || y > bottom - pad) window.scrollTo(0, Math.max(0, docY - top - 0.3 * (bottom - top)));
    return docY - window.scrollY;
  };
  const shapeOf = (el) => el && el.closest ? el.closest('#body-map [data-tp-id], #body-map [data-region-id]') : null;
  const describe = (el) => {
    if (!el) return 'nothing';
    const shape = shapeOf(el);
    if (shape) return shape.dataset.tpId ? 'point ' + shape.dataset.tpId : 'region ' + shape.dataset.regionId;
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + String(el.className).split(' ').join('.') : '');
  };
"""

# Where to tap a trigger point: its target's centre, scrolled into the reachable band.
POINT_SPOT = "([tp]) => {" + _VISIBLE_BAND + """
  const target = document.querySelector(`#body-map [data-tp-id="${CSS.escape(tp)}"] .tp-hit`);
  if (!target) return null;
  let box = target.getBoundingClientRect();
  bringIntoBand(box.top + box.height / 2 + window.scrollY, box.height);
  box = target.getBoundingClientRect();
  return [box.left + box.width / 2, box.top + box.height / 2];
}"""

# Every trigger point: what elementFromPoint finds at its target's centre and at 0.7 of its
# radius in four directions. Returns the failures, in words.
POINT_HITS = "([]) => {" + _VISIBLE_BAND + """
  const failures = [];
  const targets = Array.from(document.querySelectorAll('#body-map .tp')).filter(g => g.getClientRects().length);
  for (const point of targets) {
    const hit = point.querySelector('.tp-hit');
    let box = hit.getBoundingClientRect();
    bringIntoBand(box.top + box.height / 2 + window.scrollY, box.height);
    box = hit.getBoundingClientRect();
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2, r = 0.7 * box.width / 2;
    for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r]]) {
      const found = document.elementFromPoint(cx + dx, cy + dy);
      if (shapeOf(found) !== point) failures.push(`${point.dataset.tpId} at (${dx.toFixed(0)},${dy.toFixed(0)}): ${describe(found)}`);
    }
  }
  return {checked: targets.map(t => t.dataset.tpId), failures};
}"""

# Interior points of a region, away from every X target: a grid over the region's bounding box,
# kept where the point lies inside the region's own outline (and inside no other region's, with
# 2 px to spare) and more than ``margin`` px outside every .tp-hit circle. For each, what
# elementFromPoint finds. The outline test is the geometry's own (isPointInFill), not the tap.
REGION_SPOTS = "([regionId, margin, steps]) => {" + _VISIBLE_BAND + """
  // A region may be drawn in several views: take the drawing on screen now.
  const region = Array.from(document.querySelectorAll(`#body-map [data-region-id="${CSS.escape(regionId)}"]`))
    .find(shape => shape.getClientRects().length);
  if (!region) return null;
  const view = region.closest('svg');
  const others = Array.from(view.querySelectorAll('[data-region-id]')).filter(o => o !== region);
  const inFill = (shape, x, y) => shape.isPointInFill(new DOMPoint(x, y).matrixTransform(shape.getScreenCTM().inverse()));
  const around = [[0, 0], [2, 0], [-2, 0], [0, 2], [0, -2]];
  const box0 = region.getBoundingClientRect();
  const left = box0.left, width = box0.width, top = box0.top + window.scrollY, height = box0.height;
  const inside = [], misses = [];
  for (let j = 1; j < steps; j++) {
    for (let i = 1; i < steps; i++) {
      const x = left + width * i / steps;
      const y = bringIntoBand(top + height * j / steps);
      const targets = Array.from(view.querySelectorAll('.tp-hit')).filter(c => c.getClientRects().length)
        .map(c => { const b = c.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2, b.width / 2]; });
      if (targets.some(([cx, cy, r]) => Math.hypot(x - cx, y - cy) < r + margin)) continue;
      if (!around.every(([dx, dy]) => inFill(region, x + dx, y + dy))) continue;
      if (others.some(o => around.some(([dx, dy]) => inFill(o, x + dx, y + dy)))) continue;
      const found = document.elementFromPoint(x, y);
      if (shapeOf(found) === region) inside.push([x, y + window.scrollY]);
      else misses.push(`(${x.toFixed(0)},${y.toFixed(0)}): ${describe(found)}`);
    }
  }
  return {inside, misses};
}"""

# Client coordinates for a document position, scrolled into the reachable band.
DOC_SPOT = "([x, docY]) => {" + _VISIBLE_BAND + "return [x, bringIntoBand(docY)]; }"

# Every X's tap target, per view: its size in CSS px.
VIEW_TABS = """([]) => Array.from(document.querySelectorAll('.view-tabs [data-action]'))
  .filter(tab => tab.getClientRects().length).map(tab => tab.getAttribute('data-action'))"""

TARGET_BOXES = """([]) => Array.from(document.querySelectorAll('#body-map svg.map-view')).map(view => [
  view.dataset.viewId,
  Array.from(view.querySelectorAll('.tp')).filter(g => g.getClientRects().length).map(g => {
    const b = g.querySelector('.tp-hit').getBoundingClientRect();
    return [g.dataset.tpId, b.left, b.top, b.width, b.height];
  })])"""

# Is the element (or its first visible part) on screen, uncovered, where the user looks?
IN_VIEW = """([selector]) => {
  const el = document.querySelector(selector);
  if (!el) return 'missing';
  const b = el.getBoundingClientRect();
  const top = Math.max(b.top, 0), bottom = Math.min(b.bottom, window.innerHeight);
  const left = Math.max(b.left, 0), right = Math.min(b.right, window.innerWidth);
  if (bottom - top < 12 || right - left < 12) return `off screen: top ${b.top.toFixed(0)}, bottom ${b.bottom.toFixed(0)} of ${window.innerHeight}`;
  const found = document.elementFromPoint((left + right) / 2, top + Math.min(10, (bottom - top) / 2));
  if (!found || !el.contains(found)) return 'not visible: the screen shows ' + (found ? found.tagName.toLowerCase() + '#' + found.id + '.' + found.className : 'nothing') + ' there';
  return 'ok';
}"""

SHOWN_ZONES = """([]) => Array.from(document.querySelectorAll('#body-map [data-zone-of]'))
  .filter(z => getComputedStyle(z).display !== 'none').map(z => z.dataset.zoneId)"""
MARKED_REGIONS = """([]) => Array.from(document.querySelectorAll('#body-map [data-region-id][aria-pressed="true"]'))
  .map(r => r.dataset.regionId)"""
PRESSED_POINTS = """([]) => Array.from(document.querySelectorAll('#body-map [data-tp-id][aria-pressed="true"]'))
  .map(r => r.dataset.tpId)"""
RANKING = """([]) => Array.from(document.querySelectorAll('#source-ranking > li')).map(li => li.dataset.tpId)"""
DETAIL = """([]) => {
  const panel = document.getElementById('tp-detail');
  const shown = Array.from(panel.querySelectorAll('[data-detail-of]')).filter(b => b.getClientRects().length);
  return [panel.dataset.tpId, shown.map(b => b.dataset.detailOf)];
}"""
ANNOUNCED = "([]) => (document.getElementById('announcer').textContent || '').replace(/\\u00a0/g, ' ').trim()"
FOCUS_ON_BODY = "([]) => !document.activeElement || document.activeElement === document.body"
FOCUSED_SHAPE = """([]) => { const el = document.activeElement;
  const shape = el && el.closest && el.closest('#body-map [data-tp-id], #body-map [data-region-id]');
  return shape ? (shape.dataset.tpId || shape.dataset.regionId) : null; }"""


def js(target, function: str, *args):
    """Run one of the functions above on a dash_duo or a Playwright page."""
    if hasattr(target, "evaluate"):
        return target.evaluate(function, list(args))
    return target.driver.execute_script(f"return ({function})(arguments[0])", list(args))


# ----------------------------------------------------------------------------- waiting


def wait_until(target, script: str, timeout: float = 8.0, *args):
    """Poll a condition in the page until it holds. ``script`` is a function (see above) or a
    Selenium-style body with ``return``."""
    function = script if script.lstrip().startswith("(") else f"([]) => {{ {script} }}"
    end = time.time() + timeout
    value = None
    while time.time() < end:
        value = js(target, function, *args)
        if value:
            return value
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for: {script} (last value {value!r})")


def wait_for_map(target):
    """The map is wired (keyboard stops, taps) and Dash has drawn the page around it."""
    if hasattr(target, "wait_for_selector"):
        target.wait_for_selector(INTERACTIVE_MAP, state="attached")
    else:
        target.wait_for_element(INTERACTIVE_MAP)


def wait_for_ranking(target, expected: list[str]) -> list[str]:
    """The ranking beside the map is drawn a frame after the tap that marked the last area: wait for
    it to list ``expected`` (a wrong ranking fails, with the last one seen)."""
    try:
        wait_until(target, f"([want]) => JSON.stringify(({RANKING})([])) === JSON.stringify(want)", 8.0, expected)
    except AssertionError:
        pass
    return ranking_ids(target)


def wait_for_shown(target, tp: str):
    """The point's zones are painted and its facts are the ones shown."""
    wait_until(target, f"([tp]) => document.querySelector('{MAP}').dataset.shownTp === tp"
                       " && document.getElementById('tp-detail').dataset.tpId === tp", 8.0, tp)


# ----------------------------------------------------------------------------- reading


def shown_zones(target) -> list[str]:
    """Zone ids drawn on the map now (computed display, as a person sees them)."""
    return js(target, SHOWN_ZONES)


def marked_regions(target) -> list[str]:
    return js(target, MARKED_REGIONS)


def pressed_points(target) -> list[str]:
    return js(target, PRESSED_POINTS)


def ranking_ids(target) -> list[str]:
    return js(target, RANKING)


def detail_id(target) -> str:
    """The point whose facts are shown; asserts the visible block agrees with the panel's hook."""
    hook, visible = js(target, DETAIL)
    assert visible == ([hook] if hook else []), f"panel says {hook!r}, visible blocks {visible}"
    return hook


def announced(target) -> str:
    return js(target, ANNOUNCED)


def wait_announced(target, pattern: str, timeout: float = 8.0) -> str:
    """What the live region says once it matches the regular expression ``pattern``.

    Words about a tap on the map are spoken in the frame after the map's (announce.js), with the
    answer they describe, so a test must wait for them as a listener does, not read them at once."""
    end = time.time() + timeout
    said = announced(target)
    while not re.search(pattern, said) and time.time() < end:
        time.sleep(0.03)
        said = announced(target)
    if not re.search(pattern, said):
        where = js(target, "([]) => location.search")
        raise AssertionError(f"the live region never said /{pattern}/; it says {said!r} at {where!r}")
    return said


def wait_said(target, words: str, timeout: float = 8.0) -> str:
    """Wait until the live region says exactly ``words``."""
    return wait_announced(target, "^" + re.escape(words) + "$", timeout)


def url_search(target) -> str:
    return js(target, "([]) => window.location.search")


def says_reason_and_warning_signs(page, model, pain: list[str]) -> None:
    """A Playwright page with ``pain`` marked says, as Python does (referral.trace), the top point's
    reason sentence (in its button's accessible name, after the name the button already says) and
    every warning sign raised, with why, in the region named for them, and in the second live region."""
    from components.domain import education, referral

    result = referral.trace(model, pain)
    top = result.ranking[0]
    sentence = referral.reason(model, top, len(result.pain)).removeprefix(model.point_title(top.trigger_point)).strip()
    first = page.locator("#source-ranking > li").first
    assert first.get_attribute("data-tp-id") == top.trigger_point
    assert first.get_by_role("button", name=sentence[0].upper() + sentence[1:]).count() == 1, first.inner_text()
    box = page.get_by_role("region", name=education.RAISED_FLAGS_TITLE)
    assert [item.get_attribute("data-flag-id") for item in box.get_by_role("listitem").all()] == \
        [raised.flag.id for raised in result.red_flags]
    text = box.inner_text()
    assert all(raised.flag.name in text and raised.because in text for raised in result.red_flags), text
    names = referral.join_names([raised.flag.name for raised in result.red_flags]) + "."
    assert page.inner_text("#raised-flags-line") == f"{education.RAISED_FLAGS_TITLE}: {names}"
    assert page.text_content("#flag-announcer") == education.RAISED_FLAGS_SAID + names


def browser_errors(dash_duo) -> list:
    """Console errors, ignoring the favicon request the renderer makes on its own."""
    return [entry for entry in dash_duo.get_logs() or [] if "favicon" not in entry.get("message", "")]


def in_view(target, selector: str) -> str:
    return js(target, IN_VIEW, selector)


# ----------------------------------------------------------------------------- tapping


def point_spot(target, tp: str) -> tuple[float, float]:
    spot = js(target, POINT_SPOT, tp)
    assert spot, f"no tap target for {tp}"
    return tuple(spot)


def region_spot(target, region: str, margin: float = 4.0) -> tuple[float, float]:
    """A client position inside the region, away from every X, that hits the region itself."""
    found = js(target, REGION_SPOTS, region, margin, 10)
    assert found and found["inside"], f"no free interior spot found for {region}: {found}"
    inside = found["inside"]
    x, doc_y = inside[len(inside) // 2]
    return tuple(js(target, DOC_SPOT, x, doc_y))


def pointer_tap(target, x: float, y: float, touch: bool = False):
    """A real pointer (or finger, on Playwright) at a viewport position."""
    if hasattr(target, "touchscreen"):
        if touch:
            target.touchscreen.tap(x, y)
        else:
            target.mouse.click(x, y)
        return
    actions = ActionBuilder(target.driver)
    actions.pointer_action.move_to_location(int(round(x)), int(round(y)))
    actions.perform()
    ActionChains(target.driver).click().perform()


# The view tab a person taps first when a shape's view is not drawn (phones: the foot, the hip).
TAB_OF_HIDDEN = """([selector]) => {
  const shapes = Array.from(document.querySelectorAll(selector));
  if (!shapes.length || shapes.some(el => el.getClientRects().length)) return null;
  return shapes[0].closest('.map-figure').dataset.tab;
}"""


def show_view_of(target, selector: str, touch: bool = False):
    tab = js(target, TAB_OF_HIDDEN, selector)
    if tab:
        spot = js(target, "([t]) => { const b = document.querySelector(`.view-tabs [data-action=\"view-${t}\"]`)"
                          ".getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; }", tab)
        pointer_tap(target, *spot, touch=touch)


def tap_point(target, tp: str, touch: bool = False):
    show_view_of(target, f'#body-map [data-tp-id="{tp}"]', touch)
    pointer_tap(target, *point_spot(target, tp), touch=touch)


def tap_region(target, region: str, touch: bool = False):
    show_view_of(target, f'#body-map [data-region-id="{region}"]', touch)
    pointer_tap(target, *region_spot(target, region), touch=touch)


# ----------------------------------------------------------------------------- opening the app


def open_app(dash_duo, query: str = ""):
    """A fresh app per test, opened at a deep link, waiting until the map is interactive."""
    from app import create_app

    dash_duo.start_server(create_app())
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    wait_for_map(dash_duo)


def mark_pain_and_expect_first(dash_duo, region_id: str, expected_first: str):
    """Tap inside a region on the map; it is marked, and the ranking puts ``expected_first`` on top."""
    tap_region(dash_duo, region_id)
    dash_duo.wait_for_element(f'#source-ranking li[data-tp-id="{expected_first}"]')
    assert ranking_ids(dash_duo)[0] == expected_first
    assert region_id in marked_regions(dash_duo)


