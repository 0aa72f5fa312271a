"""The explorer in real headless Chromium (dash_duo): point to pain, pain to point, URL state, keyboard.

Taps are real pointer clicks at a shape's position on screen; what is checked is what a person
sees: the zones drawn (computed display), pressed shapes, the facts shown, the ranking, the URL.
Each test name carries a short code (`-k exp003` runs one).
"""
from __future__ import annotations

from selenium.webdriver.common.keys import Keys

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    browser_errors,
    detail_id,
    js,
    mark_pain_and_expect_first,
    marked_regions,
    open_app,
    pointer_tap,
    pressed_points,
    ranking_ids,
    shown_zones,
    tap_point,
    wait_for_shown,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
GASTROCNEMIUS = [p for p in MODEL.trigger_points if p.startswith("gastrocnemius-")]

# Where a point's X is across its view on screen: 0 = the view's left edge, 1 = its right edge.
ACROSS_VIEW = """([tp]) => {
  const hit = document.querySelector(`#body-map [data-tp-id="${tp}"] .tp-hit`).getBoundingClientRect();
  const view = document.querySelector(`#body-map [data-tp-id="${tp}"]`).closest('svg').getBoundingClientRect();
  return (hit.left + hit.width / 2 - view.left) / view.width;
}"""

# A spot on the back view, inside its drawing box but on no shape: beside the leg.
EMPTY_SPOTS = """([]) => {
  const view = document.querySelector('#body-map svg[data-view-id="back"]');
  view.scrollIntoView({block: 'center'});
  const box = view.getBoundingClientRect();
  const spots = [];
  for (let j = 1; j < 20; j++) for (let i = 1; i < 10; i++) {
    const x = box.left + box.width * i / 10, y = box.top + box.height * j / 20;
    if (y < 0 || y > window.innerHeight) continue;
    const found = document.elementFromPoint(x, y);
    if (found && view.contains(found) && !found.closest('[data-tp-id], [data-region-id]')) spots.push([x, y]);
  }
  return spots;
}"""


def zone_ids(point_id: str) -> set[str]:
    return {zone.id for zone in MODEL.zones_by_point[point_id]}


def capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def test_exp001_tapping_each_x_shows_its_zones_and_facts(dash_duo):
    open_app(dash_duo)
    for point_id in GASTROCNEMIUS:
        tap_point(dash_duo, point_id)
        wait_for_shown(dash_duo, point_id)
        block = f'#tp-detail [data-detail-of="{point_id}"]'
        dash_duo.wait_for_contains_text(f"{block} h2", MODEL.point_title(point_id))
        essential = [z for z in MODEL.zones_by_point[point_id] if z.intensity == "essential"]
        region_name = MODEL.regions[essential[0].regions[0]].name
        dash_duo.wait_for_contains_text(f"{block} .zone-essential-text", capitalised(region_name))
        assert set(shown_zones(dash_duo)) == zone_ids(point_id)
        assert pressed_points(dash_duo) == [point_id]
        wait_until(dash_duo, f"return window.location.search === '?tp={point_id}'")
    assert browser_errors(dash_duo) == []


def test_exp002_tapping_the_same_x_again_clears(dash_duo):
    open_app(dash_duo)
    tap_point(dash_duo, "gastrocnemius-tp2")
    wait_for_shown(dash_duo, "gastrocnemius-tp2")
    tap_point(dash_duo, "gastrocnemius-tp2")
    dash_duo.wait_for_element('#tp-detail[data-tp-id=""]')
    assert shown_zones(dash_duo) == [] and pressed_points(dash_duo) == []
    wait_until(dash_duo, "return window.location.search === ''")
    assert browser_errors(dash_duo) == []


