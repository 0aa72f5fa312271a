"""One state: the page, the handout and the API accept and refuse exactly the same link values.

For each query the page's first HTML says what it understood (its initial state and notice);
the handout answers 200 or 4xx, and links back to the explorer with the state it printed; the
API's /api/trace answers 200 or 4xx for the ``pain`` it was given. Where one accepts, the others
accept and mean the same thing; where one refuses, the others refuse.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app import create_app

INITIAL_STATE = re.compile(r'<script[^>]*\bid="initial-state"[^>]*>(.*?)</script>', re.S)
BACK_LINK = re.compile(r'<a href="(/\?[^"]*|/)"[^>]*>[^<]*Back to the explorer', re.S)

QUERIES = [
    # point: valid, spelt differently, unknown, hostile, empty, repeated
    "tp=gastrocnemius-tp1",
    "tp=Gastrocnemius-TP1",
    "tp=%20gastrocnemius-tp1%20",
    "tp=gastrocnemius-tp9",
    "tp=__proto__",
    "tp=constructor",
    "tp=%3Cscript%3E",
    "tp=",
    "tp=gastrocnemius-tp2&tp=gastrocnemius-tp1",
    # pain: valid, spelt differently, repeated params, duplicates, unknown, hostile, empty
    "pain=instep",
    "pain=INSTEP,Knee-Back",
    "pain=%20instep%20,%20knee-back%20",
    "pain=instep&pain=knee-back",
    "pain=instep,instep",
    "pain=instep,,knee-back",
    "pain=instep,nowhere",
    "pain=__proto__",
    "pain=constructor,toString",
    "pain=",
    "pain=,,",
    # side with something chosen
    "tp=gastrocnemius-tp1&side=left",
    "tp=gastrocnemius-tp1&side=LEFT",
    "tp=gastrocnemius-tp1&side=%20left%20",
    "tp=gastrocnemius-tp1&side=up",
    "tp=gastrocnemius-tp1&side=__proto__",
    "tp=gastrocnemius-tp1&side=",
    "pain=knee-back&side=right&side=left",
    # both
    "tp=soleus-tp1&pain=heel-underside,sole",
    "tp=soleus-tp1&pain=heel-underside,nowhere",
    "",
]


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def page_reading(client, query: str) -> tuple[bool, dict]:
    """(accepted, state) from the page's first HTML: accepted means no part of the link was ignored."""
    response = client.get("/?" + query)
    assert response.status_code == 200
    found = INITIAL_STATE.search(response.get_data(as_text=True))
    assert found, "the first HTML carries no initial-state"
    initial = json.loads(found.group(1))
    return initial["notice"] == "", initial["state"]


def handout_reading(client, query: str) -> tuple[int, dict | None]:
    """(status, the state it printed, read from its link back to the explorer)."""
    response = client.get("/handout?" + query)
    if response.status_code != 200:
        return response.status_code, None
    back = BACK_LINK.search(response.get_data(as_text=True))
    assert back, "the handout has no link back to the explorer"
    params = parse_qs(urlsplit(html.unescape(back.group(1))).query)
    return 200, {
        "tp": params.get("tp", [None])[0],
        "pain": [p for p in params.get("pain", [""])[0].split(",") if p],
        "side": params.get("side", ["right"])[0],
    }


@pytest.mark.parametrize("query", QUERIES)
def test_state001_page_and_handout_accept_and_refuse_the_same_links(client, query):
    accepted, state = page_reading(client, query)
    status, printed = handout_reading(client, query)
    chosen = bool(state["tp"] or state["pain"])
    if accepted and chosen:
        assert status == 200, f"the page accepts ?{query} but the handout answers {status}"
        assert printed == {"tp": state["tp"], "pain": state["pain"], "side": state["side"]}
    else:
        # Refused by the page, or nothing to print: the handout refuses too (a 4xx, never a 5xx).
        assert 400 <= status < 500, f"the page {'refuses' if not accepted else 'has nothing for'} ?{query} " \
                                    f"but the handout answers {status}"


@pytest.mark.parametrize("query", [q for q in QUERIES if q.startswith("pain=") and "side=" not in q])
def test_state002_page_and_api_accept_and_refuse_the_same_pain(client, query):
    accepted, state = page_reading(client, query)
    response = client.get("/api/trace?" + query)
    if accepted:
        assert response.status_code == 200, f"the page accepts ?{query} but /api/trace answers {response.status_code}"
        assert response.get_json()["pain"] == state["pain"]
    else:
        assert 400 <= response.status_code < 500, f"the page refuses ?{query} but /api/trace answers {response.status_code}"


# --------------------------------------------------------------------------- the chosen point and the muscle filter

HIDDEN_BY_FILTER = "tp=soleus-tp1&muscle=gastrocnemius"


def test_state003_a_link_whose_filter_hides_its_point_shows_the_point_and_every_muscle(model):
    from components.domain.state import parse_query

    cleaned = parse_query(model, {"tp": ["soleus-tp1"], "muscle": ["gastrocnemius"]})
    assert (cleaned.state.tp, cleaned.state.muscle) == ("soleus-tp1", "all")
    assert cleaned.ignored_in("muscle") == [
        "the filter “gastrocnemius” would hide the chosen point, Soleus TP1, so every muscle is shown"]
    assert cleaned.ignored == tuple(cleaned.ignored_in("muscle"))


def test_state004_a_filter_that_shows_the_point_is_kept(model):
    from components.domain.state import filter_shows, parse_query

    cleaned = parse_query(model, {"tp": "gastrocnemius-tp1", "muscle": "gastrocnemius"})
    assert (cleaned.state.tp, cleaned.state.muscle, cleaned.ignored) == ("gastrocnemius-tp1", "gastrocnemius", ())
    assert parse_query(model, {"muscle": "soleus"}).state.muscle == "soleus"
    assert filter_shows(model, "all", "soleus-tp1") and filter_shows(model, "soleus", None)
    assert not filter_shows(model, "gastrocnemius", "soleus-tp1")


def test_state005_the_page_says_it_widened_the_filter(client):
    accepted, state = page_reading(client, HIDDEN_BY_FILTER)
    assert not accepted
    assert (state["tp"], state["muscle"]) == ("soleus-tp1", "all")
    page = client.get("/?" + HIDDEN_BY_FILTER).get_data(as_text=True)
    assert "so every muscle is shown" in html.unescape(page)


def test_state006_the_handout_and_the_api_read_only_their_parts_of_the_link(client):
    # The filter only changes the screen: the handout prints the point, by the same rule.
    status, printed = handout_reading(client, HIDDEN_BY_FILTER)
    assert (status, printed) == (200, {"tp": "soleus-tp1", "pain": [], "side": "right"})
    answer = client.get("/api/trace?pain=instep:7&" + HIDDEN_BY_FILTER)
    assert answer.status_code == 200 and answer.get_json()["intensity"] == {"instep": 7}
    refused = client.get("/api/trace?pain=instep&found=soleus-tp9")
    assert refused.status_code == 400 and "soleus-tp9" in refused.get_json()["error"]
    assert "valid_trigger_points" in refused.get_json()
