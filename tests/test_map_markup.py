"""The map as the first HTML and the handout draw it: which views, which shapes in which view,
their names and pressed states, and how a state is painted in without a script.

Read from ``static_map``'s markup with BeautifulSoup, as a browser would build it."""
from __future__ import annotations

import math
import re

import pytest
from bs4 import BeautifulSoup

from components.web import body_map

VIEWS = ("back", "pelvis", "sole", "foot-medial", "front", "lateral", "hip")


def drawn(model, **state) -> BeautifulSoup:
    return BeautifulSoup(body_map.static_map(model, side=state.pop("side", "right"), **state), "html.parser")


@pytest.fixture(scope="module")
def page(model):
    return drawn(model)


def view(page, view_id):
    return page.find("svg", attrs={"data-view-id": view_id})


def in_view(page, view_id, attribute) -> list[str]:
    return [tag[attribute] for tag in view(page, view_id).find_all(attrs={attribute: True})]


def shifted(svg) -> tuple[float, float]:
    """The translate that moves a view's drawing into its box starting at 0 0."""
    return tuple(float(n) for n in re.match(r"translate\((\S+) (\S+)\)", svg.find("g", transform=True)["transform"]).groups())


def box(svg) -> tuple[float, ...]:
    return tuple(float(n) for n in svg["viewbox"].split())


def test_map001_every_view_is_drawn_once_named_main_views_first(page, model):
    figures = page.find_all("figure")
    assert [f["data-view-id"] for f in figures] == ["back", "front", "lateral", "pelvis", "sole", "foot-medial", "hip"]
    assert [words.get_text() for words in page.find_all("figcaption")][:3] == [
        "Back of the leg", "Front of the leg and foot", "Outer side of the leg and foot"]
    assert page.select("div.map-main figure.map-figure-main.is-current")[0]["data-view-id"] == "back"
    assert [f["data-view-id"] for f in page.select("div.map-insets figure.map-figure-inset")] == [
        "pelvis", "sole", "foot-medial", "hip"]
    for view_id in VIEWS:
        svg = view(page, view_id)
        assert svg["role"] == "group" and svg["aria-label"] == model.views[view_id].name
        main = view_id in ("back", "front", "lateral")
        assert svg["class"] == ["map-view", "map-view-main" if main else "map-view-inset"]
        assert box(svg)[:2] == (0, 0), "CSS mirrors about the centre of a box at the origin"


def test_map002_each_zone_is_drawn_in_its_own_view_and_no_other(page, model):
    for view_id in VIEWS:
        expected = {zone.id for zone in model.zones if zone.view == view_id}
        assert set(in_view(page, view_id, "data-zone-id")) == expected, view_id
    instep = page.find("path", attrs={"data-zone-id": "gastrocnemius-tp1-instep"})
    assert instep["class"] == ["zone", "zone-essential"] and instep["data-zone-of"] == "gastrocnemius-tp1"
    assert instep.find_parent("g", class_="zones")["aria-hidden"] == "true"


def test_map003_spillover_lies_under_the_essential_zone_in_every_view(page):
    for view_id in VIEWS:
        kinds = [zone["class"][1] for zone in view(page, view_id).select("path.zone")]
        assert kinds == sorted(kinds, key=lambda kind: kind == "zone-essential"), view_id
    assert {"zone-spillover", "zone-essential"} <= {z["class"][1] for z in page.select("path.zone")}


def test_map004_each_area_is_a_named_button_in_each_of_its_views(page, model):
    for view_id in VIEWS:
        expected = {region.id for region in model.regions.values()
                    for shape in (region.shapes or (region,)) if shape.view == view_id}
        assert set(in_view(page, view_id, "data-region-id")) == expected, view_id
    instep = page.find("path", attrs={"data-region-id": "instep"})
    assert (instep["class"], instep["role"], instep["aria-pressed"]) == (["region"], "button", "false")
    assert instep["aria-label"] == "Instep (inner arch of the foot): mark as painful"
    assert page.find("path", attrs={"data-region-id": "knee-back"})["aria-label"].startswith("Back of the knee: ")


