"""Tap a pain region -> the ranking changed (``#source-ranking``'s markup differs from before the tap).

The same region is tapped again and again, so taps alternate mark and unmark; both must change the
ranking. Two routes: the region on the map (issue 11's SVG hooks) and its toggle in ``#region-list``.
"""
from __future__ import annotations

from bench.browser import INTERACTIVE, MAP_VIEW, Step, measure_taps
from bench.tap_to_zone import PROFILES

REGION = "instep"
ROUTES = {
    "map": (f'#body-map [data-region-id="{REGION}"]', [MAP_VIEW, INTERACTIVE]),
    "list": (f'#region-list [data-region-id="{REGION}"]', ["#source-ranking"]),
}


def measure(browser, targets: dict[str, str], taps: int, time_limit: float) -> dict:
    out: dict = {"region": REGION, "runs": {}}
    for route, (selector, hooks) in ROUTES.items():
        plan = [Step(selector, {"changed": "#source-ranking"})]
        for profile in PROFILES:
            for label, url in targets.items():
                if route == "list" and label == "floor":
                    continue  # the floor is the map alone
                print(f"  pain_to_ranking {route} {profile} {label}", flush=True)
                out["runs"][f"{route} {profile} {label}"] = measure_taps(
                    browser, url, profile, [*hooks, selector], plan, taps, time_limit)
    return out
