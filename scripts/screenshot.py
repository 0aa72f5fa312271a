"""Take screenshots of the running app in headless Chromium: python scripts/screenshot.py URL OUT.png [WxH]."""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def shoot(url: str, out: str, size: str = "1280x800", full_page: bool = False) -> list[str]:
    width, height = (int(v) for v in size.split("x"))
    logs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
        page.goto(url)
        page.wait_for_selector("#body-map .main-svg", timeout=15000)
        page.wait_for_timeout(1200)
        page.screenshot(path=out, full_page=full_page)
        browser.close()
    return logs


if __name__ == "__main__":
    url, out = sys.argv[1], sys.argv[2]
    size = sys.argv[3] if len(sys.argv) > 3 else "1280x800"
    for line in shoot(url, out, size, full_page="--full" in sys.argv):
        print(line)
