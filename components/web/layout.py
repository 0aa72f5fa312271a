"""Page builders: small named functions that turn the model and a clean state into Dash components.

Every text that comes from data or from the URL is passed to Dash as a string child, which
React renders as text; nothing here uses raw HTML.
"""
from __future__ import annotations

from dash import dcc, html

from components.domain import education, referral

from components.web import body_map, qr
from components.domain.model import Model
from components.domain.state import State

DISCLAIMER = (
    "This map teaches how muscles can refer pain. It does not diagnose. Pain can have many causes; "
    "if you are unsure, or if any warning sign below applies, see a doctor."
)
# The notes around the ranked list: the server's (ranking_notes) and the page's own offline
# (assets/explorer/panels.js, from first_paint.page_texts) say them in these words.
MARK_HINT = "Mark where it hurts to see which trigger points could cause it."
NO_RANKING = "No trigger point in this map refers pain to the areas you marked."
UNEXPLAINED_LEAD = "Not explained by this map: "
UNEXPLAINED_TEXT = ("no trigger point here sends pain to the {names}. Other causes are possible: "
                    "check the warning signs below, and ask a doctor or therapist.")
ELSEWHERE_TITLE = "Causes this map does not show"
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


def side_choice() -> html.Div:
    buttons = [
        html.Button([word, html.Span("\u00a0leg", className="wide-only")], className="segment", **{"data-action": f"side-{value}",
                                                           "aria-pressed": "true" if value == "right" else "false"})
        for word, value in (("Right", "right"), ("Left", "left"))
    ]
    return html.Div(buttons, className="segmented", id="side-choice", role="group", **{"aria-label": "Which leg"})


def muscle_filter(model: Model) -> html.Div:
    options = [html.Option("All muscles", value="all")] + [
        html.Option(m.name.capitalize(), value=m.id) for m in model.muscles.values()
    ]
    return html.Div(
        [html.Label("Show", htmlFor="muscle-filter", className="control-label"),
         html.Select(options, id="muscle-filter", className="select", **{"data-action": "muscle"})],
        className="control control-filter" + ("" if len(model.muscles) > 1 else " hidden"),
    )


def header(model: Model) -> html.Header:
    return html.Header(
        [
            html.Div(
                [
                    html.H1("Calf pain map"),
                    html.P("Where trigger points in the lower leg send pain, and where your pain may come from.",
                           className="tagline"),
                ],
                className="brand",
            ),
            html.Div(
                [
                    side_choice(),
                    muscle_filter(model),
                    html.Button(["Clinic", html.Span("\u00a0view", className="wide-only")], id="mode-toggle", className="button",
                                **{"aria-pressed": "false", "data-action": "mode"}),
                    html.Div(
                        [html.A(["Print", html.Span("\u00a0handout", className="wide-only")], id="handout-link",
                                className="button button-primary",
                                target="_blank", rel="noopener", **{"aria-disabled": "true",
                                                                   "aria-describedby": "handout-reason"}),
                         html.Span("Choose a point or mark where it hurts first.", id="handout-reason",
                                   className="hint handout-reason")],
                        className="handout-control",
                    ),
                    take_home_control(),
                ],
                className="controls",
            ),
        ],
        className="app-header",
    )


def take_home_control() -> html.Details:
    """"Take this home": a QR code of the handout link for the state on screen (callbacks fill it in)."""
    return html.Details(
        [html.Summary(["Take", html.Span("\u00a0this", className="wide-only"), "\u00a0home"], className="button",
                      id="take-home-summary"),
         html.Div(take_home_body(None, ""), id="take-home-body", className="take-home-body")],
        id="take-home", className="take-home",
    )


