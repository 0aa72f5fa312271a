"""The explorer in real headless Chromium: point to pain, pain to point, URL state, keyboard.

Each test name carries a short code (`-k exp003` runs one).
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from components.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    mark_pain_and_expect_first,
    open_app,
    browser_errors,
    click_diagram,
    marked_regions,
    point_position,
    ranking_ids,
    shown_zones,
    url_search,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
GASTROCNEMIUS = [p for p in MODEL.trigger_points if p.startswith("gastrocnemius-")]


def zone_ids(point_id: str) -> set[str]:
    return {zone.id for zone in MODEL.zones_by_point[point_id]}



def detail_id(dash_duo) -> str:
    return dash_duo.find_element("#tp-detail").get_attribute("data-tp-id")


@pytest.mark.parametrize("point_id", GASTROCNEMIUS)
def test_exp001_click_each_x_shows_its_zones_and_panel(dash_duo, point_id):
    open_app(dash_duo)
    click_diagram(dash_duo, *point_position(MODEL, point_id))
    dash_duo.wait_for_element(f'#tp-detail[data-tp-id="{point_id}"]')
    dash_duo.wait_for_contains_text("#tp-detail h2", MODEL.point_title(point_id))
    essential = [z for z in MODEL.zones_by_point[point_id] if z.intensity == "essential"]
    region_name = MODEL.regions[essential[0].regions[0]].name
    dash_duo.wait_for_contains_text("#tp-detail .zone-essential", region_name[0].upper() + region_name[1:])
    wait_until(dash_duo, f"return document.querySelector('#body-map .js-plotly-plot').dataset.shownTp === '{point_id}'")
    assert set(shown_zones(dash_duo)) == zone_ids(point_id)
    assert f"tp={point_id}" in url_search(dash_duo)
    assert browser_errors(dash_duo) == []


def test_exp002_clicking_the_same_x_again_clears(dash_duo):
    open_app(dash_duo)
    where = point_position(MODEL, "gastrocnemius-tp2")
    click_diagram(dash_duo, *where)
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp2"]')
    click_diagram(dash_duo, *where)
    dash_duo.wait_for_element('#tp-detail[data-tp-id=""]')
    assert shown_zones(dash_duo) == []
    assert "tp=" not in url_search(dash_duo)
    assert browser_errors(dash_duo) == []


def test_exp003_keyboard_select_and_escape(dash_duo):
    open_app(dash_duo)
    button = dash_duo.find_element('.tp-button[data-tp-id="gastrocnemius-tp3"]')
    button.send_keys(Keys.SPACE)  # a focused button activates with Space, as for a keyboard user
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp3"]')
    wait_until(dash_duo, "return document.querySelector('.tp-button[data-tp-id=\"gastrocnemius-tp3\"]')"
                         ".getAttribute('aria-pressed') === 'true'")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp3")
    dash_duo.find_element("body").send_keys(Keys.ESCAPE)
    dash_duo.wait_for_element('#tp-detail[data-tp-id=""]')
    assert shown_zones(dash_duo) == []
    assert browser_errors(dash_duo) == []


def test_exp004_deep_link_opens_with_point_selected(dash_duo):
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp1"]')
    dash_duo.wait_for_contains_text("#tp-detail .zone-essential", "Instep")
    wait_until(dash_duo, "return document.querySelector('#body-map .js-plotly-plot').dataset.shownTp === 'gastrocnemius-tp1'")
    assert set(shown_zones(dash_duo)) == zone_ids("gastrocnemius-tp1")
    assert browser_errors(dash_duo) == []


def test_exp005_left_right_toggle_mirrors_and_updates_url(dash_duo):
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    right_range = dash_duo.driver.execute_script(
        "return document.querySelector('#body-map .js-plotly-plot')._fullLayout.xaxis.range")
    assert right_range[0] < right_range[1]
    dash_duo.find_element("#side-choice input[value='left']").click()
    wait_until(dash_duo, "const r = document.querySelector('#body-map .js-plotly-plot')._fullLayout.xaxis.range;"
                         "return r[0] > r[1]")
    assert "side=left" in url_search(dash_duo)
    # The inner side of the left leg is on the viewer's right: TP1 (inner head) now lies right of centre.
    x_tp1 = dash_duo.driver.execute_script(
        "const gd = document.querySelector('#body-map .js-plotly-plot');"
        "return gd._fullLayout.xaxis.l2p(arguments[0]) / gd._fullLayout._size.w;",
        point_position(MODEL, "gastrocnemius-tp1")[0],
    )
    x_tp2 = dash_duo.driver.execute_script(
        "const gd = document.querySelector('#body-map .js-plotly-plot');"
        "return gd._fullLayout.xaxis.l2p(arguments[0]) / gd._fullLayout._size.w;",
        point_position(MODEL, "gastrocnemius-tp2")[0],
    )
    assert x_tp1 > x_tp2
    # Labels still point away from the midline: TP3 (inner head, now on the right) labelled on its right.
    assert dash_duo.driver.execute_script(
        "const gd = document.querySelector('#body-map .js-plotly-plot');"
        "const t = gd.data.find(d => d.meta === 'gastrocnemius');"
        "return t.textposition[t.text.indexOf('TP3')];"
    ) == "middle right"
    dash_duo.find_element("#side-choice input[value='right']").click()
    wait_until(dash_duo, "const r = document.querySelector('#body-map .js-plotly-plot')._fullLayout.xaxis.range;"
                         "return r[0] < r[1]")
    assert "side=" not in url_search(dash_duo)
    assert browser_errors(dash_duo) == []


def test_exp006_deep_link_side_left(dash_duo):
    open_app(dash_duo, "?side=left")
    wait_until(dash_duo, "const r = document.querySelector('#body-map .js-plotly-plot')._fullLayout.xaxis.range;"
                         "return r[0] > r[1]")
    assert dash_duo.find_element("#side-choice input[value='left']").is_selected()
    assert browser_errors(dash_duo) == []


def test_exp007_bad_link_values_give_a_notice_and_are_escaped(dash_duo):
    open_app(dash_duo, "?tp=%3Cscript%3Ealert(1)%3C%2Fscript%3E&pain=instep,%3Cb%3Enope&side=up")
    dash_duo.wait_for_contains_text("#url-notice", "ignored")
    notice = dash_duo.find_element("#url-notice")
    assert "<script>alert(1)</script>" in notice.text  # shown as text...
    assert notice.find_elements("css selector", "script, b") == []  # ...never as markup
    # The bad point is dropped; the valid pain still ranks, and its best candidate is shown.
    dash_duo.wait_for_element('#source-ranking li[data-tp-id="gastrocnemius-tp1"]')
    assert dash_duo.find_element('.tp-button[data-tp-id="gastrocnemius-tp1"]').get_attribute("aria-pressed") == "false"
    wait_until(dash_duo, "return window.location.search === '?pain=instep'")
    assert browser_errors(dash_duo) == []


def test_exp010_click_the_arch_ranks_tp1_first(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, MODEL, "instep", "gastrocnemius-tp1")
    assert marked_regions(dash_duo) == ["instep"]
    assert "pain=instep" in url_search(dash_duo)
    # The top candidate's zones are drawn over the marked pain, and its detail opens.
    wait_until(dash_duo, "return document.querySelector('#body-map .js-plotly-plot').dataset.shownTp === 'gastrocnemius-tp1'")
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp1"]')
    assert browser_errors(dash_duo) == []


def test_exp011_click_outside_the_body_does_nothing(dash_duo):
    open_app(dash_duo)
    view = MODEL.views["back"]
    click_diagram(dash_duo, view.x + 2, view.y + 120)  # beside the calf, off the skin
    click_diagram(dash_duo, view.x + 98, view.y + 196)
    assert url_search(dash_duo) == ""
    assert marked_regions(dash_duo) == []
    assert browser_errors(dash_duo) == []


def test_exp012_region_list_by_keyboard_and_candidate_choice(dash_duo):
    open_app(dash_duo)
    for region in ("instep", "knee-back"):
        dash_duo.find_element(f'.region-toggle[data-region-id="{region}"]').send_keys(Keys.ENTER)
        wait_until(dash_duo, f"return document.querySelector('.region-toggle[data-region-id=\"{region}\"]')"
                             ".getAttribute('aria-pressed') === 'true'")
    wait_until(dash_duo, "return window.location.search === '?pain=instep,knee-back'")
    dash_duo.wait_for_contains_text("#source-ranking", "explains 2 of your 2 marked areas")
    ranking = ranking_ids(dash_duo)
    assert ranking[0] == "gastrocnemius-tp1"
    assert sorted(marked_regions(dash_duo)) == ["instep", "knee-back"]
    # Choosing another candidate shows that one instead and opens its detail.
    second = ranking[1]
    dash_duo.find_element(f'#source-ranking li[data-tp-id="{second}"] button').send_keys(Keys.ENTER)
    dash_duo.wait_for_element(f'#tp-detail[data-tp-id="{second}"]')
    wait_until(dash_duo, f"return document.querySelector('#body-map .js-plotly-plot').dataset.shownTp === '{second}'")
    assert set(shown_zones(dash_duo)) == zone_ids(second)
    assert f"tp={second}" in url_search(dash_duo)
    assert browser_errors(dash_duo) == []


def test_exp013_deep_link_pain_and_clear(dash_duo):
    open_app(dash_duo, "?pain=instep")
    dash_duo.wait_for_element('#source-ranking li[data-tp-id]')
    assert ranking_ids(dash_duo)[0] == "gastrocnemius-tp1"
    assert dash_duo.find_element('.region-toggle[data-region-id="instep"]').get_attribute("aria-pressed") == "true"
    dash_duo.find_element("#clear-pain").click()
    wait_until(dash_duo, "return document.querySelectorAll('#source-ranking > li').length === 0")
    assert url_search(dash_duo) == ""
    assert marked_regions(dash_duo) == []
    assert shown_zones(dash_duo) == []
    assert browser_errors(dash_duo) == []


def test_exp014_back_button_restores_state(dash_duo):
    open_app(dash_duo)
    dash_duo.find_element('.tp-button[data-tp-id="gastrocnemius-tp2"]').click()
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp2"]')
    dash_duo.find_element('.tp-button[data-tp-id="gastrocnemius-tp4"]').click()
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp4"]')
    dash_duo.driver.back()
    dash_duo.wait_for_element('#tp-detail[data-tp-id="gastrocnemius-tp2"]')
    wait_until(dash_duo, "return document.querySelector('#body-map .js-plotly-plot').dataset.shownTp === 'gastrocnemius-tp2'")
    assert browser_errors(dash_duo) == []
