"""Issue 17 in the browser: what pressing found re-ranks the list, is said, survives a reload and
reaches the handout; each area's number round-trips through the link and shows on the map and
the handout; the QR code decodes to the exact handout link of the state on screen; /compare shows
what cleared and what is new. Codes: vib0NN (``-k vib003``)."""
from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

from components.domain.data import DEFAULT_DATA_DIR, load_model
from components.domain.referral import trace
from tests.browser.axe import assert_accessible
from tests.browser.helpers import INTERACTIVE_MAP, ranking_ids, url_search, wait_announced, wait_said, wait_until
from tests.browser.playwright_pages import CHROMIUM, open_page

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")

MODEL = load_model(DEFAULT_DATA_DIR)
MAP = INTERACTIVE_MAP
PAIN = ["knee-back", "calf-upper-medial"]
WAIT_MS = 20000


def ready(page):
    page.wait_for_selector(MAP, timeout=WAIT_MS)
    page.wait_for_selector("#source-ranking > li .palpation-choice", timeout=WAIT_MS)


def choice(tp: str, finding: str) -> str:
    return f'#source-ranking [data-palpation-of="{tp}"][data-palpation="{finding}"]'


def shown_levels(page) -> dict:
    """Area -> the number drawn on the map, for badges a person can see."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#body-map .pain-level')]
        .filter(g => getComputedStyle(g).display !== 'none' && g.getClientRects().length)
        .map(g => [g.dataset.levelOf, g.textContent.trim()]))""")


# --------------------------------------------------------------------------- palpation


def test_vib001_palpation_reranks_is_said_survives_reload_and_reaches_the_handout(chromium, app_url):
    plain = [c.trigger_point for c in trace(MODEL, PAIN).ranking]
    third, first = plain[2], plain[0]
    with open_page(chromium, app_url + "/?pain=" + ",".join(PAIN), "desktop") as page:
        ready(page)
        assert ranking_ids(page) == plain
        page.click(choice(third, "found"))
        wait_until(page, f"return document.querySelector('#source-ranking > li').dataset.tpId === '{third}'")
        assert ranking_ids(page) == [third] + [p for p in plain if p != third]
        name = MODEL.point_title(third)
        wait_said(page, f"{name}: reproduces the familiar pain; now first.")
        assert page.get_attribute(choice(third, "found"), "aria-pressed") == "true"
        # A named control: the group says whose finding it is, the button what it found.
        assert page.get_attribute(f'#source-ranking li[data-tp-id="{third}"] .palpation', "aria-label") == \
            f"{name}: what pressing found"
        # The first point, pressed and not found, goes last, by keyboard.
        page.focus(choice(first, "not-found"))
        page.keyboard.press("Enter")
        wait_until(page, f"return [...document.querySelectorAll('#source-ranking > li')].pop().dataset.tpId === '{first}'")
        wait_announced(page, "^" + re.escape(f"{MODEL.point_title(first)}: not found; now last"))
        assert "Not found when pressed" in page.text_content(f'#source-ranking li[data-tp-id="{first}"]')
        wait_until(page, "return location.search.includes('not_found=')")
        assert url_search(page) == f"?pain={','.join(PAIN)}&found={third}&not_found={first}"
        expected = ranking_ids(page)
        page.reload()
        ready(page)
        wait_until(page, f"return document.querySelector('#source-ranking > li').dataset.tpId === '{third}'")
        assert ranking_ids(page) == expected
        assert page.get_attribute(choice(third, "found"), "aria-pressed") == "true"
        assert page.get_attribute(choice(first, "not-found"), "aria-pressed") == "true"
        wait_until(page, "return document.getElementById('handout-link').getAttribute('href').includes('found=')")
        href = page.get_attribute("#handout-link", "href")
        assert href == f"/handout?pain={','.join(PAIN)}&found={third}&not_found={first}"
        page.goto(app_url + href)
        text = page.text_content("body")
        assert f"Found at your visit: {name}" in text
        assert f"Pressed and not found: {MODEL.point_title(first)}" in text
        assert page.eval_on_selector(".candidates li", "li => li.dataset.tpId") == third


