"""Pure 2-D geometry for the diagram: shapes from text, smoothing, hit tests, SVG paths.

Coordinates are view-local diagram units with the origin at the view's top-left corner and
y growing downwards, as in SVG. Nothing here knows about Dash, Plotly or the data files.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import shapely

Point = tuple[float, float]
Polygon = tuple[Point, ...]

# Points per Catmull-Rom segment when a smooth outline is flattened for drawing and hit tests.
SAMPLES_PER_SEGMENT = 6


class ShapeError(ValueError):
    """A shape's text cannot be read as points, or the points do not make a valid shape."""


def parse_points(text: str) -> Polygon:
    """Read ``"x y; x y; ..."`` into points. Raises ShapeError with a reader-friendly reason."""
    if not text or not text.strip():
        raise ShapeError("the shape is empty")
    points = []
    for number, pair in enumerate(text.split(";"), start=1):
        parts = pair.split()
        if len(parts) != 2:
            raise ShapeError(f"point {number} ({pair.strip()!r}) must be two numbers 'x y'")
        try:
            x, y = float(parts[0]), float(parts[1])
        except ValueError:
            raise ShapeError(f"point {number} ({pair.strip()!r}) is not a pair of numbers") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ShapeError(f"point {number} ({pair.strip()!r}) is not a finite number")
        points.append((x, y))
    return tuple(points)


def drop_closing_point(points: Sequence[Point]) -> Polygon:
    """A ring may repeat its first point at the end; the repeat carries no information."""
    if len(points) > 1 and points[0] == points[-1]:
        return tuple(points[:-1])
    return tuple(points)


def _orientation(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """True when segment ab and segment cd share at least one point."""
    o1, o2 = _orientation(a, b, c), _orientation(a, b, d)
    o3, o4 = _orientation(c, d, a), _orientation(c, d, b)
    if ((o1 > 0) != (o2 > 0)) and ((o3 > 0) != (o4 > 0)) and o1 and o2 and o3 and o4:
        return True
    return any(
        o == 0 and _on_segment(p, q, r)
        for o, p, q, r in ((o1, a, b, c), (o2, a, b, d), (o3, c, d, a), (o4, c, d, b))
    )


def first_self_intersection(points: Sequence[Point], closed: bool = True) -> tuple[int, int] | None:
    """The 1-based numbers of two edges that cross, or None for a simple outline."""
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n if closed else n - 1)]
    count = len(edges)
    for i in range(count):
        for j in range(i + 1, count):
            neighbours = j == i + 1 or (closed and i == 0 and j == count - 1)
            if neighbours:
                # Adjacent edges share a vertex; they only "cross" if they fold back on each other.
                a, b = edges[i]
                _, d = edges[j]
                if _orientation(a, b, d) == 0 and _on_segment(a, b, d) and d != a:
                    return (i + 1, j + 1)
                continue
            if segments_cross(*edges[i], *edges[j]):
                return (i + 1, j + 1)
    return None


def centroid(points: Sequence[Point]) -> Point:
    """Area centroid of a simple polygon (mean of vertices when it has no area)."""
    n = len(points)
    area2 = 0.0
    cx = cy = 0.0
    for i in range(n):
        x0, y0 = points[i]
        x1, y1 = points[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area2) < 1e-12:
        return (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)
    return (cx / (3 * area2), cy / (3 * area2))


