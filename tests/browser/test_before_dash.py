"""The map works before Dash has loaded: it is the page shell's, and its scripts come first.

Each test holds back every one of Dash's bundles (``/_dash-component-suites/``: React, the
renderer, the components), so no React has run when the map is tapped. A tap must then paint the
point's zones, say what happened, rank marked pain and show the point's facts, all from the page
alone, with each ranked point's reason and the warning signs the marked areas raise; once the
bundles are let through, Dash's page takes over the same map in the same state.
"""
from __future__ import annotations

import contextlib
import json
import re
import urllib.request

import pytest

from bench.cold_load import INIT as FIRST_FRAMES
from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.axe import assert_accessible
from tests.browser.conftest import SIZES
from tests.browser.helpers import (
    detail_id, js, marked_regions, pressed_points, ranking_ids, says_reason_and_warning_signs, shown_zones,
    tap_point, tap_region, SHELL_MAP, wait_announced, wait_said, wait_until,
)

DASH_BUNDLES = "**/_dash-component-suites/**"
MODEL = load_model(DEFAULT_DATA_DIR)
DASH_NOT_STARTED = "([]) => !document.querySelector('#react-entry-point *') && !window.React"


@contextlib.contextmanager
def dash_held(chromium, url: str, size: str = "desktop", **options):
    """A page at ``url`` whose Dash bundles are held until ``release()``; yields (page, release)."""
    context = chromium.new_context(**SIZES[size], **options)
    held, released = [], []
    context.route(DASH_BUNDLES, lambda route: route.continue_() if released else held.append(route))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def release():
        released.append(True)
        for route in held:
            route.continue_()

    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector(SHELL_MAP, state="attached")
        yield page, release
        assert errors == []
    finally:
        context.close()


def zones_of(app_url: str, tp: str) -> set[str]:
    with urllib.request.urlopen(f"{app_url}/api/trigger-points") as response:
        points = {point["id"]: point for point in json.load(response)}
    return {zone["region"] for zone in points[tp]["zones"]}


def api_ranking(app_url: str, pain: str) -> list[str]:
    with urllib.request.urlopen(f"{app_url}/api/trace?pain={pain}") as response:
        return [item["trigger_point"] for item in json.load(response)["ranking"]]


def test_bfd001_a_tap_on_an_x_paints_its_zones_before_dash_has_loaded(chromium, app_url):
    with dash_held(chromium, app_url + "/") as (page, release):
        assert js(page, DASH_NOT_STARTED)
        tap_point(page, "gastrocnemius-tp1")
        wait_until(page, "([]) => document.querySelector('#body-map').dataset.shownTp === 'gastrocnemius-tp1'")
        assert js(page, DASH_NOT_STARTED), "the tap was answered by the page shell, not by Dash"
        assert pressed_points(page) == ["gastrocnemius-tp1"]
        lit = js(page, "([]) => Array.from(document.querySelectorAll('#body-map [data-zone-of]'))"
                            ".filter(z => getComputedStyle(z).display !== 'none').map(z => z.dataset.zoneOf)")
        assert lit and set(lit) == {"gastrocnemius-tp1"}
        name = page.get_attribute('#body-map [data-tp-id="gastrocnemius-tp1"]', "aria-label")
        wait_said(page, name.replace(", trigger point", "") + " selected.")
        # The point's facts, from the page's own data.
        assert detail_id(page) == "gastrocnemius-tp1"
        facts = page.inner_text("#tp-detail")
        assert "Main pain area" in facts and "Gastrocnemius" in facts

        release()
        page.wait_for_selector("#page #map-panel #body-map", state="attached")
        wait_until(page, "([]) => !document.getElementById('first-paint') && location.search.includes('tp=gastrocnemius-tp1')")
        # Dash's page took over the same map, in the same state.
        assert pressed_points(page) == ["gastrocnemius-tp1"]
        assert page.get_attribute('#tp-list [data-tp-id="gastrocnemius-tp1"]', "aria-pressed") == "true"
        assert detail_id(page) == "gastrocnemius-tp1"
        assert shown_zones(page)


