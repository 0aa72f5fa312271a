"""The body map as SVG: one renderer for the page, the first HTML and the handout.

``map_views`` turns the model into a small tree of SVG nodes, one ``<svg class="map-view">``
per view, in each view's own coordinates. The same tree becomes escaped markup (``to_markup``)
for the page shell (components/web/first_paint.py: the page's map lives there, outside React, owned by
the browser script) and for the printable handout. Nothing here knows about the user's state: what
is selected, marked or shown is painted by classes and ``aria-pressed`` (the browser script on the
page, ``paint_state`` for the markup as served), and the look of every class lives in assets/map.css.

The left leg is not drawn here at all: ``data-side="left"`` on a container mirrors each view
with one CSS rule (assets/map.css), so page, first HTML and handout mirror the same way.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

from markupsafe import Markup, escape

from components.domain import geometry
from components.domain.model import ESSENTIAL, Model, View

# A trigger point's tap target, in view units: at most this radius, and never more than half
# the distance to its nearest neighbour in the same view, so two targets never overlap.
MAX_HIT_RADIUS = 12.0
MIN_HIT_RADIUS = 2.5
X_HALF = 2.1           # half the size of the drawn X, in view units
VIEW_MARGIN = 2.0      # around the drawing inside each view box
MAIN_VIEW_MIN_HEIGHT = 150  # views at least this tall (after scale) are main views; smaller ones are insets
TOUCH_TARGET_RADIUS_PX = 23  # on touch screens an X's target is at least 46 px across (44 is the floor)


@dataclass(frozen=True)
class Node:
    """One SVG element: its tag, attributes (in markup spelling) and children (nodes or text)."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple = field(default_factory=tuple)

    def attr(self, name: str, default: str | None = None) -> str | None:
        return dict(self.attrs).get(name, default)


def el(tag: str, attrs: Mapping[str, object] | None = None, *children) -> Node:
    pairs = tuple((k, _text(v)) for k, v in (attrs or {}).items() if v is not None)
    return Node(tag, pairs, tuple(c for c in children if c is not None))


def _text(value) -> str:
    if isinstance(value, float):
        return _num(value)
    return str(value)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------- geometry helpers


def view_box(model: Model, view: View) -> tuple[float, float, float, float]:
    """The view's box (x, y, width, height) in its own units: its drawing and the numbers beside its X's."""
    x, y, width, height = drawing_box(model, view)
    boxes = [place.box for place in label_places(model, view.id).values()]
    if not boxes:
        return x, y, width, height
    x0 = min(x, *(b[0] for b in boxes))
    y0 = min(y, *(b[1] for b in boxes))
    x1 = max(x + width, *(b[2] for b in boxes))
    y1 = max(y + height, *(b[3] for b in boxes))
    return (x0, y0, x1 - x0, y1 - y0)


def drawing_box(model: Model, view: View) -> tuple[float, float, float, float]:
    """The view's drawing box (x, y, width, height) in its own units: its anatomy, regions and points."""
    outlines = [part.outline for part in model.anatomy if part.view == view.id]
    outlines += [shape.outline for region in model.regions.values() for shape in (region.shapes or (region,))
                 if shape.view == view.id]
    points = [pt for outline in outlines for pt in outline]
    points += [(p.x, p.y) for p in model.trigger_points.values() if p.view == view.id]
    if not points:
        return (0.0, 0.0, view.width, view.height)
    x0, y0, x1, y1 = geometry.bounding_box(points)
    m = VIEW_MARGIN
    return (x0 - m, y0 - m, x1 - x0 + 2 * m, y1 - y0 + 2 * m)


def hit_radius(model: Model, view_id: str) -> float:
    """The tap-target radius of the trigger points in one view (view units)."""
    points = [(p.x, p.y) for p in model.trigger_points.values() if p.view == view_id]
    nearest = min((math.dist(a, b) for a, b in itertools.combinations(points, 2)), default=2 * MAX_HIT_RADIUS)
    return max(MIN_HIT_RADIUS, min(MAX_HIT_RADIUS, nearest / 2.0))


