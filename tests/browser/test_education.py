"""Education in the browser: self-care with timings, red flags beside it, and the clinic view."""
from __future__ import annotations

from tests.browser.helpers import browser_errors, js, open_app, url_search, wait_for_shown, wait_until



def test_edu001_self_care_steps_with_timings_and_red_flags(dash_duo):
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    dash_duo.wait_for_contains_text("#self-care-title", "gastrocnemius")
    steps = dash_duo.find_elements("#self-care .step")
    assert len(steps) >= 5
    timings = [t.text for t in dash_duo.find_elements("#self-care .timing")]
    assert any("30 to 60 seconds" in t for t in timings)
    assert any("30 to 45 seconds" in t for t in timings)
    # Red flags sit beside every block of self-care, DVT first and plainly worded.
    flags = dash_duo.find_element("#red-flags")
    assert "dvt" in flags.text.lower() and "blood clot" in flags.text.lower()
    assert "do not massage" in flags.text.lower()
    # The stretch points the toes up; the seed's "into plantarflexion" slip is not repeated.
    page_text = dash_duo.find_element("#education").text.lower()
    assert "plantarflexion" not in page_text
    assert browser_errors(dash_duo) == []


def test_edu002_popliteus_gets_cautions_not_tool_work(dash_duo):
    open_app(dash_duo, "?tp=popliteus-tp1")
    dash_duo.wait_for_contains_text("#self-care-title", "popliteus")
    text = dash_duo.find_element("#self-care").text.lower()
    assert "therapist" in text
    assert "foam roller" not in text
    assert dash_duo.find_element("#red-flags").is_displayed()
    assert browser_errors(dash_duo) == []


def test_edu003_clinic_view_large_touch_targets_no_technical_detail(dash_duo):
    dash_duo.driver.set_window_size(820, 1180)  # a tablet held upright
    open_app(dash_duo, "?tp=gastrocnemius-tp1")
    wait_for_shown(dash_duo, "gastrocnemius-tp1")
    normal_font = dash_duo.driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('page')).fontSize)")
    dash_duo.find_element("#mode-toggle").click()
    dash_duo.wait_for_element("#page.clinic")
    wait_until(dash_duo, "return window.location.search.includes('mode=clinic')")
    clinic_font = dash_duo.driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('page')).fontSize)")
    assert clinic_font > normal_font
    assert dash_duo.find_element("#mode-toggle").get_attribute("aria-pressed") == "true"
    # Sources, lists and other technical detail are hidden; the answer and the red flags stay.
    assert not dash_duo.find_element('#tp-detail [data-detail-of="gastrocnemius-tp1"] .technical').is_displayed()
    assert not dash_duo.find_element("#tp-list").is_displayed()
    assert not dash_duo.find_element("#region-list").is_displayed()
    assert dash_duo.find_element('#tp-detail [data-detail-of="gastrocnemius-tp1"] h2').is_displayed()
    assert any(flags.is_displayed() for flags in dash_duo.find_elements(".red-flags"))
    # Every visible control is at least 44 px tall and wide enough to tap.
    small = dash_duo.driver.execute_script(
        """
        return Array.from(document.querySelectorAll('#page button, #page a.button, .segmented-option'))
          .filter(el => el.offsetParent !== null && !el.classList.contains('visually-hidden'))
          .map(el => [el.id || el.className || el.textContent, el.getBoundingClientRect()])
          .filter(([name, r]) => r.height < 44 || r.width < 44).map(([name, r]) => name + ' ' + r.width + 'x' + r.height);
        """
    )
    assert small == []
    # The map is large on an upright tablet: the main view fills most of the screen's height.
    height = js(dash_duo, "([]) => document.querySelector('#body-map .map-figure-main .map-view').getBoundingClientRect().height")
    inner = js(dash_duo, "([]) => window.innerHeight")
    assert height > 0.6 * inner
    # The clinic view survives a reload through the URL.
    dash_duo.driver.get(dash_duo.server_url + "/" + url_search(dash_duo))
    dash_duo.wait_for_element("#page.clinic")
    assert browser_errors(dash_duo) == []
