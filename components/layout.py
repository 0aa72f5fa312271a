"""Page builders: small named functions that turn the model and a clean state into Dash components.

Every text that comes from data or from the URL is passed to Dash as a string child, which
React renders as text; nothing here uses raw HTML.
"""
from __future__ import annotations

from dash import dcc, html

from components import education, referral
from components.model import Model
from components.state import State

DISCLAIMER = (
    "This map teaches how muscles can refer pain. It does not diagnose. Pain can have many causes; "
    "if you are unsure, or if any warning sign below applies, see a doctor."
)
RANKING_NOTE = (
    "Ranked by how many of your marked areas each point's usual pain pattern explains, then by how many "
    "of them lie in its main pain area. Points with equal evidence share a place and are equally likely."
)


# ----------------------------------------------------------------------------- small pieces


def source_links(model: Model, source_ids, label: str = "Sources") -> html.Div:
    items = []
    for source_id in source_ids:
        source = model.sources[source_id]
        # A seed article is named by its publisher and title; its stored file name is never shown.
        if source.kind == "web":
            item = html.A(source.title, href=source.reference, target="_blank", rel="noopener noreferrer")
        else:
            item = html.Span(source.title)
        items.append(html.Li(item))
    return html.Div([html.Span(f"{label}:", className="sources-label"), html.Ul(items, className="sources")],
                    className="technical")


def legend() -> html.Ul:
    entries = [
        ("swatch-essential", "Main pain area (essential zone): felt almost every time"),
        ("swatch-spillover", "Spillover zone: dotted, dashed edge; felt in some people"),
        ("swatch-pain", "Where you marked pain"),
        ("swatch-point", "Trigger point (X)"),
    ]
    return html.Ul(
        [html.Li([html.Span(className=f"swatch {cls}", **{"aria-hidden": "true"}), html.Span(text)]) for cls, text in entries],
        className="legend", id="map-legend", **{"aria-label": "Legend"},
    )


def side_choice() -> html.Div:
    return html.Div(
        [
            html.Span("Leg", id="side-label", className="control-label"),
            dcc.RadioItems(
                id="side-choice",
                options=[{"label": "Right", "value": "right"}, {"label": "Left", "value": "left"}],
                value="right", inline=True, className="segmented", inputClassName="segmented-input",
                labelClassName="segmented-option",
            ),
        ],
        className="control", role="group", **{"aria-labelledby": "side-label"},
    )


def muscle_filter(model: Model) -> html.Div:
    options = [{"label": "All muscles", "value": "all"}] + [
        {"label": m.name.capitalize(), "value": m.id} for m in model.muscles.values()
    ]
    return html.Div(
        [
            html.Label("Show", htmlFor="muscle-filter", className="control-label"),
            dcc.Dropdown(id="muscle-filter", options=options, value="all", clearable=False, searchable=False,
                         className="muscle-filter"),
        ],
        className="control control-filter" + ("" if len(model.muscles) > 1 else " hidden"),
    )


def header(model: Model) -> html.Header:
    return html.Header(
        [
            html.Div(
                [
                    html.H1("Calf pain map"),
                    html.P("Where calf trigger points send pain, and where your pain may come from.", className="tagline"),
                ],
                className="brand",
            ),
            html.Div(
                [
                    side_choice(),
                    muscle_filter(model),
                    html.Button("Clinic view", id="mode-toggle", n_clicks=0, className="button",
                                **{"aria-pressed": "false"}),
                    html.A("Print handout", id="handout-link", href="/handout", className="button button-primary",
                           target="_blank", rel="noopener"),
                ],
                className="controls",
            ),
        ],
        className="app-header",
    )


# ----------------------------------------------------------------------------- lists


