"""Model -> the Plotly figure of the diagram, plus the index the browser uses to restyle it.

The figure is built once per model and never sent again: selection, marked pain, side and
filter are applied in the browser by restyling single traces (see assets/explorer.js), so a
click never costs a full redraw. The trace order is part of that contract and is written
into ``map_index`` for the browser.
"""
from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go

from components import geometry
from components.model import ESSENTIAL, Model

# Calm palette: warm skin and muscle, Travell-style red for referral, blue for the client's pain.
SKIN_FILL = "#f7ebe1"
SKIN_LINE = "#9c7b66"
MUSCLE_FILL = "#ecc9b4"
MUSCLE_LINE = "#a4694f"
TENDON_FILL = "#f3eadc"
BONE_FILL = "#fbf8f2"
BONE_LINE = "#a89f91"
DEEP_LINE = "#7d8fa6"
INK = "#2f2a26"

ESSENTIAL_FILL = "rgba(196, 30, 36, 0.62)"
ESSENTIAL_LINE = "#9b1116"
SPILLOVER_FILL = "rgba(230, 80, 70, 0.16)"
SPILLOVER_LINE = "#c0392b"
PAIN_FILL = "rgba(37, 99, 235, 0.20)"
PAIN_LINE = "#1d4ed8"
HOVER_FILL = "rgba(0, 0, 0, 0)"

PART_STYLE = {
    "skin": dict(fillcolor=SKIN_FILL, line=dict(color=SKIN_LINE, width=2)),
    "muscle": dict(fillcolor=MUSCLE_FILL, line=dict(color=MUSCLE_LINE, width=1.4)),
    "deep-muscle": dict(fillcolor="rgba(0,0,0,0)", line=dict(color=DEEP_LINE, width=1.2, dash="dash")),
    "tendon": dict(fillcolor=TENDON_FILL, line=dict(color=MUSCLE_LINE, width=1.2)),
    "bone": dict(fillcolor=BONE_FILL, line=dict(color=BONE_LINE, width=1.2)),
    "crease": dict(fillcolor="rgba(0,0,0,0)", line=dict(color=SKIN_LINE, width=1.2, dash="dot")),
    "fossa": dict(fillcolor="rgba(156, 123, 102, 0.12)", line=dict(color="rgba(156,123,102,0.5)", width=1)),
}
OPEN_LINE_WIDTH = {"tendon": 3.2, "crease": 1.2}

MARKER_SIZE_STAR = 17
MARKER_SIZE_NEIGHBOUR = 12
MARKER_COLOR_STAR = "#1f2937"
MARKER_COLOR_NEIGHBOUR = "#475569"
MARKER_COLOR_SELECTED = "#b91c1c"


def _place(points, view) -> tuple[tuple[float, ...], tuple[float, ...]]:
    xs, ys = zip(*view.place(points))
    return xs, ys


def _closed_xy(points, view):
    xs, ys = _place(points, view)
    return xs + (xs[0],), ys + (ys[0],)


def anatomy_shapes(model: Model) -> list[dict]:
    """The drawing: every anatomy part as a smooth SVG path shape beneath the data traces."""
    shapes = []
    for part in model.anatomy:
        view = model.views[part.view]
        placed = view.place(part.points)
        style = dict(PART_STYLE[part.part])
        if not part.closed:
            style = dict(fillcolor="rgba(0,0,0,0)", line=dict(style["line"], width=OPEN_LINE_WIDTH.get(part.part, 1.2)))
        shapes.append(
            dict(type="path", path=geometry.svg_path(placed, part.closed, part.smooth), layer="below", name=part.id, **style)
        )
    for view in model.views.values():
        if view.id != "back":
            shapes.append(
                dict(
                    type="rect", x0=view.x - 2, y0=view.y - 1, x1=view.x + view.width * view.scale + 2,
                    y1=view.y + view.height * view.scale + 1,
                    layer="below", line=dict(color="#d6d3d1", width=1), fillcolor="rgba(255,255,255,0.6)",
                    name=f"frame-{view.id}",
                )
            )
    return shapes


def view_annotations(model: Model) -> list[dict]:
    notes = []
    for view in model.views.values():
        anchor_y = view.y + view.height * view.scale + 1.5
        notes.append(
            dict(x=view.x + view.width * view.scale / 2, y=anchor_y, text=view.name, showarrow=False, yanchor="top",
                 font=dict(size=12, color="#57534e"), name=f"title-{view.id}")
        )
    back = model.views.get("back")
    if back:
        # Orientation words follow the mirror: with the axis reversed they swap sides on their own.
        for text, x in (("inner side", back.x + 6), ("outer side", back.x + back.width - 6)):
            notes.append(dict(x=x, y=back.y + 100, text=text, showarrow=False, textangle=-90,
                              font=dict(size=11, color="#78716c"), name=f"side-{text.split()[0]}"))
    return notes


def region_trace(model: Model, region) -> go.Scatter:
    xs, ys = _closed_xy(region.outline, model.views[region.view])
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", fillcolor=HOVER_FILL, line=dict(color=PAIN_LINE, width=0),
        hoveron="fills", name=region.name, hoverinfo="name", hoverlabel=dict(namelength=-1),
        showlegend=False, meta=region.id,
    )