def take_home_body(handout_url: str | None, warning: str) -> list:
    """The code, the link it holds in words, and a warning when a phone could not open it."""
    if not handout_url:
        return [html.P("Choose a point or mark where it hurts first: the code then holds the handout for it.",
                       className="hint")]
    body = [
        html.Img(src=qr.qr_data_uri(handout_url), id="take-home-qr", className="take-home-qr", width=240, height=240,
                 alt="QR code of the handout link for what is on screen now"),
        html.P(["Scan with a phone's camera to open the handout, with this map, at home. Nothing is stored: "
                "the link holds it all. ", html.A("The link", href=handout_url, id="take-home-link", target="_blank",
                                                   rel="noopener")], className="hint"),
    ]
    if warning:
        body.append(html.P([html.Strong("A phone cannot open this code. "), warning], className="notice",
                           id="take-home-warning", role="status"))
    return body


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
                    className="tp-button", **{"aria-pressed": "false", "data-tp-id": p.id, "data-muscle": muscle.id},
                )
            )
            for p in points
        ]
        groups.append(html.Li([html.H3(muscle.name.capitalize(), className="group-title"), html.Ul(buttons)],
                              className="tp-group", **{"data-muscle": muscle.id}))
    return html.Section(
        [html.H2("Trigger points", id="tp-list-title"),
         html.Ul(groups, id="tp-list", **{"aria-labelledby": "tp-list-title"})],
        className="panel list-panel",
    )


