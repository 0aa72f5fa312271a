"""The pain regions as a person sees them: smooth areas that cover the skin of each view without
gaps or overlaps, so a tap anywhere on the leg marks exactly one area; and every X and landmark
sits in the area its description names."""
from __future__ import annotations

import itertools
import math

import pytest
import shapely

from components import geometry
from components.data import load_model

# The skin each view's regions are drawn to cover, and the part of it they cover (y from which
# on, in view units): the front and outer views leave the knee itself unmarked.
TILED = {
    "back": ("back-skin", 0),
    "front": ("front-skin", 74.7),
    "lateral": ("lateral-skin", 67.6),
    "sole": ("sole-skin", 0),
    "hip": ("hip-skin", 0),
}
OVERLAP_TOLERANCE = 0.05  # square view units: rounding of shared edges, far below a finger's width
MIN_X_SPACING = 10.0  # view units between two X's of one view (the back view is 100 units wide)

# Where each X sits, in the words of its `location`.
POINT_REGIONS = {
    "gastrocnemius-tp1": "calf-upper-medial",  # a third of the way down the inner head
    "gastrocnemius-tp2": "calf-upper-lateral",  # outer upper calf
    "gastrocnemius-tp3": "knee-back",  # at or just below the inner back of the knee
    "gastrocnemius-tp4": "knee-back",  # outer head's start, near the knee joint
    "soleus-tp1": "ankle-medial",  # low on the inner calf, a few finger-widths above the heel
    "soleus-tp2": "calf-upper-lateral",  # high on the outer calf
    "soleus-tp3": "calf-upper-lateral",  # a little outside the middle of the calf
    "plantaris-tp1": "knee-back",
    "popliteus-tp1": "knee-back",  # a little below the back of the knee
    "flexor-digitorum-longus-tp1": "calf-upper-medial",
    "flexor-hallucis-longus-tp1": "calf-lower-lateral",
    "biceps-femoris-tp1": "thigh-back-lower",
    "fibularis-longus-tp1": "leg-lateral-upper",  # just below the fibula head
    "fibularis-brevis-tp1": "leg-lateral-lower",
    "fibularis-tertius-tp1": "leg-lateral-lower",  # just above the outer ankle
    "tibialis-anterior-tp1": "shin-front-lateral",  # just outside the shin bone
    "extensor-digitorum-longus-tp1": "shin-front-lateral",
    "extensor-hallucis-longus-tp1": "shin-front-lateral",
    "abductor-hallucis-tp1": "instep",  # inner border of the foot, along the arch
    "flexor-digitorum-brevis-tp1": "sole",  # middle of the sole
    "quadratus-plantae-tp1": "sole",  # just in front of the heel
    "abductor-digiti-minimi-tp1": "sole",  # outer border of the sole
    "extensor-digitorum-brevis-tp1": "foot-top-lateral",
    "gluteus-minimus-tp1": "buttock",
}
# Points whose sources place them on the line between two areas.
ON_THE_MIDLINE = {"tibialis-posterior-tp1"}  # between the two gastrocnemius heads
DRAWN_ELSEWHERE = {"medial-hamstrings"}  # placed by the ranking work (issue 9)
# Landmarks drawn in the anatomy, and the region a person would call them.
LANDMARKS = {
    "back-fossa": "knee-back",
    "back-medial-malleolus": "ankle-medial",
    "back-lateral-malleolus": "ankle-lateral",
    "back-achilles": "achilles",
    "back-heel-bone": "heel-back",
    "medial-malleolus": "ankle-medial",
    "front-medial-malleolus": "ankle-front",
    "front-lateral-malleolus": "ankle-front",
    "lateral-malleolus": "ankle-lateral",
    "lateral-heel-bone": "heel-lateral",
    "lateral-fifth-metatarsal": "foot-outer-edge",
    "sole-big-toe": "big-toe-underside",
}


@pytest.fixture(scope="module")
def model():
    return load_model()


def drawn(model, view):
    """(region id, outline) for every region drawn in the view."""
    return [(region.id, shape.outline) for region in model.regions.values() for shape in region.shapes if shape.view == view]


def part(model, part_id):
    return next(p for p in model.anatomy if p.id == part_id)


def regions_at(model, view, point):
    return [rid for rid, outline in drawn(model, view) if geometry.point_in_polygon(point, outline)]


