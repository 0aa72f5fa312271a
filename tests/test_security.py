"""The callback guard: malformed callback requests are a JSON 400, never Dash's 500."""
from __future__ import annotations

import json

import pytest

from app import create_app
from components.server.security import callback_request_problem

KNOWN = {"a.children": object()}
GOOD = {"output": "a.children", "outputs": {"id": "a", "property": "children"},
        "inputs": [{"id": "s", "property": "data", "value": None}], "state": []}


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{", "not valid JSON"),
        (b"[" * 5000, "not valid JSON"),
        (b"[]", "JSON object"),
        (json.dumps({**GOOD, "output": "nope.children"}).encode(), "no known callback"),
        (json.dumps({**GOOD, "inputs": {"a": 1}}).encode(), "'inputs'"),
        (json.dumps({**GOOD, "inputs": [{}]}).encode(), "'inputs'"),
        (json.dumps({**GOOD, "state": [[{"id": "x"}]]}).encode(), "'state'"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "outputs"}).encode(), "'outputs' are required"),
        (b" " * (5 * 1024 * 1024), "too large"),
    ],
)
def test_sec001_callback_request_problems(body, reason):
    assert reason in callback_request_problem(body, KNOWN)


def test_sec002_a_well_formed_request_passes():
    assert callback_request_problem(json.dumps(GOOD).encode(), KNOWN) is None
    pattern = {**GOOD, "inputs": [[{"id": {"type": "t", "tp": "x"}, "property": "n_clicks", "value": 1}]]}
    assert callback_request_problem(json.dumps(pattern).encode(), KNOWN) is None


def test_sec003_the_app_answers_400_json_and_still_serves_real_callbacks():
    app = create_app()
    client = app.server.test_client()
    bad = client.post("/_dash-update-component", data=b"[[[", content_type="application/json")
    assert bad.status_code == 400 and "error" in bad.get_json()
    output = next(key for key in app.callback_map if "ranking-top.children" in key)
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output.strip(".").split("...")]
    good = client.post("/_dash-update-component", json={
        "output": output, "outputs": outputs, "changedPropIds": ["explorer-state.data"],
               "state": [{"id": "focus-muscle", "property": "data", "value": None}],
        "inputs": [{"id": "explorer-state", "property": "data", "value": {"tp": "gastrocnemius-tp1"}}],
    })
    assert good.status_code == 200
    assert "gastrocnemius-tp1" in good.get_data(as_text=True)
    mismatch = client.post("/_dash-update-component", json={
        "output": output, "outputs": outputs[:1], "state": [{"id": "focus-muscle", "property": "data", "value": None}],
        "inputs": [{"id": "explorer-state", "property": "data", "value": None}],
    })
    assert mismatch.status_code == 400
