"""README screenshots, in headless Chromium: phones (390, 320), tablets (820 ordinary and clinic, 1180x820
clinic), a desktop (1280), and the handout's first page printed to A4 (PDF -> PNG with pdftoppm).

    python -m scripts.screenshot [BASE_URL] [OUT_DIR]

BASE_URL defaults to a fresh app on a free loopback port; OUT_DIR to docs/screenshots.
Each shot waits for the map to be interactive and for the answer to be drawn.
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# name, link, viewport, touch, what must be on screen before the shot
SHOTS = [
    ("phone-390", "/?pain=calf-upper-medial,instep", (390, 844), True, "#source-ranking li"),
    ("phone-320-first", "/", (320, 568), True, "#body-map svg.map-view"),
    ("tablet-820", "/?tp=gastrocnemius-tp1", (820, 1180), True, "#tp-detail[data-tp-id='gastrocnemius-tp1']"),
    ("tablet-820-clinic", "/?mode=clinic&tp=gastrocnemius-tp1", (820, 1180), True, "#tp-detail[data-tp-id='gastrocnemius-tp1']"),
    ("tablet-1180-clinic", "/?mode=clinic&tp=gastrocnemius-tp1", (1180, 820), True, "#tp-detail[data-tp-id='gastrocnemius-tp1']"),
    ("desktop-1280", "/?tp=gastrocnemius-tp1&pain=knee-back", (1280, 900), False, "#source-ranking li"),
]
# The clinic visit (issue 17): what pressing found and each area's number; the QR code; two visits.
# The app for these runs with --public-url, as a clinic would, so the code holds a reachable address.
VISIT = "/?pain=knee-back:6,calf-upper-medial:7&found=gastrocnemius-tp1&not_found=plantaris-tp1"
PUBLIC_URL = "https://calf.example.org"
VISIT_SHOTS = [
    ("visit-palpation-820-clinic", VISIT + "&mode=clinic", (820, 1180), True, "#source-ranking li .palpation"),
    ("visit-take-home-1280", VISIT, (1280, 900), False, "#source-ranking li .palpation", "#take-home-summary",
     "#take-home-qr"),
    ("visit-compare-1280", "/compare?before=%2F%3Fpain%3Dinstep%3A7%2Cheel-underside%3A3%2Cknee-back"
     "&after=%2F%3Fpain%3Dinstep%3A3%2Ccalf-upper-medial%3A5%2Cknee-back%3A2", (1280, 1900), False,
     "#intensity-chart .main-svg"),
]
# name, handout link, paper, colour scheme: the handout printed by Chromium, first page kept as PNG
HANDOUTS = [("handout-a4", "/handout?tp=gastrocnemius-tp1", "A4", "light")]


def start_app(*flags: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/regions", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the app did not start")


def shoot(base: str, out_dir: Path, shots=SHOTS, handouts=HANDOUTS) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, link, (width, height), touch, ready, *then in shots:
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=touch, has_touch=touch)
            page = context.new_page()
            page.goto(base + link)
            if not link.startswith("/compare"):
                page.wait_for_selector("#body-map[data-interactive=true]", timeout=15000)
            page.wait_for_selector(ready, timeout=15000)
            if then:  # a control to open first, and what it shows
                page.click(then[0])
                page.wait_for_selector(then[1], timeout=15000)
            page.wait_for_load_state("networkidle")
            path = out_dir / f"{name}.png"
            page.screenshot(path=str(path))
            written.append(path)
            context.close()
        for name, link, paper, scheme in handouts:
            written.append(print_first_page(browser, base + link, paper, scheme, out_dir / f"{name}.png"))
        browser.close()
    return written


def print_first_page(browser, url: str, paper: str, scheme: str, path: Path) -> Path:
    """Chromium's PDF of a handout, its first page turned into a PNG (pdftoppm, from poppler-utils)."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    pdf = path.with_suffix(".pdf")
    page.pdf(path=str(pdf), format=paper, prefer_css_page_size=True)
    context.close()
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(path.with_suffix(""))],
                   check=True)
    pdf.unlink()
    return path


def main(argv: list[str]) -> int:
    proc = None
    base = argv[1] if len(argv) > 1 and argv[1] else None
    out_dir = Path(argv[2]) if len(argv) > 2 else ROOT / "docs" / "screenshots"
    if base is None:
        proc, base = start_app()
    try:
        for path in shoot(base, out_dir):
            print(path)
    finally:
        if proc:
            proc.terminate()
    if len(argv) <= 1:  # the visit shots need their own app, with a public address
        proc, base = start_app("--public-url", PUBLIC_URL)
        try:
            for path in shoot(base, out_dir, VISIT_SHOTS, handouts=()):
                print(path)
        finally:
            proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
