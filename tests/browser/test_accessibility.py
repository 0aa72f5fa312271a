"""axe-core finds no serious or critical violation in any state a person can reach (issue 11).

Each test opens one state in Playwright's Chromium at the size people use it, waits until that state
is on screen (the map drawn, the point's panel or the ranking shown), then runs axe-core on the page.
A failure lists each broken rule with its impact, the elements' selectors and axe's help text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import INTERACTIVE_MAP
from tests.browser.playwright_pages import CHROMIUM, open_page

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")

MAP = INTERACTIVE_MAP  # the map drawn, its handlers wired, and Dash's page around it
POINT_SHOWN = '#tp-detail[data-tp-id="gastrocnemius-tp1"]'
RANKING_SHOWN = "#source-ranking li[data-tp-id]"
WAIT_MS = 20000


def check(chromium, url: str, device: str, *shown: str) -> None:
    with open_page(chromium, url, device) as page:
        for selector in (MAP, *shown):
            page.wait_for_selector(selector, timeout=WAIT_MS)
        assert_accessible(page)


def test_axe001_desktop_default(chromium, app_url):
    check(chromium, app_url + "/", "desktop")


def test_axe002_desktop_point_selected(chromium, app_url):
    check(chromium, app_url + "/?tp=gastrocnemius-tp1", "desktop", POINT_SHOWN)


def test_axe003_desktop_pain_marked(chromium, app_url):
    check(chromium, app_url + "/?pain=instep,knee-back", "desktop", RANKING_SHOWN)


def test_axe004_phone_pain_marked(chromium, app_url):
    check(chromium, app_url + "/?pain=instep,knee-back", "phone", RANKING_SHOWN)


def test_axe005_clinic_view_on_a_tablet(chromium, app_url):
    check(chromium, app_url + "/?mode=clinic&tp=gastrocnemius-tp1", "tablet", POINT_SHOWN)


def test_axe006_handout_for_a_point(chromium, app_url):
    with open_page(chromium, app_url + "/handout?tp=gastrocnemius-tp1", "desktop") as page:
        page.wait_for_selector("#handout-diagram svg.map-view", timeout=WAIT_MS)
        assert_accessible(page)


@pytest.mark.parametrize("pain", ["instep", "knee-back,ankle-lateral,heel-underside"], ids=["one-area", "tie-of-nine"])
def test_axe007_handout_for_marked_pain(chromium, app_url, pain):
    with open_page(chromium, app_url + "/handout?pain=" + pain, "desktop") as page:
        page.wait_for_selector("#handout-diagram svg.map-view", timeout=WAIT_MS)
        assert_accessible(page)
