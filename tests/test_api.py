"""The read-only JSON API of the contract, security headers, and state cleaning of forged input."""
from __future__ import annotations

import pytest

from components.domain.state import State, clean_state

TP = {n: f"gastrocnemius-tp{n}" for n in range(1, 5)}
CALF = {"calf-upper-medial", "calf-lower-medial", "calf-upper-lateral", "calf-lower-lateral"}


@pytest.fixture(scope="module")
def client(model):
    import app as app_module

    dash_app = app_module.create_app(model=model)
    dash_app.server.config["TESTING"] = True
    return dash_app.server.test_client()


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.is_json, (url, response.content_type)
    return response.get_json()


# --------------------------------------------------------------------------- /api/regions


def test_regions_shape(client, model):
    regions = get_json(client, "/api/regions")
    assert isinstance(regions, list)
    assert {r["id"] for r in regions} == set(model.regions)
    for region in regions:
        assert set(region) >= {"id", "name", "view"}
        assert all(isinstance(region[key], str) and region[key] for key in ("id", "name", "view"))
        assert region["view"] in model.views
    assert {"instep", "knee-back", "low-back-sacroiliac"} <= {r["id"] for r in regions}


# --------------------------------------------------------------------------- /api/trigger-points


@pytest.fixture(scope="module")
def points(client):
    return {p["id"]: p for p in get_json(client, "/api/trigger-points")}


def test_trigger_points_fields(points, model):
    assert set(points) == set(model.trigger_points)
    for point in points.values():
        assert {"id", "muscle", "head", "label", "zones", "sources"} <= set(point)
        assert point["muscle"] == point["muscle"].lower()
        assert point["head"] in ("medial", "lateral", None)
        assert point["label"].startswith("TP") and point["label"][2:].isdigit()
        assert isinstance(point["sources"], list) and point["sources"]
        assert all(isinstance(s, str) and s for s in point["sources"])
        assert point["zones"], point["id"]
        for zone in point["zones"]:
            assert set(zone) == {"region", "intensity"}
            assert zone["region"] in model.regions
            assert zone["intensity"] in ("essential", "spillover")


def test_four_gastrocnemius_points_two_per_head(points):
    gastrocnemius = [p for p in points.values() if p["muscle"] == "gastrocnemius"]
    assert len(gastrocnemius) >= 4
    for number in range(1, 5):
        assert points[TP[number]]["muscle"] == "gastrocnemius"
        assert points[TP[number]]["label"] == f"TP{number}"
    heads = sorted(points[TP[n]]["head"] for n in range(1, 5))
    assert heads == ["lateral", "lateral", "medial", "medial"]
    assert points[TP[1]]["head"] == "medial"


def test_tp1_zones(points):
    zones = {z["region"]: z["intensity"] for z in points[TP[1]]["zones"]}
    assert zones["instep"] == "essential"
    assert zones["knee-back"] == "spillover"
    calf = {r for r in zones if r.startswith("calf-")}
    assert calf and calf <= CALF
    assert all(zones[r] == "spillover" for r in calf)


def test_knee_points_refer_to_the_back_of_the_knee(points):
    for number in (3, 4):
        zones = {z["region"]: z["intensity"] for z in points[TP[number]]["zones"]}
        assert "knee-back" in zones
        assert zones["knee-back"] == "essential"


# --------------------------------------------------------------------------- /api/trace


def test_trace_instep(client):
    data = get_json(client, "/api/trace?pain=instep")
    assert data["pain"] == ["instep"]
    assert data["ranking"][0]["trigger_point"] == TP[1]
    assert data["ranking"][0]["explains"] == [{"region": "instep", "intensity": "essential"}]
    assert isinstance(data["ranking"][0]["score"], (int, float))
    assert data["unexplained"] == []


def test_trace_two_regions_messy_case(client):
    data = get_json(client, "/api/trace?pain=Instep,%20KNEE-BACK,instep")
    assert data["pain"] == ["instep", "knee-back"]
    assert data["ranking"][0]["trigger_point"] == TP[1]
    assert data["ranking"][0]["misses"] == []


@pytest.mark.parametrize("url", ["/api/trace?pain=nonsense", "/api/trace?pain=instep,nonsense", "/api/trace?pain=%3Cscript%3E"])
def test_trace_unknown_region_is_400_with_valid_list(client, model, url):
    data = get_json(client, url, status=400)
    assert "error" in data and data["error"]
    assert set(data["valid"]) == set(model.regions)


@pytest.mark.parametrize("url", ["/api/trace?pain=", "/api/trace", "/api/trace?pain=,,%20,"])
def test_trace_empty_pain(client, url):
    data = get_json(client, url)
    assert data["ranking"] == []
    assert data["pain"] == []


def test_trace_overlong_query_is_400(client):
    data = get_json(client, "/api/trace?pain=" + "instep," * 500, status=400)
    assert "error" in data


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/trace?pain=instep", "/api/regions", "/api/trigger-points"])
def test_api_answers_get_only(client, method, url):
    response = getattr(client, method)(url, json={"pain": "instep"})
    assert response.status_code == 405
    assert response.is_json
    assert "error" in response.get_json()


@pytest.mark.parametrize("url", ["/api/x", "/api/", "/api/regions/extra", "/api/trace/../secret"])
def test_unknown_api_route_is_404_json(client, url):
    data = get_json(client, url, status=404)
    assert "error" in data


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("url", ["/api/regions", "/api/x", "/api/trace?pain=nonsense", "/"])
def test_security_headers(client, url):
    response = client.get(url)
    assert response.status_code < 500
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "'unsafe-eval'" not in policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN")
    assert response.headers.get("Referrer-Policy")