def test_vib002_ranking_with_findings_equals_python(chromium, app_url):
    rng = random.Random(17)
    regions, points = list(MODEL.regions), list(MODEL.trigger_points)
    cases = []
    for _ in range(600):
        pain = rng.sample(regions, rng.randint(1, 5))
        findings = {tp: rng.choice(["found", "tender", "not-found"]) for tp in rng.sample(points, rng.randint(0, 5))}
        cases.append([pain, findings])
    with open_page(chromium, app_url + "/", "desktop") as page:
        page.wait_for_selector(MAP, timeout=WAIT_MS)
        got = page.evaluate("cases => cases.map(([pain, f]) => window.dash_clientside.explorer.rankWith(pain, f)"
                            ".map(c => [c.tp, c.rank]))", cases)
    expected = [[[c.trigger_point, c.rank] for c in trace(MODEL, pain, findings).ranking] for pain, findings in cases]
    differences = [(case, want, have) for case, want, have in zip(cases, expected, got) if want != have]
    assert not differences, f"{len(differences)} differ, e.g. {differences[:2]}"


# --------------------------------------------------------------------------- intensity


def test_vib003_intensity_round_trips_and_shows_on_map_and_handout(chromium, app_url):
    with open_page(chromium, app_url + "/?pain=instep:7,heel-underside", "desktop") as page:
        ready(page)
        wait_until(page, "return document.querySelector('#level-instep') !== null")
        assert shown_levels(page) == {"instep": "7"}
        assert page.eval_on_selector("#level-instep", "s => s.value") == "7"
        assert page.eval_on_selector("#level-heel-underside", "s => s.value") == ""
        # The control is named by its label.
        assert page.eval_on_selector("#level-heel-underside", "s => s.labels[0].textContent") == "Underside of the heel"
        page.focus("#level-heel-underside")
        page.select_option("#level-heel-underside", "3")
        wait_until(page, "return location.search.includes('heel-underside:3')")
        assert url_search(page) == "?pain=instep:7,heel-underside:3"
        wait_said(page, "Underside of the heel: pain 3 of 10.")
        page.reload()
        ready(page)
        wait_until(page, "return document.querySelector('#level-heel-underside') !== null")
        assert shown_levels(page) == {"instep": "7", "heel-underside": "3"}
        # A tap that unmarks an area drops its number too.
        page.click('#region-list [data-region-id="instep"]')
        wait_until(page, "return location.search === '?pain=heel-underside:3'")
        page.goto(app_url + "/handout?pain=instep:7,heel-underside:3")
        text = page.text_content("#explanation")
        assert "instep (inner arch of the foot) at 7 out of 10 and underside of the heel at 3 out of 10" in text
        badges = page.eval_on_selector_all("#handout-diagram .pain-level.level-shown",
                                           "gs => gs.map(g => [g.dataset.levelOf, g.textContent])")
        assert sorted(set(map(tuple, badges))) == [("heel-underside", "3"), ("instep", "7")]


# --------------------------------------------------------------------------- the QR code

DECODE_IMAGE = """async (selector) => {
  const element = document.querySelector(selector);
  let source = element;
  if (element.tagName.toLowerCase() === 'svg') {
    source = new Image();
    source.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(element));
  }
  if (!source.complete || !source.naturalWidth) await new Promise(r => { source.onload = r; });
  const size = 400;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size, size);
  context.imageSmoothingEnabled = false;
  context.drawImage(source, 0, 0, size, size);
  const pixels = context.getImageData(0, 0, size, size).data;
  const grey = new Array(size * size);
  for (let i = 0; i < size * size; i++) grey[i] = pixels[i * 4];
  return grey;
}"""


