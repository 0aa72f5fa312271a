"""Draw the installable app's icons into assets/icons/: the SVGs, and PNGs rendered from them.

    python scripts/make_icons.py

The icon is the lower leg seen from behind, a trigger point's X on the calf and the pain it sends
to the heel, in the light theme's colours (read from assets/style.css by components/web/offline.py).
The PNGs (192 and 512 px, and a maskable one whose drawing keeps to the middle 80 %, the safe
zone) are rendered from the SVGs by headless Chromium through Playwright, a test tool: the server
needs neither Pillow nor Playwright, only the files this writes.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.web.offline import ICONS, theme_colours  # noqa: E402

OUT = ROOT / "assets"
CHROMIUM = "/usr/bin/chromium"
LEG = ("M181 80C165 140 150 190 163 240C175 290 215 330 222 380C214 405 212 430 236 440L276 440"
       "C300 430 298 405 290 380C297 330 337 290 349 240C362 190 347 140 331 80Z")


def drawing(maskable: bool) -> str:
    colours = theme_colours()
    # A maskable icon is cropped to a circle or a squircle by the system: full-bleed paint, the
    # drawing inside the middle 80 %.
    background = (f'<rect width="512" height="512" fill="{colours["accent"]}"/>' if maskable else
                  f'<rect width="512" height="512" rx="104" fill="{colours["accent"]}"/>')
    scale = 0.78 if maskable else 0.92
    offset = 256 * (1 - scale)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">'
            f'{background}<g transform="translate({offset:.1f} {offset:.1f}) scale({scale})">'
            f'<clipPath id="leg"><path d="{LEG}"/></clipPath><path d="{LEG}" fill="{colours["paper"]}"/>'
            f'<ellipse cx="256" cy="420" rx="50" ry="34" fill="{colours["danger"]}" opacity="0.45" clip-path="url(#leg)"/>'
            f'<path d="M196 178l44 44M240 178l-44 44" stroke="{colours["danger"]}" stroke-width="22" '
            f'stroke-linecap="round"/></g></svg>\n')


def main() -> int:
    from playwright.sync_api import sync_playwright

    svgs = {False: drawing(False), True: drawing(True)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path, sizes, purpose in ICONS:
            target = OUT / path
            target.parent.mkdir(parents=True, exist_ok=True)
            svg = svgs[purpose == "maskable"]
            if target.suffix == ".svg":
                target.write_text(svg, encoding="utf-8")
            else:
                size = int(sizes.split("x")[0])
                page = browser.new_page(viewport={"width": size, "height": size})
                sized = svg.replace('width="512" height="512"', f'width="{size}" height="{size}"', 1)
                page.set_content(f'<body style="margin:0">{sized}</body>')
                page.screenshot(path=str(target), omit_background=True)
                page.close()
            print(f"wrote {target.relative_to(ROOT)}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
