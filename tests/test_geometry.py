"""Pure geometry: reading shapes, crossing tests, hit tests, SVG paths, smoothing."""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from shapely.geometry import Polygon
from hypothesis import strategies as st

from components.domain import geometry
from components.domain.geometry import ShapeError

SQUARE = ((0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0))
BOW_TIE = ((0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0))
# An arrow head pointing right: concave at (4, 5) but simple.
CONCAVE = ((0.0, 0.0), (10.0, 5.0), (0.0, 10.0), (4.0, 5.0))
L_SHAPE = ((0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (2.0, 2.0), (2.0, 6.0), (0.0, 6.0))


# --------------------------------------------------------------------------- parse_points


def test_parse_points_reads_pairs():
    assert geometry.parse_points("1 2; 3.5 -4;  5e1   6 ") == ((1.0, 2.0), (3.5, -4.0), (50.0, 6.0))


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("1 2; 3", "point 2"),
        ("1 2 3", "point 1"),
        ("1 2;", "point 2"),
        ("1 2; a b", "not a pair of numbers"),
        ("1 2; 3,4 5", "point 2"),
        ("1 2; nan 3", "finite"),
        ("1 2; 3 inf", "finite"),
        ("1 2; 1e999 3", "finite"),
    ],
)
def test_parse_points_errors(text, reason):
    with pytest.raises(ShapeError, match=re.escape(reason)):
        geometry.parse_points(text)


def test_shape_error_is_a_value_error():
    assert issubclass(ShapeError, ValueError)


def test_drop_closing_point():
    ring = SQUARE + (SQUARE[0],)
    assert geometry.drop_closing_point(ring) == SQUARE
    assert geometry.drop_closing_point(SQUARE) == SQUARE
    assert geometry.drop_closing_point(((1.0, 1.0),)) == ((1.0, 1.0),)


# --------------------------------------------------------------------------- self-intersection


def test_bow_tie_crosses_itself():
    crossing = geometry.first_self_intersection(BOW_TIE)
    assert crossing is not None
    first, second = crossing
    assert 1 <= first < second <= len(BOW_TIE)


@pytest.mark.parametrize("shape", [SQUARE, CONCAVE, L_SHAPE, ((0, 0), (5, 0), (2, 4))])
def test_simple_shapes_do_not_cross(shape):
    assert geometry.first_self_intersection(shape) is None
    assert geometry.first_self_intersection(tuple(reversed(shape))) is None


def test_edge_folding_back_on_its_neighbour_is_a_crossing():
    assert geometry.first_self_intersection(((0, 0), (10, 0), (5, 0), (5, 5))) is not None


def test_vertex_touching_another_edge_is_a_crossing():
    # The fifth point sits on the first edge: the outline pinches into two lobes.
    assert geometry.first_self_intersection(((0, 0), (10, 0), (10, 10), (5, 2), (5, 0), (0, 10))) is not None


def test_open_polyline_is_not_closed_by_the_check():
    zigzag = ((0, 0), (10, 0), (0, 10), (10, 10))
    assert geometry.first_self_intersection(zigzag, closed=False) is None
    assert geometry.first_self_intersection(zigzag, closed=True) is not None
    crossing = ((0, 0), (10, 10), (10, 0), (0, 10))
    assert geometry.first_self_intersection(crossing, closed=False) is not None


@pytest.mark.parametrize(
    "a, b, c, d, expected",
    [
        ((0, 0), (10, 10), (0, 10), (10, 0), True),
        ((0, 0), (10, 0), (10, 0), (10, 10), True),  # shared end point
        ((0, 0), (10, 0), (5, 0), (15, 0), True),  # overlapping on one line
        ((0, 0), (10, 0), (0, 1), (10, 1), False),  # parallel
        ((0, 0), (10, 0), (11, 0), (20, 0), False),  # same line, apart
        ((0, 0), (1, 1), (3, 0), (2, 1), False),
    ],
)
def test_segments_cross(a, b, c, d, expected):
    assert geometry.segments_cross(a, b, c, d) is expected
    assert geometry.segments_cross(c, d, a, b) is expected


