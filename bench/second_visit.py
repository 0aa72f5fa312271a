"""Second visit: navigation start -> map interactive, with the service worker in charge.

Each run is a fresh browser context: a first visit to ``/`` installs the service worker
(components/offline.py) and waits until it controls the page, so the release is cached; then a
new tab in the same context opens the page again, and that load is timed exactly as a cold load
is (bench/cold_load.py: the same init script, hooks and clock). Nothing comes from the browser's
HTTP cache that the worker would not serve: what is measured is the worker's cache.
"""
from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from bench.browser import new_page
from bench.cold_load import INIT, RUN_TIMEOUT, median, timed_load

PAGES = (("/", "", "desktop"), ("/ on a phone", "", "phone"))
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


def one_visit(browser, url: str, profile: str) -> tuple[dict, list[dict]]:
    context, first = new_page(browser, profile, INIT)
    try:
        timed_load(first, url)
        first.wait_for_function(CONTROLLED, timeout=RUN_TIMEOUT * 1000, polling=50)
        first.close()
        return timed_load(context.new_page(), url)
    finally:
        context.close()


def measure(browser, targets: dict[str, str], loads: int) -> dict:
    """Only the app has a service worker: the floor page is a plain file."""
    out: dict = {"runs": {}}
    url = targets.get("app")
    if not url:
        return out
    for page_label, query, profile in PAGES:
        print(f"  second_visit {page_label}", flush=True)
        runs, served = [], None
        for _ in range(loads):
            try:
                times, resources = one_visit(browser, url + query, profile)
            except PlaywrightError as error:  # no worker took charge, or the page failed: report it
                out["runs"][page_label] = {"status": "browser error", "loads": [], "missing": [str(error).splitlines()[0]]}
                break
            runs.append(times)
            # transferSize 0: the worker answered from its cache, nothing came over the network
            served = served or sum(1 for row in resources if not row["transfer"])
        if runs:
            out["runs"][page_label] = {"status": "ok", "missing": [], "loads": runs, "from_worker": served,
                                       **{f"{key}_p50": median(runs, key) for key in ("mapVisible", "interactive")},
                                       "interactive_max": max((r["interactive"] for r in runs if r["interactive"] is not None),
                                                              default=None)}
    return out
