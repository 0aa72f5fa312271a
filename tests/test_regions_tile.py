"""The pain regions as a person sees them: smooth areas that cover the skin of each view without
gaps or overlaps, so a tap anywhere on the leg marks exactly one area; and every X and landmark
sits in the area its description names.

The rules themselves (no overlaps, no gaps from a view's ``tiled_from`` down, X spacing, each X on
its muscle) belong to the loader, components/domain/drawing_rules.py, so --check-data and a production
reload apply them; tests/test_data.py shows each refusing bad data. Here they run on the shipped model."""
from __future__ import annotations

from collections import defaultdict

import pytest
import shapely

from components.domain import drawing_rules, geometry
from components.domain.data import load_model

# The skin each tiled view's regions are drawn to cover (views.csv `tiled_from` says from where).
TILED = {"back": "back-skin", "front": "front-skin", "lateral": "lateral-skin", "sole": "sole-skin", "hip": "hip-skin"}

# Where each X sits, in the words of its `location` (a clinical check of these points; a new point
# needs no entry: the loader already keeps every X on its own muscle).
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


@pytest.mark.parametrize("rule", drawing_rules.RULES, ids=lambda rule: rule.__name__)
def test_the_shipped_drawing_keeps_the_loaders_rules(model, rule):
    tables = {"views": model.views, "regions": model.regions, "anatomy": model.anatomy, "zones": model.zones,
              "trigger_points": model.trigger_points}
    lines = defaultdict(lambda: defaultdict(int))
    assert list(rule(tables, lines)) == []


def test_the_tiled_views_are_the_leg_views_and_the_hip(model):
    assert {view.id for view in model.views.values() if view.tiled_from is not None} == set(TILED)


@pytest.mark.parametrize("view", sorted(TILED))
def test_regions_do_not_spill_off_the_leg(model, view):
    all_skin = shapely.union_all([shapely.Polygon(p.outline) for p in model.anatomy if p.view == view and p.part == "skin"])
    regions = [shapely.Polygon(outline) for _, outline in drawn(model, view)]
    assert all(r.difference(all_skin).area < drawing_rules.OVERLAP_TOLERANCE for r in regions), \
        f"a region of the {view} view spills off the leg"


@pytest.mark.parametrize("view", sorted(TILED))
def test_a_tap_anywhere_on_the_skin_marks_exactly_one_region(model, view):
    skin = part(model, TILED[view]).outline
    view_box = model.views[view]
    from_y = view_box.tiled_from
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


@pytest.mark.parametrize("part_id, region_id", sorted(LANDMARKS.items()))
def test_landmarks_lie_in_the_area_named_after_them(model, part_id, region_id):
    landmark = part(model, part_id)
    assert regions_at(model, landmark.view, geometry.centroid(landmark.outline)) == [region_id]


def test_a_region_drawn_in_two_views_is_one_region(model):
    outer_ankle = model.regions["ankle-lateral"]
    assert [shape.view for shape in outer_ankle.shapes] == ["back", "lateral"]
    assert outer_ankle.view == "back" and outer_ankle.outline == outer_ankle.shapes[0].outline

