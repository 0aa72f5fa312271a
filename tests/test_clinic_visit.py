"""Issue 17, the clinic visit, without a browser: what pressing found re-ranks the answer, how
much each area hurts travels in the link, the QR codes hold the right links, and /compare.

Each test name carries a short code (vis0NN), so ``-k vis003`` runs just that one."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from urllib.parse import quote

import numpy as np
import pytest

from components.domain import palpation

from components.web import compare, qr
from components.web.handout import render_handout
from components.domain.referral import trace
from components.domain.state import State, clean_state, parse_query

PAIN = ("knee-back", "calf-upper-medial")  # a tie at the top, and several candidates below it


@pytest.fixture(scope="module")
def client(model):
    import app as app_module

    dash_app = app_module.create_app(model=model)
    dash_app.server.config["TESTING"] = True
    return dash_app.server.test_client()


def order(result):
    return [c.trigger_point for c in result.ranking]


# --------------------------------------------------------------------------- the link


def test_vis001_link_round_trips_palpation_and_intensity(model):
    raw = {"pain": "instep:7,heel-underside:3,knee-back", "found": "gastrocnemius-tp1", "tender": "soleus-tp1",
           "not_found": "plantaris-tp1"}
    state = parse_query(model, raw).state
    assert state.pain == ("instep", "heel-underside", "knee-back")
    assert dict(state.intensity) == {"instep": 7, "heel-underside": 3}
    assert state.query() == ("?pain=instep:7,heel-underside:3,knee-back&found=gastrocnemius-tp1&tender=soleus-tp1"
                             "&not_found=plantaris-tp1")
    again = parse_query(model, dict(pair.split("=") for pair in state.query()[1:].split("&"))).state
    assert again == state


def test_vis002_old_links_still_mean_what_they_meant(model):
    cleaned = parse_query(model, {"pain": "instep,heel-underside", "tp": "gastrocnemius-tp1"})
    assert cleaned.ignored == ()
    assert cleaned.state.pain == ("instep", "heel-underside") and cleaned.state.intensity == ()
    assert cleaned.state.query() == "?tp=gastrocnemius-tp1&pain=instep,heel-underside"


@pytest.mark.parametrize("pain, note", [
    ("instep:11", "“11” for “instep” must be a whole number from 0 to 10"),
    ("instep:-1", "“-1”"), ("instep:7.5", "“7.5”"), ("instep:x", "“x”"), ("instep:", "“”"),
])
def test_vis003_a_bad_number_keeps_the_area_marked_and_says_so(model, pain, note):
    cleaned = parse_query(model, {"pain": pain})
    assert cleaned.state.pain == ("instep",) and cleaned.state.intensity == ()
    assert any(note in text for text in cleaned.ignored), cleaned.ignored


def test_vis004_palpation_drops_unknown_points_and_double_findings(model):
    cleaned = parse_query(model, {"found": "gastrocnemius-tp1,<b>x</b>", "not_found": "gastrocnemius-tp1"})
    assert cleaned.state.found == ("gastrocnemius-tp1",) and cleaned.state.not_found == ()
    assert any("“<b>x</b>” in found is not in this map" in n for n in cleaned.ignored)
    assert any("in both found and not_found; kept as found" in n for n in cleaned.ignored)


def test_vis005_a_forged_store_payload_never_crashes(model):
    for raw in ({"pain": ["instep"], "intensity": {"instep": 99, "sole": 3}}, {"found": 5}, {"intensity": "x"},
                {"pain": "instep", "intensity": {"instep": True}}):
        state = clean_state(model, raw).state
        assert all(0 <= level <= 10 and region in state.pain for region, level in state.intensity)


# --------------------------------------------------------------------------- the ranking rule


def test_vis010_found_first_not_found_last_tender_keeps_its_place(model):
    plain = order(trace(model, PAIN))
    third, first, second = plain[2], plain[0], plain[1]
    found = trace(model, PAIN, {third: palpation.FOUND})
    assert order(found)[0] == third and found.ranking[0].rank == 1 and found.ranking[0].palpation == "found"
    assert [p for p in order(found) if p != third] == [p for p in plain if p != third]
    gone = trace(model, PAIN, {first: palpation.NOT_FOUND})
    assert order(gone)[-1] == first and gone.ranking[-1].palpation == "not-found"
    assert first not in gone.together
    tender = trace(model, PAIN, {second: palpation.TENDER})
    assert order(tender) == plain and tender.ranking[1].palpation == "tender"


def test_vis011_intensity_does_not_change_the_ranking(model, client):
    plain = client.get("/api/trace?pain=knee-back,calf-upper-medial").get_json()["ranking"]
    rated = client.get("/api/trace?pain=knee-back:9,calf-upper-medial:1").get_json()["ranking"]
    assert plain == rated


def test_vis012_the_rule_is_written_down_with_its_sources(model):
    readme = (model_dir() / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What pressing found"):]
    for source in palpation.SOURCES:
        assert f"`{source}`" in section
        assert source in model.sources
    assert "reproduces your familiar pain when pressed" in section.lower()


def model_dir():
    from components.domain.data import DEFAULT_DATA_DIR
    from pathlib import Path

    return Path(DEFAULT_DATA_DIR)


# --------------------------------------------------------------------------- the API


def test_vis020_api_trace_takes_palpation_and_echoes_intensity(client):
    data = client.get("/api/trace?pain=knee-back:6,calf-upper-medial&found=gastrocnemius-tp1"
                      "&not_found=plantaris-tp1").get_json()
    assert data["intensity"] == {"knee-back": 6, "calf-upper-medial": None}
    assert data["ranking"][0]["trigger_point"] == "gastrocnemius-tp1"
    assert data["ranking"][0]["palpation"] == "found"
    assert data["ranking"][-1] == {**data["ranking"][-1], "trigger_point": "plantaris-tp1", "palpation": "not-found"}
    assert {c["palpation"] for c in data["ranking"][1:-1]} == {None}


@pytest.mark.parametrize("url, valid", [
    ("/api/trace?pain=instep:12", "valid"), ("/api/trace?pain=instep&found=nowhere", "valid_trigger_points"),
    ("/api/trace?pain=instep&tender=%3Cscript%3E", "valid_trigger_points"),
])
def test_vis021_api_refuses_what_the_page_would_drop(client, url, valid):
    response = client.get(url)
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["error"] and response.get_json()[valid]


# --------------------------------------------------------------------------- the handout


def test_vis030_handout_says_what_was_found_and_lists_each_number(model):
    state = State(pain=("knee-back", "calf-upper-medial"), intensity=(("knee-back", 6),),
                  found=("soleus-tp1",), not_found=("plantaris-tp1",))
    page = render_handout(model, "", None, state.pain, "right", dt.date(2026, 12, 4), state=state,
                          base_url="https://calf.example.org")
    assert "Found at your visit: Soleus TP1" in page
    assert "Pressed and not found: Plantaris TP1" in page
    assert "back of the knee at 6 out of 10" in page
    # Self-care for the found point's muscle comes first, then the best match's.
    cares = re.findall(r"<h2>Self-care for the ([a-z ]+)</h2>", page)
    assert cares[0] == "soleus" and len(cares) == 2
    # The number is drawn on the diagram as text.
    assert re.search(r'class="pain-level level-shown" data-level-of="knee-back">.*?>6</text>', page)


def test_vis032_first_html_draws_the_numbers_before_any_script(model):
    from components.web.first_paint import first_html

    page = first_html(model, {"pain": ["instep:7,heel-underside"]})
    assert re.search(r'class="pain-level level-shown" data-level-of="instep">.*?>7</text>', page)
    assert 'class="pain-level level-shown" data-level-of="heel-underside"' not in page


def test_vis031_handout_link_from_the_page_carries_the_whole_visit(model):
    from components.web.callbacks import render_panels

    raw = {"pain": ["instep"], "intensity": {"instep": 4}, "found": ["gastrocnemius-tp1"], "mode": "clinic"}
    href = render_panels(model, raw, None)[4]
    assert href == "/handout?pain=instep:4&found=gastrocnemius-tp1"


# --------------------------------------------------------------------------- QR codes


def decode_svg(svg: str) -> str:
    """Rasterise segno's path (horizontal runs of dark modules) and decode it with zxing-cpp."""
    import zxingcpp

    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    image = np.full((size, size), 255, dtype=np.uint8)
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmhv])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            run = float(a)
            image[int(y - 0.5), int(x):int(x + run)] = 0
            x += run
    scaled = np.kron(image, np.ones((8, 8), dtype=np.uint8))
    results = zxingcpp.read_barcodes(scaled)
    assert results, "no QR code found"
    return results[0].text


