"""Measure the calf pain explorer and write docs/performance.md.

    python -m bench                          # everything but the soak (a few minutes)
    python -m bench --all                    # every target in one run: plus the 3-minute soak per server set-up
    python -m bench --only api_load --soak 180   # the server measures alone: API load, then the soak
    python -m bench --only tap_to_zone,cold_load --json /tmp/bench.json
    python -m bench --target floor --out /tmp/floor.md   # the browser measures on the floor page alone

The bench starts what it measures itself (gunicorn and the floor page on 127.0.0.1, free ports), drives
headless Chromium through Playwright, sends load to 127.0.0.1 only, and bounds every loop in count and
time. It measures; it changes nothing in the app.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
from pathlib import Path

from bench import (ROOT, api_load, cold_load, growth, pain_to_ranking, report, second_visit, soak, tap_to_detail,
                   tap_to_zone)
from bench.server import Gunicorn, require_loopback

BROWSER_MEASURES = ("tap_to_zone", "tap_to_detail", "pain_to_ranking", "cold_load", "second_visit")
SERVER_MEASURES = ("api_load", "growth")
# measures that also run on the floor page when the target is "both"
WITH_FLOOR = ("tap_to_zone", "cold_load")
ALL_SOAK = 180.0  # issue 19: "a 3-minute soak"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=None,
                        help="comma-separated measures (default: all of " + ",".join(BROWSER_MEASURES + SERVER_MEASURES)
                             + "; with --target floor, the browser ones)")
    parser.add_argument("--soak", type=float, default=0, metavar="S",
                        help="also soak each server set-up for S seconds: a polite client beside wrk -c16 (issue 19)")
    parser.add_argument("--all", action="store_true",
                        help=f"every target in one run: all measures and a {ALL_SOAK:g} s soak (unless --soak is given)")
    parser.add_argument("--target", choices=("both", "app", "floor"), default="both",
                        help="pages for the browser measures: the app with the floor beside it (default), "
                             "the app alone, or the floor alone")
    parser.add_argument("--app-url", default=None,
                        help="measure an app already running on 127.0.0.1 (default: start gunicorn app:server)")
    # 100, not 40: a p95 of 40 taps is decided by the two slowest, and runs of the same code at 40 gave
    # the desktop zone 1.2x to 1.6x the floor (docs/performance.md); at 100 it is the five slowest.
    parser.add_argument("--taps", type=int, default=100, help="timed taps per page and device (default 100)")
    parser.add_argument("--loads", type=int, default=7, help="cold loads (and second visits) per page (default 7)")
    parser.add_argument("--time-limit", type=float, default=150, help="seconds at most per page and device")
    parser.add_argument("--api-seconds", type=float, default=10, help="seconds of load per server set-up")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md", help="the markdown report")
    parser.add_argument("--json", type=Path, default=None, help="also save the raw results here")
    parser.add_argument("--merge-json", type=Path, default=None,
                        help="start from an earlier --json run; the measures run now replace its ones")
    parser.add_argument("--from-json", type=Path, default=None, help="only re-write the report from a --json file")
    parser.add_argument("--analysis", type=Path, default=None,
                        help="a markdown file with the analysis of missed targets, copied into the report")
    args = parser.parse_args(argv)
    if args.all:
        if args.only is not None or args.target != "both":
            parser.error("--all measures everything: leave out --only and --target")
        args.soak = args.soak or ALL_SOAK
    if args.only is None:
        args.only = ",".join(BROWSER_MEASURES + (() if args.target == "floor" else SERVER_MEASURES))
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(BROWSER_MEASURES + SERVER_MEASURES)
    if unknown:
        parser.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    if args.app_url:
        args.app_url = require_loopback(args.app_url)
    return args


@contextlib.contextmanager
def pages(args):
    """label -> page URL for the browser measures: the app (started here unless --app-url) and the floor."""
    from components.domain.data import load_model
    from bench.floor import floor_site

    with contextlib.ExitStack() as stack:
        urls = {}
        if args.target in ("both", "app"):
            urls["app"] = (args.app_url or stack.enter_context(Gunicorn()).url) + "/"
        if args.target in ("both", "floor"):
            urls["floor"] = stack.enter_context(floor_site(load_model()))
        yield urls


def run_browser(args, results: dict) -> list[str]:
    from playwright.sync_api import sync_playwright

    from bench.browser import launch

    with pages(args) as urls, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for name in (n for n in BROWSER_MEASURES if n in args.only):
                targets = urls if (name in WITH_FLOOR or args.target == "floor") else \
                    {k: v for k, v in urls.items() if k == "app"}
                print(f"{name}...", flush=True)
                if name in ("cold_load", "second_visit"):
                    results[name] = {"cold_load": cold_load, "second_visit": second_visit}[name].measure(
                        browser, targets, args.loads)
                else:
                    module = {"tap_to_zone": tap_to_zone, "tap_to_detail": tap_to_detail,
                              "pain_to_ranking": pain_to_ranking}[name]
                    results[name] = module.measure(browser, targets, args.taps, args.time_limit)
        finally:
            browser.close()
    return list(urls)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.from_json:
        info = json.loads(args.from_json.read_text())
        if args.analysis:
            info["analysis"] = args.analysis.read_text()
        args.out.write_text(report.render(info))
        print(f"wrote {args.out}")
        return 0
    started = time.monotonic()
    info = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"), "machine": report.machine(),
            "versions": report.versions(), "results": {}, "targets": [], "commands": []}
    if args.merge_json:
        earlier = json.loads(args.merge_json.read_text())
        info["results"].update(earlier["results"])
        info["merged_from"], info["commands"], info["targets"] = earlier["date"], earlier["commands"], earlier["targets"]
    results = info["results"]
    if set(args.only) & set(BROWSER_MEASURES):
        info["targets"] = sorted(set(info["targets"]) | set(run_browser(args, results)))
    if "api_load" in args.only:
        print("api_load...", flush=True)
        results["api_load"] = api_load.measure(args.api_seconds)
    if "growth" in args.only:
        print("growth...", flush=True)
        results["growth"] = growth.measure()
    if args.soak:
        print("soak...", flush=True)
        results["soak"] = soak.measure(args.soak)
    info["wall"] = time.monotonic() - started
    info["commands"].append(" ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]))
    if args.analysis:
        info["analysis"] = args.analysis.read_text()
    elif args.out.exists():
        info["analysis"] = report.kept_analysis(args.out.read_text())
    if args.json:
        args.json.write_text(json.dumps(info, indent=1, default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report.render(info))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
