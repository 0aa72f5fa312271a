"""Property-based fuzzing of every server callback: any JSON value in any input or state, and broken
envelopes, are answered below 500, in JSON, with nothing logged as an error (issue 19).

Dash passes each input's value to the callback by position, straight from the request body, so
a forged request can put any JSON value (null, a bool, a number, a string, a list, an object) in
any of them. The callbacks must treat each as untrusted.
"""
from __future__ import annotations

import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_robustness import app, client  # noqa: F401 - the same app fixtures

CALLBACK = "/_dash-update-component"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))  # docs/performance.md: a longer run, with 5000

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
# Values shaped like the app's own, so the fuzzing reaches past the first type check too.
state_like = st.fixed_dictionaries({}, optional={
    "tp": json_values | st.sampled_from(["gastrocnemius-tp1", "soleus-tp1", ""]),
    "pain": json_values | st.lists(st.sampled_from(["instep", "achilles", "knee-back", "x"]), max_size=4),
    "side": json_values | st.sampled_from(["left", "right"]),
    "muscle": json_values | st.sampled_from(["all", "soleus", "gastrocnemius"]),
    "mode": json_values | st.sampled_from(["explore", "clinic"]),
})
muscle_like = st.fixed_dictionaries({}, optional={"muscle": json_values, "tp": json_values})
any_value = json_values | state_like | muscle_like


def server_callbacks(client) -> list[dict]:
    return [dep for dep in client.get("/_dash-dependencies").get_json() if not dep.get("clientside_function")]


def outputs_of(output: str):
    parts = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output.strip(".").split("...")]
    return parts if output.startswith("..") else parts[0]


def request_for(dep: dict, inputs: list, states: list) -> dict:
    return {
        "output": dep["output"], "outputs": outputs_of(dep["output"]),
        "inputs": [{"id": i["id"], "property": i["property"], "value": v} for i, v in zip(dep["inputs"], inputs)],
        "state": [{"id": s["id"], "property": s["property"], "value": v} for s, v in zip(dep["state"], states)],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
    }


def assert_answered(client, payload, caplog) -> int:
    caplog.clear()
    response = client.post(CALLBACK, data=json.dumps(payload), content_type="application/json")
    assert response.status_code < 500, (json.dumps(payload)[:400], response.get_data(as_text=True)[:300])
    if response.status_code >= 400:
        assert "error" in response.get_json(), response.get_data(as_text=True)[:300]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, (json.dumps(payload)[:400], errors[0].getMessage())
    return response.status_code


def test_fuz001_every_server_callback_is_fuzzed(client):
    outputs = {dep["output"] for dep in server_callbacks(client)}
    assert len(outputs) >= 3, outputs  # render, chart, education


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_fuz002_any_json_value_in_any_input_or_state(client, caplog, data):
    dep = data.draw(st.sampled_from(server_callbacks(client)), label="callback")
    inputs = [data.draw(any_value, label=f"input {i['id']}.{i['property']}") for i in dep["inputs"]]
    states = [data.draw(any_value, label=f"state {s['id']}.{s['property']}") for s in dep["state"]]
    assert_answered(client, request_for(dep, inputs, states), caplog)


ENVELOPE_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")


@settings(max_examples=EXAMPLES * 3 // 4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_fuz003_any_json_value_in_the_envelope(client, caplog, data):
    dep = data.draw(st.sampled_from(server_callbacks(client)), label="callback")
    payload = request_for(dep, [None] * len(dep["inputs"]), [None] * len(dep["state"]))
    for key in data.draw(st.sets(st.sampled_from(ENVELOPE_KEYS), min_size=1, max_size=2), label="keys"):
        payload[key] = data.draw(json_values | st.just([[]]) | st.just([]) | st.just([{}]), label=key)
    assert_answered(client, payload, caplog)


@pytest.mark.parametrize("value", ["soleus", ["soleus"], 3, 2.5, True, False, None, {"muscle": ["x"]}, {"tp": {}}])
def test_fuz004_the_issue_examples_are_4xx_or_answered(client, caplog, value):
    """focus-muscle as a string, list, number or bool; tp as a list or dict; outputs [[]]."""
    for dep in server_callbacks(client):
        values = [value] * len(dep["inputs"]), [value] * len(dep["state"])
        assert_answered(client, request_for(dep, *values), caplog)
        assert_answered(client, {**request_for(dep, *values), "outputs": [[]]}, caplog)
    for tp in (["gastrocnemius-tp1"], {"a": 1}):
        for dep in server_callbacks(client):
            values = [{"tp": tp, "muscle": "all"}] * len(dep["inputs"]), [{"tp": tp}] * len(dep["state"])
            assert_answered(client, request_for(dep, *values), caplog)