def zone_trace(model: Model, zone) -> go.Scatter:
    xs, ys = _closed_xy(zone.outline, model.views[zone.view])
    if zone.intensity == ESSENTIAL:
        style = dict(fillcolor=ESSENTIAL_FILL, line=dict(color=ESSENTIAL_LINE, width=2))
    else:
        # Spillover differs by pattern and by line, not only by a lighter colour.
        style = dict(
            fillcolor=SPILLOVER_FILL, line=dict(color=SPILLOVER_LINE, width=1.6, dash="dash"),
            fillpattern=dict(shape=".", fgcolor=SPILLOVER_LINE, size=6, solidity=0.25),
        )
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", hoverinfo="skip", opacity=0, showlegend=False,
        meta=zone.id, **style,
    )


def point_trace(model: Model, muscle_id: str, points) -> go.Scatter:
    # The first muscle in muscles.csv is the star of the map: its points are drawn clearest.
    star = muscle_id == next(iter(model.muscles))
    xs, ys, labels, hover, sides = [], [], [], [], []
    for point in points:
        view = model.views[point.view]
        (x, y), = view.place([(point.x, point.y)])
        xs.append(x)
        ys.append(y)
        labels.append(point.label if star else "")
        # Labels point away from the leg's midline, so neighbouring labels do not collide.
        sides.append("middle left" if point.x < view.width / 2 else "middle right")
        hover.append(f"{model.point_title(point.id)}<br>{_wrap(point.location)}")
    size = MARKER_SIZE_STAR if star else MARKER_SIZE_NEIGHBOUR
    color = MARKER_COLOR_STAR if star else MARKER_COLOR_NEIGHBOUR
    return go.Scatter(
        x=xs, y=ys, mode="markers+text", text=labels, textposition=sides,
        textfont=dict(size=12, color=color), name=model.muscles[muscle_id].name,
        marker=dict(symbol="x", size=[size] * len(xs), color=[color] * len(xs), line=dict(color="white", width=1.2)),
        hovertext=hover, hoverinfo="text", showlegend=False, meta=muscle_id,
    )


def halo_trace(model: Model, point) -> go.Scatter:
    """A ring behind one X, shown only while that point is selected.

    One trace per point, toggled by its scalar opacity: a style-only restyle. Array-valued
    marker attributes would make Plotly recalculate every trace on each click.
    """
    (x, y), = model.views[point.view].place([(point.x, point.y)])
    return go.Scatter(
        x=[x], y=[y], mode="markers", hoverinfo="skip", showlegend=False, meta=f"ring-{point.id}", opacity=0,
        marker=dict(symbol="circle", size=30, color="rgba(255,255,255,0.9)", line=dict(color=MARKER_COLOR_SELECTED, width=3.5)),
    )


def _wrap(text: str, width: int = 46) -> str:
    """Hover labels wrap by hand: Plotly does not wrap them."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def diagram_extent(model: Model) -> tuple[float, float, float, float]:
    x0 = min(v.x for v in model.views.values()) - 4
    x1 = max(v.x + v.width * v.scale for v in model.views.values()) + 4
    y0 = min(v.y for v in model.views.values()) - 2
    y1 = max(v.y + v.height * v.scale for v in model.views.values()) + 8
    return x0, y0, x1, y1


def build_figure(model: Model) -> tuple[dict, dict]:
    """The figure (as a plain dict) and the index that maps trace numbers to domain ids."""
    figure = go.Figure()
    index = {"regions": {}, "zones": {}, "points": {}, "traces": []}
    for region in model.regions.values():
        index["regions"][region.id] = len(figure.data)
        index["traces"].append({"kind": "region", "id": region.id})
        figure.add_trace(region_trace(model, region))
    for zone in model.zones:
        index["zones"].setdefault(zone.trigger_point, []).append(len(figure.data))
        index["traces"].append({"kind": "zone", "id": zone.id})
        figure.add_trace(zone_trace(model, zone))
    index["rings"] = {}
    for point in model.trigger_points.values():
        index["rings"][point.id] = len(figure.data)
        index["traces"].append({"kind": "ring", "id": point.id})
        figure.add_trace(halo_trace(model, point))
    for muscle_id in model.muscles:
        points = [p for p in model.trigger_points.values() if p.muscle == muscle_id]
        if not points:
            continue
        trace_number = len(figure.data)
        for number, point in enumerate(points):
            index["points"][point.id] = [trace_number, number]
        index["traces"].append({"kind": "points", "muscle": muscle_id, "ids": [p.id for p in points]})
        figure.add_trace(point_trace(model, muscle_id, points))
    x0, y0, x1, y1 = diagram_extent(model)
    figure.update_layout(
        shapes=anatomy_shapes(model),
        annotations=view_annotations(model),
        xaxis=dict(range=[x0, x1], visible=False, fixedrange=True, constrain="domain"),
        yaxis=dict(range=[y1, y0], visible=False, fixedrange=True, scaleanchor="x", scaleratio=1, constrain="domain"),
        margin=dict(l=4, r=4, t=4, b=4),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        hovermode="closest",
        hoverdistance=12,
        clickmode="event",
        showlegend=False,
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", color=INK),
        uirevision="diagram",
    )
    index["muscles"] = list(model.muscles)
    index["pointMuscles"] = {p.id: p.muscle for p in model.trigger_points.values()}
    index["style"] = {
        "painFill": PAIN_FILL,
        "painLine": PAIN_LINE,
        "hoverFill": HOVER_FILL,
        "range": [x0, x1],
    }
    return figure.to_plotly_json(), index


@lru_cache(maxsize=8)
def cached_figure(model: Model) -> tuple[dict, dict]:
    return build_figure(model)
