"""Plotly where a chart is the right tool: how each candidate's fit to the marked pain splits
into the main (essential) pain area, spillover, and areas it does not reach.

The figure is static (no hover, no mode bar): the ranked list beside it says the same in words,
so the chart adds a picture for sighted readers and nothing a keyboard can trap on.
"""
from __future__ import annotations

from dash import dcc, html

from components.domain.model import ESSENTIAL, Model
from components.domain.referral import Trace

MAX_BARS = 6
# Colours and patterns match the map (assets/map.css): solid red for the main area, dotted for
# spillover; the missed areas are grey and hatched. A pattern says it as well as a colour.
SEGMENTS = (
    ("main pain area", "#c41e24", ""),
    ("spillover", "#e3837b", "."),
    ("not reached", "#d6d3d1", "/"),
)


def fit_counts(candidate) -> tuple[int, int, int]:
    essential = sum(1 for _, intensity in candidate.explains if intensity == ESSENTIAL)
    return essential, len(candidate.explains) - essential, len(candidate.misses)


def fit_figure(model: Model, result: Trace) -> dict:
    """The figure as a plain dict: plotly.graph_objects would validate it again on every request
    (about 8 ms); its shape is checked once, by the test that builds it through go.Figure."""
    shown = result.ranking[:MAX_BARS]
    names = [model.point_title(c.trigger_point) for c in shown][::-1]
    counts = [fit_counts(c) for c in shown][::-1]
    bars = [
        dict(type="bar", y=names, x=[c[number] for c in counts], orientation="h", name=label,
             marker=dict(color=colour, line=dict(color="#57534e", width=0.6),
                         pattern=dict(shape=pattern, fgcolor="#57534e", size=5, solidity=0.3)))
        for number, (label, colour, pattern) in enumerate(SEGMENTS)
    ]
    return dict(data=bars, layout=dict(
        barmode="stack", height=60 + 30 * len(shown), margin=dict(l=8, r=8, t=28, b=8),
        xaxis=dict(dtick=1, rangemode="tozero", fixedrange=True),
        yaxis=dict(automargin=True, fixedrange=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=11)),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=12, color="#57534e"),
    ))


def fit_chart(model: Model, result: Trace | None):
    """The chart under the ranked list, or nothing when there is nothing ranked."""
    if result is None or not result.ranking:
        return None
    return html.Figure(
        [
            html.Figcaption("How each candidate fits the areas you marked (count of areas)", className="chart-title"),
            html.Div(
                dcc.Graph(figure=fit_figure(model, result), config={"staticPlot": True, "displayModeBar": False},
                          className="fit-chart-graph"),
                role="img",
                **{"aria-label": "Bar chart of the same ranking: for each candidate, how many marked areas lie in "
                                 "its main pain area, how many only in its spillover, and how many it does not reach."},
            ),
        ],
        className="panel fit-chart technical", id="fit-chart",
    )
