"""The ranking in the browser: ties read as ties, 'together' and the causes off the map are said plainly,
and a muscle without a home routine says so instead of borrowing the calf's."""
from __future__ import annotations

from tests.browser.helpers import browser_errors, open_app, wait_until

TIE = "?pain=knee-back,calf-upper-medial,calf-upper-lateral"


def test_rnk001_a_tie_is_shown_as_equally_likely(dash_duo):
    open_app(dash_duo, TIE)
    dash_duo.wait_for_element('#source-ranking li[data-tp-id="popliteus-tp1"]')
    for point in ("plantaris-tp1", "popliteus-tp1"):
        item = dash_duo.find_element(f'#source-ranking li[data-tp-id="{point}"]')
        assert item.text.startswith("1. ")
        assert "equally likely" in item.text
    third = dash_duo.find_element('#source-ranking li[data-tp-id="soleus-tp2"]')
    assert third.text.startswith("3. ") and "equally likely" not in third.text
    wait_until(dash_duo, "return document.getElementById('announcer').textContent.toLowerCase().includes('equally likely')")
    assert "popliteus TP1" in dash_duo.find_element("#announcer").get_attribute("textContent")
    assert browser_errors(dash_duo) == []


def test_rnk002_together_and_off_map_causes_are_said_in_words(dash_duo):
    open_app(dash_duo, "?pain=instep,heel-back,calf-upper-medial,low-back-sacroiliac")
    dash_duo.wait_for_element("#together-line")
    assert dash_duo.find_element("#together-line").text == (
        "Together, gastrocnemius TP1, soleus TP1 and soleus TP3 account for all 4 marked areas.")
    # The soleus point for the sacroiliac joint is rare; its usual causes lie off the map, and the page says so.
    assert "quadratus lumborum" in dash_duo.find_element("#elsewhere-notice").text
    assert dash_duo.find_element("#evidence-caveat").text.count("agree only moderately") == 1
    assert browser_errors(dash_duo) == []


def test_rnk003_a_muscle_without_a_routine_says_so(dash_duo):
    open_app(dash_duo, "?tp=biceps-femoris-tp1")
    dash_duo.wait_for_contains_text("#self-care-title", "biceps femoris")
    text = dash_duo.find_element("#self-care").text
    assert "No home routine for this muscle: ask your therapist." in text
    assert "Wall calf stretch" not in text
    assert dash_duo.find_element("#red-flags").is_displayed()
    assert browser_errors(dash_duo) == []
