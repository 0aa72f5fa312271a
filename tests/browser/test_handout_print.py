"""The handout in a real Chromium: it prints on one sheet of A4 or US Letter (one or both sides), and works with JS off.

Uses Playwright driving the system Chromium (/usr/bin/chromium); the app runs in a thread on a
free local port.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import PDF_PAGE as PAGE_OBJECT
from tests.browser.playwright_pages import serve_app

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")

HANDOUTS = [
    "/handout?tp=gastrocnemius-tp1",
    "/handout?tp=gastrocnemius-tp1&side=left",
    "/handout?pain=knee-back,instep",
    "/handout?tp=gastrocnemius-tp1&pain=knee-back,instep,heel-underside,sole,achilles",
]


@pytest.fixture(scope="module")
def base_url():
    from app import create_app

    with serve_app(create_app(clinic_name="Harbour Physio")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def all_regions_url() -> str:
    from components.data import load_model

    return "/handout?pain=" + ",".join(load_model().regions)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("path", HANDOUTS + ["ALL"])
def test_handout_prints_on_one_sheet(browser, base_url, path, paper):
    path = all_regions_url() if path == "ALL" else path
    page = browser.new_page()
    try:
        response = page.goto(base_url + path)
        assert response.status == 200
        pdf = page.pdf(format=paper)
    finally:
        page.close()
    assert pdf.startswith(b"%PDF")
    # One sheet, printed on one or both sides (the contract): issue 15 put the "Before you start"
    # check and the warning signs the marked areas raise on it, which no longer fit one side.
    assert 1 <= len(PAGE_OBJECT.findall(pdf)) <= 2, f"{path} does not fit one {paper} sheet"


def test_handout_works_with_javascript_off(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/handout?tp=gastrocnemius-tp1")
        # The map, drawn by the page's own renderer, with the point's main pain area painted in.
        diagram = page.locator("#handout-diagram svg.map-view-main")
        assert diagram.is_visible()
        box = diagram.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        assert page.locator("#handout-diagram path.zone-essential").evaluate_all(
            "zones => zones.filter(z => getComputedStyle(z).display !== 'none').length") >= 1
        steps = page.locator("#self-care li.step")
        assert steps.count() >= 5
        assert steps.first.is_visible()
        text = page.locator("#self-care").inner_text()
        assert "30 to 60 seconds" in text
        assert page.locator("#red-flags").is_visible()
        assert "DVT" in page.locator("#red-flags").inner_text()
        assert page.locator("#disclaimer").is_visible()
        assert page.locator("script").count() == 0
        # The check before self-care stands above the first step with scripts off too (issue 15).
        assert page.locator("#before-you-start").bounding_box()["y"] < steps.first.bounding_box()["y"]
        # It prints on one sheet (one or both sides) with scripts off too.
        assert 1 <= len(PAGE_OBJECT.findall(page.pdf(format="A4"))) <= 2
    finally:
        context.close()


def test_print_hides_the_screen_only_line(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "/handout?tp=gastrocnemius-tp1")
        assert page.locator(".screen-only").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".screen-only").is_visible()
        # Nothing overlaps the diagram column: the explanation starts to its right.
        figure = page.locator("figure#body-map").bounding_box()
        explanation = page.locator("#explanation").bounding_box()
        assert explanation["x"] >= figure["x"] + figure["width"] - 1
    finally:
        page.close()