def decode(page, selector: str) -> str:
    """The text of the QR code drawn by an element, read with zxing-cpp from its pixels."""
    import zxingcpp

    grey = np.array(page.evaluate(DECODE_IMAGE, selector), dtype=np.uint8).reshape(400, 400)
    found = zxingcpp.read_barcodes(grey)
    assert found, f"no QR code in {selector}"
    return found[0].text


@pytest.mark.parametrize("size, mode", [("desktop", ""), ("tablet", "&mode=clinic"), ("phone", "")])
def test_vib004_qr_decodes_to_the_handout_link_of_the_state(chromium, app_url, size, mode):
    query = "?pain=knee-back:6,calf-upper-medial&found=gastrocnemius-tp1" + mode
    with open_page(chromium, app_url + "/" + query, size) as page:
        ready(page)
        # Change the state on the page first: the code follows what is on screen now.
        page.click(choice("plantaris-tp1", "tender"))
        wait_until(page, "return document.getElementById('handout-link').getAttribute('href').includes('tender=')")
        page.click("#take-home-summary")
        wait_until(page, "return (document.getElementById('take-home-link') || {}).href"
                         " === location.origin + document.getElementById('handout-link').getAttribute('href')")
        handout = app_url + page.get_attribute("#handout-link", "href")
        assert handout == app_url + "/handout?pain=knee-back:6,calf-upper-medial&found=gastrocnemius-tp1" \
                                    "&tender=plantaris-tp1"
        box = page.eval_on_selector("#take-home-qr", "i => i.getBoundingClientRect().width")
        assert box >= 200  # about 5 cm on a screen: a phone reads it at arm's length
        assert decode(page, "#take-home-qr") == handout
        # A phone cannot reach 127.0.0.1: the page says so.
        assert "works only on this computer" in page.text_content("#take-home-warning")
        assert_accessible(page)
        page.goto(handout)
        assert_accessible(page)
        back = decode(page, "#back-qr svg")
        assert back == app_url + "/?pain=knee-back:6,calf-upper-medial&found=gastrocnemius-tp1&tender=plantaris-tp1"


def test_vib005_public_url_goes_into_the_codes(chromium):
    from app import create_app
    from tests.browser.playwright_pages import serve_app

    with serve_app(create_app(public_url="https://calf.example.org/")) as url:
        with open_page(chromium, url + "/?pain=instep:7", "desktop") as page:
            ready(page)
            page.click("#take-home-summary")
            page.wait_for_selector("#take-home-qr", timeout=WAIT_MS)
            assert decode(page, "#take-home-qr") == "https://calf.example.org/handout?pain=instep:7"
            assert page.query_selector("#take-home-warning") is None


# --------------------------------------------------------------------------- compare


def test_vib006_compare_shows_what_cleared_and_what_is_new(chromium, app_url):
    before = quote(app_url + "/?pain=instep:7,heel-underside:3,knee-back", safe="")
    after = quote(app_url + "/handout?pain=instep:3,calf-upper-medial:5,knee-back", safe="")
    with open_page(chromium, f"{app_url}/compare?before={before}&after={after}", "desktop") as page:
        page.wait_for_selector("#intensity-chart .main-svg", timeout=WAIT_MS)
        assert "Underside of the heel: cleared (was 3 out of 10)." in page.text_content("#cleared")
        assert "Upper calf, inner side: new (5 out of 10)." in page.text_content("#new")
        assert "7 out of 10, now 3 out of 10 (4 less)" in page.text_content("#still")
        marked = page.eval_on_selector_all('#map-after .region[aria-pressed="true"]', "rs => rs.map(r => r.dataset.regionId)")
        assert "calf-upper-medial" in marked and "heel-underside" not in marked
        assert_accessible(page)
        page.fill("#before", "/?pain=nowhere")
        page.click("form button")
        page.wait_for_selector("#compare-problems")
        assert "The before link does not match the map" in page.text_content("#compare-problems")