def is_main_view(view: View) -> bool:
    return view.height * view.scale >= MAIN_VIEW_MIN_HEIGHT


def touch_width(model: Model, view: View) -> float:
    """The width (CSS px) at which the view's X targets are TOUCH_TARGET_RADIUS_PX in radius; 0
    for a view with no points. Touch layouts draw the view at least this wide where it fits."""
    if not any(p.view == view.id for p in model.trigger_points.values()):
        return 0.0
    return view_box(model, view)[2] * TOUCH_TARGET_RADIUS_PX / hit_radius(model, view.id)


def _path(points, closed: bool = True, smooth: bool = False) -> str:
    return geometry.svg_path(points, closed, smooth)


# --------------------------------------------------------------------------- the drawing


def defs_svg() -> Node:
    """Fill patterns shared by every view (referenced by id from assets/map.css)."""
    return el(
        "svg", {"class": "map-defs", "width": 0, "height": 0, "aria-hidden": "true", "focusable": "false"},
        el("defs", {},
           el("pattern", {"id": "spillover-dots", "patternUnits": "userSpaceOnUse", "width": 2.6, "height": 2.6},
              el("rect", {"class": "pattern-bg-spill", "x": 0, "y": 0, "width": 2.6, "height": 2.6}),
              el("circle", {"class": "pattern-dot", "cx": 1.3, "cy": 1.3, "r": 0.55})),
           el("pattern", {"id": "pain-hatch", "patternUnits": "userSpaceOnUse", "width": 3, "height": 3,
                          "patternTransform": "rotate(45)"},
              el("rect", {"class": "pattern-bg-pain", "x": 0, "y": 0, "width": 3, "height": 3}),
              el("rect", {"class": "pattern-hatch", "x": 0, "y": 0, "width": 0.8, "height": 3})),
           el("pattern", {"id": "deep-fibres", "patternUnits": "userSpaceOnUse", "width": 1.6, "height": 1.6,
                          "patternTransform": "rotate(-20)"},
              el("line", {"class": "pattern-fibre", "x1": 0.8, "y1": 0, "x2": 0.8, "y2": 1.6}))),
    )


def _anatomy(model: Model, view: View) -> Node:
    parts = []
    for part in model.anatomy:
        if part.view != view.id:
            continue
        # Open lines (tendons, creases) are strokes only: "part-open" is what map.css keeps unfilled.
        kind = f"part-{part.part}" if part.closed else f"part-{part.part} part-open"
        parts.append(el("path", {
            "class": f"part {kind}", "d": _path(part.points, part.closed, part.smooth),
            # Hooks that let a check measure the drawing (contract.md, "The drawing").
            "data-landmark": part.landmark or None, "data-muscle": part.muscle or None, "data-head": part.head or None,
        }))
    return el("g", {"class": "anatomy", "aria-hidden": "true"}, *parts)


def region_name(model: Model, region_id: str) -> str:
    name = model.regions[region_id].name
    return name[0].upper() + name[1:]


def region_label(model: Model, region_id: str, marked: bool) -> str:
    """A pain area's accessible name, which says whether it is marked (the browser script takes both
    forms from the page's #initial-state, so it says it the same way after a tap)."""
    return f"{region_name(model, region_id)}, marked as painful" if marked else f"{region_name(model, region_id)}: mark as painful"


def _regions(model: Model, view: View) -> Node:
    # A region may be drawn in several views (the outer ankle: from behind and from the side);
    # each drawing is its own target, and all of them are marked together.
    shapes = [
        el("path", {
            "class": "region", "d": _path(shape.outline), "data-region-id": region.id, "role": "button",
            "aria-label": region_label(model, region.id, marked=False), "aria-pressed": "false",
        })
        for region in model.regions.values() for shape in (region.shapes or (region,)) if shape.view == view.id
    ]
    return el("g", {"class": "regions"}, *shapes)