def test_map005_each_trigger_point_is_a_named_x_in_its_own_view(page, model):
    for view_id in VIEWS:
        expected = {p.id for p in model.trigger_points.values() if p.view == view_id}
        assert set(in_view(page, view_id, "data-tp-id")) == expected, view_id
    tp1 = page.find("g", attrs={"data-tp-id": "gastrocnemius-tp1"})
    assert tp1["aria-label"] == "Gastrocnemius TP1 (inner head), trigger point"
    assert (tp1["role"], tp1["aria-pressed"], tp1["data-muscle"]) == ("button", "false", "gastrocnemius")
    assert tp1["class"] == ["tp", "tp-star"], "the first muscle's points are the star's"
    assert page.find("g", attrs={"data-tp-id": "soleus-tp1"})["class"] == ["tp"]
    x = tp1.find("path", class_="tp-x")["d"]
    assert x == tp1.find("path", class_="tp-x-halo")["d"] == "M28.9 129.9 L33.1 134.1 M28.9 134.1 L33.1 129.9"
    hit, ring = tp1.find("circle", class_="tp-hit"), tp1.find("circle", class_="tp-ring")
    assert (hit["cx"], hit["cy"], ring["cx"], ring["cy"], ring["r"]) == ("31", "132", "31", "132", "3.7")


def test_map006_tap_targets_never_overlap_and_stay_between_2_5_and_12_units(page):
    for view_id in VIEWS:
        targets = [(float(c["cx"]), float(c["cy"]), float(c["r"])) for c in view(page, view_id).select("circle.tp-hit")]
        for x, y, r in targets:
            assert 2.5 <= r <= 12
        for (x1, y1, r1), (x2, y2, r2) in zip(targets, targets[1:]):
            assert r1 + r2 <= math.dist((x1, y1), (x2, y2)) + 0.01, view_id
    assert {c["r"] for c in view(page, "back").select("circle.tp-hit")} == {"9.43"}
    assert {c["r"] for c in view(page, "hip").select("circle.tp-hit")} == {"12"}, "a lone point gets the largest target"


def test_map007_every_x_carries_its_number_beside_it_hidden_from_screen_readers(page, model):
    numbers = body_map.point_numbers(model)
    for view_id in VIEWS:
        svg = view(page, view_id)
        for point in svg.select("g.tp"):
            tp = point["data-tp-id"]
            label = svg.find("text", attrs={"data-label-of": tp})
            assert label is not None and label.get_text() == str(numbers[tp]), tp
            assert label["aria-hidden"] == "true"
            # The X's own name stays as it was: the number is not inside the button.
            assert point.find("text", attrs={"data-label-of": tp}) is None
    assert sorted(numbers.values()) == list(range(1, len(model.trigger_points) + 1))


def test_map008_every_shape_fits_inside_its_view_box(page, model):
    for view_id in VIEWS:
        svg = view(page, view_id)
        dx, dy = shifted(svg)
        _, _, width, height = box(svg)
        for point in (p for p in model.trigger_points.values() if p.view == view_id):
            assert 2 <= point.x + dx <= width - 2 and 2 <= point.y + dy <= height - 2, point.id
        corners = [(x + dx, y + dy) for region in model.regions.values() for shape in (region.shapes or (region,))
                   if shape.view == view_id for x, y in shape.outline]
        assert all(-0.01 <= x <= width + 0.01 and -0.01 <= y <= height + 0.01 for x, y in corners), view_id


def test_map009_anatomy_is_drawn_quietly_with_its_landmarks(page):
    anatomy = view(page, "back").find("g", class_="anatomy")
    assert anatomy["aria-hidden"] == "true"
    parts = anatomy.find_all("path")
    assert all(p["class"][0] == "part" and p["class"][1].startswith("part-") for p in parts)
    assert any("part-open" in p["class"] for p in parts) and any("part-open" not in p["class"] for p in parts)
    assert all(p["d"].rstrip().endswith("Z") != ("part-open" in p["class"]) for p in parts)
    assert any(p.get("data-landmark") for p in parts) and any(p.get("data-muscle") for p in parts)
    assert all(p.get("data-landmark") != "" for p in parts), "no empty hooks"