def test_exp003_keyboard_select_from_the_list_and_escape(dash_duo):
    open_app(dash_duo)
    button = dash_duo.find_element('.tp-button[data-tp-id="gastrocnemius-tp3"]')
    button.send_keys(Keys.SPACE)  # a focused button activates with Space, as for a keyboard user
    wait_for_shown(dash_duo, "gastrocnemius-tp3")
    wait_until(dash_duo, "return document.querySelector('.tp-button[data-tp-id=\"gastrocnemius-tp3\"]')"
                         ".getAttribute('aria-pressed') === 'true'")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp3")
    assert pressed_points(dash_duo) == ["gastrocnemius-tp3"]
    button.send_keys(Keys.ESCAPE)
    dash_duo.wait_for_element('#tp-detail[data-tp-id=""]')
    assert shown_zones(dash_duo) == []
    dash_duo.wait_for_text_to_equal("#announcer", "Selection cleared.")
    assert browser_errors(dash_duo) == []


def test_exp004_deep_link_opens_with_point_selected(dash_duo):
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    wait_for_shown(dash_duo, "gastrocnemius-tp1")
    dash_duo.wait_for_contains_text('#tp-detail [data-detail-of="gastrocnemius-tp1"] .zone-essential-text', "Instep")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp1")
    assert pressed_points(dash_duo) == ["gastrocnemius-tp1"]
    assert detail_id(dash_duo) == "gastrocnemius-tp1"
    assert browser_errors(dash_duo) == []