def _zones(model: Model, view: View) -> Node:
    # Spillover first, so an essential zone of the same point is drawn on top of it.
    zones = sorted((z for z in model.zones if z.view == view.id), key=lambda z: z.intensity == ESSENTIAL)
    shapes = [
        el("path", {"class": f"zone zone-{zone.intensity}", "d": _path(zone.outline),
                    "data-zone-of": zone.trigger_point, "data-zone-id": zone.id})
        for zone in zones
    ]
    return el("g", {"class": "zones", "aria-hidden": "true"}, *shapes)


def _points(model: Model, view: View) -> Node:
    star = next(iter(model.muscles), None)
    radius = hit_radius(model, view.id)
    numbers = point_numbers(model)
    places = label_places(model, view.id)
    marks = []
    for point in model.trigger_points.values():
        if point.view != view.id:
            continue
        h = X_HALF
        cross = f"M{_num(point.x - h)} {_num(point.y - h)} L{_num(point.x + h)} {_num(point.y + h)} " \
                f"M{_num(point.x - h)} {_num(point.y + h)} L{_num(point.x + h)} {_num(point.y - h)}"
        place = places[point.id]
        marks.append(el(
            "g", {"class": "tp" + (" tp-star" if point.muscle == star else ""), "data-tp-id": point.id,
                  "data-muscle": point.muscle, "role": "button", "aria-label": f"{model.point_title(point.id)}, trigger point",
                  "aria-pressed": "false"},
            el("circle", {"class": "tp-hit", "cx": point.x, "cy": point.y, "r": radius}),
            el("circle", {"class": "tp-ring", "cx": point.x, "cy": point.y, "r": X_HALF + 1.6}),
            el("path", {"class": "tp-x-halo", "d": cross}),
            el("path", {"class": "tp-x", "d": cross}),
        ))
        # The point's number (the key beside the map names it), right after its X so that map.css
        # styles it with the X's state (.tp[aria-pressed] + .tp-label). It stands outside the X's
        # button, hidden from a screen reader, whose name for the X stays the point's own name.
        marks.append(el("text", {"class": f"tp-label flip-text anchor-{place.anchor}", "x": place.x, "y": place.y,
                                 "data-label-of": point.id, "aria-hidden": "true"},
                        str(numbers[point.id])))
    return el("g", {"class": "points"}, *marks)


# --------------------------------------------------------------------------- numbers and their key

# A point's number is placed for the largest size it is drawn at (the handout's 8 units, 7 pt on
# paper), anchored at the X's edge so that a smaller number (the page's) stays inside that box: what
# is clear of every other number, X and landmark at the largest size is clear at every size.
LABEL_FONT = 8.0       # view units
DIGIT_WIDTH = 0.7      # of the font size: a bold digit, with room to spare
LABEL_HEIGHT = 1.2     # of the font size: the text's box (ascent and descent)
LABEL_GAP = 5.0        # from the X's centre to the near edge of its number: past the clinic view's larger X
INSET_LABEL_PX = 14.0  # an inset's numbers on screen (CSS px), at the width its X targets need
LABEL_MARGIN = 12.0    # how far past the drawing's side a number may stand
LABEL_OWN_MARGIN = 4.0  # a number is at least this much nearer its own X than any other
X_CLEAR = 3.9          # half the box an X takes, with its halo, at its largest (clinic view)
# Landmarks a number must not cover (the outline and the sole line run around everything).
LABEL_LANDMARKS = ("knee-crease", "kneecap", "fibula-head", "malleolus-medial", "malleolus-lateral", "heel")


@dataclass(frozen=True)
class LabelPlace:
    x: float
    y: float
    anchor: str   # "start", "middle" or "end": text-anchor
    side: str     # where it sits from the X: "outer", "inner", "above", "below" (and diagonals)
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 at LABEL_FONT