def test_vis040_handout_qr_opens_the_same_state_on_the_map(model):
    state = State(pain=("instep",), intensity=(("instep", 7),), found=("gastrocnemius-tp1",), side="left")
    page = render_handout(model, "", None, state.pain, "left", state=state, base_url="https://calf.example.org")
    svg = re.search(r'<svg[^>]*class="back-qr".*?</svg>', page, re.S).group(0)
    assert decode_svg(svg) == "https://calf.example.org/?pain=instep:7&found=gastrocnemius-tp1&side=left"


def test_vis041_public_url_and_loopback(client):
    assert qr.public_base("https://calf.example.org/", "http://127.0.0.1:8050/") == "https://calf.example.org"
    assert qr.public_base("", "http://10.0.0.5:8050/") == "http://10.0.0.5:8050"
    for url in ("http://127.0.0.1:8050", "http://localhost:8050", "http://[::1]:8050", "http://127.8.0.1"):
        assert qr.is_loopback(url) and "works only on this computer" in qr.loopback_warning(url)
    for url in ("http://10.0.0.5:8050", "https://calf.example.org"):
        assert not qr.is_loopback(url) and qr.loopback_warning(url) == ""
    assert qr.valid_public_url("https://calf.example.org") and not qr.valid_public_url("calf.example.org")