# --------------------------------------------------------------------------- state cleaning


@pytest.mark.parametrize(
    "raw",
    [None, [], [1, 2], "tp=gastrocnemius-tp1", 5, {"tp": 5}, {"pain": {"a": 1}}, {"side": "<script>"},
     {"tp": {"a": 1}}, {"tp": []}, {"tp": "<img src=x onerror=alert(1)>"}, {"pain": 7}, {"pain": [None, 3]},
     {"side": {"a": 1}}, {"mode": ["admin"]}, {"mode": {"x": 1}}, {"muscle": "nonexistent"}, {}],
)
def test_clean_state_with_garbage_returns_defaults(model, raw):
    cleaned = clean_state(model, raw)
    assert cleaned.state == State()
    assert all(isinstance(note, str) for note in cleaned.ignored)


@pytest.mark.parametrize("raw", [{"muscle": {"a": 1}}, {"muscle": [[1]]}, {"muscle": [{"a": 1}]}])
def test_clean_state_with_unhashable_muscle(model, raw):
    cleaned = clean_state(model, raw)
    assert cleaned.state == State()


def test_clean_state_keeps_good_values_and_notes_bad_ones(model):
    cleaned = clean_state(model, {"tp": " Gastrocnemius-TP1 ", "pain": "instep,nowhere,KNEE-BACK", "side": "left"})
    assert cleaned.state.tp == TP[1]
    assert cleaned.state.pain == ("instep", "knee-back")
    assert cleaned.state.side == "left"
    assert len(cleaned.ignored) == 1 and "nowhere" in cleaned.ignored[0]


def test_clean_state_notes_but_does_not_keep_markup(model):
    cleaned = clean_state(model, {"side": "<script>alert(1)</script>" * 10})
    assert cleaned.state.side == "right"
    assert len(cleaned.ignored) == 1
    assert len(cleaned.ignored[0]) < 120  # shortened, not echoed in full


# --------------------------------------------------------------------------- rank, together, elsewhere, red flags


def test_trace_shows_a_tie_as_a_shared_rank(client):
    data = get_json(client, "/api/trace?pain=knee-back,calf-upper-medial,calf-upper-lateral")
    first = [item for item in data["ranking"] if item["rank"] == 1]
    assert {item["trigger_point"] for item in first} == {"popliteus-tp1", "plantaris-tp1"}
    assert len({item["score"] for item in first}) == 1
    ranks = [item["rank"] for item in data["ranking"]]
    assert ranks == sorted(ranks) and ranks[len(first)] == len(first) + 1


def test_trace_gives_together_for_areas_no_single_point_explains(client):
    data = get_json(client, "/api/trace?pain=instep,heel-back,calf-upper-medial")
    assert data["together"] == ["gastrocnemius-tp1", "soleus-tp1"]
    assert get_json(client, "/api/trace?pain=")["together"] == []


def test_trace_names_causes_off_the_map(client):
    data = get_json(client, "/api/trace?pain=heel-underside,low-back-sacroiliac")
    # One item per cause since issue 15; each keeps the first form's region, causes and note.
    assert {entry["region"] for entry in data["elsewhere"]} == {"heel-underside", "low-back-sacroiliac"}
    causes = {entry["region"]: [c for e in data["elsewhere"] if e["region"] == entry["region"] for c in e["causes"]]
              for entry in data["elsewhere"]}
    assert any("plantar fasciitis" in cause for cause in causes["heel-underside"])
    assert any("quadratus lumborum" in cause for cause in causes["low-back-sacroiliac"])
    entries = {entry["id"]: entry for entry in data["elsewhere"]}
    # The outer ankle's usual cause, the fibularis muscles, is on the map now: ranked, not "elsewhere".
    outer = get_json(client, "/api/trace?pain=ankle-lateral")
    assert outer["elsewhere"] == [] and outer["ranking"][0]["trigger_point"].startswith("fibularis-")
    assert all(isinstance(entry["note"], str) and entry["note"] for entry in entries.values())
    # The arch's usual non-trigger-point causes are named since issue 15.
    assert {e["id"] for e in get_json(client, "/api/trace?pain=instep")["elsewhere"]} == {
        "tarsal-tunnel-syndrome", "plantar-fasciitis"}


def test_red_flags_answer_with_the_contract_fields(client, model):
    flags = get_json(client, "/api/red-flags")
    assert [flag["id"] for flag in flags] == [flag.id for flag in model.red_flags]
    for flag in flags:
        # raised_by, nerve_root and because were added by issue 15; the first fields keep their meaning.
        assert set(flag) == {"id", "name", "urgency", "signs", "action", "sources", "raised_by", "nerve_root", "because"}
        assert flag["urgency"] in ("emergency", "urgent", "see-doctor")
        assert flag["sources"] and all(s.startswith("http") for s in flag["sources"])
    urgency = {flag["id"]: flag["urgency"] for flag in flags}
    assert urgency["acute-limb-ischaemia"] == urgency["cauda-equina"] == urgency["achilles-rupture"] == "emergency"
    assert urgency["cellulitis"] == "urgent"
    # A hot, swollen joint needs same-day care (NHS), so issue 15 made it urgent.
    assert urgency["gout-or-infected-joint"] == "urgent"


def test_every_emergency_says_what_to_do_now_in_one_line(model):
    for flag in model.red_flags:
        if flag.urgency == "emergency":
            first_sentence = flag.action.split(". ")[0]
            assert "now" in first_sentence.lower() and ("A&E" in first_sentence or "999" in first_sentence
                                                        or "medical care" in first_sentence), flag.id
            assert "\n" not in flag.action
