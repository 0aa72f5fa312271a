"""The handout in a real Chromium: it prints on one sheet of A4 or US Letter (at most 2 pages, one
or both sides), in light and dark colour schemes, with no text under 10 pt outside the drawing and a
leg drawing at least 90 mm tall; and it works with JS off.

Uses Playwright driving the system Chromium (/usr/bin/chromium); the app runs in a thread on a
free local port.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import PDF_PAGE as PAGE_OBJECT
from tests.browser.playwright_pages import serve_app

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")

HANDOUTS = [
    "/handout?tp=gastrocnemius-tp1",
    "/handout?tp=gastrocnemius-tp1&side=left",
    "/handout?pain=knee-back,instep",
    "/handout?tp=gastrocnemius-tp1&pain=knee-back,instep,heel-underside,sole,achilles",
]
# The longest sheets a visit gives: ties of three and four points with different routines (the
# gastrocnemius's long one among them) and two raised warning signs; eight marked areas with their
# numbers on the S1 strip, raising six warning signs and seven causes to rule out, with what pressing
# found, tender and not found.
TIE_OF_THREE = "/handout?pain=ankle-medial,heel-lateral"
EIGHT_AREAS = ("/handout?pain=buttock:6,thigh-back-upper:5,thigh-back-lower:4,knee-back:7,calf-upper-lateral:8,"
               "calf-lower-lateral:5,heel-back:3,foot-outer-edge:2&found=gastrocnemius-tp4&tender=soleus-tp1"
               "&not_found=plantaris-tp1")
# Three scattered areas that tie nine points, drawn in five views: every tied point's routine prints.
BIG_TIE = "/handout?pain=knee-back,ankle-lateral,heel-underside"
LONGEST = [TIE_OF_THREE, "/handout?pain=knee-back", "/handout?pain=ankle-medial,sole", EIGHT_AREAS, BIG_TIE]



@pytest.fixture(scope="module")
def base_url():
    from app import create_app

    with serve_app(create_app(clinic_name="Harbour Physio")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


EMERGENCIES = 8


def all_regions_url() -> str:
    from components.domain.data import load_model

    return "/handout?pain=" + ",".join(load_model().regions)


MAX_PAGES = 2
MIN_TEXT_PT = 10
MIN_DRAWING_MM = 90
PX_PER_MM = 96 / 25.4

# Every visible text outside the drawing whose size is under 10 pt, and the tallest leg view (mm),
# as laid out for print.
PRINTED_SIZES = """([minPx]) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest('svg') || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minPx) small.push(`${el.tagName}.${el.className}: ${size.toFixed(1)} px "${node.textContent.trim().slice(0, 30)}"`);
  }
  const heights = Array.from(document.querySelectorAll('#handout-diagram svg.map-view-main'))
    .map(view => view.getBoundingClientRect().height);
  return {small: small, tallest: Math.max(0, ...heights)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("path", HANDOUTS + LONGEST + ["ALL"])
def test_print001_handout_prints_on_one_sheet_at_a_readable_size(browser, base_url, path, paper, scheme):
    path = all_regions_url() if path == "ALL" else path
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(base_url + path)
        assert response.status == 200
        pdf = page.pdf(format=paper)
        page.emulate_media(media="print")
        sizes = page.evaluate(PRINTED_SIZES, [MIN_TEXT_PT * 96 / 72 - 0.01])
        # On paper too: every emergency in full, and the check before self-care above the first step.
        emergencies = page.locator("#red-flags li[data-urgency=emergency]")
        emergency_texts = [emergencies.nth(n).inner_text() for n in range(emergencies.count())]
        # [top of the check, top of the first step], each null when the sheet has none
        check_and_step = page.evaluate("""() => ['#before-you-start', '#self-care li.step']
          .map(selector => document.querySelector(selector)).map(el => el && el.getBoundingClientRect().top)""")
        # Whatever the device's scheme, the sheet prints light: the skin is a light colour.
        skin = page.locator("#handout-diagram [data-landmark='outline']").first.evaluate("el => getComputedStyle(el).fill")
    finally:
        context.close()
    assert pdf.startswith(b"%PDF")
    assert len(PAGE_OBJECT.findall(pdf)) <= MAX_PAGES, f"{path} does not fit one sheet of {paper}"
    assert sizes["small"] == [], f"text under {MIN_TEXT_PT} pt: {sizes['small'][:5]}"
    assert sizes["tallest"] >= MIN_DRAWING_MM * PX_PER_MM, f"the drawing is {sizes['tallest'] / PX_PER_MM:.0f} mm tall"
    assert len(emergency_texts) == EMERGENCIES and all(len(text) > 100 for text in emergency_texts), emergency_texts
    check_top, step_top = check_and_step
    assert step_top is None or (check_top is not None and check_top < step_top), check_and_step
    red, green, blue = (int(part) for part in skin[skin.index("(") + 1:skin.index(")")].split(",")[:3])
    assert min(red, green, blue) > 180, f"the leg prints dark ({skin}) in the {scheme} scheme"


def test_handout_works_with_javascript_off(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/handout?tp=gastrocnemius-tp1")
        # The map, drawn by the page's own renderer, with the point's main pain area painted in.
        diagram = page.locator("#handout-diagram svg.map-view-main")
        assert diagram.is_visible()
        box = diagram.bounding_box()
        # A leg at true proportions: about 4 calf widths long, so tall and slim.
        assert box and box["width"] > 50 and box["height"] > 300
        assert page.locator("#handout-diagram path.zone-essential").evaluate_all(
            "zones => zones.filter(z => getComputedStyle(z).display !== 'none').length") >= 1
        steps = page.locator("#self-care li.step")
        assert steps.count() >= 5
        assert steps.first.is_visible()
        text = page.locator("#self-care").inner_text()
        assert "30 to 60 seconds" in text
        assert page.locator("#red-flags").is_visible()
        assert "DVT" in page.locator("#red-flags").inner_text()
        assert page.locator("#disclaimer").is_visible()
        assert page.locator("script").count() == 0
        # The check before self-care stands above the first step with scripts off too (issue 15).
        assert page.locator("#before-you-start").bounding_box()["y"] < steps.first.bounding_box()["y"]
        # It prints on one sheet with scripts off too.
        assert len(PAGE_OBJECT.findall(page.pdf(format="A4"))) <= MAX_PAGES
    finally:
        context.close()


def test_print_hides_the_screen_only_line(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "/handout?tp=gastrocnemius-tp1")
        assert page.locator(".screen-only").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".screen-only").is_visible()
        # Nothing overlaps the drawing: the explanation runs beside it, then on under it.
        overlapping = page.evaluate("""() => {
          const figure = document.querySelector('figure#body-map').getBoundingClientRect();
          return Array.from(document.querySelectorAll('.top > div :is(h2, h3, p, li, dt, dd)'))
            .filter(el => { const box = el.getBoundingClientRect();
              return box.height && box.left < figure.right - 1 && box.top < figure.bottom - 1 && box.bottom > figure.top + 1; })
            .map(el => el.textContent.slice(0, 40));
        }""")
        assert overlapping == []
        figure = page.locator("figure#body-map").bounding_box()
        heading = page.locator("#explanation h2").bounding_box()
        assert heading["x"] >= figure["x"] + figure["width"] - 1 and heading["y"] < figure["y"] + figure["height"]
    finally:
        page.close()


def printed_tie(browser, url: str, pain: tuple[str, ...]):
    """The model, the points tied first for ``pain``, and a fresh context with the handout laid out for print."""
    from components.domain.data import load_model
    from components.domain.referral import trace

    model = load_model()
    tied = [c.trigger_point for c in trace(model, pain).ranking if c.rank == 1]
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    return model, tied, context, page


def test_print002_a_tie_prints_each_tied_points_self_care_and_draws_each_pattern(browser, base_url):
    """Three equally likely points with three different routines: on paper, each has its own
    self-care under its muscle's name, and the drawing shows each one's pattern."""
    model, tied, context, page = printed_tie(browser, base_url + TIE_OF_THREE, ("ankle-medial", "heel-lateral"))
    assert len(tied) == 3
    try:
        headings = [h.inner_text() for h in page.locator("#self-care h2").all() if h.is_visible()]
        steps = {muscle: page.locator(f'#self-care [data-muscle-care="{model.muscles[muscle].name}"] li.step').count()
                 for muscle in {model.trigger_points[point].muscle for point in tied}}
        patterns = {point: page.locator(f'#handout-diagram .zone-shown[data-zone-of="{point}"]').count() for point in tied}
    finally:
        context.close()
    assert headings == [f"Self-care for the {model.muscles[model.trigger_points[point].muscle].name}" for point in tied]
    assert all(count >= 1 for count in steps.values()), steps
    assert all(count >= 1 for count in patterns.values()), patterns


def test_print003_on_a_phone_the_handout_is_one_column_at_a_readable_size(browser, base_url):
    """On a phone's screen (390 px), the sheet of a three-way tie reads down one column: nothing
    runs off the screen sideways, the text is 12 pt, and the self-care and the checks are one column."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(base_url + TIE_OF_THREE)
        seen = page.evaluate("""() => ({
          width: document.documentElement.scrollWidth,
          text: parseFloat(getComputedStyle(document.querySelector('#self-care li.step')).fontSize),
          columns: ['.cares', '#before-you-start ul', '#red-flags ul'].map(
            selector => getComputedStyle(document.querySelector(selector)).columnCount),
          views: Array.from(document.querySelectorAll('#handout-diagram svg.map-view'))
            .map(view => view.getBoundingClientRect().right),
        })""")
    finally:
        context.close()
    assert seen["width"] <= 390
    assert seen["text"] >= 16  # 12 pt
    assert set(seen["columns"]) <= {"auto", "1"}, seen["columns"]
    assert max(seen["views"]) <= 390


def test_print004_a_tie_of_nine_prints_every_tied_points_self_care(browser, base_url):
    """The nine tied points of three scattered areas: on paper every tied point's muscle has its
    routine (or, with none, is told to ask the therapist), and the drawing shows each one's pattern."""
    model, tied, context, page = printed_tie(browser, base_url + BIG_TIE, ("knee-back", "ankle-lateral", "heel-underside"))
    assert len(tied) == 9
    try:
        printed = [care.inner_text() for care in page.locator("#self-care .care").all() if care.is_visible()]
        named = page.locator(".big-tie").inner_text()
        patterns = {point: page.locator(f'#handout-diagram .zone-shown[data-zone-of="{point}"]').count() for point in tied}
    finally:
        context.close()
    for point in tied:
        muscle = model.muscles[model.trigger_points[point].muscle].name
        care = next((text for text in printed if muscle in text.split("\n")[0].split(" — ")[0]), None)
        assert care, f"no self-care printed for the {muscle}"
        assert "Release the point" in care or "Take care" in care or "ask your therapist" in care, care
        assert model.point_title(point).split(" (")[0].lower() in named.lower(), point
    assert all(count >= 1 for count in patterns.values()), patterns
