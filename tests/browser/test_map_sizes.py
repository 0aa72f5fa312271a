"""The map under a finger, at a phone (390x844, touch), an upright tablet (820x1180) and a desktop
(1280x900), in real headless Chromium through Playwright.

- every X and every region's inside is hit by what is under it (elementFromPoint over ALL shapes);
- X tap targets are large enough and never overlap;
- real taps on a sample select and mark, and after each the answer is on screen;
- nothing scrolls sideways at 320 px.
"""
from __future__ import annotations

import math

import pytest

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.conftest import SIZES
from tests.browser.helpers import (
    POINT_HITS,
    VIEW_TABS,
    REGION_SPOTS,
    TARGET_BOXES,
    announced,
    detail_id,
    in_view,
    js,
    marked_regions,
    pressed_points,
    ranking_ids,
    shown_zones,
    tap_point,
    tap_region,
    wait_for_shown,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
MIN_TARGET = 44  # CSS px, the issue's (and WCAG 2.5.5's) touch target

# The closest pair on the map (popliteus / gastrocnemius TP3), a point low on the leg, and regions
# on every view: the back of the leg, the sole, the inner foot and the low-back inset.
SAMPLE_POINTS = ["gastrocnemius-tp1", "popliteus-tp1", "gastrocnemius-tp3", "soleus-tp1"]
SAMPLE_REGIONS = ["knee-back", "heel-underside", "instep", "low-back-sacroiliac", "calf-upper-lateral"]


def zone_ids(point_id: str) -> set[str]:
    return {zone.id for zone in MODEL.zones_by_point[point_id]}


# Each size, plus the mirrored left leg on a phone and clinic view on a tablet.
HIT_CASES = [(size, "") for size in SIZES] + [("phone", "?side=left"), ("tablet", "?mode=clinic")]


@pytest.mark.parametrize("size, query", HIT_CASES, ids=[*SIZES, "phone-left-leg", "clinic-tablet"])
def test_tap001_every_x_and_every_region_inside_is_what_is_under_the_finger(open_page, size, query):
    page = open_page(size, query).page
    checked, failures, problems, regions_seen = set(), [], {}, set()
    for _ in each_view(page):
        points = js(page, POINT_HITS)
        checked.update(points["checked"])
        failures += points["failures"]
        for region in MODEL.regions:
            found = js(page, REGION_SPOTS, region, 4, 14)
            if found is None:
                continue  # not on screen in this view: another view shows it
            regions_seen.add(region)
            if found["misses"] or len(found["inside"]) < 10:
                problems[region] = {"inside": len(found["inside"]), "misses": found["misses"][:5]}
    assert checked == set(MODEL.trigger_points)
    assert failures == []
    assert regions_seen == set(MODEL.regions)
    assert problems == {}


def _overlaps(boxes) -> list[str]:
    """Targets are circles (.tp-hit): two overlap when their centres are closer than their radii."""
    found = []
    for i, (a, ax, ay, aw, ah) in enumerate(boxes):
        for b, bx, by, bw, bh in boxes[i + 1:]:
            gap = math.dist((ax + aw / 2, ay + ah / 2), (bx + bw / 2, by + bh / 2)) - (aw + bw) / 2
            if gap < -0.5:
                found.append(f"{a} / {b}: {-gap:.1f} px")
    return found


def each_view(page):
    """Every main view in turn, where only one is drawn at a time (phones, clinic view); else once."""
    tabs = js(page, VIEW_TABS) or [None]
    for tab in tabs:
        if tab:
            page.click(f'.view-tabs [data-action="{tab}"]')
        yield tab


def _small(boxes) -> list[str]:
    return [f"{tp}: {w:.0f}x{h:.0f} px" for tp, _, _, w, h in boxes if w < MIN_TARGET - 0.5 or h < MIN_TARGET - 0.5]


# Where the issues ask for 44 px targets: phones, clinic view, and (issue 16) tablets 820 and 1180
# wide in the ordinary view too, upright and sideways.
LANDSCAPE = {"width": 1180, "height": 820}
TARGET_CASES = [("phone", "", True, None), ("tablet", "", True, None), ("desktop", "", False, None),
                ("tablet", "?mode=clinic", True, None), ("tablet", "", True, LANDSCAPE), ("tablet", "?mode=clinic", True, LANDSCAPE)]


@pytest.mark.parametrize("size, query, needs_44, viewport", TARGET_CASES,
                         ids=["phone", "tablet", "desktop", "clinic-tablet", "tablet-1180", "clinic-tablet-1180"])
def test_tap002_x_targets_never_overlap_and_are_44px_on_phones_tablets_and_in_clinic_view(open_page, size, query, needs_44,
                                                                                         viewport):
    page = open_page(size, query, **({"viewport": viewport} if viewport else {})).page
    views = {}
    for _ in each_view(page):
        for view, boxes in js(page, TARGET_BOXES):
            if boxes:
                views[view] = boxes
    views = list(views.items())
    assert {tp for _, boxes in views for tp, *_ in boxes} == set(MODEL.trigger_points)
    problems = {f"{view} overlapping": _overlaps(boxes) for view, boxes in views}
    if needs_44:
        problems.update({f"{view} under {MIN_TARGET} px": _small(boxes) for view, boxes in views})
    problems = {key: found for key, found in problems.items() if found}
    assert problems == {}, "\n".join(f"{key}: {', '.join(found)}" for key, found in problems.items())


@pytest.mark.parametrize("size", list(SIZES))
def test_tap003_real_taps_select_and_mark_and_the_answer_is_in_view(open_page, size):
    opened = open_page(size)
    page, touch = opened.page, opened.touch
    out_of_view = []  # collected, so one run reports every tap whose answer is off screen
    for tp in SAMPLE_POINTS:
        tap_point(page, tp, touch)
        wait_until(page, "([tp]) => document.querySelector('#body-map').dataset.shownTp === tp"
                         " || document.querySelector('#body-map [data-region-id][aria-pressed=\"true\"]') !== null", 8.0, tp)
        assert marked_regions(page) == [], f"the tap at the centre of {tp}'s X marked {marked_regions(page)}"
        wait_for_shown(page, tp)
        assert pressed_points(page) == [tp]
        assert detail_id(page) == tp
        assert set(shown_zones(page)) == zone_ids(tp)
        seen = in_view(page, f'#tp-detail [data-detail-of="{tp}"] h2')
        if seen != "ok":
            out_of_view.append(f"tap on {tp}: its facts are {seen}")
    tap_point(page, SAMPLE_POINTS[-1], touch)  # the same X again: the selection is cleared
    wait_until(page, "return document.getElementById('tp-detail').dataset.tpId === ''")
    assert pressed_points(page) == [] and shown_zones(page) == []
    for count, region in enumerate(SAMPLE_REGIONS, start=1):
        tap_region(page, region, touch)
        wait_until(page, f"return document.getElementById('announcer').textContent.includes(' marked; {count} area')")
        assert sorted(marked_regions(page)) == sorted(SAMPLE_REGIONS[:count])
        best = ranking_ids(page)[0]
        wait_for_shown(page, best)  # the best match's zones are drawn over the marked pain
        seen = in_view(page, "#source-ranking > li:first-child")
        if seen != "ok":
            out_of_view.append(f"tap on {region}: the first candidate is {seen}")
    tap_region(page, SAMPLE_REGIONS[0], touch)  # the same area again: unmarked
    wait_until(page, f"return document.getElementById('announcer').textContent.includes('unmarked; {len(SAMPLE_REGIONS) - 1} areas')")
    assert SAMPLE_REGIONS[0] not in marked_regions(page)
    assert "selected" not in announced(page)
    assert out_of_view == [], "\n".join(out_of_view)
    assert opened.errors == []


@pytest.mark.parametrize("query", ["", "?tp=gastrocnemius-tp1&pain=knee-back,instep", "?mode=clinic&tp=soleus-tp1&side=left"])
def test_tap004_nothing_scrolls_sideways_at_320px(open_page, query):
    opened = open_page("phone", query, viewport={"width": 320, "height": 640})
    page = opened.page
    if "pain=" in query:
        page.wait_for_selector("#source-ranking > li")
    widths = js(page, "([]) => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px screen"
    # Every view of the map is whole on screen: none is cut off at the side.
    cut = js(page, """([]) => Array.from(document.querySelectorAll('#body-map svg.map-view')).map(v => {
        const b = v.getBoundingClientRect(); return [v.dataset.viewId, b.left, b.right]; })
        .filter(([id, left, right]) => left < -0.5 || right > document.documentElement.clientWidth + 0.5)""")
    assert cut == []
    assert opened.errors == []