def test_vis042_the_take_home_panel_holds_the_public_handout_link(model):
    from components.web.callbacks import take_home

    body = take_home(model, {"pain": ["instep"], "intensity": {"instep": 7}}, "http://127.0.0.1:8050")
    link = next(c for c in body[1].children if getattr(c, "id", None) == "take-home-link")
    assert link.href == "http://127.0.0.1:8050/handout?pain=instep:7"
    assert body[-1].id == "take-home-warning"
    assert getattr(take_home(model, {"pain": ["instep"]}, "https://calf.example.org")[-1], "id", None) is None


def test_vis043_public_url_flag_and_setting(monkeypatch):
    from app import parse_args

    assert parse_args(["--public-url", "https://calf.example.org"]).public_url == "https://calf.example.org"
    monkeypatch.setenv("CALF_PUBLIC_URL", "https://clinic.example.org")
    assert parse_args([]).public_url == "https://clinic.example.org"
    result = subprocess.run([sys.executable, "app.py", "--public-url", "calf.example.org", "--check-data"],
                            capture_output=True, text=True, cwd=model_dir().parent, timeout=60)
    assert result.returncode == 2 and "--public-url" in result.stderr


# --------------------------------------------------------------------------- /compare


def link(query: str) -> str:
    return quote("https://calf.example.org/" + query, safe="")


def test_vis050_compare_shows_cleared_new_and_changes(client):
    response = client.get(f"/compare?before={link('?pain=instep:7,heel-underside:3,knee-back')}"
                          f"&after={link('handout?pain=instep:3,calf-upper-medial:5,knee-back')}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    cleared = re.search(r'<section id="cleared">.*?</section>', page, re.S).group(0)
    new = re.search(r'<section id="new">.*?</section>', page, re.S).group(0)
    assert 'data-region-id="heel-underside"' in cleared and "cleared (was 3 out of 10)" in cleared
    assert 'data-region-id="calf-upper-medial"' in new
    assert "7 out of 10, now 3 out of 10 (4 less)" in page
    assert 'id="compare-figure"' in page and 'id="map-before"' in page and 'id="map-after"' in page


@pytest.mark.parametrize("query, words", [
    ("?before=&after=", None),
    (f"?before={link('?pain=nowhere')}&after={link('?pain=instep')}",
     "The before link does not match the map: area “nowhere” is not a known region."),
    (f"?before={link('?pain=instep')}", "The after link is missing"),
    (f"?before={link('?tp=gastrocnemius-tp1')}&after={link('?pain=instep')}", "The before link marks no painful area"),
    ("?before=%3Cscript%3Ealert(1)%3C/script%3E&after=x", "&lt;script&gt;"),
    ("?before=" + "a" * 2100 + "&after=x", "longer than 2000 characters"),
])
def test_vis051_compare_bad_input_is_a_clear_message(client, query, words):
    response = client.get("/compare" + query)
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    if words is None:
        assert response.status_code == 200 and "Paste the two links" in page
    else:
        assert response.status_code == 400 and words in page, page[:2000]


def test_vis052_compare_is_pure(model):
    before = State(pain=("instep", "sole"), intensity=(("instep", 7),))
    after = State(pain=("instep", "heel-back"), intensity=(("instep", 7),))
    result = compare.compare(model, before, after)
    assert [c.region for c in result.cleared] == ["sole"] and [c.region for c in result.new] == ["heel-back"]
    assert result.still[0].words.endswith("unchanged at 7 out of 10.")
    figure = compare.chart_figure(model, result)
    import plotly.graph_objects as go

    go.Figure(figure)  # the plain dict is a valid figure