def test_map010_each_area_has_an_empty_badge_for_its_pain_number(page, model):
    for view_id in VIEWS:
        assert sorted(in_view(page, view_id, "data-level-of")) == sorted(in_view(page, view_id, "data-region-id"))
    badge = page.find("g", attrs={"data-level-of": "instep"})
    assert badge["class"] == ["pain-level"] and badge.find("circle")["r"] == "3.2"
    assert badge.find("text").get_text() == "" and badge.find_parent("g", class_="pain-levels")["aria-hidden"] == "true"
    assert float(badge.find("text")["y"]) == pytest.approx(float(badge.find("circle")["cy"]) + 1.3, abs=0.01)


def test_map011_a_chosen_point_is_pressed_and_its_zones_shown_no_others(model):
    page = drawn(model, selected="gastrocnemius-tp1", shown="gastrocnemius-tp1")
    pressed = {g["data-tp-id"] for g in page.select('g.tp[aria-pressed="true"]')}
    assert pressed == {"gastrocnemius-tp1"}
    shown = {z["data-zone-id"] for z in page.select("path.zone-shown")}
    assert shown == {z.id for z in model.zones if z.trigger_point == "gastrocnemius-tp1"}
    assert not page.select(".tp-best"), "the chosen point is not drawn as a best match"


def test_map012_the_best_match_and_its_equals_are_drawn_apart_from_a_choice(model):
    page = drawn(model, shown="soleus-tp1", also_shown=["plantaris-tp1"], pain=["heel-underside"])
    assert {g["data-tp-id"] for g in page.select("g.tp-best")} == {"soleus-tp1", "plantaris-tp1"}
    assert not page.select('g.tp[aria-pressed="true"]')
    assert {z["data-zone-of"] for z in page.select("path.zone-shown")} == {"soleus-tp1", "plantaris-tp1"}
    assert not drawn(model).select(".zone-shown, .tp-best"), "nothing shown when nothing is chosen"


def test_map013_marked_areas_are_pressed_and_say_so_with_their_numbers(model):
    page = drawn(model, pain=["instep", "knee-back"], levels={"instep": 7, "sole": 3})
    instep = page.find("path", attrs={"data-region-id": "instep"})
    assert (instep["aria-pressed"], instep["aria-label"]) == ("true", "Instep (inner arch of the foot), marked as painful")
    sole = page.find("path", attrs={"data-region-id": "sole"})
    assert (sole["aria-pressed"], sole["aria-label"]) == ("false", "Middle of the sole: mark as painful")
    badges = page.select("g.level-shown")
    assert [(b["data-level-of"], b.find("text").get_text()) for b in badges] == [("instep", "7")]
    assert badges[0]["class"] == ["pain-level", "level-shown"]
    assert page.find("g", attrs={"data-level-of": "knee-back"}).find("text").get_text() == "", "marked, no number"


def test_map014_the_container_says_its_side_name_and_only_the_views_asked_for(model):
    page = drawn(model, side="left", element_id="handout-map", classes="printed", label="Your pain map",
                 only=["back", "sole"])
    container = page.find("div", id="handout-map")
    assert container["class"] == ["body-map", "printed"] and container["data-side"] == "left"
    assert (container["role"], container["aria-label"]) == ("img", "Your pain map")
    assert [f["data-view-id"] for f in page.find_all("figure")] == ["back", "sole"]
    assert page.find("figure", attrs={"data-view-id": "sole"})["data-tab"] == "sole"
    plain = drawn(model).find("div", id="body-map")
    assert plain["class"] == ["body-map"] and not plain.has_attr("role")


def test_map015_fill_patterns_are_shared_by_every_view(page):
    defs = page.find("svg", class_="map-defs")
    assert (defs["width"], defs["height"], defs["aria-hidden"], defs["focusable"]) == ("0", "0", "true", "false")
    assert [p["id"] for p in defs.find_all("pattern")] == ["spillover-dots", "pain-hatch", "deep-fibres"]
    assert all(p["patternunits"] == "userSpaceOnUse" for p in defs.find_all("pattern"))


