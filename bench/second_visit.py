"""Second visit: navigation start -> map interactive, with the service worker in charge.

Each run is a fresh browser context: a first visit to ``/`` installs the service worker
(components/web/offline.py) and waits until it controls the page, so the release is cached; then a
new tab in the same context opens the page again, and that load is timed exactly as a cold load
is (bench/cold_load.py: the same init script, hooks and clock). Nothing comes from the browser's
HTTP cache that the worker would not serve: what is measured is the worker's cache.
"""
from __future__ import annotations

from bench import cold_load
from bench.browser import new_page
from bench.cold_load import INIT, RUN_TIMEOUT, timed_load

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
    out = cold_load.measure(browser, {k: v for k, v in targets.items() if k == "app"}, loads, load=one_visit,
                            pages=PAGES, name="second_visit")
    for run in out["runs"].values():
        # transferSize 0: the worker answered from its cache, nothing came over the network
        run["from_worker"] = sum(1 for row in run["resources"] if not row["transfer"]) if run.get("resources") else None
    return out
