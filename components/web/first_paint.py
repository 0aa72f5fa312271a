"""The page shell: the map, owned by the browser script from the first paint, outside React.

Python renders the map once, as plain SVG (body_map.static_map, the renderer the handout uses
too), already mirrored and painted for the link's state, and puts it in the page shell beside
Dash's ``react-entry-point``, never inside it: React never draws or wipes it. The explorer's
scripts (assets/explorer/, listed once in EXPLORER_SCRIPTS) are inline in the shell, ahead of
Dash's bundles, so taps, keys, painting and the ranking work before Dash has loaded, from the
data embedded here as JSON (#initial-state: the state, the ranking table and the texts of the
point panels, self-care and warning signs). Once Dash has drawn the page, the script moves the
map panel into Dash's empty ``section#map-panel`` and drops the first-paint panels around it.

The state itself is parsed here, by the same ``parse_query`` the handout and the API use.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from dash import Dash
from flask import request
from markupsafe import Markup

from components.domain import education, referral
from components.web import body_map, layout, offline
from components.domain.model import Model
from components.domain.referral import browser_table, trace
from components.domain.state import focus_point, notice_text, parse_query
from components.web.templating import TEMPLATES


PLOTLY_BUNDLE = "vendor/plotly-basic-4.1.1.min.js"

# The explorer's scripts, in load order (each by its job), in assets/explorer/. Inline in the
# shell (explorer_source), not served by Dash's asset loader (which puts assets after its own
# bundles): see app.py.
EXPLORER_FOLDER = "explorer"
EXPLORER_SCRIPTS = ("state.js", "ranking.js", "announce.js", "paint.js", "panels.js", "input.js", "dash.js")

# The element the shell puts right after the explorer's inline script. The page's first frame waits
# until the parser has reached it (<link rel="expect" blocking="render">), so the map is never on
# screen before its script has run: without this, the browser painted the map as soon as its markup
# was parsed and ignored taps for the 0.05-0.15 s the script below it took (docs/performance.md).
# The parser reaches it even if the script fails, or with scripts off: the page never stays blank.
EXPLORER_RAN = "explorer-ran"

# Dash's own page, with the language set, and its scripts in a plain div: a <footer> there would
# be a second page footer (contentinfo landmark) beside the app's own. The web app manifest and the
# update notice (#app-update, outside React, filled by assets/offline.js) belong to the installable
# app (components/web/offline.py); the first frame waits for EXPLORER_RAN.
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <link rel="manifest" href="/manifest.webmanifest">
        {%css%}
        <link rel="expect" href="#{explorer_ran}" blocking="render">
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
</html>""".replace("{explorer_ran}", EXPLORER_RAN)


@lru_cache(maxsize=8)
def ranking_table(model: Model) -> dict:
    return browser_table(model)


@lru_cache(maxsize=8)
def page_texts(model: Model) -> dict:
    """What the page says, for the browser to show from the page alone (before Dash, or offline):
    each area's name and accessible names, each point's panel, each muscle's self-care, and the
    warning signs with the words said around those the marked areas raise. Every text is data; the
    browser puts it in the page as text, never as markup."""
    points = {}
    for point_id, point in model.trigger_points.items():
        essential, spillover = referral.referral_summary(model, point_id)
        points[point_id] = {
            "title": model.point_title(point_id), "muscle": point.muscle, "location": point.location,
            "essential": _sentence(essential), "spillover": _sentence(spillover), "feels_like": point.feels_like,
        }
    return {
        "regions": {region: {"name": body_map.region_name(model, region),
                             "unmarked": body_map.region_label(model, region, marked=False),
                             "marked": body_map.region_label(model, region, marked=True)}
                    for region in model.regions},
        "points": points,
        "self_care": {muscle: [{"id": step.id, "kind": step.kind, "heading": education.KIND_HEADINGS.get(step.kind, ""),
                                "title": step.title, "instructions": step.instructions, "timing": step.timing,
                                "disagreement": step.disagreement,
                                "source": education.source_names(model, step.sources)}
                               for step in education.steps_for(model, muscle)]
                      for muscle in model.muscles},
        "red_flags": [{"id": flag.id, "name": flag.name, "urgency": flag.urgency,
                       "urgency_word": education.urgency_word(flag.urgency), "action": flag.action,
                       "signs": flag.signs, "source": education.source_names(model, flag.sources)}
                      for flag in model.red_flags],
        "raised_flags": {"title": education.RAISED_FLAGS_TITLE, "said": education.RAISED_FLAGS_SAID},
        **offline_texts(model),
    }


