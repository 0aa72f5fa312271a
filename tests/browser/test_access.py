"""The map with the keyboard alone and through a screen reader's eyes, in real headless Chromium.

The screen-reader view is Chromium's own accessibility tree (through the DevTools protocol):
what a screen reader is given, not the attributes the script wrote.
"""
from __future__ import annotations

import re

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    FOCUS_ON_BODY,
    FOCUSED_SHAPE,
    detail_id,
    in_view,
    js,
    marked_regions,
    pressed_points,
    ranking_ids,
    tap_point,
    tap_region,
    wait_announced,
    wait_for_shown,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
MAX_TABS = 40


def focused(page):
    return js(page, FOCUSED_SHAPE)


def on_body(page) -> bool:
    return js(page, FOCUS_ON_BODY)



# A shape's centre on screen, by its id.
CENTRE = """([id]) => {
  const el = document.querySelector(`#body-map [data-tp-id="${id}"] .tp-hit, #body-map [data-region-id="${id}"]`);
  const b = el.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2];
}"""


def walk_to(page, target: str, steps: int = 40) -> None:
    """Arrow keys towards a shape, as a person would: the key that points at it from where focus is."""
    for _ in range(steps):
        here = focused(page)
        if here == target:
            return
        (x0, y0), (x1, y1) = js(page, CENTRE, here), js(page, CENTRE, target)
        dx, dy = x1 - x0, y1 - y0
        page.keyboard.press(("ArrowRight" if dx > 0 else "ArrowLeft") if abs(dx) > abs(dy) else ("ArrowDown" if dy > 0 else "ArrowUp"))
    assert focused(page) == target, f"the arrow keys never reached {target}"


def tab_into_map(page) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page):
            return


def test_kbd001_keyboard_only_walkthrough(open_page):
    opened = open_page("desktop")
    page, keys = opened.page, opened.page.keyboard
    # Tab reaches the map; the whole map is one tab stop.
    tab_into_map(page)
    first = focused(page)
    assert first, "Tab never reached the map"
    keys.press("Tab")
    assert focused(page) is None, "the map took a second tab stop"
    keys.press("Shift+Tab")
    assert focused(page) == first
    # Arrow keys move in their direction (issue 16: not in page order), Home and End to the ends.
    keys.press("ArrowRight")
    second = focused(page)
    assert second not in (None, first)
    assert js(page, CENTRE, second)[0] > js(page, CENTRE, first)[0]
    keys.press("ArrowLeft")
    assert js(page, CENTRE, focused(page))[0] < js(page, CENTRE, second)[0]
    keys.press("Home")
    keys.press("End")
    last = focused(page)
    assert last not in (None, first, second)
    keys.press("Home")
    assert focused(page) == first
    # Walk to gastrocnemius TP1 and choose it with Enter.
    target = "gastrocnemius-tp1"
    walk_to(page, target)
    keys.press("Enter")
    said = wait_announced(page, "selected")
    assert said.startswith(MODEL.point_title(target)) and said.rstrip(". ").endswith("selected")
    wait_for_shown(page, target)
    assert detail_id(page) == target and pressed_points(page) == [target]
    assert in_view(page, f'#tp-detail [data-detail-of="{target}"] h2') == "ok"
    # Space toggles it off and on again.
    keys.press(" ")
    wait_until(page, "return document.getElementById('tp-detail').dataset.tpId === ''")
    keys.press(" ")
    wait_for_shown(page, target)
    # Esc clears; focus stays on the map, never on the page body.
    keys.press("Escape")
    wait_announced(page, "^Selection cleared")
    assert detail_id(page) == "" and pressed_points(page) == []
    assert not on_body(page)
    # A region by keyboard: Enter marks it, the live region counts it.
    walk_to(page, "knee-back")
    keys.press("Enter")
    wait_announced(page, "^Back of the knee marked; 1 area marked")
    assert marked_regions(page) == ["knee-back"]
    # Choosing a ranked candidate from the keyboard: the ranking is drawn again, focus stays put.
    page.wait_for_selector("#source-ranking > li:nth-child(2) button")
    second_choice = ranking_ids(page)[1]
    page.focus("#source-ranking > li:nth-child(2) button")
    keys.press("Enter")
    wait_for_shown(page, second_choice)
    page.wait_for_selector(f'#source-ranking > li[data-tp-id="{second_choice}"] button[aria-pressed="true"]')
    assert not on_body(page), "focus fell to <body> after choosing a ranked candidate"
    # "Clear selection" from the keyboard: focus does not fall to the body either.
    page.focus(f'#tp-detail [data-detail-of="{second_choice}"] [data-action="clear-selection"]')
    keys.press("Enter")
    wait_announced(page, "^Selection cleared")
    wait_for_shown(page, ranking_ids(page)[0])
    assert not on_body(page), "focus fell to <body> after Clear selection"
    assert opened.errors == []


