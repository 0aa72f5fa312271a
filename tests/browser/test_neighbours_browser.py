"""Neighbouring muscles in the browser: the muscle filter, the sole view and the low-back inset."""
from __future__ import annotations

from selenium.webdriver.support.ui import Select

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    browser_errors,
    js,
    mark_pain_and_expect_first,
    marked_regions,
    open_app,
    tap_point,
    tap_region,
    wait_for_map,
    wait_for_shown,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)
ALL_MUSCLES = sorted({p.muscle for p in MODEL.trigger_points.values()})

# Muscles whose X's are drawn on the map now (a hidden X has no box on screen).
VISIBLE_MUSCLES = """([muscleOf]) => Array.from(new Set(Array.from(document.querySelectorAll('#body-map [data-tp-id]'))
  .filter(g => g.getClientRects().length).map(g => muscleOf[g.dataset.tpId]))).sort()"""


def visible_muscles(dash_duo) -> list[str]:
    muscle_of = {tp: point.muscle for tp, point in MODEL.trigger_points.items()}
    return js(dash_duo, VISIBLE_MUSCLES, muscle_of)


def visible_groups(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.tp-group')).filter(g => g.getClientRects().length)"
        ".map(g => g.dataset.muscle)"
    )


def test_nb001_filter_from_link_and_back_to_all(dash_duo):
    open_app(dash_duo, "?muscle=soleus")
    wait_until(dash_duo, "return document.getElementById('muscle-filter').value === 'soleus'")
    assert visible_muscles(dash_duo) == ["soleus"]
    assert visible_groups(dash_duo) == ["soleus"]
    # Choose "All muscles" again through the control itself, as a person would.
    Select(dash_duo.find_element("#muscle-filter")).select_by_visible_text("All muscles")
    wait_until(dash_duo, "return !window.location.search.includes('muscle=')")
    assert visible_muscles(dash_duo) == ALL_MUSCLES
    assert sorted(visible_groups(dash_duo)) == ALL_MUSCLES
    assert browser_errors(dash_duo) == []


def test_nb002_filter_link_shows_only_that_muscles_points(dash_duo):
    open_app(dash_duo, "?tp=soleus-tp1")
    wait_for_shown(dash_duo, "soleus-tp1")
    dash_duo.driver.get(dash_duo.server_url + "/?muscle=gastrocnemius")
    wait_for_map(dash_duo)
    wait_until(dash_duo, "return document.getElementById('muscle-filter').value === 'gastrocnemius'")
    assert visible_muscles(dash_duo) == ["gastrocnemius"]
    assert visible_groups(dash_duo) == ["gastrocnemius"]
    # A filter that would hide the link's chosen point gives way to it (state.filter_shows).
    dash_duo.driver.get(dash_duo.server_url + "/?tp=soleus-tp1&muscle=gastrocnemius")
    wait_for_map(dash_duo)
    wait_for_shown(dash_duo, "soleus-tp1")
    wait_until(dash_duo, "return document.getElementById('muscle-filter').value === 'all'")
    assert "soleus" in visible_muscles(dash_duo)
    assert browser_errors(dash_duo) == []


def test_nb003_heel_underside_on_the_sole_view_ranks_soleus_tp1(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, "heel-underside", "soleus-tp1")
    assert marked_regions(dash_duo) == ["heel-underside"]
    wait_until(dash_duo, "return window.location.search === '?pain=heel-underside'")
    # Under the big toe, on the same view: flexor hallucis longus first.
    tap_region(dash_duo, "heel-underside")  # unmark
    wait_until(dash_duo, "return window.location.search === ''")
    mark_pain_and_expect_first(dash_duo, "big-toe-underside", "flexor-hallucis-longus-tp1")
    wait_until(dash_duo, "return window.location.search === '?pain=big-toe-underside'")
    assert browser_errors(dash_duo) == []


def test_nb004_sacroiliac_inset_ranks_soleus_tp3(dash_duo):
    open_app(dash_duo)
    mark_pain_and_expect_first(dash_duo, "low-back-sacroiliac", "soleus-tp3")
    # The inset says what it is, in words under it.
    view = dash_duo.find_element('#body-map figure[data-view-id="pelvis"]')
    assert "Low back (inset)" in view.find_element("css selector", "figcaption").text
    assert browser_errors(dash_duo) == []


def test_nb005_close_points_stay_separately_tappable(dash_duo):
    open_app(dash_duo)
    # The tightest pair on the map: gastrocnemius TP3 and the popliteus point, just below the knee.
    for point_id in ("popliteus-tp1", "gastrocnemius-tp3", "plantaris-tp1", "gastrocnemius-tp4"):
        tap_point(dash_duo, point_id)
        wait_for_shown(dash_duo, point_id)
    assert browser_errors(dash_duo) == []