def region_list(model: Model) -> html.Section:
    toggles = [
        html.Li(
            html.Button(
                body_map.region_name(model, region.id), className="region-toggle",
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
            html.Button("Clear marked pain", id="clear-pain", className="button button-quiet",
                        **{"data-action": "clear-pain"}),
        ],
        className="panel list-panel",
    )


# ----------------------------------------------------------------------------- detail and ranking


DETAIL_HINT = "Choose an X on the diagram or a point in the list to see where it sends pain."


def tp_detail(model: Model, point_id: str) -> html.Article:
    """One point's facts. Every point's block is in the page from the start, hidden, so that a
    tap shows it at once; the browser script reveals the one shown."""
    point = model.trigger_points[point_id]
    essential, spillover = referral.referral_summary(model, point_id)
    title_id = f"detail-title-{point_id}"
    body = [
        html.H2(model.point_title(point_id), id=title_id, tabIndex="-1", className="detail-title"),
        html.Dl(
            [
                html.Dt("Where to find it"), html.Dd(point.location),
                html.Dt("Main pain area"), html.Dd(_sentence_list(essential), className="zone-essential-text"),
                # A point with no spillover says nothing here, rather than "Sometimes also: only around the point".
                *([html.Dt("Sometimes also"), html.Dd(_sentence_list(spillover), className="zone-spillover-text")]
                  if spillover else []),
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
    # "(Esc)" is a keyboard's hint: touch screens have no Esc key, so there it is not shown or said.
    body.append(html.Button(["Clear selection", html.Span("\u00a0(Esc)", className="key-hint")], className="button button-quiet",
                            **{"data-action": "clear-selection"}))
    return html.Article(body, className="detail-block", hidden=True,
                        **{"data-detail-of": point_id, "aria-labelledby": title_id})


def detail_panel(model: Model) -> html.Section:
    blocks = [tp_detail(model, point_id) for point_id in model.trigger_points]
    hint = html.Div([html.H2("Selected point", className="detail-title", tabIndex="-1"),
                     html.P(DETAIL_HINT, className="hint")], className="detail-empty")
    best = html.P("Shown because it is the best match for the areas you marked (dashed ring on the map). "
                  "Choose it, or another point, to see it on its own.", className="hint detail-best-note")
    return html.Section([hint, best, *blocks], id="tp-detail", className="panel detail", **{"data-tp-id": ""})


def _sentence_list(names: list[str]) -> str:
    if not names:
        return ""
    text = referral.join_names(names)
    return text[0].upper() + text[1:] + "."


def ranking_notes(model: Model, result: referral.Trace | None) -> tuple[list, list]:
    """What the server says around the ranked list: above it (a hint, or the points that together
    explain everything) and below it (areas nothing here explains, and causes off this map).

    The list itself (#source-ranking), each point's reason and the warning signs the marked areas
    raise (raised_flags_box) are drawn by the browser from referral.browser_table, at once, offline too."""
    top, below = [], []
    if result is None or not result.pain:
        # Hidden by the browser once pain is marked (offline, this answer never comes to replace it).
        top.append(html.P(MARK_HINT, className="hint mark-hint"))
        return top, below
    together = referral.together_sentence(model, result)
    if together:
        # Above the list: with many partial fits, the list is long and this is the answer.
        top.append(html.P(together, className="together", id="together-line"))
    if not result.ranking:
        top.append(html.P(NO_RANKING, className="hint"))
    if result.unexplained:
        names = referral.join_names([model.regions[r].name for r in result.unexplained])
        below.append(
            html.Div(
                [html.Strong(UNEXPLAINED_LEAD), UNEXPLAINED_TEXT.format(names=names)],
                className="notice notice-calm", id="unexplained-notice", role="status",
            )
        )
    if result.elsewhere:
        below.append(elsewhere_notice(model, result))
    return top, below


def ranking_panel(model: Model) -> html.Section:
    top, below = ranking_notes(model, None)
    return html.Section(
        [
            html.H2("Likely sources", id="ranking-title", tabIndex="-1"),
            # Beside the ranking: one line above it names the warning signs these areas make likely, and
            # the box right under the list says why and what to do (so the best match stays in view on a
            # phone). Both are the browser's (assets/explorer/panels.js), as in the first paint.
            html.P(id="raised-flags-line", className="raised-flags-line", hidden=True),
            html.Div(top, id="ranking-top"),
            # The browser's own notes, shown instead of the server's when no server answers (offline):
            # React draws nothing in them (assets/explorer/panels.js, drawLocalNotes).
            html.Div(id="ranking-top-local", hidden=True),
            html.Ol(id="source-ranking", className="ranking", **{"aria-label": "Likely sources, best first"}),
            # After the list, so the best candidate stays the first thing a tap brings into view.
            pain_levels(),
            raised_flags_box(),
            html.Div(below, id="ranking-notes"),
            html.Div(id="ranking-notes-local", hidden=True),
            html.P(RANKING_NOTE, className="disclaimer-inline"),
            evidence_caveat(model),
        ],
        className="panel", id="ranking-panel",
    )


def pain_levels() -> html.Div:
    """How much each marked area hurts, 0 to 10: one control per marked area, filled in by the
    browser script as areas are marked (a tap marks an area with no number)."""
    return html.Div(
        [html.H3("How much does it hurt?", id="pain-levels-title"),
         html.P("0 is no pain, 10 the worst imaginable. Shown on the map and the handout; it does not change "
                "the ranking.", className="hint"),
         html.Ul(className="pain-level-list", **{"aria-labelledby": "pain-levels-title"})],
        id="pain-levels", className="pain-levels-panel", hidden=True,
    )


def elsewhere_notice(model: Model, result: referral.Trace) -> html.Div:
    """The usual causes of the marked areas that lie off this map, in the data's own plain sentences."""
    items = []
    for entry in result.elsewhere:
        parts = [html.Strong(cause_title(entry.cause)),
                 html.Span(education.CAUSE_KIND_WORDS[entry.cause.kind], className=f"cause-kind cause-{entry.cause.kind}")]
        if entry.because:
            parts.append(html.P(entry.because, className="because"))
        parts += [html.P(entry.note), html.Span(education.SOURCE_LINE + education.source_names(model, entry.sources),
                                                className="technical")]
        items.append(html.Li(parts, **{"data-region-id": entry.region, "data-cause-id": entry.cause.id,
                                       "data-kind": entry.cause.kind}))
    return html.Div([html.Strong(ELSEWHERE_TITLE), html.P(education.ELSEWHERE_LEAD, className="hint"),
                     html.Ul(items)], className="notice notice-calm", id="elsewhere-notice")


def cause_title(cause) -> str:
    """An off-map cause's name as the first word of its entry: 'Quadratus lumborum'."""
    return cause.name[0].upper() + cause.name[1:]


def raised_flags_box() -> html.Section:
    """Where the browser lists the warning signs that the marked areas make likely, emergencies
    first, each with why and what to do (components/web/templates/first_paint.html has the same box)."""
    return html.Section([html.H3(education.RAISED_FLAGS_TITLE, id="raised-flags-title"), html.Ul()],
                        className="raised-flags", id="raised-flags", hidden=True,
                        **{"aria-labelledby": "raised-flags-title"})


def evidence_caveat(model: Model) -> html.P:
    return html.P(
        [education.EVIDENCE_CAVEAT, " ",
         html.Span("Sources: " + education.source_names(model, education.EVIDENCE_SOURCES), className="technical")],
        className="disclaimer-inline", id="evidence-caveat",
    )


# ----------------------------------------------------------------------------- page


def stores(model: Model) -> list:
    return [
        dcc.Store(id="boot"),                      # fires the browser's start-up callback once
        dcc.Store(id="explorer-state", data=State().as_json()),
        dcc.Store(id="focus-muscle", data={"muscle": education.muscle_for(model, None), "tp": None}),
        dcc.Store(id="page-query", data=None),     # the canonical URL query of the state (Python's rule)
        # Outputs of browser-side callbacks that change the page directly, not a component.
        dcc.Store(id="paint-sink"),
        dcc.Store(id="url-sink"),
    ]


def map_panel() -> html.Section:
    """An empty section that the browser script moves the map into once React has drawn it.

    The map itself (its view tabs, the SVG, the hint and the legend) is in the page shell
    (components/web/first_paint.py), outside React, and owned by the script from the first paint;
    React draws no children here, so it never redraws or wipes the map."""
    return html.Section(id="map-panel", className="map-panel", **{"aria-labelledby": "map-title"})


def answer_flags(model: Model) -> html.Section:
    """The red flags in a few words, beside the answer in clinic view (the full list is below)."""
    items = [
        html.Li([html.Span(education.URGENCY_WORDS[flag.urgency], className=f"urgency urgency-{flag.urgency}"),
                 html.Strong(flag.name), ": ", flag.action])
        for flag in model.red_flags
    ]
    return html.Section([html.H2("See a doctor first if…"), html.Ul(items)], className="panel red-flags answer-flags",
                        id="answer-flags", **{"aria-label": "Warning signs"})


def answer_panel(model: Model) -> html.Aside:
    return html.Aside(
        [
            html.Button("Hide answer", id="sheet-toggle", className="sheet-toggle",
                        **{"data-action": "sheet", "aria-expanded": "true", "aria-controls": "answer-body"}),
            html.Div(
                [
                    html.Div(id="url-notice", role="status"),
                    # Clinic view: the warning signs one tap away, below the answer, never over the map.
                    html.A("Warning signs ↓", href="#answer-flags", className="button flags-link"),
                    # The ranking comes first in reading order, as it does on screen once pain is
                    # marked; a chosen point's facts are drawn above it (style.css: order).
                    html.Div(ranking_panel(model), id="ranking-wrap"),
                    detail_panel(model),
                    html.Div(id="chart-wrap"),
                    # Clinic view hides the self-care; its "Before you start" check stays, above the flags.
                    html.Div(education.safety_block(model, education.muscle_for(model, None), "answer-before-you-start"),
                             id="answer-safety", className="answer-safety"),
                    # ... and the browser's, for the muscle in view when no server answers (offline).
                    html.Div(id="answer-safety-local", className="answer-safety", hidden=True),
                    answer_flags(model),
                ],
                id="answer-body", className="answer-body",
            ),
        ],
        id="answer", className="answer", **{"aria-label": "Answer"},
    )


def page(model: Model, education) -> html.Div:
    return html.Div(
        stores(model)
        + [
            html.A("Skip to the answer", href="#answer", className="skip-link"),
            header(model),
            html.Main(
                [
                    html.Div([map_panel(), answer_panel(model)], className="layout"),
                    html.Div([tp_list(model), region_list(model)], className="lists"),
                    html.Div(education, id="education-wrap"),
                    # The self-care of the muscle in view and the warning signs, drawn by the browser from
                    # the page's data when no server answers (offline); React draws nothing in it.
                    html.Section(id="education-local", className="education", hidden=True,
                                 **{"aria-labelledby": "self-care-local-title"}),
                ],
            ),
            html.Footer([html.P(DISCLAIMER)], className="app-footer"),
        ],
        id="page", className="page",
    )