def tp_list(model: Model) -> html.Section:
    groups = []
    for muscle in model.muscles.values():
        points = [p for p in model.trigger_points.values() if p.muscle == muscle.id]
        if not points:
            continue
        buttons = [
            html.Li(
                html.Button(
                    [html.Span("✕", className="tp-mark", **{"aria-hidden": "true"}),
                     html.Span(model.point_title(p.id), className="tp-name")],
                    id={"type": "tp-button", "tp": p.id}, n_clicks=0, className="tp-button",
                    **{"aria-pressed": "false", "data-tp-id": p.id, "data-muscle": muscle.id},
                )
            )
            for p in points
        ]
        groups.append(html.Li([html.H3(muscle.name.capitalize(), className="group-title"), html.Ul(buttons)],
                              className="tp-group", **{"data-muscle": muscle.id}))
    return html.Section(
        [html.H2("Trigger points", id="tp-list-title"),
         html.Ul(groups, id="tp-list", **{"aria-labelledby": "tp-list-title"})],
        className="panel",
    )


def region_list(model: Model) -> html.Section:
    toggles = [
        html.Li(
            html.Button(
                region.name[0].upper() + region.name[1:],
                id={"type": "region-toggle", "region": region.id}, n_clicks=0, className="region-toggle",
                **{"aria-pressed": "false", "data-region-id": region.id},
            )
        )
        for region in model.regions.values()
    ]
    return html.Section(
        [
            html.H2("Where does it hurt?", id="region-list-title"),
            html.P("Tap the leg or foot, or choose areas here. Tap again to unmark.", className="hint"),
            html.Ul(toggles, id="region-list", **{"aria-labelledby": "region-list-title"}),
            html.Button("Clear marked pain", id="clear-pain", n_clicks=0, className="button button-quiet"),
        ],
        className="panel",
    )


# ----------------------------------------------------------------------------- detail and ranking


def tp_detail(model: Model, point_id: str | None) -> html.Section:
    if not point_id:
        return html.Section(
            [html.H2("Selected point"),
             html.P("Choose an X on the diagram or a point in the list to see where it sends pain.", className="hint")],
            id="tp-detail", className="panel detail", **{"data-tp-id": ""},
        )
    point = model.trigger_points[point_id]
    essential, spillover = referral.referral_summary(model, point_id)
    body = [
        html.H2(model.point_title(point_id), id="tp-detail-title"),
        html.Dl(
            [
                html.Dt("Where to find it"), html.Dd(point.location),
                html.Dt("Main pain area"), html.Dd(_sentence_list(essential), className="zone-essential"),
                html.Dt("Sometimes also"), html.Dd(_sentence_list(spillover) or "Only around the point itself.",
                                                   className="zone-spillover"),
                html.Dt("What it often feels like"), html.Dd(point.feels_like),
            ],
            className="facts",
        ),
    ]
    if point.note:
        body.append(html.P(point.note, className="note"))
    if point.disagreement:
        body.append(html.P([html.Strong("Sources differ: "), point.disagreement], className="disagreement"))
    body.append(source_links(model, point.sources))
    body.append(html.Button("Clear selection (Esc)", id={"type": "clear-inline", "place": "detail"}, n_clicks=0,
                            className="button button-quiet"))
    return html.Section(body, id="tp-detail", className="panel detail", **{"data-tp-id": point_id,
                                                                           "aria-labelledby": "tp-detail-title"})


def _sentence_list(names: list[str]) -> str:
    if not names:
        return ""
    text = referral.join_names(names)
    return text[0].upper() + text[1:] + "."