@lru_cache(maxsize=8)
def point_numbers(model: Model) -> dict[str, int]:
    """Each trigger point's number on the map, by one rule: view by view in the order of the view
    tabs (Back, Front, Outer, Hip, Foot; views.csv order within a tab), and within a view in
    trigger_points.csv order (which follows muscles.csv), counting from 1."""
    tab_order = {words: i for i, (_, words, _) in enumerate(view_tabs(model))}
    view_order = {view_id: i for i, view_id in enumerate(model.views)}
    order = sorted(model.views.values(), key=lambda v: (tab_order[tab_words(v)], view_order[v.id]))
    numbered = [p.id for view in order for p in model.trigger_points.values() if p.view == view.id]
    return {point_id: number for number, point_id in enumerate(numbered, start=1)}


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _distance(box, point) -> float:
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return math.hypot(dx, dy)


def _candidates(x: float, y: float, width: float, height: float, outward: int):
    """Where a number may sit beside its X, best first: the outer side (away from the view's middle),
    the inner side, above, below, then the four diagonals. (x, y, anchor, side, box); y is the
    text's central baseline."""
    g = LABEL_GAP
    d = g * 0.75
    out_anchor, in_anchor = ("start", "end") if outward > 0 else ("end", "start")

    def side_box(direction, cy):
        x0 = x + g if direction > 0 else x - g - width
        return (x0, cy - height / 2, x0 + width, cy + height / 2)

    def anchor_x(direction):
        return x + g if direction > 0 else x - g

    yield anchor_x(outward), y, out_anchor, "outer", side_box(outward, y)
    yield anchor_x(-outward), y, in_anchor, "inner", side_box(-outward, y)
    yield x, y - g - height / 2, "middle", "above", (x - width / 2, y - g - height, x + width / 2, y - g)
    yield x, y + g + height / 2, "middle", "below", (x - width / 2, y + g, x + width / 2, y + g + height)
    for direction, anchor, words in ((outward, out_anchor, "outer"), (-outward, in_anchor, "inner")):
        for dy, where in ((-1, "above"), (1, "below")):
            cy = y + dy * (d + height / 2)
            x0 = x + d if direction > 0 else x - d - width
            yield (x + d if direction > 0 else x - d), cy, anchor, f"{words}-{where}", (x0, cy - height / 2, x0 + width, cy + height / 2)


@lru_cache(maxsize=64)
def label_places(model: Model, view_id: str) -> dict[str, LabelPlace]:
    """Where each point's number sits in one view: the first place, in _candidates' order, whose
    box (at LABEL_FONT) stays inside the view and clear of every X, every number placed before it
    and the view's bony landmarks; failing that, the place that overlaps least."""
    view = model.views[view_id]
    vx, vy, vw, vh = drawing_box(model, view)
    middle = vx + vw / 2
    # A number may stand in the margin beside the drawing (the view's box grows to hold it).
    vx, vw = vx - LABEL_MARGIN, vw + 2 * LABEL_MARGIN
    numbers = point_numbers(model)
    points = sorted((p for p in model.trigger_points.values() if p.view == view_id), key=lambda p: numbers[p.id])
    obstacles = [(p.x - X_CLEAR, p.y - X_CLEAR, p.x + X_CLEAR, p.y + X_CLEAR) for p in points]
    obstacles += [geometry.bounding_box(part.outline) for part in model.anatomy
                  if part.view == view_id and part.landmark in LABEL_LANDMARKS]
    places: dict[str, LabelPlace] = {}
    for point in points:
        text = str(numbers[point.id])
        width, height = len(text) * DIGIT_WIDTH * LABEL_FONT, LABEL_HEIGHT * LABEL_FONT
        own = (point.x - X_CLEAR, point.y - X_CLEAR, point.x + X_CLEAR, point.y + X_CLEAR)
        best, best_cost = None, math.inf
        for x, y, anchor, side, box in _candidates(point.x, point.y, width, height, -1 if point.x < middle else 1):
            outside = sum(max(0.0, edge) for edge in (vx - box[0], vy - box[1], box[2] - vx - vw, box[3] - vy - vh))
            cost = sum(_overlap(box, other) for other in obstacles if other != own) + 10 * outside
            # A number is plainly its own X's: nearer to it than to any other X, by a clear margin.
            near = _distance(box, (point.x, point.y)) + LABEL_OWN_MARGIN
            cost += sum(near - _distance(box, (p.x, p.y)) for p in points
                        if p is not point and _distance(box, (p.x, p.y)) < near)
            if cost < best_cost:
                best, best_cost = LabelPlace(x, y, anchor, side, box), cost
            if cost == 0:
                break
        places[point.id] = best
        obstacles.append(best.box)
    return places


