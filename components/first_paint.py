"""The page's first HTML: the map as static SVG, painted with the state of the link, before any script.

Dash renders the page with React once its scripts have loaded. Until then the browser shows
this: the same SVG the page will draw (body_map, one renderer), already mirrored and painted
for the link's state, so the map is visible at once. The state itself is parsed here, by the
same ``parse_query`` the handout and the API use, and handed to the browser script as JSON.
"""
from __future__ import annotations

from functools import lru_cache

from dash import Dash
from flask import request

from components import body_map, offline
from components.model import Model
from components.referral import browser_table, trace
from components.state import focus_point, notice_text, parse_query
from components.templating import TEMPLATES


PLOTLY_BUNDLE = "vendor/plotly-basic-4.1.1.min.js"

# Dash's own page, with the language set, and its scripts in a plain div: a <footer> there would
# be a second page footer (contentinfo landmark) beside the app's own. The web app manifest and the
# update notice (#app-update, outside React, filled by assets/offline.js) belong to the installable
# app (components/offline.py).
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <link rel="manifest" href="/manifest.webmanifest">
        {%css%}
    </head>
    <body>
        <div id="app-update" class="app-update" role="status" aria-live="polite"></div>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


@lru_cache(maxsize=8)
def ranking_table(model: Model) -> dict:
    return browser_table(model)


def first_html(model: Model, args, plotly_url: str = "") -> str:
    cleaned = parse_query(model, args)
    state = cleaned.state
    shown = focus_point(state, trace(model, state.pain, state.palpation()).ranking if state.pain else ())
    return TEMPLATES.get_template("first_paint.html").render(
        plotly_url=plotly_url,
        state=state,
        initial={"state": state.as_json(), "notice": notice_text(cleaned.ignored), "ranking": ranking_table(model),
                 **offline.shell_facts(args)},
        body_map=body_map.static_map(model, side=state.side, selected=state.tp, shown=shown, pain=state.pain,
                                     levels=dict(state.intensity)),
    )


def install_first_html(app: Dash, model: Model) -> None:
    app.index_string = INDEX
    interpolate = app.interpolate_index
    plotly_url = app.get_asset_url(PLOTLY_BUNDLE)

    def interpolate_index(**parts):
        parts["app_entry"] = first_html(model, request.args, plotly_url)
        return interpolate(**parts)

    app.interpolate_index = interpolate_index
