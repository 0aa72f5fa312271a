"""The read-only JSON API on the Flask server: the same model and functions the page uses."""
from __future__ import annotations

from flask import Flask, jsonify, request

from components.domain import referral
from components.domain.model import Model
from components.domain.palpation import PARAMETERS
from components.domain.state import parse_query

MAX_QUERY_LENGTH = 2000
# The parts of the page's link that /api/trace reads.
TRACE_FIELDS = ("pain", *PARAMETERS.values())


def regions_json(model: Model) -> list[dict]:
    return [{"id": r.id, "name": r.name, "view": r.view} for r in model.regions.values()]


def trigger_point_json(model: Model, point_id: str) -> dict:
    point = model.trigger_points[point_id]
    zones = []
    for region, intensity in referral.referral_of(model, point_id).items():
        zones.append({"region": region, "intensity": intensity})
    return {
        "id": point.id,
        "muscle": model.muscles[point.muscle].name,
        "head": point.head,
        "label": point.label,
        "name": model.point_title(point.id),
        "prevalence": point.prevalence or None,
        "location": point.location,
        "feels_like": point.feels_like,
        "note": point.note,
        "disagreement": point.disagreement or None,
        "zones": zones,
        "sources": source_strings(model, point.sources),
    }


def source_strings(model: Model, source_ids) -> list[str]:
    """A web source by its address; a seed article by its publisher and title, never its file name."""
    return [model.sources[s].reference if model.sources[s].kind == "web" else model.sources[s].title
            for s in source_ids]


def red_flags_json(model: Model) -> list[dict]:
    """Emergencies first. ``raised_by`` and ``nerve_root`` say which marked areas make a flag likely
    (``/api/trace`` then names it with its ``because``)."""
    return [
        {"id": flag.id, "name": flag.name, "urgency": flag.urgency, "signs": flag.signs,
         "action": flag.action, "sources": source_strings(model, flag.sources),
         "raised_by": list(flag.raised_by), "nerve_root": flag.nerve_root, "because": flag.because or None}
        for flag in model.red_flags
    ]


def safety_checks_json(model: Model) -> list[dict]:
    """The "Before you start" lines, in order, with the muscles whose self-care they come before."""
    return [
        {"id": check.id, "kind": check.kind, "text": check.text, "muscles": list(check.muscles),
         "sources": source_strings(model, check.sources)}
        for check in model.safety_checks
    ]


def trigger_points_json(model: Model) -> list[dict]:
    return [trigger_point_json(model, point_id) for point_id in model.trigger_points]


def _error(message: str, status: int, **extra):
    return jsonify({"error": message, **extra}), status


def register_api(server: Flask, model: Model) -> None:
    # The lists, each the same for every request: path -> its JSON.
    lists = {"/api/regions": regions_json, "/api/trigger-points": trigger_points_json,
             "/api/red-flags": red_flags_json, "/api/safety-checks": safety_checks_json}
    for path, build in lists.items():
        server.add_url_rule(path, endpoint="api_" + path.rsplit("/", 1)[1].replace("-", "_"),
                            view_func=lambda build=build: jsonify(build(model)), methods=["GET"])

    @server.get("/api/trace")
    def api_trace():
        args = request.args.to_dict(flat=False)
        if sum(len(value) for values in args.values() for value in values) > MAX_QUERY_LENGTH:
            return _error(f"the query is longer than {MAX_QUERY_LENGTH} characters", 400)
        # The page's own reading of a link (components/domain/state.py): ?pain=a:7,b and ?pain=a&pain=b
        # mean what they mean on the page; the API refuses what the page would drop with a notice.
        cleaned = parse_query(model, args, fields=TRACE_FIELDS)
        pain_notes = cleaned.ignored_in("pain")
        if pain_notes:
            return _error(f"in 'pain': {'; '.join(pain_notes)}", 400, valid=list(model.regions))
        if cleaned.ignored:
            return _error("; ".join(cleaned.ignored), 400, valid_trigger_points=list(model.trigger_points))
        state = cleaned.state
        result = referral.trace(model, state.pain, state.palpation())
        levels = dict(state.intensity)
        return jsonify({**result.as_json(), "intensity": {region: levels.get(region) for region in state.pain}})

    # GET only: another method on any API path is a 405 whose Allow header (and OPTIONS) says
    # GET, HEAD, OPTIONS; components/server/hardening.py writes those answers.
    @server.get("/api/", defaults={"rest": ""})
    @server.get("/api/<path:rest>")
    def api_fallback(rest):
        return _error("no such API route", 404,
                      routes=[*lists, "/api/trace?pain=...&found=...&tender=...&not_found=..."])
