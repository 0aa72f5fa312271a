"""Tap a pain region -> the ranking changed (``#source-ranking``'s markup differs from before the tap).

The same region is tapped again and again, so taps alternate mark and unmark; both must change the
ranking. Two routes: the region on the map (issue 11's SVG hooks) and its toggle in ``#region-list``.
"""
from __future__ import annotations

from bench.browser import INTERACTIVE, MAP_VIEW, Step, measure_routes

REGION = "instep"


def measure(browser, targets: dict[str, str], taps: int, time_limit: float) -> dict:
    routes = {}
    for route, selector, hooks in (("map", f'#body-map [data-region-id="{REGION}"]', [MAP_VIEW, INTERACTIVE]),
                                   ("list", f'#region-list [data-region-id="{REGION}"]', ["#source-ranking"])):
        routes[route] = ([Step(selector, {"changed": "#source-ranking"})], [*hooks, selector])
    return {"region": REGION, "runs": measure_routes("pain_to_ranking", browser, targets, routes, taps, time_limit)}