def test_map016_views_go_under_tabs_in_order_foot_and_hip_insets_together(model):
    assert body_map.view_tabs(model) == [("back", "Back", False), ("front", "Front", False),
                                         ("lateral", "Outer", False), ("pelvis", "Hip", True), ("sole", "Foot", True)]
    page = drawn(model)
    assert {f["data-view-id"]: f["data-tab"] for f in page.find_all("figure")} == {
        "back": "back", "front": "front", "lateral": "lateral", "pelvis": "pelvis", "sole": "sole",
        "foot-medial": "sole", "hip": "pelvis"}


def style_of(page, view_id) -> dict[str, float]:
    style = page.find("figure", attrs={"data-view-id": view_id})["style"]
    return {key.strip(): float(value.strip().removesuffix("px")) for key, value in
            (part.split(":") for part in style.split(";"))}


def test_map017_at_its_touch_width_a_views_x_targets_are_a_finger_wide(page):
    for view_id in VIEWS:
        style, svg = style_of(page, view_id), view(page, view_id)
        _, _, width, height = box(svg)
        assert (style["--box-w"], style["--box-h"]) == pytest.approx((width, height), abs=0.01)
        radii = {float(c["r"]) for c in svg.select("circle.tp-hit")}
        if not radii:
            assert style["--touch-width"] == 0
            continue
        assert style["--touch-width"] * radii.pop() / width == pytest.approx(23, abs=0.05), view_id
        assert style["--touch-height"] / style["--touch-width"] == pytest.approx(height / width, abs=0.01)


def test_map018_main_views_share_one_scale_at_which_every_x_is_a_finger_wide(page):
    mains = ["back", "front", "lateral"]
    style = style_of(page, "back")
    assert style == pytest.approx(style_of(page, "pelvis") | {k: style[k] for k in style if k[2:6] in ("touc", "box-", "labe")})
    assert style["--views-w"] == pytest.approx(sum(box(view(page, v))[2] for v in mains), abs=0.02)
    assert style["--views-h"] == pytest.approx(max(box(view(page, v))[3] for v in mains), abs=0.02)
    smallest = min(float(c["r"]) for v in mains for c in view(page, v).select("circle.tp-hit"))
    assert style["--touch-unit"] * smallest == pytest.approx(23, abs=0.05)


def test_map019_views_that_matter_hold_the_point_its_zones_and_the_marked_areas(model):
    assert body_map.views_that_matter(model, "soleus-tp1", ["instep"]) == {"back", "sole", "foot-medial"}
    assert body_map.views_that_matter(model, None, ["instep"]) == {"foot-medial"}
    assert body_map.views_that_matter(model, None, []) == set()
    assert body_map.views_that_matter(model, "gastrocnemius-tp1", []) == {"back", "foot-medial"}


def test_map020_the_legend_draws_each_entry_with_the_maps_own_classes(model):
    legend = [(BeautifulSoup(body_map.to_markup(svg), "html.parser"), text) for svg, text in body_map.legend_items()]
    assert [text for _, text in legend] == [
        "Main pain area: solid, felt almost every time", "Spillover: dotted, dashed edge; felt in some people",
        "Where you marked pain: blue stripes", "Deep muscle, beneath the others: fine grey lines",
        "Trigger point (X) and its number (see the key); a ring marks the one shown"]
    first = legend[0][0].find("svg")
    assert (first["class"], first["viewbox"], first["aria-hidden"]) == (["swatch"], "0 0 16 10", "true")
    assert legend[0][0].find("rect")["class"] == ["zone", "zone-essential", "zone-shown"]
    assert legend[2][0].find("rect")["aria-pressed"] == "true"
    assert [text for _, text in body_map.legend_items(["pain", "essential"])] == [legend[0][1], legend[2][1]]
    assert body_map.legend_items([]) == []


