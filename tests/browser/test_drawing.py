"""The drawing as a clinician would check it, and the screens it must fit, measured in headless
Chromium (issue 16):

- the back view is a lower leg at true proportions: knee crease to sole 3.6 to 5 times the widest
  part of the calf; the back, front and outer views draw the knee-to-sole length at one height;
- the inner ankle bone sits above the outer one, and the inner gastrocnemius head reaches lower;
- clinic view on a tablet, upright and sideways, shows the chosen point, the whole of its view and
  its main pain area without scrolling;
- on a phone every pain area can be marked in at most two taps from the first screen, no scrolling.

Everything is read from the contract's landmark hooks (data-landmark, data-muscle, data-head).
"""
from __future__ import annotations

import pytest

from components.domain.data import DEFAULT_DATA_DIR, load_model
from tests.browser.helpers import js, marked_regions, tap_region, wait_until

MODEL = load_model(DEFAULT_DATA_DIR)
LEG_VIEWS = ("back", "front", "lateral")
KNEE = {"back": "knee-crease", "front": "kneecap", "lateral": "kneecap"}

# Each leg view's landmarks on screen: the knee's centre, the sole's lowest line, the ankle bones'
# centres, the gastrocnemius heads' lowest points, and (back view) the widest part of the calf
# between the knee and the ankle, from the outline's own curve.
LANDMARKS = """([view, knee]) => {
  const svg = document.querySelector(`#body-map svg.map-view[data-view-id="${view}"]`);
  const box = (selector) => {
    const el = svg.querySelector(selector);
    return el ? el.getBoundingClientRect() : null;
  };
  const centreY = (b) => b && b.top + b.height / 2;
  const outline = svg.querySelector('[data-landmark="outline"]');
  const matrix = outline.getScreenCTM();
  const length = outline.getTotalLength();
  const points = [];
  for (let i = 0; i < 800; i++) {
    const p = outline.getPointAtLength(length * i / 800);
    points.push([matrix.a * p.x + matrix.c * p.y + matrix.e, matrix.b * p.x + matrix.d * p.y + matrix.f]);
  }
  const kneeY = centreY(box(`[data-landmark="${knee}"]`));
  const ankleY = centreY(box('[data-landmark="malleolus-lateral"]'));
  let widest = 0;
  for (let y = kneeY; y < ankleY; y += 1) {
    const xs = [];
    points.forEach((a, i) => {
      const b = points[(i + 1) % points.length];
      if ((a[1] - y) * (b[1] - y) <= 0 && a[1] !== b[1]) xs.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
    });
    if (xs.length >= 2) widest = Math.max(widest, Math.max(...xs) - Math.min(...xs));
  }
  const head = (side) => box(`[data-muscle="gastrocnemius"][data-head="${side}"]`);
  return {
    knee: kneeY, sole: box('[data-landmark="sole"]').bottom, widest: widest,
    medial: centreY(box('[data-landmark="malleolus-medial"]')), lateral: ankleY,
    headMedial: head('medial') && head('medial').bottom, headLateral: head('lateral') && head('lateral').bottom,
    hooks: Array.from(svg.querySelectorAll('[data-landmark]')).map(el => el.dataset.landmark),
    muscles: Array.from(svg.querySelectorAll('.part-muscle, .part-deep-muscle')).filter(el => !el.dataset.muscle).length,
  };
}"""


def measure(page, view: str) -> dict:
    tab = page.locator(f'.view-tabs [data-action="view-{view}"]')
    if tab.is_visible():
        tab.click()
    return js(page, LANDMARKS, view, KNEE[view])


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_draw001_the_leg_has_true_proportions_at_one_scale(open_page, size):
    page = open_page(size).page
    found = {view: measure(page, view) for view in LEG_VIEWS}
    back = found["back"]
    proportion = (back["sole"] - back["knee"]) / back["widest"]
    assert 3.6 <= proportion <= 5, f"knee crease to sole is {proportion:.2f} calf widths"
    heights = {view: m["sole"] - m["knee"] for view, m in found.items()}
    assert max(heights.values()) / min(heights.values()) <= 1.05, f"knee-to-sole heights differ: {heights}"


def test_draw002_ankle_bones_and_gastrocnemius_heads_sit_where_an_atlas_puts_them(open_page):
    page = open_page("desktop").page
    found = {view: measure(page, view) for view in LEG_VIEWS}
    for view in ("back", "front"):
        assert found[view]["medial"] < found[view]["lateral"], f"the inner ankle bone is not above the outer in {view}"
    assert found["back"]["headMedial"] > found["back"]["headLateral"] + 5, "the inner gastrocnemius head does not reach lower"


