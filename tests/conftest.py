"""Shared fixtures. Browser tests live in tests/browser and use dash_duo (real headless Chromium)."""
from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.domain import datapackage  # noqa: E402
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


# An area that no trigger point of an edited copy of the data refers pain to, once without_referrals has
# taken it out of every zone: the shipped data explains every area, so "Not explained by this map" is
# tested on this copy. It has causes off the map (adductor longus, shin splints) and its zones name others.
UNEXPLAINED = "shin-front-medial"


def without_referrals(data: Path, region: str = UNEXPLAINED) -> Path:
    """The copy of the data with ``region`` taken out of every referral zone (a zone that named it alone
    goes), sealed: a release in which that area is unexplained."""
    path = data / "referral_zones.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    kept = []
    for row in rows:
        regions = [r.strip() for r in row["regions"].split(";") if r.strip() != region]
        if regions:
            kept.append({**row, "regions": "; ".join(regions)})
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    path.write_text(out.getvalue(), encoding="utf-8")
    datapackage.seal(data)
    return data