def test_map021_markup_escapes_every_text_and_attribute_and_rounds_numbers():
    node = body_map.el("text", {"x": 1.504, "y": -0.001, "n": 2.0, "title": 'a "b" <c>', "gone": None}, "<b>&", None)
    assert body_map.to_markup(node) == '<text x="1.5" y="0" n="2" title="a &#34;b&#34; &lt;c&gt;">&lt;b&gt;&amp;</text>'
    assert node.attr("x") == "1.5" and node.attr("gone", "-") == "-"


def test_map022_the_handout_inlines_the_maps_own_stylesheet():
    assert ".zone-shown" in body_map.stylesheet()


def drawn_points(model, view_id) -> list[tuple[float, float]]:
    """Every point the view draws through: its anatomy, its areas' outlines and its X's."""
    points = [pt for part in model.anatomy if part.view == view_id for pt in part.outline]
    points += [pt for region in model.regions.values() for shape in (region.shapes or (region,))
               if shape.view == view_id for pt in shape.outline]
    return points + [(p.x, p.y) for p in model.trigger_points.values() if p.view == view_id]


def test_map023_a_views_box_holds_its_drawing_with_a_2_unit_margin_and_its_numbers_and_no_more(page, model):
    for view_id in VIEWS:
        svg = view(page, view_id)
        dx, dy = shifted(svg)
        _, _, width, height = box(svg)
        xs, ys = zip(*drawn_points(model, view_id))
        edges = [(min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2)]
        edges += [place.box for place in body_map.label_places(model, view_id).values()]
        # Every number stands inside the box, and each side of the box touches the drawing's margin or a number.
        left, top = min(e[0] for e in edges), min(e[1] for e in edges)
        right, bottom = max(e[2] for e in edges), max(e[3] for e in edges)
        assert (round(-dx, 2), round(-dy, 2)) == (round(left, 2), round(top, 2)), view_id
        assert (width, height) == (pytest.approx(right - left, abs=0.01), pytest.approx(bottom - top, abs=0.01)), view_id
    # The sole's numbers stand past its drawing on the right, so its box grows to hold them.
    sole = body_map.label_places(model, "sole").values()
    assert max(place.box[2] for place in sole) > max(x for x, _ in drawn_points(model, "sole")) + 2


def test_map024_areas_and_zones_are_closed_straight_outlines_through_their_points(page, model):
    for path in page.select("path.region, path.zone"):
        commands = re.findall(r"[A-Za-z]", path["d"])
        assert commands[0] == "M" and commands[-1] == "Z" and set(commands[1:-1]) == {"L"}, path
    instep = model.regions["instep"]
    shape = (instep.shapes or (instep,))[0]
    assert len(re.findall("L", page.find("path", attrs={"data-region-id": "instep"})["d"])) == len(shape.outline) - 1


def test_map025_each_fill_pattern_is_a_seamless_tile_coloured_by_the_maps_stylesheet(page):
    """A tile whose background leaves a gap, or whose mark falls off it, shows as stripes or a bare fill."""
    defs = page.find("svg", class_="map-defs").find("defs")
    tiles = {p["id"]: p for p in defs.find_all("pattern", recursive=False)}
    css = body_map.stylesheet()
    for pattern_id, ground, mark in (("spillover-dots", "pattern-bg-spill", "pattern-dot"),
                                     ("pain-hatch", "pattern-bg-pain", "pattern-hatch"),
                                     ("deep-fibres", None, "pattern-fibre")):
        tile = tiles[pattern_id]
        size = (float(tile["width"]), float(tile["height"]))
        assert size[0] == size[1] > 0, pattern_id
        if ground is not None:
            background = tile.find("rect", class_=ground)
            assert tuple(float(background[k]) for k in ("x", "y", "width", "height")) == (0, 0, *size), pattern_id
        drawn_mark = tile.find(class_=mark)
        assert drawn_mark is not None and f".{mark} {{" in css, pattern_id
        for name in ("x", "y", "width", "height", "cx", "cy", "x1", "y1", "x2", "y2"):
            if drawn_mark.has_attr(name):
                assert 0 <= float(drawn_mark[name]) <= size[0], (pattern_id, name)
        if ground is not None:
            assert f".{ground} {{" in css
    dot = tiles["spillover-dots"].find("circle")
    assert (float(dot["cx"]), float(dot["cy"])) == (float(tiles["spillover-dots"]["width"]) / 2,) * 2, "a dot in each tile's middle"
    assert 0 < float(dot["r"]) < float(dot["cx"]), "dots that do not touch their neighbours"
    hatch = tiles["pain-hatch"].find("rect", class_="pattern-hatch")
    assert float(hatch.get("y", 0)) == 0 and float(hatch["height"]) == float(tiles["pain-hatch"]["height"]), "an unbroken stripe"
    assert 0 < float(hatch["width"]) < float(tiles["pain-hatch"]["width"]) - float(hatch["width"]), "narrower than its gap"
    fibre = tiles["deep-fibres"].find("line")
    assert fibre["x1"] == fibre["x2"] == str(float(tiles["deep-fibres"]["width"]) / 2) and \
        (float(fibre["y1"]), float(fibre["y2"])) == (0, float(tiles["deep-fibres"]["height"])), "an unbroken fibre"
    slants = [float(re.fullmatch(r"rotate\((\S+)\)", tiles[p]["patterntransform"])[1]) for p in ("pain-hatch", "deep-fibres")]
    assert slants[0] != slants[1] and all(angle % 90 for angle in slants), "pain and deep muscle slant apart, never square"


