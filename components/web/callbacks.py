"""Callbacks, registered on the app object. Each one reads its input and calls pure functions.

The browser scripts (assets/explorer/) turn taps, keys and history into the explorer state,
paint the map, rank marked pain, give each point's reason and raise the warning signs at once
(from referral.browser_table); the server never sees a tap. What needs Python comes from here: the
notes around the ranking, the self-care for the muscle in view, the canonical URL of the state, and
the handout link. When no server answers (offline), the page draws the notes and the self-care itself,
by the same rules and in the same words (assets/explorer/panels.js, from first_paint.page_texts).
"""
from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State as DashState, no_update
from flask import request

from components.domain import education, referral

from components.web import charts, layout, qr
from components.domain.model import Model
from components.domain.state import clean_state, focus_point


def render_panels(model: Model, raw_state, shown_muscle) -> tuple:
    """Everything the server draws for one state. Pure apart from Dash component objects."""
    state = clean_state(model, raw_state).state
    result = referral.trace(model, state.pain, state.palpation()) if state.pain else None
    focus = focus_point(state, result.ranking if result else ())
    muscle = education.muscle_for(model, focus)
    # focus-muscle comes back from the browser: a forged request can make it any JSON value.
    shown = shown_muscle.get("muscle") if isinstance(shown_muscle, dict) else None
    muscle_update = no_update if shown == muscle else {"muscle": muscle, "tp": focus}
    chosen = state.tp or state.pain
    # The handout shows the point, the pain and the side; filter and mode are screen-only.
    handout = f"/handout{state.handout_state().query()}" if chosen else None
    top, below = layout.ranking_notes(model, result)
    return (
        top,
        below,
        muscle_update,
        {"query": state.query(), "state": state.as_json()},
        handout,
        "false" if chosen else "true",
        bool(chosen),
    )


def register_callbacks(app: Dash, model: Model) -> None:
    def clientside(function: str, *dependencies) -> None:
        app.clientside_callback(ClientsideFunction(namespace="explorer", function_name=function), *dependencies)

    clientside("boot", Output("explorer-state", "data"), Output("url-notice", "children"), Input("boot", "data"))
    clientside("paint", Output("paint-sink", "data"), Input("explorer-state", "data"))
    clientside("syncUrl", Output("url-sink", "data"), Input("page-query", "data"),
               DashState("explorer-state", "data"))

    @app.callback(
        Output("ranking-top", "children"),
        Output("ranking-notes", "children"),
        Output("focus-muscle", "data"),
        Output("page-query", "data"),
        Output("handout-link", "href"),
        Output("handout-link", "aria-disabled"),
        Output("handout-reason", "hidden"),
        Input("explorer-state", "data"),
        DashState("focus-muscle", "data"),
    )
    def render(raw_state, shown_muscle):
        return render_panels(model, raw_state, shown_muscle)

    # Apart from the ranking, so the list never waits for the chart.
    @app.callback(Output("chart-wrap", "children"), Input("explorer-state", "data"))
    def show_chart(raw_state):
        state = clean_state(model, raw_state).state
        return charts.fit_chart(model, referral.trace(model, state.pain, state.palpation()) if state.pain else None)

    register_take_home(app, model)

    @app.callback(Output("education-wrap", "children"), Output("answer-safety", "children"),
                  Input("focus-muscle", "data"), prevent_initial_call=True)
    def show_education(shown_muscle):
        focus = shown_muscle.get("tp") if isinstance(shown_muscle, dict) else None
        # focus-muscle comes back from the browser: a list or dict is unhashable.
        focus = focus if isinstance(focus, str) and focus in model.trigger_points else None
        return (education.education_panel(model, focus),
                education.safety_block(model, education.muscle_for(model, focus), "answer-before-you-start"))


def take_home(model: Model, raw_state, base: str) -> list:
    """The "Take this home" panel for one state: the QR code of its handout's full address."""
    state = clean_state(model, raw_state).state
    if not (state.tp or state.pain):
        return layout.take_home_body(None, "")
    return layout.take_home_body(f"{base}/handout{state.handout_state().query()}", qr.loopback_warning(base))


def register_take_home(app: Dash, model: Model) -> None:
    @app.callback(Output("take-home-body", "children"), Input("explorer-state", "data"))
    def show_take_home(raw_state):
        return take_home(model, raw_state, qr.public_base(app.server.config.get(qr.CONFIG_KEY), request.root_url))