def map_key(model: Model, views: Iterable[str] | None = None,
            points: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """The key to the numbers on the map (or on the given views, or of the given points): one entry
    per run of consecutive numbers of one muscle, as (numbers, muscle, points):
    ("1–4", "Gastrocnemius", "TP1–TP4"), ("8", "Plantaris", "TP1")."""
    wanted = set(views) if views is not None else None
    chosen = set(points) if points is not None else None
    numbers = point_numbers(model)
    ordered = sorted((p for p in model.trigger_points.values()
                      if (wanted is None or p.view in wanted) and (chosen is None or p.id in chosen)),
                     key=lambda p: numbers[p.id])
    runs: list[list] = []
    for point in ordered:
        if runs and runs[-1][-1].muscle == point.muscle and numbers[runs[-1][-1].id] + 1 == numbers[point.id]:
            runs[-1].append(point)
        else:
            runs.append([point])

    def span(first: str, last: str) -> str:
        return first if first == last else f"{first}\u2013{last}"

    return [(span(str(numbers[run[0].id]), str(numbers[run[-1].id])),
             model.muscles[run[0].muscle].name.capitalize(), span(run[0].label, run[-1].label)) for run in runs]


LEVEL_RADIUS = 3.2  # the badge that carries a marked area's pain number, in view units


def _levels(model: Model, view: View) -> Node:
    """An empty badge at each area's own inner point, for its pain number (0 to 10) once it has
    one: the number is text, so the level never rests on colour. Placed from the region's outline,
    so it follows whatever drawing the data holds."""
    badges = []
    for region in model.regions.values():
        for shape in (region.shapes or (region,)):
            if shape.view != view.id:
                continue
            x, y = geometry.interior_point(shape.outline)
            badges.append(el("g", {"class": "pain-level", "data-level-of": region.id},
                             el("circle", {"cx": x, "cy": y, "r": LEVEL_RADIUS}),
                             el("text", {"class": "flip-text", "x": x, "y": y + 1.3})))
    return el("g", {"class": "pain-levels", "aria-hidden": "true"}, *badges)


def view_svg(model: Model, view: View) -> Node:
    x, y, width, height = view_box(model, view)
    # The view box starts at 0 0 (the drawing is moved into it), because CSS mirrors about the
    # centre of a box placed at the origin (transform-box: view-box).
    drawing = el("g", {"class": "mirror"},
                 el("g", {"transform": f"translate({_num(-x)} {_num(-y)})"},
                    _anatomy(model, view), _regions(model, view), _zones(model, view), _levels(model, view),
                    _points(model, view)))
    return el(
        "svg",
        {"class": "map-view " + ("map-view-main" if is_main_view(view) else "map-view-inset"),
         "data-view-id": view.id, "viewBox": f"0 0 {_num(width)} {_num(height)}",
         "role": "group", "aria-label": view.name},
        drawing,
    )


def map_views(model: Model) -> tuple[tuple[View, Node], ...]:
    """Every view with its SVG, in views.csv order."""
    return cached_views(model)


def figure_style(model: Model, view: View) -> str:
    """CSS variables: the size (px) at which the view's X targets are big enough for a finger, the
    view's box (units), and what assets/style.css needs to draw every leg view at one scale: the
    main views' summed width and tallest height (units), and the px per unit that makes every
    main view's X targets TOUCH_TARGET_RADIUS_PX."""
    width = touch_width(model, view)
    _, _, box_width, box_height = view_box(model, view)
    views_width, views_height, touch_unit = main_views_measure(model)
    # An inset is drawn about as wide as its X targets need, so its numbers are this size on screen.
    label = min(LABEL_FONT, max(3.5, INSET_LABEL_PX * box_width / width)) if width else LABEL_FONT
    return (f"--touch-width: {_num(width)}px; --touch-height: {_num(width * box_height / box_width)}px; "
            f"--box-w: {_num(box_width)}; --box-h: {_num(box_height)}; --views-w: {_num(views_width)}; "
            f"--views-h: {_num(views_height)}; --touch-unit: {_num(touch_unit)}px; --label-size: {_num(label)}px")


@lru_cache(maxsize=8)
def main_views_measure(model: Model) -> tuple[float, float, float]:
    boxes = [view_box(model, view) for view in main_views(model)]
    radii = [hit_radius(model, view.id) for view in main_views(model)
             if any(p.view == view.id for p in model.trigger_points.values())]
    return (sum(box[2] for box in boxes), max(box[3] for box in boxes),
            TOUCH_TARGET_RADIUS_PX / min(radii, default=MAX_HIT_RADIUS))


def main_views(model: Model) -> list[View]:
    return [view for view in model.views.values() if is_main_view(view)]


def view_tabs(model: Model) -> list[tuple[str, str, bool]]:
    """(tab id, its words, whether it shows insets) for each view tab, in views.csv order. Views
    that share a tab's words (the sole and the inner foot: "Foot") are drawn together."""
    tabs: dict[str, tuple[str, str, bool]] = {}
    for view in sorted(model.views.values(), key=lambda view: not is_main_view(view)):
        words = tab_words(view)
        if words not in tabs:
            tabs[words] = (view.id, words, not is_main_view(view))
    return list(tabs.values())


def tab_words(view: View) -> str:
    # "Back of the leg" -> "Back" where views.csv names no tab.
    return view.tab or view.name.split(" of ")[0]


def tab_of(model: Model, view: View) -> str:
    """The id of the view tab that shows the view."""
    return next(tab for tab, words, _ in view_tabs(model) if words == tab_words(view))


@lru_cache(maxsize=8)
def cached_views(model: Model) -> tuple[tuple[View, Node], ...]:
    return tuple((view, view_svg(model, view)) for view in model.views.values())


# --------------------------------------------------------------------------- legend

LEGEND = (
    ("essential", "Main pain area: solid, felt almost every time"),
    ("spillover", "Spillover: dotted, dashed edge; felt in some people"),
    ("pain", "Where you marked pain: blue stripes"),
    ("deep", "Deep muscle, beneath the others: fine grey lines"),
    ("point", "Trigger point (X) and its number (see the key); a ring marks the one shown"),
)


def legend_items(which: Iterable[str] | None = None) -> list[tuple[Node, str]]:
    """Each legend entry as a small SVG drawn with the map's own classes, and its words, so the
    legend matches the map in every theme and colour is never the only signal."""
    wanted = set(which) if which is not None else {key for key, _ in LEGEND}
    box = {"x": 1, "y": 1, "width": 14, "height": 8}
    drawings = {
        "essential": el("rect", {"class": "zone zone-essential zone-shown", **box}),
        "spillover": el("rect", {"class": "zone zone-spillover zone-shown", **box}),
        "pain": el("rect", {"class": "region", "aria-pressed": "true", **box}),
        "deep": el("rect", {"class": "part part-deep-muscle", **box}),
        "point": el("g", {"class": "tp tp-star"}, el("path", {"class": "tp-x", "d": "M5 1 L11 9 M5 9 L11 1"})),
    }
    return [
        (el("svg", {"class": "swatch", "viewBox": "0 0 16 10", "aria-hidden": "true", "focusable": "false"}, drawings[key]),
         text)
        for key, text in LEGEND if key in wanted
    ]


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """assets/map.css, for pages that inline their styles (the handout)."""
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "assets" / "map.css").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- static state


