"""Callbacks, registered on the app object. Each one reads its input and calls pure functions.

Two run in the browser (assets/explorer.js): ``sync`` turns clicks, keys and the URL into the
state, and ``paint`` restyles only the traces that changed, so that a click on an X is painted
without a server round trip. The server's ``render`` fills in the text panels and the ranking.
"""
from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State as DashState

from components import education, layout, referral
from components.model import Model
from components.state import State, clean_state, focus_point


def render_panels(model: Model, raw_state) -> tuple:
    """Everything the server draws for one state. Pure apart from Dash component objects."""
    cleaned = clean_state(model, raw_state)
    state = cleaned.state
    result = referral.trace(model, state.pain) if state.pain else None
    focus = focus_point(state, result.ranking if result else ())
    announcement = ""
    first = [c.trigger_point for c in result.ranking if c.rank == 1] if result else []
    if focus and not state.tp and len(first) > 1:
        # A tie is announced as a tie: the point drawn is only the first of those listed.
        names = referral.join_names([referral.short_point_name(model, p) for p in first])
        announcement = f"Equally likely: {names}. Showing {model.point_title(focus)}."
    elif focus:
        essential, _ = referral.referral_summary(model, focus)
        announcement = f"{model.point_title(focus)} selected. Main pain area: {', '.join(essential)}."
    elif state.pain:
        announcement = "No trigger point in this map explains the marked areas."
    # The handout shows the point, the pain and the side; filter and mode are screen-only.
    handout_query = State(tp=state.tp, pain=state.pain, side=state.side).query()
    return (
        layout.tp_detail(model, focus),
        layout.source_ranking(model, result, focus),
        focus,
        announcement,
        f"/handout{handout_query}",
        education.education_panel(model, focus),
    )


def register_callbacks(app: Dash, model: Model) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="explorer", function_name="sync"),
        Output("explorer-state", "data"),
        Output("url", "search"),
        Output("url-notice", "children"),
        Output("side-choice", "value"),
        Output("muscle-filter", "value"),
        Input("url", "search"),
        Input("body-map", "clickData"),
        Input({"type": "tp-button", "tp": ALL}, "n_clicks"),
        Input({"type": "region-toggle", "region": ALL}, "n_clicks"),
        Input({"type": "candidate", "tp": ALL}, "n_clicks"),
        Input("clear-selection", "n_clicks"),
        Input({"type": "clear-inline", "place": ALL}, "n_clicks"),
        Input("clear-pain", "n_clicks"),
        Input("side-choice", "value"),
        Input("muscle-filter", "value"),
        Input("mode-toggle", "n_clicks"),
        DashState("explorer-state", "data"),
        DashState("map-index", "data"),
    )

    app.clientside_callback(
        ClientsideFunction(namespace="explorer", function_name="paint"),
        Output("paint-sink", "data"),
        Output({"type": "tp-button", "tp": ALL}, "aria-pressed"),
        Output({"type": "region-toggle", "region": ALL}, "aria-pressed"),
        Output("mode-toggle", "aria-pressed"),
        Output("page", "className"),
        Input("explorer-state", "data"),
        DashState("map-index", "data"),
    )

    # Kept apart from paint: a callback with a server output as input waits for the server.
    app.clientside_callback(
        ClientsideFunction(namespace="explorer", function_name="paintFocus"),
        Output("focus-sink", "data"),
        Input("focus", "data"),
        DashState("map-index", "data"),
    )

    @app.callback(
        Output("tp-detail-wrap", "children"),
        Output("ranking-wrap", "children"),
        Output("focus", "data"),
        Output("announcer", "children"),
        Output("handout-link", "href"),
        Output("education-wrap", "children"),
        Input("explorer-state", "data"),
    )
    def render(raw_state):
        return render_panels(model, raw_state)
