"""Shared fixtures. Browser tests live in tests/browser and use dash_duo (real headless Chromium)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.domain.data import DEFAULT_DATA_DIR, load_model  # noqa: E402


BROWSER_TESTS = ROOT / "tests" / "browser"


def pytest_collection_modifyitems(items):
    """Mark every test that starts a browser, so `pytest -m "not browser"` runs the fast suite alone:
    all of tests/browser, and any other test that asks for dash_duo."""
    for item in items:
        if BROWSER_TESTS in item.path.parents or "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_setup_options():
    """dash[testing] hook: Chromium options for every dash_duo browser."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for arg in ("--window-size=1280,1024", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"):
        options.add_argument(arg)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    return options


@pytest.fixture(scope="session")
def model():
    return load_model(DEFAULT_DATA_DIR)


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of the shipped data, for tests that break it on purpose.

    A test that edits the copy and expects it to load re-seals it first, as a person would
    after an intentional edit: ``components.domain.datapackage.seal(data_copy)``."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target
