"""The rules a drawing must keep for a person to use it, checked on the built tables (so every
outline is the one the page draws) and reported as ``file:line: column: problem``:

- two X's of one view stay far enough apart to tap each one;
- each X lies on a shape of its muscle in its view;
- a zone's outline covers each area its ``regions`` column names in its view;
- the areas of a view never overlap, and where a view says so (views.csv ``tiled_from``) they
  cover its skin without gaps, so a tap anywhere on the leg marks exactly one area.

``--check-data``, the app's start and a production reload all load through components/domain/data.py,
which applies these after every cell and reference check has passed.
"""
from __future__ import annotations

import itertools
import math

import shapely

from components.domain.problems import Problem

MIN_X_SPACING = 10.0  # view units between two X's of one view (the back view is 100 units wide)
MUSCLE_REACH = 5.0  # view units an X may sit off its muscle's drawn edge (deep muscles are drawn thin)
MIN_ZONE_OVERLAP = 10.0  # square view units of an area a zone must cover to name it
OVERLAP_TOLERANCE = 0.05  # square view units: rounding of shared edges, far below a finger's width
GAP_TOLERANCE = 0.005  # share of the skin left unmarked (the seams between toes)


def _polygon(outline) -> shapely.Polygon:
    return shapely.Polygon(outline).buffer(0)


def _drawn_regions(tables, view: str) -> list[tuple[str, shapely.Polygon]]:
    return [(region.id, _polygon(shape.outline)) for region in tables["regions"].values()
            for shape in region.shapes if shape.view == view]


def check_x_spacing(tables, lines):
    """Each X at least MIN_X_SPACING from every earlier X of its view."""
    points = list(tables["trigger_points"].values())
    for a, b in itertools.combinations(points, 2):
        distance = math.dist((a.x, a.y), (b.x, b.y))
        if a.view == b.view and distance < MIN_X_SPACING:
            yield ("trigger_points", b.id, "x", f"the X of {b.id!r} is {distance:.1f} units from {a.id!r} (line "
                   f"{lines['trigger_points'][a.id]}) in the {b.view!r} view; keep X's at least "
                   f"{MIN_X_SPACING:g} apart so each can be tapped")


def check_xs_on_their_muscles(tables, lines):
    """Each X inside, or within MUSCLE_REACH of, a closed shape of its muscle in its view."""
    for point in tables["trigger_points"].values():
        shapes = [_polygon(part.outline) for part in tables["anatomy"]
                  if part.muscle == point.muscle and part.view == point.view and part.closed]
        where = shapely.Point(point.x, point.y)
        off_by = min((shape.distance(where) for shape in shapes), default=None)
        if off_by is None:
            message = f"muscle {point.muscle!r} has no closed shape in the {point.view!r} view (anatomy.csv) for its X"
        elif off_by > MUSCLE_REACH:
            message = (f"the X at ({point.x:g}, {point.y:g}) lies {off_by:.1f} units off the {point.muscle!r} shape "
                       f"of the {point.view!r} view; put it on its muscle")
        else:
            continue
        yield "trigger_points", point.id, "x", message


def check_zones_over_their_regions(tables, lines):
    """A zone covers every area it names that is drawn in its view, and names one that is."""
    by_view = {view: dict(_drawn_regions(tables, view)) for view in tables["views"]}
    for zone in tables["zones"]:
        drawn = by_view.get(zone.view, {})
        here = [region for region in zone.regions if region in drawn]
        if not here:
            yield ("referral_zones", zone.id, "regions",
                   f"none of its regions is drawn in the {zone.view!r} view the zone is drawn in")
            continue
        outline = _polygon(zone.outline)
        for region in here:
            if outline.intersection(drawn[region]).area < MIN_ZONE_OVERLAP:
                yield ("referral_zones", zone.id, "regions", f"names {region!r}, but its outline in the "
                       f"{zone.view!r} view does not cover that area; fix the shape or the regions")


def check_regions_tile_the_skin(tables, lines):
    """No two areas of a view overlap; a view with ``tiled_from`` has its skin covered from that y down."""
    for view in tables["views"].values():
        drawn = _drawn_regions(tables, view.id)
        for (a, shape_a), (b, shape_b) in itertools.combinations(drawn, 2):
            overlap = shape_a.intersection(shape_b).area
            if overlap >= OVERLAP_TOLERANCE:
                yield ("regions", (b, view.id), "shape", f"{b!r} overlaps {a!r} by {overlap:.1f} square units in "
                       f"the {view.id!r} view; a tap there would mark both")
        if view.tiled_from is None or not drawn:
            continue
        skin = shapely.union_all([_polygon(p.outline) for p in tables["anatomy"]
                                  if p.view == view.id and p.part == "skin"])
        skin = skin.intersection(shapely.box(0, view.tiled_from, view.width, view.height))
        gap = skin.difference(shapely.union_all([shape for _, shape in drawn]))
        if skin.area and gap.area > GAP_TOLERANCE * skin.area:
            x, y = gap.representative_point().coords[0]
            yield ("views", view.id, "tiled_from", f"the areas of the {view.id!r} view leave {gap.area:.1f} square "
                   f"units of its skin unmarked, around ({x:.0f}, {y:.0f}); draw an area there in regions.csv")


# Each rule yields (table, row key, column, message) for every row that breaks it.
RULES = (check_x_spacing, check_xs_on_their_muscles, check_zones_over_their_regions, check_regions_tile_the_skin)


def check_drawing(tables, lines) -> list[Problem]:
    """Every rule above. ``lines``: table -> row key -> the CSV line it starts on."""
    return [Problem(f"{table}.csv", lines[table][key], column, message)
            for rule in RULES for table, key, column, message in rule(tables, lines)]
