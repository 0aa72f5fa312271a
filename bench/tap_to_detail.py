"""Tap a trigger point -> its detail panel shown (``#tp-detail[data-tp-id=<id>]``).

Two routes: the X on the map (issue 11's SVG hooks) and the point's button in ``#tp-list``
(the contract's keyboard route, which the current page has too).
"""
from __future__ import annotations

from bench.browser import INTERACTIVE, MAP_VIEW, Step, measure_taps
from bench.tap_to_zone import POINTS, PROFILES, point

ROUTES = {
    "map": (lambda tp: point(tp), [MAP_VIEW, INTERACTIVE]),
    "list": (lambda tp: f'#tp-list [data-tp-id="{tp}"]', ["#tp-detail"]),
}


def measure(browser, targets: dict[str, str], taps: int, time_limit: float) -> dict:
    out: dict = {"points": list(POINTS), "runs": {}}
    for route, (where, hooks) in ROUTES.items():
        plan = [Step(where(tp), {"match": f'#tp-detail[data-tp-id="{tp}"]'}) for tp in POINTS]
        for profile in PROFILES:
            for label, url in targets.items():
                if route == "list" and label == "floor":
                    continue  # the floor is the map alone
                print(f"  tap_to_detail {route} {profile} {label}", flush=True)
                out["runs"][f"{route} {profile} {label}"] = measure_taps(
                    browser, url, profile, [*hooks, *(where(tp) for tp in POINTS)], plan, taps, time_limit)
    return out