def paint_state(node: Node, *, selected: str | None = None, shown: str | None = None,
                pain: Iterable[str] = (), also_shown: Iterable[str] = (), model: Model | None = None,
                levels: Mapping[str, int] | None = None) -> Node:
    """The same tree with a state painted in, for markup that has no script (first HTML, handout).

    ``selected`` is the point the user chose; ``shown`` is the point whose zones are drawn (the
    chosen one, or the best match for the marked pain, which looks different); ``also_shown``
    are points drawn the same way beside it (the handout's equally likely points).
    """
    marked = frozenset(pain)
    drawn = frozenset(also_shown) | {shown}

    def paint(n):
        if not isinstance(n, Node):
            return n
        attrs = dict(n.attrs)
        classes = attrs.get("class", "").split()
        region = attrs.get("data-region-id")
        if region is not None:
            attrs["aria-pressed"] = "true" if region in marked else "false"
            if model is not None and "aria-label" in attrs:
                attrs["aria-label"] = region_label(model, region, region in marked)
        tp = attrs.get("data-tp-id")
        if tp is not None:
            attrs["aria-pressed"] = "true" if tp == selected else "false"
            if tp in drawn and tp is not None and tp != selected:
                classes.append("tp-best")
        zone_of = attrs.get("data-zone-of")
        if zone_of is not None and zone_of in drawn:
            classes.append("zone-shown")
        level_of = attrs.get("data-level-of")
        if level_of is not None and level_of in marked and level_of in (levels or {}):
            classes.append("level-shown")
            return Node(n.tag, tuple({**attrs, "class": " ".join(classes)}.items()),
                        tuple(Node(c.tag, c.attrs, (str(levels[level_of]),)) if c.tag == "text" else c
                              for c in n.children))
        if classes:
            attrs["class"] = " ".join(classes)
        return Node(n.tag, tuple(attrs.items()), tuple(paint(c) for c in n.children))

    return paint(node)