def test_draw003_every_leg_view_marks_its_landmarks_and_muscles(open_page):
    page = open_page("desktop").page
    expected = {
        "back": {"outline", "knee-crease", "malleolus-medial", "malleolus-lateral", "heel", "sole"},
        "front": {"outline", "kneecap", "malleolus-medial", "malleolus-lateral", "sole"},
        "lateral": {"outline", "kneecap", "fibula-head", "malleolus-lateral", "heel", "sole"},
    }
    for view, hooks in expected.items():
        found = measure(page, view)
        assert hooks <= set(found["hooks"]), f"{view} lacks {hooks - set(found['hooks'])}"
        assert found["muscles"] == 0, f"a muscle shape in {view} has no data-muscle"


# ----------------------------------------------------------------------------- clinic view on a tablet

# Whether an element's whole box is inside the window (nothing to scroll to).
ON_SCREEN = """([selector]) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.getClientRects().length)
  .map(el => { const b = el.getBoundingClientRect();
    return b.top >= -1 && b.left >= -1 && b.bottom <= window.innerHeight + 1 && b.right <= window.innerWidth + 1; })"""

CLINIC_POINTS = ["gastrocnemius-tp1", "soleus-tp1", "tibialis-anterior-tp1", "fibularis-longus-tp1", "abductor-hallucis-tp1"]


