"""Two visits side by side: GET /compare?before=<link>&after=<link>.

Each link is one the app made (the page's address, a handout link, or what a QR code holds),
read by the page's own rule (``state.parse_query``), so a link the page accepts compares and one
it refuses says why. Nothing is stored: the two links are the two visits. The page is a Jinja2
template with autoescape; the chart is Plotly (the basic bundle the page already ships), drawn
by assets/compare.js from JSON in the page, and the same changes are written out in words.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask import Flask, Response, request
from markupsafe import Markup

from components.web import body_map
from components.web.first_paint import PLOTLY_BUNDLE
from components.domain.model import Model
from components.domain.state import State, parse_query, shown
from components.web.templating import TEMPLATES

MAX_LINK_LENGTH = 2000
VISITS = (("before", "Before"), ("after", "After"))


class BadLink(ValueError):
    """A link that cannot be compared; the message says which one and why."""


@dataclass(frozen=True)
class Change:
    region: str
    before: int | None
    after: int | None
    words: str


@dataclass(frozen=True)
class Comparison:
    cleared: tuple[Change, ...]
    new: tuple[Change, ...]
    still: tuple[Change, ...]


def read_link(model: Model, which: str, link) -> State:
    """One visit's link -> its state. Raises BadLink with a message naming the link and the problem."""
    if not isinstance(link, str) or not link.strip():
        raise BadLink(f"The {which} link is missing: paste the link of the {which} visit.")
    if len(link) > MAX_LINK_LENGTH:
        raise BadLink(f"The {which} link is longer than {MAX_LINK_LENGTH} characters, too long to be a link of this map.")
    query = urlsplit(link.strip()).query
    cleaned = parse_query(model, parse_qs(query, keep_blank_values=True))
    if cleaned.ignored:
        raise BadLink(f"The {which} link does not match the map: " + "; ".join(cleaned.ignored) + ".")
    if not cleaned.state.pain:
        raise BadLink(f"The {which} link marks no painful area ({shown(link)}); compare two links that mark pain.")
    return cleaned.state


def level_words(level: int | None) -> str:
    return "no number" if level is None else f"{level} out of 10"


def change_words(name: str, before: int | None, after: int | None) -> str:
    """'Instep: 7 out of 10, now 3 out of 10 (4 less).'"""
    if before is None or after is None:
        if before == after:
            return f"{name}: still there (no number given)."
        return f"{name}: {level_words(before)} before, {level_words(after)} now."
    if before == after:
        return f"{name}: unchanged at {level_words(after)}."
    difference = after - before
    trend = f"{abs(difference)} {'more' if difference > 0 else 'less'}"
    return f"{name}: {level_words(before)}, now {level_words(after)} ({trend})."


def compare(model: Model, before: State, after: State) -> Comparison:
    """What cleared (marked before, not now), what is new, and how the areas in both changed. Pure."""
    was, now = dict(before.intensity), dict(after.intensity)

    def name(region: str) -> str:
        return body_map.region_name(model, region)

    cleared = tuple(Change(r, was.get(r), None, f"{name(r)}: cleared (was {level_words(was.get(r))}).")
                    for r in before.pain if r not in after.pain)
    new = tuple(Change(r, None, now.get(r), f"{name(r)}: new ({level_words(now.get(r))}).")
                for r in after.pain if r not in before.pain)
    still = tuple(Change(r, was.get(r), now.get(r), change_words(name(r), was.get(r), now.get(r)))
                  for r in before.pain if r in after.pain)
    return Comparison(cleared, new, still)


def chart_figure(model: Model, comparison: Comparison) -> dict | None:
    """Each area's number before and after, as grouped bars; a cleared area counts as 0 after, a new
    one as 0 before. None when no area has a number."""
    changes = [*comparison.still, *comparison.cleared, *comparison.new]
    if not any(c.before is not None or c.after is not None for c in changes):
        return None
    names = [body_map.region_name(model, c.region) for c in changes]

    def values(which: str) -> list:
        out = []
        for c in changes:
            level = getattr(c, which)
            gone = (which == "after" and c in comparison.cleared) or (which == "before" and c in comparison.new)
            out.append(0 if gone else level)
        return out

    bars = [dict(type="bar", orientation="h", y=names, x=values(which), name=label,
                 marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="#1f1b18", size=5, solidity=0.25)))
            for (which, label), colour, pattern in zip(VISITS, ("#a8a29e", "#1d4ed8"), ("/", ""))]
    return dict(data=bars, layout=dict(
        barmode="group", height=80 + 44 * len(changes), margin=dict(l=8, r=8, t=30, b=30),
        xaxis=dict(range=[0, 10.3], dtick=1, title=dict(text="pain, 0 to 10"), fixedrange=True),
        yaxis=dict(automargin=True, autorange="reversed", fixedrange=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        paper_bgcolor="#fff", plot_bgcolor="#fff",
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=13, color="#1f1b18"),
    ))


def visit_map(model: Model, state: State, which: str, views) -> Markup:
    return body_map.static_map(
        model, side=state.side, pain=state.pain, levels=dict(state.intensity), element_id=f"map-{which}",
        only=views, classes="compare-map", label=f"{which.capitalize()}: the marked areas on the {state.side} leg",
    )


def render_compare(model: Model, links: dict, asset_url) -> tuple[str, int]:
    """The page for two links (status 200), or the form with a clear message (status 400)."""
    problems, states = [], {}
    if not any(links.get(which) for which, _ in VISITS):
        return _page(links, asset_url, problems=[]), 200
    for which, _ in VISITS:
        try:
            states[which] = read_link(model, which, links.get(which))
        except BadLink as error:
            problems.append(str(error))
    if problems:
        return _page(links, asset_url, problems=problems), 400
    before, after = states["before"], states["after"]
    comparison = compare(model, before, after)
    views = body_map.views_that_matter(model, None, [*before.pain, *after.pain]) or None
    figure = chart_figure(model, comparison)
    return _page(
        links, asset_url, problems=[], comparison=comparison, figure=figure,
        maps=[(label, visit_map(model, states[which], which, views), states[which]) for which, label in VISITS],
        map_key=body_map.map_key(model, views),
    ), 200


def _page(links: dict, asset_url, **context) -> str:
    return TEMPLATES.get_template("compare.html").render(
        links={which: links.get(which) or "" for which, _ in VISITS}, map_css=Markup(body_map.stylesheet()),
        plotly_url=asset_url(PLOTLY_BUNDLE), script_url=asset_url("compare.js"), **context)


def register_compare(server: Flask, model: Model, asset_url=None) -> None:
    @server.get("/compare")
    def compare_page():
        links = {which: request.args.get(which, "") for which, _ in VISITS}
        page, status = render_compare(model, links, asset_url or (lambda path: f"/assets/{path}"))
        return Response(page, status=status, mimetype="text/html")