@pytest.mark.parametrize("view", ["back", "front", "lateral", "sole", "hip", "foot-medial", "pelvis"])
def test_regions_of_a_view_do_not_overlap(model, view):
    shapes = [(rid, shapely.Polygon(outline)) for rid, outline in drawn(model, view)]
    for (a, pa), (b, pb) in itertools.combinations(shapes, 2):
        assert pa.intersection(pb).area < OVERLAP_TOLERANCE, f"{a} and {b} overlap in the {view} view"


@pytest.mark.parametrize("view", sorted(TILED))
def test_regions_cover_the_skin_of_the_view(model, view):
    skin_id, from_y = TILED[view]
    view_box = model.views[view]
    skin = shapely.Polygon(part(model, skin_id).outline).intersection(shapely.box(0, from_y, view_box.width, view_box.height))
    regions = [shapely.Polygon(outline) for _, outline in drawn(model, view)]
    covered = shapely.union_all(regions)
    assert skin.difference(covered).area < 0.002 * skin.area, f"gaps between the regions of the {view} view"
    assert sum(r.area for r in regions) == pytest.approx(covered.area, rel=0.001)
    all_skin = shapely.union_all([shapely.Polygon(p.outline) for p in model.anatomy if p.view == view and p.part == "skin"])
    assert all(r.difference(all_skin).area < OVERLAP_TOLERANCE for r in regions), f"a region of the {view} view spills off the leg"


@pytest.mark.parametrize("view", sorted(TILED))
def test_a_tap_anywhere_on_the_skin_marks_exactly_one_region(model, view):
    skin_id, from_y = TILED[view]
    skin = part(model, skin_id).outline
    view_box = model.views[view]
    edges = shapely.union_all([shapely.Polygon(o).boundary for _, o in drawn(model, view)] + [shapely.Polygon(skin).boundary])
    taps = [
        (x + 0.5, y + 0.5)
        for x in range(int(view_box.width)) for y in range(int(from_y), int(view_box.height))
        if geometry.point_in_polygon((x + 0.5, y + 0.5), skin) and edges.distance(shapely.Point(x + 0.5, y + 0.5)) > 0.2
    ]
    assert len(taps) > 500
    for tap in taps:
        assert len(regions_at(model, view, tap)) == 1, f"a tap at {tap} in the {view} view marks {regions_at(model, view, tap)}"


def test_regions_are_smooth_areas_not_boxes(model):
    for region in model.regions.values():
        for shape in region.shapes:
            # A rectangle has 4 corners; an area that follows the leg's curves has many.
            assert len(shape.outline) > 8, f"{region.id} in {shape.view} is drawn as a box"
            assert geometry.point_in_polygon(shape.label_at, shape.outline), f"{region.id}'s label lies outside it"


@pytest.mark.parametrize("point_id, region_id", sorted(POINT_REGIONS.items()))
def test_each_x_sits_in_the_area_its_location_names(model, point_id, region_id):
    point = model.trigger_points[point_id]
    assert regions_at(model, point.view, (point.x, point.y)) == [region_id]


def test_every_point_is_placed_in_the_table_above(model):
    unplaced = {
        point.id for point in model.trigger_points.values()
        if point.id not in POINT_REGIONS and point.id not in ON_THE_MIDLINE and point.muscle not in DRAWN_ELSEWHERE
    }
    assert not unplaced


@pytest.mark.parametrize("part_id, region_id", sorted(LANDMARKS.items()))
def test_landmarks_lie_in_the_area_named_after_them(model, part_id, region_id):
    landmark = part(model, part_id)
    assert regions_at(model, landmark.view, geometry.centroid(landmark.outline)) == [region_id]


def test_a_region_drawn_in_two_views_is_one_region(model):
    outer_ankle = model.regions["ankle-lateral"]
    assert [shape.view for shape in outer_ankle.shapes] == ["back", "lateral"]
    assert outer_ankle.view == "back" and outer_ankle.outline == outer_ankle.shapes[0].outline


def test_xs_of_one_view_are_far_enough_apart_to_tap(model):
    by_view: dict[str, list] = {}
    for point in model.trigger_points.values():
        by_view.setdefault(point.view, []).append(point)
    for view, points in by_view.items():
        for a, b in itertools.combinations(points, 2):
            assert math.dist((a.x, a.y), (b.x, b.y)) >= MIN_X_SPACING, f"{a.id} and {b.id} crowd each other in {view}"
