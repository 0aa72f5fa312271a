"""The page beyond the taps, in real headless Chromium: the left leg, the handout link, printing,
the dark theme and hostile or oddly spelt deep links."""
from __future__ import annotations

import pytest

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import (
    PDF_PAGE,
    detail_id,
    js,
    marked_regions,
    point_spot,
    pointer_tap,
    pressed_points,
    show_view_of,
    shown_zones,
    tap_point,
    tap_region,
    url_search,
    wait_for_shown,
    wait_until,
)

MODEL = load_model(DEFAULT_DATA_DIR)

# Where gastrocnemius TP1's X and label are, as fractions of its view's width on screen, and
# whether its label reads left to right (the determinant of the label's screen transform).
TP1_PLACE = """([tp]) => {
  const point = document.querySelector(`#body-map [data-tp-id="${tp}"]`);
  const view = point.closest('svg').getBoundingClientRect();
  const x = point.querySelector('.tp-hit').getBoundingClientRect();
  const label = document.querySelector(`#body-map [data-label-of="${tp}"]`);
  const l = label.getBoundingClientRect();
  const m = label.getScreenCTM();
  return {x: (x.left + x.width / 2 - view.left) / view.width, xCentre: x.left + x.width / 2,
          labelLeft: l.left, labelRight: l.right, labelVisible: l.width > 0 && getComputedStyle(label).display !== 'none',
          upright: m.a * m.d - m.b * m.c > 0};
}"""


def test_mode001_left_leg_draws_tp1_on_the_other_side_with_a_readable_label(open_page):
    opened = open_page("desktop", "?tp=gastrocnemius-tp1")
    page = opened.page
    wait_for_shown(page, "gastrocnemius-tp1")
    right = js(page, TP1_PLACE, "gastrocnemius-tp1")
    # Right leg from behind: the inner head is on the viewer's left, its label further out (left).
    assert right["x"] < 0.5 and right["labelVisible"] and right["upright"]
    assert right["labelRight"] <= right["xCentre"]
    page.click('[data-action="side-left"]')
    wait_until(page, "return window.location.search.includes('side=left')")
    left = js(page, TP1_PLACE, "gastrocnemius-tp1")
    assert left["x"] > 0.5 and abs(left["x"] - (1 - right["x"])) < 0.02, (right, left)
    assert left["labelVisible"] and left["upright"], "the label is mirrored on the left leg"
    assert left["labelLeft"] >= left["xCentre"], "the label is not on the outer side of the X"
    # Still the same point, its zones and facts; and the link opens on the left leg.
    assert detail_id(page) == "gastrocnemius-tp1" and pressed_points(page) == ["gastrocnemius-tp1"]
    assert page.locator('[data-action="side-left"]').get_attribute("aria-pressed") == "true"
    page.reload()
    page.wait_for_selector('#page #body-map[data-interactive="true"]')
    assert js(page, TP1_PLACE, "gastrocnemius-tp1")["x"] > 0.5
    assert opened.errors == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_mode002_print_handout_is_disabled_with_a_reason_until_something_is_chosen(open_page, size):
    opened = open_page(size)
    page, touch = opened.page, opened.touch
    link = page.locator("#handout-link")
    assert link.get_attribute("aria-disabled") == "true"
    assert link.get_attribute("href") is None
    reason = page.locator("#handout-reason")
    assert reason.is_visible() and "choose" in reason.inner_text().lower()
    link.click()
    assert len(opened.context.pages) == 1 and url_search(page) == ""  # it leads nowhere
    tap_point(page, "gastrocnemius-tp2", touch)
    wait_until(page, "return document.getElementById('handout-link').getAttribute('aria-disabled') === 'false'")
    href = link.get_attribute("href")
    assert href.startswith("/handout?") and "tp=gastrocnemius-tp2" in href
    assert not reason.is_visible()
    assert page.request.get(opened.base + href).status == 200
    # Pain alone is enough too.
    tap_point(page, "gastrocnemius-tp2", touch)
    wait_until(page, "return document.getElementById('tp-detail').dataset.tpId === ''")
    # Nothing chosen again: the link is disabled again, and says why.
    wait_until(page, "return document.getElementById('handout-link').getAttribute('aria-disabled') === 'true'")
    assert link.get_attribute("href") is None and reason.is_visible()
    tap_region(page, "instep", touch)
    wait_until(page, "return document.getElementById('announcer').textContent.includes('1 area marked')")
    assert marked_regions(page) == ["instep"]
    wait_until(page, "return (document.getElementById('handout-link').getAttribute('href') || '').includes('pain=instep')")
    assert "tp=" not in link.get_attribute("href")
    assert page.request.get(opened.base + link.get_attribute("href")).status == 200
    assert opened.errors == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_mode003_printing_the_page_gives_a_short_summary_without_the_lists(open_page, paper):
    opened = open_page("desktop", "?tp=gastrocnemius-tp1")
    page = opened.page
    wait_for_shown(page, "gastrocnemius-tp1")
    page.emulate_media(media="print")
    drawn = js(page, """([]) => Object.fromEntries(['#tp-list', '#region-list', '#body-map', '#tp-detail', '#red-flags']
        .map(s => [s, document.querySelector(s).getClientRects().length > 0]))""")
    assert drawn == {"#tp-list": False, "#region-list": False, "#body-map": True, "#tp-detail": True, "#red-flags": True}
    pages = len(PDF_PAGE.findall(page.pdf(format=paper)))
    assert 1 <= pages <= 2, f"the page prints on {pages} {paper} pages"