def map_buttons(page) -> list[tuple[str, bool | None]]:
    """Every button inside #body-map in Chromium's accessibility tree: (name, pressed)."""
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        body_map = session.send("DOM.querySelector", {"nodeId": root, "selector": "#body-map"})["nodeId"]
        nodes = session.send("Accessibility.queryAXTree", {"nodeId": body_map, "role": "button"})["nodes"]
    finally:
        session.detach()
    buttons = []
    for node in nodes:
        if node.get("ignored"):
            continue
        properties = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        pressed = properties.get("pressed")
        buttons.append((node.get("name", {}).get("value", ""), None if pressed is None else pressed in (True, "true")))
    return buttons


def live_region(page) -> dict:
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        announcer = session.send("DOM.querySelector", {"nodeId": root, "selector": "#announcer"})["nodeId"]
        node = session.send("Accessibility.getPartialAXTree", {"nodeId": announcer, "fetchRelatives": False})["nodes"][0]
    finally:
        session.detach()
    return {p["name"]: p["value"].get("value") for p in node.get("properties", [])}


def test_sr001_screen_reader_hears_names_and_pressed_states(open_page):
    opened = open_page("desktop")
    page = opened.page
    buttons = map_buttons(page)
    # A region drawn in several views is a button in each of them, under the same name.
    drawings = sum(len(region.shapes or (region,)) for region in MODEL.regions.values())
    assert len(buttons) == len(MODEL.trigger_points) + drawings
    names = [name for name, _ in buttons]
    for point_id, point in MODEL.trigger_points.items():
        muscle = MODEL.muscles[point.muscle].name
        matching = [n for n in names if MODEL.point_title(point_id) in n]
        assert len(matching) == 1, (point_id, matching)
        assert muscle.lower() in matching[0].lower() and point.label in matching[0]
    for region in MODEL.regions.values():
        assert sum(region.name.lower() in n.lower() for n in names) >= 1, region.id
    assert all(pressed is False for _, pressed in buttons), "something is pressed before any tap"
    assert live_region(page).get("live") == "polite"
    # Marking pain: the regions read as pressed, the live region counts them and names the best
    # match, and does not pretend the user selected a point.
    tap_region(page, "knee-back")
    wait_announced(page, "^Back of the knee marked; 1 area marked; (most|equally) likely: ")  # the knee alone is a tie
    wait_until(page, "() => location.search.includes('knee-back')")  # the first mark settled, at a person's pace
    tap_region(page, "instep")
    said = wait_announced(page, "^Instep .*marked; 2 areas marked; most likely: ")
    best = ranking_ids(page)[0]
    assert said.rstrip(". ") == f"{MODEL.regions['instep'].name[0].upper() + MODEL.regions['instep'].name[1:]} marked; 2 areas marked; most likely: {MODEL.point_title(best)}"
    assert "selected" not in said
    pressed = {name for name, is_pressed in map_buttons(page) if is_pressed}
    region_names = {MODEL.regions[r].name.lower() for r in ("knee-back", "instep")}
    assert {n for n in pressed if any(r in n.lower() for r in region_names)} == pressed
    assert len(pressed) == 2, pressed
    # Picking a point: it reads as pressed and is announced as selected.
    tap_point(page, "soleus-tp1")
    said = wait_announced(page, "selected")
    assert said.startswith(MODEL.point_title("soleus-tp1"))
    pressed = {name for name, is_pressed in map_buttons(page) if is_pressed}
    assert len(pressed) == 3 and any(MODEL.point_title("soleus-tp1") in n for n in pressed)
    assert opened.errors == []