def test_map026_each_view_draws_its_own_anatomy_whole_with_every_hook_the_data_gives(page, model):
    for view_id in VIEWS:
        parts = [part for part in model.anatomy if part.view == view_id]
        drawn_parts = view(page, view_id).select("g.anatomy > path")
        assert len(drawn_parts) == len(parts), view_id
        for hook, field in (("data-landmark", "landmark"), ("data-muscle", "muscle"), ("data-head", "head")):
            assert [p.get(hook) for p in drawn_parts] == [getattr(part, field) or None for part in parts], (view_id, hook)
    assert page.select("g.anatomy > path[data-head]"), "the heads of a two-headed muscle are told apart"


def test_map027_a_views_layers_are_groups_in_drawing_order_areas_under_zones_under_xs(page):
    for view_id in VIEWS:
        layers = view(page, view_id).find("g", transform=True).find_all(recursive=False)
        assert [(layer.name, layer["class"]) for layer in layers] == [
            ("g", ["anatomy"]), ("g", ["regions"]), ("g", ["zones"]), ("g", ["pain-levels"]), ("g", ["points"])], view_id


def test_map028_each_number_stands_where_its_place_was_found_anchored_on_the_side_of_its_x(page, model):
    css = body_map.stylesheet()
    for view_id in VIEWS:
        for tp, place in body_map.label_places(model, view_id).items():
            label = view(page, view_id).find("text", attrs={"data-label-of": tp})
            assert (float(label["x"]), float(label["y"])) == (pytest.approx(place.x, abs=0.01), pytest.approx(place.y, abs=0.01))
            assert label["class"] == ["tp-label", "flip-text", f"anchor-{place.anchor}"], tp
            point = model.trigger_points[tp]
            assert {"start": place.x > point.x, "end": place.x < point.x, "middle": place.x == point.x}[place.anchor], tp
    for name in ("tp-label", "flip-text", "anchor-start", "anchor-middle", "anchor-end"):
        assert f".{name}" in css, name


BONY_LANDMARKS = ("knee-crease", "kneecap", "fibula-head", "malleolus-medial", "malleolus-lateral", "heel")


def number_box(label) -> tuple[float, float, float, float]:
    """A drawn number's box at the largest size it is printed (the handout's 8 units, bold digits 0.7 em wide)."""
    width, height, x, y = 0.7 * 8 * len(label.get_text()), 1.2 * 8, float(label["x"]), float(label["y"])
    left = {"anchor-start": x, "anchor-end": x - width, "anchor-middle": x - width / 2}[label["class"][-1]]
    return (left, y - height / 2, left + width, y + height / 2)


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1e-6 and min(a[3], b[3]) - max(a[1], b[1]) > 1e-6


