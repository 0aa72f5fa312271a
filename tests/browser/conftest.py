"""Playwright fixtures for the browser tests that need what dash_duo can't do: touch, viewport
sizes, colour scheme, print media and PDF. The app runs in a thread on a free loopback port and
drives the system Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import wait_for_map
from tests.browser.playwright_pages import CHROMIUM, CHROMIUM_ARGS, serve_app


# The three sizes the issue names: a phone held upright (touch), an upright tablet, a desktop.
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs /usr/bin/chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url():
    from app import create_app

    with serve_app(create_app()) as url:
        yield url


class Opened:
    """A Playwright page of the app, with its console errors collected."""

    def __init__(self, context, base: str, touch: bool):
        self.context, self.base, self.touch = context, base, touch
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, query: str = ""):
        response = self.page.goto(self.base + "/" + query)
        wait_for_map(self.page)
        return response


@pytest.fixture()
def open_page(chromium, app_url):
    """open_page(size, query="", **context options) -> Opened, at that size, map wired."""
    contexts = []

    def open_at(size: str = "desktop", query: str = "", **options) -> Opened:
        settings = {**SIZES[size], **options}
        context = chromium.new_context(**settings)
        contexts.append(context)
        opened = Opened(context, app_url, bool(settings.get("has_touch")))
        opened.goto(query)
        return opened

    yield open_at
    for context in contexts:
        context.close()
