"""Security headers on every response; a Content-Security-Policy that Dash and Plotly work with."""
from __future__ import annotations

import json
from collections.abc import Mapping

from dash import Dash
from dash.exceptions import CallbackException
from flask import jsonify, request

from components.server.hardening import MAX_BODY_BYTES
from components.web.first_paint import script_hashes


def content_security_policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Plotly and React set inline style attributes; no inline script is allowed.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",  # the service worker, /sw.js (components/web/offline.py)
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def install_security_headers(app: Dash) -> None:
    policy_cache: dict[str, str] = {}

    @app.server.after_request
    def add_headers(response):
        if "policy" not in policy_cache:
            policy_cache["policy"] = content_security_policy(app.csp_hashes() + script_hashes(app))
        response.headers.setdefault("Content-Security-Policy", policy_cache["policy"])
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


CALLBACK_PATH = "/_dash-update-component"
MAX_CALLBACK_BODY = MAX_BODY_BYTES  # far above any real state; bounds the JSON parse


def callback_request_problem(body: bytes, known_outputs) -> str | None:
    """Why a callback request can't be one this app sent, or None. Pure, for testing."""
    if len(body) > MAX_CALLBACK_BODY:
        return "the request body is too large"
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return "the request body is not valid JSON"
    if not isinstance(payload, dict):
        return "the request body must be a JSON object"
    if not isinstance(payload.get("output"), str) or payload["output"] not in known_outputs:
        return "the request names no known callback output that runs on the server"
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop_id, str) for prop_id in changed):
        return "'changedPropIds' must be a list of 'id.property' strings"
    for key in ("inputs", "state"):
        entries = payload.get(key, [])
        if not isinstance(entries, list) or not all(_dependency_ok(entry) for entry in entries):
            return f"'{key}' must be a list of {{id, property}} objects"
    if "inputs" not in payload or not _dependency_ok(payload.get("outputs")):
        return "'inputs' and 'outputs' are required"
    declared = known_outputs.get(payload["output"]) if isinstance(known_outputs, Mapping) else None
    for key in ("inputs", "state"):
        # Dash passes the values to the callback by position: a wrong count is a forged request.
        if isinstance(declared, Mapping) and len(payload.get(key, [])) != len(declared.get(key, [])):
            return f"'{key}' must list the callback's {len(declared.get(key, []))} values"
    if payload["output"].startswith(".."):
        # A multi-output callback's id lists its outputs between '...'; Dash indexes by them.
        expected = len(payload["output"].strip(".").split("..."))
        if not isinstance(payload["outputs"], list) or len(payload["outputs"]) != expected:
            return f"'outputs' must list the callback's {expected} outputs"
    return envelope_mismatch(payload, declared)


def envelope_mismatch(payload: dict, declared) -> str | None:
    """The envelope must name exactly the callback's own outputs, inputs and state, in order.

    This app has no pattern-matching callbacks, so every item is one {id, property}; anything
    else (``"outputs": [[]]``, an input of another callback) is a forgery that Dash would answer
    with a 500.
    """
    output = payload["output"]
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    wanted = {"outputs": [tuple(part.rsplit(".", 1)) for part in parts]}
    if isinstance(declared, Mapping):
        for key in ("inputs", "state"):
            wanted[key] = [(item.get("id"), item.get("property")) for item in declared.get(key, [])]
    for key, expected in wanted.items():
        given = payload.get(key, [])
        given = [given] if key == "outputs" and not output.startswith("..") else given
        if [(item.get("id"), item.get("property")) if isinstance(item, dict) else None for item in given] != expected:
            return f"'{key}' must name the callback's own {key}"
    return None


def _dependency_ok(entry) -> bool:
    """One {id, property} item, or a list of them (a pattern-matching input or output)."""
    if isinstance(entry, list):
        return all(_dependency_ok(item) for item in entry)
    return isinstance(entry, dict) and "id" in entry and isinstance(entry.get("property"), str)


def server_outputs(app: Dash) -> dict[str, dict]:
    """Outputs of callbacks with a server function. Browser-side (clientside) callbacks are in
    the callback map too, but Dash has nothing to run for them: naming one was a 500."""
    return {output: callback for output, callback in app.callback_map.items() if "callback" in callback}


def install_callback_guard(app: Dash) -> None:
    """Turn malformed callback requests into a JSON 400 before Dash, which would answer 500."""

    @app.server.before_request
    def guard_callback_requests():
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        problem = callback_request_problem(request.get_data(cache=True), server_outputs(app))
        if problem:
            return jsonify({"error": problem}), 400
        return None

    # At request time Dash raises this only when a request does not match the callback's
    # declared inputs or outputs: the client's fault, not a server error.
    @app.server.errorhandler(CallbackException)
    def callback_mismatch(error):
        return jsonify({"error": f"the callback request does not match the callback: {error}"}), 400