def bounding_box(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points)
    return (min(xs), min(ys), max(xs), max(ys))


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Even-odd ray casting; points on an edge may fall either way."""
    x, y = point
    inside = False
    n = len(polygon)
    j = n - 1
    for i in range(n):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _catmull_rom_controls(p0: Point, p1: Point, p2: Point, p3: Point) -> tuple[Point, Point]:
    """Bezier control points of the uniform Catmull-Rom segment from p1 to p2."""
    c1 = (p1[0] + (p2[0] - p0[0]) / 6.0, p1[1] + (p2[1] - p0[1]) / 6.0)
    c2 = (p2[0] - (p3[0] - p1[0]) / 6.0, p2[1] - (p3[1] - p1[1]) / 6.0)
    return c1, c2


def _segments(points: Sequence[Point], closed: bool):
    """Yield (start, control1, control2, end) for each smooth segment through the points."""
    n = len(points)
    last = n if closed else n - 1
    for i in range(last):
        p1, p2 = points[i], points[(i + 1) % n]
        if closed:
            p0, p3 = points[i - 1], points[(i + 2) % n]
        else:
            p0 = points[i - 1] if i > 0 else p1
            p3 = points[i + 2] if i + 2 < n else p2
        c1, c2 = _catmull_rom_controls(p0, p1, p2, p3)
        yield p1, c1, c2, p2


def _bezier(p0: Point, c1: Point, c2: Point, p1: Point, t: float) -> Point:
    u = 1.0 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * p0[0] + b * c1[0] + c * c2[0] + d * p1[0], a * p0[1] + b * c1[1] + c * c2[1] + d * p1[1])


def outline(points: Sequence[Point], closed: bool, smooth: bool) -> Polygon:
    """The drawn outline as a polyline: the corner points, or a smooth curve through them."""
    if not smooth or len(points) < 3:
        return tuple(points)
    flat: list[Point] = []
    for p1, c1, c2, p2 in _segments(points, closed):
        flat.extend(_bezier(p1, c1, c2, p2, k / SAMPLES_PER_SEGMENT) for k in range(SAMPLES_PER_SEGMENT))
    if not closed:
        flat.append(tuple(points[-1]))
    return tuple(flat)


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_path(points: Sequence[Point], closed: bool, smooth: bool) -> str:
    """An SVG path ``d`` string: cubic curves through the points when smooth, else straight lines."""
    start = points[0]
    parts = [f"M{_fmt(start[0])} {_fmt(start[1])}"]
    if smooth and len(points) >= 3:
        for _, c1, c2, p2 in _segments(points, closed):
            parts.append(
                f"C{_fmt(c1[0])} {_fmt(c1[1])} {_fmt(c2[0])} {_fmt(c2[1])} {_fmt(p2[0])} {_fmt(p2[1])}"
            )
    else:
        parts.extend(f"L{_fmt(x)} {_fmt(y)}" for x, y in points[1:])
    if closed:
        parts.append("Z")
    return " ".join(parts)


def inside_box(points: Sequence[Point], width: float, height: float) -> bool:
    return all(0 <= x <= width and 0 <= y <= height for x, y in points)


def _valid(polygon):
    """A smoothed outline can graze itself where the curve overshoots; repair it rather than fail."""
    return polygon if polygon.is_valid else shapely.make_valid(polygon).buffer(0)


def clip_to(shape: Sequence[Point], boundary: Sequence[Point]) -> Polygon:
    """The part of ``shape`` that lies inside ``boundary``, as one outline.

    Both are outlines (flattened, closed). Regions drawn this way follow the boundary's curve
    where they reach it, and keep their own edges inside it, so neighbours that share an edge
    in their shapes share it exactly after clipping. Raises ShapeError when nothing is left or
    the rest falls apart into separate pieces.
    """
    inside = _valid(shapely.Polygon(shape)).intersection(_valid(shapely.Polygon(boundary)))
    pieces = [piece for piece in getattr(inside, "geoms", [inside]) if piece.geom_type == "Polygon" and piece.area > 0]
    if not pieces:
        raise ShapeError("the shape does not overlap the outline it is drawn within")
    if len(pieces) > 1:
        raise ShapeError(f"inside the outline it is drawn within, the shape falls apart into {len(pieces)} pieces")
    return drop_closing_point(tuple((x, y) for x, y in pieces[0].exterior.coords))


def interior_point(points: Sequence[Point]) -> Point:
    """A point well inside an outline: its centroid, or for a bent shape a point on its surface."""
    middle = centroid(points)
    if point_in_polygon(middle, points):
        return middle
    surface = shapely.Polygon(points).point_on_surface()
    return (surface.x, surface.y)