def test_bfd002_marked_pain_is_ranked_before_dash_has_loaded(chromium, app_url):
    with dash_held(chromium, app_url + "/", "phone") as (page, release):
        tap_region(page, "knee-back", touch=True)
        tap_region(page, "calf-upper-medial", touch=True)
        wait_until(page, "([]) => document.querySelectorAll('#source-ranking > li').length > 0")
        assert js(page, DASH_NOT_STARTED)
        assert sorted(marked_regions(page)) == ["calf-upper-medial", "knee-back"]
        assert page.get_attribute('#body-map [data-region-id="knee-back"]', "aria-label").endswith("marked as painful")
        expected = api_ranking(app_url, "knee-back,calf-upper-medial")
        assert ranking_ids(page) == expected
        first = page.inner_text("#source-ranking > li:first-child")
        assert first.startswith("1. ")
        wait_said(page, "Upper calf, inner side marked; 2 areas marked; equally likely: plantaris TP1 and popliteus TP1.")
        # Each point's reason and the warning signs these areas raise (a clot, Baker's cyst), from the page alone.
        says_reason_and_warning_signs(page, MODEL, ["knee-back", "calf-upper-medial"])

        release()
        wait_until(page, "([]) => !document.getElementById('first-paint') && location.search.includes('pain=')")
        assert sorted(marked_regions(page)) == ["calf-upper-medial", "knee-back"]
        assert ranking_ids(page) == expected
        assert page.get_attribute('#region-list [data-region-id="knee-back"]', "aria-pressed") == "true"
        says_reason_and_warning_signs(page, MODEL, ["knee-back", "calf-upper-medial"])


def test_bfd005_the_first_paint_with_warning_signs_raised_is_accessible(chromium, app_url):
    pain = ["knee-back", "calf-upper-medial"]
    with dash_held(chromium, app_url + "/?pain=" + ",".join(pain), bypass_csp=True) as (page, release):  # for axe-core
        page.wait_for_selector("#first-paint #raised-flags li", state="visible")
        assert js(page, DASH_NOT_STARTED)
        says_reason_and_warning_signs(page, MODEL, pain)
        assert_accessible(page)
        release()


FOCUSED = "([]) => { const el = document.activeElement; return [el.dataset.tpId || el.dataset.regionId || null, " \
          "el.closest('svg.map-view') ? el.closest('svg.map-view').dataset.viewId : null]; }"


def test_bfd003_keys_work_before_dash_has_loaded(chromium, app_url):
    with dash_held(chromium, app_url + "/") as (page, release):
        page.focus("#body-map [tabindex='0']")
        start, view = js(page, FOCUSED)
        page.keyboard.press("ArrowDown")
        moved, _ = js(page, FOCUSED)
        assert moved and moved != start
        page.keyboard.press("Enter")
        wait_until(page, "([]) => document.activeElement.getAttribute('aria-pressed') === 'true'")
        name = js(page, "([]) => document.activeElement.getAttribute('aria-label')")
        if name.endswith(", trigger point"):
            wait_said(page, name.removesuffix(", trigger point") + " selected.")
        else:
            wait_announced(page, "^" + re.escape(name.removesuffix(", marked as painful") + " marked; 1 area marked"))
        page.keyboard.press("PageDown")
        _, next_view = js(page, FOCUSED)
        assert next_view and next_view != view
        assert js(page, DASH_NOT_STARTED)
        release()


def test_bfd004_the_map_is_drawn_once_and_outside_react(chromium, app_url):
    with dash_held(chromium, app_url + "/?pain=instep") as (page, release):
        js(page, "([]) => { window.__map = document.getElementById('body-map'); }")
        release()
        page.wait_for_selector("#page #map-panel #body-map", state="attached")
        wait_until(page, "([]) => !document.getElementById('first-paint')")
        # The very node of the first paint, never a second drawing, and only one map in the page.
        assert js(page, "([]) => document.getElementById('body-map') === window.__map")
        assert js(page, "([]) => document.querySelectorAll('#body-map').length") == 1
        assert marked_regions(page) == ["instep"]
        tap_region(page, "heel-underside")
        wait_until(page, "([]) => location.search.includes('heel-underside')")
        assert js(page, "([]) => document.getElementById('body-map') === window.__map")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_bfd006_the_map_is_never_shown_before_a_tap_works(chromium, app_url, size):
    """The shell holds its first frame until the explorer's script has run (``<link rel="expect"
    blocking="render">``): without it, the browser painted the map as soon as its markup was parsed,
    and taps were ignored until the script below it had run (0.1 s, docs/performance.md)."""
    for query in ("/", "/?tp=gastrocnemius-tp1"):
        for _ in range(3):  # fresh contexts: an empty cache each time
            context = chromium.new_context(**SIZES[size])
            try:
                # The bench's probe: each frame, is the map on screen, and does a click on its first
                # pain area mark it (a second unmarks it)?
                context.add_init_script(FIRST_FRAMES)
                page = context.new_page()
                page.goto(app_url + query, wait_until="commit")
                page.wait_for_function("() => window.__load && window.__load.interactive !== undefined")
                load = js(page, "([]) => window.__load")
                assert load["interactive"] == load["mapVisible"], f"{query}: the first frame that showed the map ignored a tap"
                assert js(page, "([]) => document.querySelectorAll('#body-map [aria-pressed=\"true\"][data-region-id]').length") == 0
            finally:
                context.close()
