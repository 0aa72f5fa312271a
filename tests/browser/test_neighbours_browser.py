"""Neighbouring muscles in the browser: the muscle filter, the sole view and the low-back inset."""
from __future__ import annotations

from components.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    mark_pain_and_expect_first,
    open_app,
    browser_errors,
    click_diagram,
    marked_regions,
    point_position,
    region_inner_point,
    url_search,
    wait_for_plot,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
VISIBLE_MUSCLES = """
    const gd = document.querySelector('#body-map .js-plotly-plot');
    return gd._fullData.filter(t => t.mode === 'markers+text' && t.visible === true).map(t => t.meta);
"""



def visible_groups(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.tp-group')).filter(g => !g.hidden).map(g => g.dataset.muscle)"
    )


def test_nb001_filter_from_link_and_back_to_all(dash_duo):
    open_app(dash_duo, "?muscle=soleus")
    wait_until(dash_duo, f"{VISIBLE_MUSCLES.replace('return', 'const v =', 1)}; return v.length === 1 && v[0] === 'soleus'")
    assert visible_groups(dash_duo) == ["soleus"]
    dash_duo.wait_for_contains_text("#muscle-filter", "Soleus")
    # Choose "All muscles" again through the control itself, as a person would.
    dash_duo.find_element("#muscle-filter").click()
    choices = dash_duo.driver.find_elements("xpath", "//*[normalize-space(text())='All muscles']")
    [choice for choice in choices if choice.is_displayed()][-1].click()
    wait_until(dash_duo, "return !window.location.search.includes('muscle=')")
    assert sorted(dash_duo.driver.execute_script(VISIBLE_MUSCLES)) == sorted(
        {p.muscle for p in MODEL.trigger_points.values()}
    )
    assert len(visible_groups(dash_duo)) == len({p.muscle for p in MODEL.trigger_points.values()})
    assert browser_errors(dash_duo) == []


def test_nb002_filter_link_shows_only_that_muscles_points(dash_duo):
    open_app(dash_duo, "?tp=soleus-tp1")
    dash_duo.wait_for_element('#tp-detail[data-tp-id="soleus-tp1"]')
    dash_duo.driver.get(dash_duo.server_url + "/?tp=soleus-tp1&muscle=gastrocnemius")
    wait_for_plot(dash_duo)
    wait_until(dash_duo, f"{VISIBLE_MUSCLES.replace('return', 'const v =', 1)}; return v.length === 1 && v[0] === 'gastrocnemius'")
    assert visible_groups(dash_duo) == ["gastrocnemius"]
    assert browser_errors(dash_duo) == []


def test_nb003_heel_underside_on_the_sole_view_ranks_soleus_tp1(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, MODEL, "heel-underside", "soleus-tp1")
    assert marked_regions(dash_duo) == ["heel-underside"]
    assert "pain=heel-underside" in url_search(dash_duo)
    # Under the big toe, on the same view: flexor hallucis longus first.
    click_diagram(dash_duo, *region_inner_point(MODEL, "heel-underside"))  # unmark
    mark_pain_and_expect_first(dash_duo, MODEL, "big-toe-underside", "flexor-hallucis-longus-tp1")
    wait_until(dash_duo, "return window.location.search === '?pain=big-toe-underside'")
    assert browser_errors(dash_duo) == []


def test_nb004_sacroiliac_inset_ranks_soleus_tp3(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, MODEL, "low-back-sacroiliac", "soleus-tp3")
    # The inset is labelled on the diagram.
    captions = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#body-map .annotation-text')).map(t => t.textContent)")
    assert "Low back (inset)" in captions
    assert browser_errors(dash_duo) == []


def test_nb005_close_points_stay_separately_clickable(dash_duo):
    open_app(dash_duo)
    # The tightest pair on the map: gastrocnemius TP3 and the popliteus point, just below the knee.
    for point_id in ("popliteus-tp1", "gastrocnemius-tp3", "plantaris-tp1", "gastrocnemius-tp4"):
        click_diagram(dash_duo, *point_position(MODEL, point_id))
        dash_duo.wait_for_element(f'#tp-detail[data-tp-id="{point_id}"]')
    assert browser_errors(dash_duo) == []