def offline_texts(model: Model) -> dict:
    """What the server's callbacks draw online, for the page to say itself when no server answers
    (offline): the notes around the ranking (layout.ranking_notes) and the self-care of the muscle in
    view with the warning signs (education.education_panel, safety_block), in their own words."""
    return {
        "notes": {"no_ranking": layout.NO_RANKING, "unexplained_lead": layout.UNEXPLAINED_LEAD,
                  "unexplained": layout.UNEXPLAINED_TEXT, "elsewhere_title": layout.ELSEWHERE_TITLE,
                  "elsewhere_lead": education.ELSEWHERE_LEAD, "source": education.SOURCE_LINE},
        "causes": {cause.id: {"title": layout.cause_title(cause), "kind": cause.kind, "note": cause.note,
                              "kind_words": education.CAUSE_KIND_WORDS[cause.kind],
                              "source": education.source_names(model, cause.sources)}
                   for cause in model.elsewhere.values()},
        "education": {
            "words": {"title": education.SELF_CARE_TITLE, "before": education.BEFORE_YOU_START,
                      "factors": education.FACTORS_TITLE, "no_routine": education.NO_ROUTINE,
                      "headings": list(education.KIND_HEADINGS.items()), "differ": education.SOURCES_DIFFER,
                      "source": education.SOURCE_LINE, "safety": education.SAFETY_WORDS,
                      "red_flags": education.RED_FLAGS_HEADING},
            "default": education.muscle_for(model, None),
            "muscles": {muscle.id: {"name": muscle.name, "summary": muscle.summary,
                                    "factors": [f.factor for f in model.loading_factors if f.muscle == muscle.id],
                                    "checks": [{"id": check.id, "kind": check.kind, "text": check.text,
                                                "source": education.source_names(model, check.sources)}
                                               for check in education.safety_checks_for(model, muscle.id)]}
                        for muscle in model.muscles.values()},
        },
    }


def _sentence(names: list[str]) -> str:
    text = referral.join_names(names)
    return text[:1].upper() + text[1:] + "." if text else ""


def first_html(model: Model, args, plotly_url: str = "", explorer: str = "") -> str:
    cleaned = parse_query(model, args)
    state = cleaned.state
    shown = focus_point(state, trace(model, state.pain, state.palpation()).ranking if state.pain else ())
    return TEMPLATES.get_template("first_paint.html").render(
        plotly_url=plotly_url,
        explorer=Markup(explorer),
        explorer_ran=EXPLORER_RAN,
        state=state,
        initial={"state": state.as_json(), "notice": notice_text(cleaned.ignored), "ranking": ranking_table(model),
                 "texts": page_texts(model), **offline.shell_facts(args)},
        body_map=body_map.static_map(model, side=state.side, selected=state.tp, shown=shown, pain=state.pain,
                                     levels=dict(state.intensity),
                                     attrs={"role": "group", "aria-labelledby": "map-title",
                                            "aria-describedby": "map-hint", "data-shown-tp": shown or ""}),
        view_tabs=body_map.view_tabs(model),
        legend=[(body_map.to_markup(swatch), words) for swatch, words in body_map.legend_items()],
        map_key=body_map.map_key(model),
        raised_flags_title=education.RAISED_FLAGS_TITLE,
        mark_hint=layout.MARK_HINT,
    )


@lru_cache(maxsize=4)
def explorer_source(assets_folder: str) -> str:
    """The explorer's scripts (each its own IIFE), in load order, as one inline script of the shell.
    Inline, the map works in the frame it is painted in: as seven files, they queued behind the
    style sheets and Dash's bundles, and a tap waited 0.1-0.3 s after the map showed
    (docs/performance.md, cold load). The shell is cached by the service worker, and the
    script's hash is in the Content-Security-Policy (script_hashes), so no other inline script runs."""
    folder = Path(assets_folder) / EXPLORER_FOLDER
    source = "\n".join((folder / name).read_text(encoding="utf-8") for name in EXPLORER_SCRIPTS)
    if "</script" in source.lower():
        raise ValueError(f"an explorer script in {folder} contains '</script', which would end the inline script")
    return source


def script_hashes(app: Dash) -> list[str]:
    """The Content-Security-Policy source of the shell's inline explorer script."""
    digest = hashlib.sha256(explorer_source(app.config.assets_folder).encode("utf-8")).digest()
    return [f"'sha256-{base64.b64encode(digest).decode()}'"]


# Dash's own bundles, as Dash writes them into {%scripts%}.
DASH_SCRIPT = re.compile(r'<script src="([^"<>]+)"></script>')
# ... and as the shell writes them: downloaded at once, run by assets/explorer/dash.js. (``data-src``
# also names the renderer's bundle for Dash's own check of the page, which looks for its src.)
DASH_BUNDLE = r'<link rel="preload" as="script" href="\1" fetchpriority="low" data-src="\1">'
# Dash's check also wants its renderer's element; the explorer's script starts the renderer itself.
RENDERER = '<script id="_dash-renderer" type="application/json">{}</script>'


def install_first_html(app: Dash, model: Model) -> None:
    """The shell as Dash's index page. Dash's bundles (1.3 MiB of script) are not run by the page
    as it is parsed: they download at once (preload), and the explorer's script starts them once
    the map works and has been painted (assets/explorer/dash.js), then starts Dash's renderer, so
    their running never holds up the first tap."""
    app.index_string = INDEX
    interpolate = app.interpolate_index
    plotly_url = app.get_asset_url(PLOTLY_BUNDLE)
    explorer = explorer_source(app.config.assets_folder)

    def interpolate_index(**parts):
        parts["app_entry"] = first_html(model, request.args, plotly_url, explorer)
        parts["scripts"] = DASH_SCRIPT.sub(DASH_BUNDLE, parts["scripts"])
        parts["renderer"] = RENDERER
        return interpolate(**parts)

    app.interpolate_index = interpolate_index
