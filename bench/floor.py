"""The floor: a static SVG page with the app's map hooks, drawn from the same data.

It is what the browser alone costs on this machine for the same drawing: every view as an
``<svg class="map-view">``, every region, referral zone and trigger point of the model as a path,
and a few lines of script. A tap on a point toggles a class on its zones' group and sets
``#body-map[data-shown-tp]`` and ``#tp-detail[data-tp-id]``; a tap on a region toggles it and
rewrites ``#source-ranking`` from a precomputed table. The app/floor ratio says what the app adds.
Every measure can run against it (``python -m bench --target floor``), which proves the tools
on a page that is known to carry the hooks.
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from bench.server import StaticSite

TEMPLATE = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=True).get_template("floor.html")


def build_floor(model) -> str:
    """The floor page's HTML for ``model`` (components.domain.model.Model)."""
    from components.domain import geometry

    def path(view_id: str, points, closed: bool = True, smooth: bool = False) -> str:
        return geometry.svg_path(model.views[view_id].place(points), closed, smooth)

    views = {view.id: {"id": view.id, "name": view.name, "anatomy": [], "regions": [], "zones": {}, "points": [],
                       "box": f"{view.x:g} {view.y:g} {view.width * view.scale:g} {view.height * view.scale:g}"}
             for view in model.views.values()}
    for part in model.anatomy:
        views[part.view]["anatomy"].append({"kind": "part" if part.closed else "part-open",
                                            "d": path(part.view, part.points, part.closed, part.smooth)})
    for region in model.regions.values():
        views[region.view]["regions"].append({"id": region.id, "name": region.name,
                                              "d": path(region.view, region.outline)})
    refers: dict[str, list[str]] = {}
    for zone in model.zones:
        views[zone.view]["zones"].setdefault(zone.trigger_point, []).append(
            {"intensity": zone.intensity, "d": path(zone.view, zone.outline)})
        for region_id in zone.regions:
            if zone.trigger_point not in refers.setdefault(region_id, []):
                refers[region_id].append(zone.trigger_point)
    names = {}
    for point in model.trigger_points.values():
        names[point.id] = model.point_title(point.id)
        (x, y), = model.views[point.view].place([(point.x, point.y)])
        r = 1.6
        views[point.view]["points"].append({
            "id": point.id, "name": names[point.id], "x": f"{x:g}", "y": f"{y:g}",
            "x_mark": f"M{x - r:g} {y - r:g}L{x + r:g} {y + r:g}M{x - r:g} {y + r:g}L{x + r:g} {y - r:g}"})
    return TEMPLATE.render(views=list(views.values()), data={"names": names, "refers": refers})


@contextlib.contextmanager
def floor_site(model):
    """Serve the floor page on 127.0.0.1 (the same transport as the app); yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        Path(folder, "index.html").write_text(build_floor(model), encoding="utf-8")
        with StaticSite(Path(folder)) as site:
            yield site.url + "/index.html"