LUMINANCE = """([selector, property]) => {
  const value = getComputedStyle(document.querySelector(selector))[property];
  const [r, g, b] = value.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => c / 255)
    .map(c => c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_mode004_the_theme_follows_the_system_colour_scheme(open_page, scheme):
    opened = open_page("desktop", "?tp=gastrocnemius-tp1", color_scheme=scheme)
    page = opened.page
    wait_for_shown(page, "gastrocnemius-tp1")
    background = js(page, LUMINANCE, "body", "backgroundColor")
    texts = [js(page, LUMINANCE, selector, "color") for selector in
             ("h1", '#tp-detail [data-detail-of="gastrocnemius-tp1"] dd', "#red-flags")]
    skin = js(page, LUMINANCE, "#body-map .part-skin", "fill")
    if scheme == "dark":
        assert background < 0.05 and skin < 0.15
        assert min(texts) > 0.6
    else:
        assert background > 0.8 and skin > 0.6
        assert max(texts) < 0.2
    # Either way the text stands out from its background (WCAG contrast of at least 4.5).
    for text in texts:
        lighter, darker = max(text, background), min(text, background)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5
    assert opened.errors == []


@pytest.mark.parametrize("query, shown_in_notice", [
    ("?pain=__proto__", ["__proto__"]),
    ("?pain=constructor,toString", ["constructor", "tostring"]),
    ("?tp=%3Cscript%3Ealert(1)%3C/script%3E", ["<script>alert(1)</script>"]),
])
def test_mode005_hostile_links_show_the_notice_as_text_and_the_map_still_works(open_page, query, shown_in_notice):
    opened = open_page("desktop", query)
    page = opened.page
    notice = page.locator("#url-notice")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "ignored" in text
    for value in shown_in_notice:
        assert value in text.lower() if value.islower() else value in text
    assert notice.locator("script, b, img").count() == 0
    assert page.locator("script:not([src]):not([type='application/json'])").evaluate_all(
        "els => els.filter(e => e.textContent.includes('alert(1)')).length") == 0
    assert url_search(page) == ""  # the bad values are dropped from the address too
    tap_point(page, "gastrocnemius-tp2")
    wait_for_shown(page, "gastrocnemius-tp2")
    tap_region(page, "knee-back")
    wait_until(page, "return document.getElementById('announcer').textContent.includes('1 area marked')")
    assert marked_regions(page) == ["knee-back"]
    assert opened.errors == []


def test_mode006_a_link_spelt_in_capitals_works_like_the_canonical_one(open_page):
    seen = {}
    for query in ("?tp=gastrocnemius-tp1", "?tp=Gastrocnemius-TP1", "?tp=%20GASTROCNEMIUS-tp1%20"):
        opened = open_page("desktop", query)
        page = opened.page
        wait_for_shown(page, "gastrocnemius-tp1")
        wait_until(page, "return window.location.search === '?tp=gastrocnemius-tp1'")
        seen[query] = (detail_id(page), pressed_points(page), sorted(shown_zones(page)),
                       page.locator("#url-notice").inner_text())
        assert opened.errors == []
        opened.context.close()
    first = seen["?tp=gastrocnemius-tp1"]
    assert first[0] == "gastrocnemius-tp1" and first[3] == ""
    assert all(value == first for value in seen.values()), seen


# What the page shows as soon as the tap's handler has painted the zones (a MutationObserver's
# callback runs when the handler returns, before any later task or frame): the point whose zones
# are painted, and the point whose facts are shown.
AT_THE_ZONES = """([]) => {
  window.__atZones = null;
  const map = document.querySelector('#body-map');
  const seen = new MutationObserver(() => {
    seen.disconnect();
    window.__atZones = {zones: map.dataset.shownTp || null,
                        facts: document.getElementById('tp-detail').dataset.tpId || null};
  });
  seen.observe(map, {attributes: true, attributeFilter: ['data-shown-tp']});
}"""


@pytest.mark.parametrize("size, facts_with_the_zones", [("phone", True), ("tablet", False), ("desktop", False)])
def test_mode007_the_answer_comes_with_the_map_on_a_phone_and_a_frame_after_it_beside_the_map(
        open_page, size, facts_with_the_zones):
    """Beside the map, a tap paints the zones in its own frame and the point's facts in the next;
    on a phone, whose answer is a sheet over the map, both at once, so the sheet opens in one step."""
    opened = open_page(size)
    page = opened.page
    tp = "soleus-tp1"
    show_view_of(page, f'#body-map [data-tp-id="{tp}"]', opened.touch)
    js(page, AT_THE_ZONES)
    pointer_tap(page, *point_spot(page, tp), touch=opened.touch)
    wait_for_shown(page, tp)
    at_zones = js(page, "([]) => window.__atZones")
    assert at_zones == {"zones": tp, "facts": tp if facts_with_the_zones else None}, at_zones
    assert detail_id(page) == tp
    assert opened.errors == []
