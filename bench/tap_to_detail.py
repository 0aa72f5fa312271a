"""Tap a trigger point -> its detail panel shown (``#tp-detail[data-tp-id=<id>]``).

Two routes: the X on the map (issue 11's SVG hooks) and the point's button in ``#tp-list``
(the contract's keyboard route, which the current page has too).
"""
from __future__ import annotations

from bench.browser import INTERACTIVE, MAP_VIEW, Step, measure_routes
from bench.tap_to_zone import POINTS, point


def list_button(tp: str) -> str:
    return f'#tp-list [data-tp-id="{tp}"]'


def measure(browser, targets: dict[str, str], taps: int, time_limit: float) -> dict:
    routes = {}
    for route, where, hooks in (("map", point, [MAP_VIEW, INTERACTIVE]), ("list", list_button, ["#tp-detail"])):
        plan = [Step(where(tp), {"match": f'#tp-detail[data-tp-id="{tp}"]'}) for tp in POINTS]
        routes[route] = (plan, [*hooks, *(where(tp) for tp in POINTS)])
    return {"points": list(POINTS), "runs": measure_routes("tap_to_detail", browser, targets, routes, taps, time_limit)}