@pytest.mark.parametrize("viewport", [(1180, 820), (820, 1180)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("tp", CLINIC_POINTS)
def test_fit001_clinic_view_shows_the_point_its_view_and_its_main_pain_area_without_scrolling(open_page, viewport, tp):
    width, height = viewport
    opened = open_page("tablet", f"?mode=clinic&tp={tp}", viewport={"width": width, "height": height})
    page = opened.page
    wait_until(page, f"return document.getElementById('body-map').dataset.shownTp === '{tp}'")
    view = MODEL.trigger_points[tp].view
    assert js(page, "([]) => window.scrollY") == 0
    assert js(page, ON_SCREEN, f'#body-map [data-tp-id="{tp}"] .tp-hit') == [True], "the point is off screen"
    assert js(page, ON_SCREEN, f'#body-map svg.map-view[data-view-id="{view}"]') == [True], f"the {view} view is cut off"
    essential = js(page, ON_SCREEN, f'#body-map path.zone-essential.zone-shown[data-zone-of="{tp}"]')
    assert essential and all(essential), "the main pain area is off screen"
    assert js(page, ON_SCREEN, f'#detail-title-{tp}') == [True], "the answer is off screen"
    assert opened.errors == []


# ----------------------------------------------------------------------------- the phone

# Per view tab: the regions that a finger can tap on the first screen (no scrolling), each with a
# spot where elementFromPoint finds that region.
REACHABLE = """([]) => {
  const found = {};
  document.querySelectorAll('#body-map [data-region-id]').forEach(region => {
    if (!region.getClientRects().length) return;
    const b = region.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
      const x = b.left + b.width * i / 12, y = b.top + b.height * j / 12;
      if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      const shape = hit && hit.closest('[data-region-id]');
      if (shape === region) { found[region.dataset.regionId] = [x, y]; return; }
    }
  });
  return found;
}"""


@pytest.mark.parametrize("viewport", [(390, 844), (320, 568)], ids=["390", "320"])
def test_phone001_every_area_is_two_taps_from_the_first_screen(open_page, viewport):
    width, height = viewport
    opened = open_page("phone", viewport={"width": width, "height": height})
    page = opened.page
    tabs = js(page, "([]) => Array.from(document.querySelectorAll('.view-tabs [data-action]'))"
                    ".filter(t => t.getClientRects().length).map(t => t.dataset.action)")
    reach, spots = {}, {}
    for tab in tabs:
        page.tap(f'.view-tabs [data-action="{tab}"]')  # tap 1
        assert js(page, "([]) => window.scrollY") == 0, f"the {tab} tab scrolled the page"
        for region, spot in js(page, REACHABLE).items():
            reach.setdefault(region, tab)
            spots.setdefault(region, spot)
    assert set(reach) == set(MODEL.regions), f"not on any first screen: {set(MODEL.regions) - set(reach)}"
    # Tap 2, for real: the heel's underside and the arch, from the Foot tab.
    for region in ("heel-underside", "instep"):
        page.tap(f'.view-tabs [data-action="{reach[region]}"]')
        tap_region(page, region, opened.touch)
        wait_until(page, f"return Array.from(document.querySelectorAll('#body-map [data-region-id=\"{region}\"]'))"
                         ".some(el => el.getAttribute('aria-pressed') === 'true')")
    assert {"heel-underside", "instep"} <= set(marked_regions(page))
    assert opened.errors == []


# ----------------------------------------------------------------------------- the numbers beside the X's

# Per view on screen: each X's number (its text, box and size in screen px), each X's box, and the
# boxes of the bony landmarks a number must not cover.
LABELS = """([landmarks]) => Array.from(document.querySelectorAll('#body-map svg.map-view'))
  .filter(svg => svg.getClientRects().length)
  .map(svg => {
    const box = (el) => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    const points = Array.from(svg.querySelectorAll('.tp')).filter(p => p.getClientRects().length).map(point => {
      const label = svg.querySelector(`.tp-label[data-label-of="${point.dataset.tpId}"]`);
      const shown = label && getComputedStyle(label).display !== 'none' && label.getClientRects().length > 0;
      const m = label && label.getScreenCTM();
      return {tp: point.dataset.tpId, text: label ? label.textContent.trim() : '', shown: !!shown,
              label: shown ? box(label) : null, x: box(point.querySelector('.tp-x')),
              px: shown ? parseFloat(getComputedStyle(label).fontSize) * Math.hypot(m.a, m.b) : 0};
    });
    const marks = Array.from(svg.querySelectorAll('[data-landmark]'))
      .filter(el => landmarks.includes(el.dataset.landmark)).map(el => [el.dataset.landmark, box(el)]);
    return {view: svg.dataset.viewId, points: points, landmarks: marks};
  })"""
# The bony landmarks (the outline and the sole line run round everything, so they are not counted).
LABEL_LANDMARKS = ["knee-crease", "kneecap", "fibula-head", "malleolus-medial", "malleolus-lateral", "heel"]
MIN_LABEL_PX = 11  # a number a person reads at arm's length on a phone


def _overlap(a, b, slack: float = 0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _key_numbers(page) -> tuple[str, set[int]]:
    """The key's accessible name and every number it names ("1–4" names 1, 2, 3 and 4)."""
    found = js(page, """([]) => { const list = document.querySelector('#map-key ol');
      if (!list || !list.getClientRects().length) return null;
      const name = (list.getAttribute('aria-labelledby') || '').split(' ')
        .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
      return [name, Array.from(list.querySelectorAll('li')).map(li => li.querySelector('.key-number').textContent)]; }""")
    assert found, "no key beside the map"
    numbers = set()
    for text in found[1]:
        first, _, last = text.partition("\u2013")
        numbers.update(range(int(first), int(last or first) + 1))
    return found[0], numbers


@pytest.mark.parametrize("size, width", [("phone", 390), ("desktop", 1280)], ids=["390", "1280"])
def test_draw004_every_x_carries_a_number_clear_of_every_other_and_the_key_names_it(open_page, size, width):
    opened = open_page(size, viewport={"width": width, "height": 844 if size == "phone" else 900})
    page = opened.page
    tabs = js(page, "([]) => Array.from(document.querySelectorAll('.view-tabs [data-action]'))"
                    ".filter(t => t.getClientRects().length).map(t => t.dataset.action)") or [None]
    problems, numbers, seen = [], {}, set()
    for tab in tabs:
        if tab:
            page.click(f'.view-tabs [data-action="{tab}"]')
        for view in js(page, LABELS, LABEL_LANDMARKS):
            points = view["points"]
            for point in points:
                seen.add(point["tp"])
                if not point["shown"] or not point["text"].isdigit():
                    problems.append(f"{point['tp']} has no number beside its X")
                    continue
                numbers[point["tp"]] = int(point["text"])
                if point["px"] < MIN_LABEL_PX - 0.05:
                    problems.append(f"{point['tp']}'s number is {point['px']:.1f} px")
                for other in points:
                    if other["tp"] != point["tp"] and other["label"] and _overlap(point["label"], other["label"]) \
                            and point["tp"] < other["tp"]:
                        problems.append(f"{view['view']}: the numbers of {point['tp']} and {other['tp']} overlap")
                    if _overlap(point["label"], other["x"]):
                        problems.append(f"{view['view']}: {point['tp']}'s number covers the X of {other['tp']}")
                for landmark, box in view["landmarks"]:
                    if _overlap(point["label"], box):
                        problems.append(f"{view['view']}: {point['tp']}'s number covers the {landmark}")
    assert seen == set(MODEL.trigger_points)
    assert problems == [], "\n".join(sorted(set(problems)))
    # One number per X, and a key beside the map, a named list, that names every one of them.
    assert sorted(numbers.values()) == list(range(1, len(MODEL.trigger_points) + 1))
    name, keyed = _key_numbers(page)
    assert name and keyed == set(numbers.values())
    # The X's name for a screen reader is the point's name, as before: the number adds nothing to hear.
    names = js(page, "([]) => Array.from(document.querySelectorAll('#body-map .tp')).map(p => p.getAttribute('aria-label'))")
    assert all(label.endswith(", trigger point") and not any(ch.isdigit() for ch in label.split(" TP")[0])
               for label in names)
    assert opened.errors == []


# ----------------------------------------------------------------------------- the header leaves the map its screen


def test_fit002_an_upright_tablet_shows_the_whole_back_view_in_the_ordinary_view(open_page):
    opened = open_page("tablet", "?tp=gastrocnemius-tp1", viewport={"width": 820, "height": 1180})
    page = opened.page
    wait_until(page, "return document.getElementById('body-map').dataset.shownTp === 'gastrocnemius-tp1'")
    assert js(page, "([]) => window.scrollY") == 0
    assert js(page, ON_SCREEN, '#body-map svg.map-view[data-view-id="back"]') == [True], "the back view is cut off"
    header = js(page, "([]) => document.querySelector('.app-header').getBoundingClientRect().height")
    assert header <= 140, f"the header is {header:.0f} px tall"
    assert opened.errors == []


# Whether the muscle filter's chosen words fit inside it, beside its arrow (about 24 px).
FILTER_FITS = """([]) => {
  const select = document.getElementById('muscle-filter');
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = select.options[select.selectedIndex].text;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
  return {text: text, needs: context.measureText(text).width, room: room, visible: select.getClientRects().length > 0};
}"""


def test_fit003_the_muscle_filter_shows_its_words_on_the_narrowest_phone(open_page):
    opened = open_page("phone", viewport={"width": 320, "height": 568})
    page = opened.page
    for muscle in ("all", "soleus", "tibialis-posterior"):
        page.select_option("#muscle-filter", muscle)
        fit = js(page, FILTER_FITS)
        assert fit["visible"] and fit["needs"] <= fit["room"], fit
    assert opened.errors == []


# ----------------------------------------------------------------------------- the chosen X above the sheet

# The chosen X on screen: its box, and whether what lies at its centre is the X (or its number),
# not the answer sheet over it.
CHOSEN_X_SEEN = """([tp]) => {
  const point = Array.from(document.querySelectorAll(`#body-map [data-tp-id="${tp}"]`))
    .find(p => p.getClientRects().length);
  if (!point) return null;
  const b = point.querySelector('.tp-x').getBoundingClientRect();
  const x = (b.left + b.right) / 2, y = (b.top + b.bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  const label = document.querySelector(`#body-map .tp-label[data-label-of="${tp}"]`);
  return {box: [b.left, b.top, b.right, b.bottom], inside: b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight
          && b.right <= innerWidth, hit: !!hit && (point.contains(hit) || (!!label && label.contains(hit))),
          under: hit ? (hit.id || hit.className.baseVal || hit.className || hit.tagName) : null};
}"""


@pytest.mark.parametrize("mode", ["", "&mode=clinic"], ids=["ordinary", "clinic"])
@pytest.mark.parametrize("how", ["link", "tap"])
def test_phone002_the_chosen_x_stays_above_the_answer_sheet(open_page, mode, how):
    """On a 390x844 phone, a point low on the leg, chosen by its link or by a tap, stays in sight:
    its X is inside the screen and not under the answer sheet's peek, as a tapped area is."""
    tp = "soleus-tp1"
    opened = open_page("phone", ("?tp=" + tp + mode) if how == "link" else ("?" + mode.lstrip("&")))
    page = opened.page
    if how == "tap":
        from tests.browser.helpers import tap_point
        tap_point(page, tp, opened.touch)
    wait_until(page, "return !!document.querySelector('#tp-detail[data-tp-id=\"soleus-tp1\"]')", 10)
    page.wait_for_timeout(400)  # the sheet rises and the page settles
    seen = js(page, CHOSEN_X_SEEN, tp)
    assert seen and seen["inside"], seen
    assert seen["hit"], f"the chosen X is covered by {seen['under']}: {seen}"
    assert opened.errors == []
