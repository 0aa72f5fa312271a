"""Tap an X on the map -> its referral zone painted (``#body-map[data-shown-tp=<id>]``), app and floor.

Two points are tapped in turn (so every tap changes the selection), at a phone with touch and at a
desktop with a mouse, on the app and on the floor page in the same run; app/floor p95 is the measure.
"""
from __future__ import annotations

from bench.browser import INTERACTIVE, MAP_VIEW, MEASURED, Step, measure_taps

POINTS = ("gastrocnemius-tp1", "gastrocnemius-tp2")


def point(tp: str) -> str:
    return f'#body-map [data-tp-id="{tp}"]'


def measure(browser, targets: dict[str, str], taps: int, time_limit: float) -> dict:
    """``targets``: label -> page URL (``app`` and/or ``floor``)."""
    plan = [Step(point(tp), {"match": f'#body-map[data-shown-tp="{tp}"]'}) for tp in POINTS]
    hooks = [MAP_VIEW, INTERACTIVE, *(point(tp) for tp in POINTS)]
    out: dict = {"points": list(POINTS), "runs": {}}
    for profile in MEASURED:
        for label, url in targets.items():
            print(f"  tap_to_zone {profile} {label}", flush=True)
            out["runs"][f"{profile} {label}"] = measure_taps(browser, url, profile, hooks, plan, taps, time_limit)
        app, floor = out["runs"].get(f"{profile} app"), out["runs"].get(f"{profile} floor")
        if app and floor and app["status"] == floor["status"] == "ok" and floor["p95"]:
            out.setdefault("ratio", {})[profile] = app["p95"] / floor["p95"]
            out.setdefault("ratio_p50", {})[profile] = app["p50"] / floor["p50"]
    return out