def test_exp005_left_right_toggle_mirrors_and_updates_url(dash_duo):
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    wait_for_shown(dash_duo, "gastrocnemius-tp1")
    # Right leg from behind: the inner head (TP1) is left of the outer head (TP2).
    right = js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp1")
    assert right < 0.5 < js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp2")
    dash_duo.find_element('[data-action="side-left"]').click()
    wait_until(dash_duo, "return window.location.search.includes('side=left')")
    assert dash_duo.find_element('[data-action="side-left"]').get_attribute("aria-pressed") == "true"
    # The inner side of the left leg is on the viewer's right.
    left = js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp1")
    assert js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp2") < 0.5 < left
    assert abs(left - (1 - right)) < 0.02
    # The same point is still chosen and its zones drawn.
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp1")
    dash_duo.find_element('[data-action="side-right"]').click()
    wait_until(dash_duo, "return !window.location.search.includes('side=')")
    assert abs(js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp1") - right) < 0.01
    assert browser_errors(dash_duo) == []


def test_exp006_deep_link_side_left(dash_duo):
    open_app(dash_duo, "?side=left")
    assert js(dash_duo, ACROSS_VIEW, "gastrocnemius-tp1") > 0.5
    assert dash_duo.find_element('[data-action="side-left"]').get_attribute("aria-pressed") == "true"
    assert dash_duo.find_element('[data-action="side-right"]').get_attribute("aria-pressed") == "false"
    assert browser_errors(dash_duo) == []


def test_exp007_bad_link_values_give_a_notice_and_are_escaped(dash_duo):
    open_app(dash_duo, "?tp=%3Cscript%3Ealert(1)%3C%2Fscript%3E&pain=instep,%3Cb%3Enope&side=up")
    dash_duo.wait_for_contains_text("#url-notice", "ignored")
    notice = dash_duo.find_element("#url-notice")
    assert "<script>alert(1)</script>" in notice.text  # shown as text...
    assert notice.find_elements("css selector", "script, b") == []  # ...never as markup
    # The bad point is dropped; the valid pain still ranks, and its best candidate is shown.
    dash_duo.wait_for_element('#source-ranking li[data-tp-id="gastrocnemius-tp1"]')
    wait_for_shown(dash_duo, "gastrocnemius-tp1")
    assert pressed_points(dash_duo) == []
    assert marked_regions(dash_duo) == ["instep"]
    wait_until(dash_duo, "return window.location.search === '?pain=instep'")
    assert browser_errors(dash_duo) == []


def test_exp010_tapping_the_arch_ranks_tp1_first(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, "instep", "gastrocnemius-tp1")
    assert marked_regions(dash_duo) == ["instep"]
    wait_until(dash_duo, "return window.location.search === '?pain=instep'")
    # The top candidate's zones are drawn over the marked pain, and its facts are shown.
    wait_for_shown(dash_duo, "gastrocnemius-tp1")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp1")
    assert browser_errors(dash_duo) == []


def test_exp011_tapping_beside_the_leg_does_nothing(dash_duo):
    open_app(dash_duo)
    spots = js(dash_duo, EMPTY_SPOTS)
    assert len(spots) >= 2, "no empty spot beside the leg"
    for x, y in (spots[0], spots[-1]):
        pointer_tap(dash_duo, x, y)
    # Then a real tap on a point: if the empty taps had done anything, it would show by now.
    tap_point(dash_duo, "gastrocnemius-tp2")
    wait_until(dash_duo, "return window.location.search === '?tp=gastrocnemius-tp2'")
    assert marked_regions(dash_duo) == []
    assert browser_errors(dash_duo) == []


def test_exp012_region_list_by_keyboard_and_candidate_choice(dash_duo):
    open_app(dash_duo)
    for region in ("instep", "knee-back"):
        dash_duo.find_element(f'.region-toggle[data-region-id="{region}"]').send_keys(Keys.ENTER)
        wait_until(dash_duo, f"return document.querySelector('.region-toggle[data-region-id=\"{region}\"]')"
                             ".getAttribute('aria-pressed') === 'true'")
    wait_until(dash_duo, "return window.location.search === '?pain=instep,knee-back'")
    dash_duo.wait_for_contains_text("#source-ranking", "Explains both marked areas")
    ranking = ranking_ids(dash_duo)
    assert ranking[0] == "gastrocnemius-tp1"
    assert sorted(marked_regions(dash_duo)) == ["instep", "knee-back"]
    # Choosing another candidate shows that one instead and opens its facts.
    second = ranking[1]
    dash_duo.find_element(f'#source-ranking li[data-tp-id="{second}"] button').send_keys(Keys.ENTER)
    wait_for_shown(dash_duo, second)
    assert set(shown_zones(dash_duo)) == zone_ids(second)
    assert pressed_points(dash_duo) == [second]
    wait_until(dash_duo, f"return window.location.search.includes('tp={second}')")
    assert browser_errors(dash_duo) == []


def test_exp013_deep_link_pain_and_clear(dash_duo):
    open_app(dash_duo, "?pain=instep")
    dash_duo.wait_for_element('#source-ranking li[data-tp-id]')
    assert ranking_ids(dash_duo)[0] == "gastrocnemius-tp1"
    assert dash_duo.find_element('.region-toggle[data-region-id="instep"]').get_attribute("aria-pressed") == "true"
    assert marked_regions(dash_duo) == ["instep"]
    dash_duo.find_element("#clear-pain").click()
    wait_until(dash_duo, "return document.querySelectorAll('#source-ranking > li').length === 0")
    wait_until(dash_duo, "return window.location.search === ''")
    assert marked_regions(dash_duo) == []
    assert shown_zones(dash_duo) == []
    assert browser_errors(dash_duo) == []


def test_exp014_back_and_forward_restore_states(dash_duo):
    open_app(dash_duo)
    tap_point(dash_duo, "gastrocnemius-tp2")
    wait_for_shown(dash_duo, "gastrocnemius-tp2")
    wait_until(dash_duo, "return window.location.search === '?tp=gastrocnemius-tp2'")
    tap_point(dash_duo, "gastrocnemius-tp4")
    wait_for_shown(dash_duo, "gastrocnemius-tp4")
    wait_until(dash_duo, "return window.location.search === '?tp=gastrocnemius-tp4'")
    dash_duo.driver.back()
    wait_for_shown(dash_duo, "gastrocnemius-tp2")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp2")
    assert pressed_points(dash_duo) == ["gastrocnemius-tp2"]
    dash_duo.driver.back()
    dash_duo.wait_for_element('#tp-detail[data-tp-id=""]')
    assert shown_zones(dash_duo) == []
    dash_duo.driver.forward()
    wait_for_shown(dash_duo, "gastrocnemius-tp2")
    assert browser_errors(dash_duo) == []