def views_that_matter(model: Model, shown: str | None, pain: Iterable[str]) -> set[str]:
    """The views holding the shown point, its zones, and the marked areas (in any of their views)."""
    views = set()
    if shown:
        views.add(model.trigger_points[shown].view)
        views.update(zone.view for zone in model.zones_by_point.get(shown, ()))
    for region in pain:
        views.update(shape.view for shape in (model.regions[region].shapes or (model.regions[region],)))
    return views


def static_map(model: Model, *, side: str, selected: str | None = None, shown: str | None = None,
               pain: Iterable[str] = (), element_id: str = "body-map", classes: str = "", label: str = "",
               only: Iterable[str] | None = None, also_shown: Iterable[str] = (),
               levels: Mapping[str, int] | None = None, attrs: Mapping[str, str] | None = None) -> Markup:
    """The map as markup, painted for one state: the page and the handout. ``only`` limits it to
    some views (the handout prints the views that matter for its sheet); ``attrs`` are more
    attributes of the map's element (the page's name and description)."""
    from components.web.templating import TEMPLATES

    wanted = set(only) if only is not None else None
    mains, insets = [], []
    for view, node in map_views(model):
        if wanted is not None and view.id not in wanted:
            continue
        figure = {"id": view.id, "name": view.name, "style": figure_style(model, view), "tab": tab_of(model, view),
                  "svg": Markup(to_markup(paint_state(node, selected=selected, shown=shown, pain=pain,
                                                      also_shown=also_shown, model=model, levels=levels)))}
        (mains if is_main_view(view) else insets).append(figure)
    return Markup(TEMPLATES.get_template("static_map.html").render(
        element_id=element_id, classes=classes, side=side, label=label, mains=mains, insets=insets,
        attrs=tuple((attrs or {}).items()),
        defs=Markup(to_markup(defs_svg())),
    ))


# --------------------------------------------------------------------------- output


def to_markup(node) -> str:
    """SVG markup; every attribute value and text is escaped."""
    if not isinstance(node, Node):
        return str(escape(node))
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs)
    inner = "".join(to_markup(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