RING_LOOK = """([tp]) => { const ring = document.querySelector(`#body-map [data-tp-id="${tp}"] .tp-ring`);
  const s = getComputedStyle(ring); return [s.stroke, s.strokeDasharray, s.strokeWidth]; }"""


def test_sr002_an_automatic_best_match_looks_different_from_a_picked_point(open_page):
    opened = open_page("desktop", "?pain=knee-back,instep")
    page = opened.page
    page.wait_for_selector("#source-ranking > li")
    best = ranking_ids(page)[0]
    wait_for_shown(page, best)
    # Drawn, but not pressed: the user did not pick it.
    assert pressed_points(page) == []
    assert page.locator(f'#body-map [data-tp-id="{best}"]').get_attribute("class").split().count("tp-best") == 1
    automatic = js(page, RING_LOOK, best)
    assert automatic[0] != "none", "the best match has no ring at all"
    tap_point(page, best)
    wait_until(page, "([tp]) => document.querySelector(`#body-map [data-tp-id=\"${tp}\"]`)"
                     ".getAttribute('aria-pressed') === 'true'", 8.0, best)
    assert "tp-best" not in page.locator(f'#body-map [data-tp-id="{best}"]').get_attribute("class").split()
    picked = js(page, RING_LOOK, best)
    assert picked != automatic, f"picked and automatic look the same: {picked}"
    assert re.fullmatch(r"none|0(px)?", picked[1]) and not re.fullmatch(r"none|0(px)?", automatic[1])
    assert opened.errors == []


# The view a focused shape is drawn in.
FOCUSED_VIEW = """([]) => { const el = document.activeElement; const svg = el && el.closest && el.closest('svg.map-view');
  return svg ? svg.dataset.viewId : null; }"""


def test_kbd002_arrows_go_by_direction_page_keys_change_view_and_the_area_is_named(open_page):
    opened = open_page("desktop")
    page, keys = opened.page, opened.page.keyboard
    tab_into_map(page)
    # Down goes down the leg, never across it to another view.
    for _ in range(4):
        here, view = focused(page), js(page, FOCUSED_VIEW)
        keys.press("ArrowDown")
        there = focused(page)
        if there == here:
            break
        assert js(page, CENTRE, there)[1] > js(page, CENTRE, here)[1], f"Down went up from {here} to {there}"
        assert js(page, FOCUSED_VIEW) == view
    # Page Down moves to the next view, Page Up back.
    first_view = js(page, FOCUSED_VIEW)
    keys.press("PageDown")
    assert js(page, FOCUSED_VIEW) not in (None, first_view)
    keys.press("PageUp")
    assert js(page, FOCUSED_VIEW) == first_view
    # The live region names the area that was marked and unmarked; its name says it is marked.
    instep = MODEL.regions["instep"].name
    tap_region(page, "instep")
    wait_announced(page, "^" + re.escape(instep[0].upper() + instep[1:]) + " marked; 1 area marked; ")
    label = js(page, "([]) => document.querySelector('#body-map [data-region-id=\"instep\"]').getAttribute('aria-label')")
    assert label.endswith("marked as painful")
    tap_region(page, "instep")
    wait_announced(page, "^" + re.escape(instep[0].upper() + instep[1:]) + " unmarked")
    assert opened.errors == []


def test_kbd003_after_a_tap_on_an_x_the_arrow_keys_go_on_from_it(open_page):
    """A press does not focus the shape at once (that cost the tap's frame); the click focuses it
    once the zone is painted, so a person who taps and then uses the keys starts from the X."""
    opened = open_page("desktop")
    page = opened.page
    tp = "soleus-tp1"
    tap_point(page, tp)
    assert wait_until(page, f"return document.activeElement && document.activeElement.closest && "
                            f"!!document.activeElement.closest('#body-map [data-tp-id=\"{tp}\"]')"), "the tapped X has the focus"
    page.keyboard.press("ArrowUp")
    there = focused(page)
    assert there not in (None, tp), "ArrowUp moved from the tapped X to a shape above it"
    assert js(page, CENTRE, there)[1] < js(page, CENTRE, tp)[1]
    assert opened.errors == []