def test_map029_no_drawn_number_covers_another_number_an_x_or_a_bony_landmark(page, model):
    for view_id in VIEWS:
        labels = view(page, view_id).select("text.tp-label")
        boxes = {label["data-label-of"]: number_box(label) for label in labels}
        xs = {tp: (p.x - 3.9, p.y - 3.9, p.x + 3.9, p.y + 3.9) for tp, p in model.trigger_points.items() if p.view == view_id}
        bone_boxes = [(min(x for x, _ in part.outline), min(y for _, y in part.outline),
                       max(x for x, _ in part.outline), max(y for _, y in part.outline))
                      for part in model.anatomy if part.view == view_id and part.landmark in BONY_LANDMARKS]
        for tp, number in boxes.items():
            assert not any(overlaps(number, other) for other_tp, other in boxes.items() if other_tp != tp), tp
            assert not any(overlaps(number, x) for other_tp, x in xs.items() if other_tp != tp), tp
            assert not any(overlaps(number, bone) for bone in bone_boxes), tp
    assert any(part.landmark in BONY_LANDMARKS for part in model.anatomy), "the drawing has landmarks to keep clear"


@pytest.mark.parametrize("outward", [1, -1])
def test_map030_a_number_may_sit_on_any_side_of_its_x_outer_side_first_its_anchor_on_its_box(outward):
    """The places tried for a number, best first. The shipped drawing needs only the first two, so
    the others are checked here: each box holds the text, beside the X on its named side, off the X."""
    x, y, width, height = 50.0, 80.0, 11.2, 9.6
    tried = list(body_map._candidates(x, y, width, height, outward))
    assert [side for *_, side, _ in tried] == ["outer", "inner", "above", "below",
                                              "outer-above", "outer-below", "inner-above", "inner-below"]
    for ax, ay, anchor, side, (x0, y0, x1, y1) in tried:
        assert (x1 - x0, y1 - y0) == (pytest.approx(width), pytest.approx(height)), side
        assert ay == pytest.approx((y0 + y1) / 2), "y is the text's central baseline"
        assert ax == pytest.approx({"start": x0, "end": x1, "middle": (x0 + x1) / 2}[anchor]), side
        gap_x = max(x0 - x, x - x1, 0.0)
        gap_y = max(y0 - y, y - y1, 0.0)
        horizontal = "outer" in side or "inner" in side
        if horizontal:
            assert (x0 - x) * outward * (1 if side.startswith("outer") else -1) > 0, side
        else:
            assert x0 < x < x1, side
        if "above" in side:
            assert y1 < y, side
        elif "below" in side:
            assert y0 > y, side
        else:
            assert y0 < y < y1, side
        if "-" in side:
            assert gap_x == pytest.approx(gap_y) and 0 < gap_x < body_map.LABEL_GAP, "a diagonal's corner, nearer"
        else:
            assert max(gap_x, gap_y) == pytest.approx(body_map.LABEL_GAP), side


def test_map031_a_pain_badge_holds_its_number_in_its_middle_and_the_left_leg_mirrors_the_drawing(page, model):
    css = body_map.stylesheet()
    for badge in page.select("g.pain-level"):
        circle, number = badge.find("circle"), badge.find("text")
        assert float(number["x"]) == float(circle["cx"]) and float(circle["cy"]) < float(number["y"]) < \
            float(circle["cy"]) + float(circle["r"]), badge["data-level-of"]
        assert "flip-text" in number["class"], "a number reads forwards on the mirrored left leg"
        region = model.regions[badge["data-level-of"]]
        outlines = [shape.outline for shape in (region.shapes or (region,))]
        x, y = float(circle["cx"]), float(circle["cy"])
        assert any(min(px for px, _ in o) < x < max(px for px, _ in o) and min(py for _, py in o) < y < max(py for _, py in o)
                   for o in outlines), badge["data-level-of"]
    for view_id in VIEWS:
        assert view(page, view_id).find("g", recursive=False)["class"] == ["mirror"], view_id
    assert ".mirror" in css and ".flip-text" in css