# --------------------------------------------------------------------------- measuring


def area(points) -> float:
    return Polygon(points).area


def test_square_centroid():
    assert geometry.centroid(SQUARE) == pytest.approx((1.0, 1.0))
    assert geometry.centroid(tuple(reversed(SQUARE))) == pytest.approx((1.0, 1.0))


def test_centroid_of_offset_rectangle_and_l_shape():
    rectangle = ((10, 20), (14, 20), (14, 30), (10, 30))
    assert geometry.centroid(rectangle) == pytest.approx((12.0, 25.0))
    # Two rectangles: 4x2 centred (2, 1), 2x4 centred (1, 4), equal areas.
    assert geometry.centroid(L_SHAPE) == pytest.approx((1.5, 2.5))


def test_centroid_without_area_is_the_mean_of_the_points():
    assert geometry.centroid(((0, 0), (2, 2), (4, 4))) == pytest.approx((2.0, 2.0))


def test_bounding_box():
    assert geometry.bounding_box(L_SHAPE) == (0.0, 0.0, 4.0, 6.0)


def test_inside_box():
    assert geometry.inside_box(SQUARE, 2, 2)
    assert not geometry.inside_box(SQUARE, 1.9, 2)
    assert not geometry.inside_box(((-0.1, 0.0),), 10, 10)


# --------------------------------------------------------------------------- hit tests


@pytest.mark.parametrize(
    "point, inside",
    [((1, 1), True), ((0.1, 1.9), True), ((3, 1), False), ((-1, 1), False), ((1, -0.5), False), ((1, 5), False)],
)
def test_point_in_square(point, inside):
    assert geometry.point_in_polygon(point, SQUARE) is inside


@pytest.mark.parametrize("point, inside", [((1, 1), True), ((3, 1), True), ((1, 5), True), ((3, 4), False), ((5, 5), False)])
def test_point_in_l_shape(point, inside):
    assert geometry.point_in_polygon(point, L_SHAPE) is inside


def test_point_in_the_notch_of_a_concave_shape_is_outside():
    assert geometry.point_in_polygon((2, 5), CONCAVE) is False
    assert geometry.point_in_polygon((6, 5), CONCAVE) is True


# --------------------------------------------------------------------------- drawing


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_svg_path_straight_closed():
    path = geometry.svg_path(SQUARE, closed=True, smooth=False)
    assert path.startswith("M0 0")
    assert path.endswith("Z")
    assert path.count("L") == 3
    assert "C" not in path


def test_svg_path_smooth_closed_has_one_curve_per_edge():
    path = geometry.svg_path(L_SHAPE, closed=True, smooth=True)
    assert path.startswith("M")
    assert path.endswith("Z")
    assert path.count("C") == len(L_SHAPE)


def test_svg_path_open_is_not_closed():
    path = geometry.svg_path(L_SHAPE, closed=False, smooth=True)
    assert path.startswith("M")
    assert not path.rstrip().endswith("Z")
    assert path.count("C") == len(L_SHAPE) - 1


def test_svg_path_numbers_are_short_and_never_negative_zero():
    path = geometry.svg_path(((0.123456, -0.0001), (1, 0), (1, 1)), closed=True, smooth=False)
    assert "0.12" in path and "0.1234" not in path
    assert "-0 " not in path and "-0L" not in path and not re.search(r"-0(?![.\d])", path)


@pytest.mark.parametrize("closed", [True, False])
def test_smooth_outline_passes_through_its_points(closed):
    flat = geometry.outline(L_SHAPE, closed=closed, smooth=True)
    assert len(flat) > len(L_SHAPE)
    for corner in L_SHAPE:
        assert any(math.dist(corner, p) < 1e-9 for p in flat), corner


def test_smooth_svg_path_ends_segments_on_the_points():
    path = geometry.svg_path(SQUARE, closed=True, smooth=True)
    ends = [tuple(_numbers(seg)[-2:]) for seg in path.split("C")[1:]]
    assert {(round(x, 2), round(y, 2)) for x, y in ends} == {(round(x, 2), round(y, 2)) for x, y in SQUARE}