def source_ranking(model: Model, result: referral.Trace | None, focus: str | None) -> html.Section:
    if result is None or not result.pain:
        content = [html.P("Mark where it hurts to see which trigger points could cause it.", className="hint"),
                   html.Ol(id="source-ranking", className="ranking")]
    else:
        items = []
        for candidate in result.ranking:
            chosen = candidate.trigger_point == focus
            name = [html.Span(f"{candidate.rank}. {model.point_title(candidate.trigger_point)}", className="candidate-name")]
            if result.is_tied(candidate):
                name.append(html.Span("equally likely", className="candidate-tie"))
            items.append(
                html.Li(
                    html.Button(
                        name + [html.Span(referral.reason(model, candidate, len(result.pain)), className="candidate-reason")],
                        id={"type": "candidate", "tp": candidate.trigger_point}, n_clicks=0,
                        className="candidate" + (" chosen" if chosen else ""),
                        **{"aria-pressed": "true" if chosen else "false"},
                    ),
                    **{"data-tp-id": candidate.trigger_point, "data-rank": str(candidate.rank)},
                )
            )
        content = [html.Ol(items, id="source-ranking", className="ranking", **{"aria-label": "Likely sources, best first"})]
        together = referral.together_sentence(model, result)
        if together:
            # Above the list: with many partial fits, the list is long and this is the answer.
            content.insert(0, html.P(together, className="together", id="together-line"))
        if not result.ranking:
            content.insert(0, html.P("No trigger point in this map refers pain to the areas you marked.", className="hint"))
        if result.unexplained:
            names = referral.join_names([model.regions[r].name for r in result.unexplained])
            content.append(
                html.Div(
                    [html.Strong("Not explained by this map: "),
                     f"no trigger point here sends pain to the {names}. Other causes are possible: "
                     "check the warning signs below, and ask a doctor or therapist."],
                    className="notice notice-calm", id="unexplained-notice", role="status",
                )
            )
        if result.elsewhere:
            content.append(elsewhere_notice(model, result))
    content.append(html.P(RANKING_NOTE, className="disclaimer-inline"))
    content.append(evidence_caveat(model))
    return html.Section([html.H2("Likely sources")] + content, className="panel", id="ranking-panel")


def elsewhere_notice(model: Model, result: referral.Trace) -> html.Div:
    """The usual causes of a marked area that lie off this map, in the data's own plain sentences."""
    items = [
        html.Li([entry.note, " ", html.Span("Source: " + education.source_names(model, entry.sources),
                                            className="technical")], **{"data-region-id": entry.region})
        for entry in result.elsewhere
    ]
    return html.Div([html.Strong("Causes this map does not show"), html.Ul(items)],
                    className="notice notice-calm", id="elsewhere-notice")


def evidence_caveat(model: Model) -> html.P:
    return html.P(
        [education.EVIDENCE_CAVEAT, " ",
         html.Span("Sources: " + education.source_names(model, education.EVIDENCE_SOURCES), className="technical")],
        className="disclaimer-inline", id="evidence-caveat",
    )


# ----------------------------------------------------------------------------- page


def stores(model: Model, map_index: dict) -> list:
    return [
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="explorer-state", data=State().as_json()),
        dcc.Store(id="map-index", data=map_index),
        dcc.Store(id="focus", data=None),
        dcc.Store(id="paint-sink"),
        dcc.Store(id="focus-sink"),
    ]


def page(model: Model, figure: dict, map_index: dict, education) -> html.Div:
    diagram = html.Section(
        [
            html.H2("Back of the lower leg", className="visually-hidden"),
            html.Div(dcc.Graph(
                id="body-map", figure=figure, className="body-map", style={"height": "100%"},
                config={"displayModeBar": False, "responsive": True, "scrollZoom": False, "doubleClick": False},
                responsive=True,
            ), className="body-map-frame"),
            html.P("Tap an X to see where that point sends pain. Tap anywhere else on the leg or foot to mark "
                   "where it hurts.", className="hint map-hint"),
            legend(),
        ],
        className="map-panel", **{"aria-label": "Diagram of the back of the lower leg"},
    )
    side = html.Div(
        [
            html.Div(id="url-notice", role="status"),
            tp_list(model),
            html.Div(tp_detail(model, None), id="tp-detail-wrap"),
            region_list(model),
            html.Div(source_ranking(model, None, None), id="ranking-wrap"),
        ],
        className="side-panel",
    )
    return html.Div(
        stores(model, map_index)
        + [
            html.A("Skip to the point list", href="#tp-list", className="skip-link"),
            header(model),
            html.Main([diagram, side], className="layout"),
            html.Div(education, id="education-wrap"),
            html.Div(id="announcer", className="visually-hidden", **{"aria-live": "polite"}),
            html.Button("Clear selection", id="clear-selection", n_clicks=0, className="visually-hidden",
                        tabIndex="-1", **{"aria-hidden": "true"}),
            html.Footer([html.P(DISCLAIMER)], className="app-footer"),
        ],
        id="page", className="page",
    )