def test_unsmoothed_outline_is_the_points():
    assert geometry.outline(SQUARE, closed=True, smooth=False) == SQUARE
    assert geometry.outline(SQUARE[:2], closed=True, smooth=True) == SQUARE[:2]


def test_smooth_outline_of_a_convex_shape_stays_near_it():
    flat = geometry.outline(SQUARE, closed=True, smooth=True)
    x0, y0, x1, y1 = geometry.bounding_box(flat)
    assert -0.5 < x0 <= 0 and -0.5 < y0 <= 0 and 2 <= x1 < 2.5 and 2 <= y1 < 2.5


coordinate = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(st.integers(min_value=3, max_value=40), st.floats(min_value=0.5, max_value=100), coordinate, coordinate)
def test_regular_polygons_are_simple_and_contain_their_centre(sides, radius, cx, cy):
    polygon = tuple(
        (cx + radius * math.cos(2 * math.pi * k / sides), cy + radius * math.sin(2 * math.pi * k / sides))
        for k in range(sides)
    )
    assert geometry.first_self_intersection(polygon) is None
    assert geometry.point_in_polygon((cx, cy), polygon)
    assert geometry.centroid(polygon) == pytest.approx((cx, cy), abs=1e-6 * (1 + abs(cx) + abs(cy) + radius))
    assert not geometry.point_in_polygon((cx + 2 * radius, cy), polygon)


# --------------------------------------------------------------------------- clipping a region to the skin

SKIN_CIRCLE = geometry.outline(tuple((math.cos(k * math.pi / 6) * 10, math.sin(k * math.pi / 6) * 10) for k in range(12)), True, True)


def test_clipped_shape_keeps_its_own_inner_edge_and_follows_the_curve_elsewhere():
    left_half = ((-20.0, -20.0), (0.0, -20.0), (0.0, 20.0), (-20.0, 20.0))
    clipped = geometry.clip_to(left_half, SKIN_CIRCLE)
    assert max(x for x, _ in clipped) == pytest.approx(0.0)
    # Every other corner of the square is gone: the outline's left side is the circle's arc.
    assert all(math.hypot(x, y) <= 10.0 + 1e-6 for x, y in clipped)
    assert len(clipped) > 8


def test_two_halves_that_share_an_edge_cover_the_outline_without_overlap():
    left = geometry.clip_to(((-20.0, -20.0), (0.0, -20.0), (0.0, 20.0), (-20.0, 20.0)), SKIN_CIRCLE)
    right = geometry.clip_to(((0.0, -20.0), (20.0, -20.0), (20.0, 20.0), (0.0, 20.0)), SKIN_CIRCLE)
    assert area(left) + area(right) == pytest.approx(area(SKIN_CIRCLE), rel=1e-9)


def test_shape_outside_the_outline_is_refused():
    with pytest.raises(geometry.ShapeError, match="does not overlap"):
        geometry.clip_to(((30.0, 30.0), (40.0, 30.0), (40.0, 40.0)), SKIN_CIRCLE)


def test_shape_that_falls_apart_inside_the_outline_is_refused():
    # A "C" whose back lies outside the circle reaches in with two separate arms.
    c_shape = ((-20.0, -8.0), (0.0, -8.0), (0.0, -4.0), (-15.0, -4.0), (-15.0, 4.0), (0.0, 4.0), (0.0, 8.0), (-20.0, 8.0))
    with pytest.raises(geometry.ShapeError, match="2 pieces"):
        geometry.clip_to(c_shape, SKIN_CIRCLE)


def test_interior_point_of_a_bent_shape_lies_inside_it():
    l_shape = ((0.0, 0.0), (10.0, 0.0), (10.0, 1.0), (1.0, 1.0), (1.0, 10.0), (0.0, 10.0))
    assert not geometry.point_in_polygon(geometry.centroid(l_shape), l_shape)
    assert geometry.point_in_polygon(geometry.interior_point(l_shape), l_shape)
