"""The printable handout (/handout): content, escaping, errors, and the education data behind it."""
from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from markupsafe import escape

from components.domain.education import NO_ROUTINE, steps_for

from app import create_app
from components.domain.data import DEFAULT_DATA_DIR, load_model
from components.domain.datapackage import seal
from components.web.handout import long_date

TP = "gastrocnemius-tp1"


@pytest.fixture(scope="module")
def client():
    return create_app(clinic_name='Harbour Physio & "Sports" <b>').server.test_client()


def get(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def test_point_handout_has_every_part(client, model):
    response, page = get(client, f"/handout?tp={TP}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<svg" in page and "</svg>" in page
    assert model.point_title(TP) in page
    # Self-care steps with their timings, in the order to do them.
    for step in steps_for(model, model.trigger_points[TP].muscle):
        assert step.title in page
        if step.timing:
            assert step.timing in page
    assert page.index("Release the point") < page.index("Then stretch gently")
    assert "30 to 60 seconds" in page
    # Red flags, DVT first and with its warning.
    flags = {flag.id: flag for flag in model.red_flags}
    assert "DVT" in page
    assert str(escape(flags["dvt"].action)) in page and "massage" in flags["dvt"].action
    assert "emergency" in page.lower()
    # The date, in long form, and the disclaimer.
    assert long_date(dt.date.today()) in page
    assert "does not diagnose" in page
    # The clinic name is printed, escaped.
    assert "Harbour Physio &amp; &#34;Sports&#34; &lt;b&gt;" in page
    assert "<b>\"" not in page


def test_handout_has_no_script_at_all(client):
    for url in (f"/handout?tp={TP}", "/handout?pain=knee-back,instep&side=left", "/handout?tp=<script>x</script>",
                "/handout"):
        _, page = get(client, url)
        assert "<script" not in page.lower()
        assert "javascript:" not in page.lower()
        assert not re.search(r"\son[a-z]+\s*=", page), "no inline event handlers"


def drawn(page: str, attribute: str, *, classes: str = "", pressed: bool | None = None) -> set[str]:
    """Values of ``attribute`` on the handout map's elements that carry ``classes`` (and, when asked,
    aria-pressed="true"): what the printed map shows."""
    found = set()
    for tag in re.findall(r"<(?:path|g|rect)\b[^>]*>", page):
        value = re.search(rf'{attribute}="([^"]*)"', tag)
        if not value or (classes and not all(c in re.search(r'class="([^"]*)"', tag).group(1).split() for c in classes.split())):
            continue
        if pressed is not None and ('aria-pressed="true"' in tag) != pressed:
            continue
        found.add(value.group(1))
    return found


def test_diagram_shows_zones_point_and_legend(client, model):
    _, page = get(client, f"/handout?tp={TP}")
    diagram = page[page.index('id="handout-diagram"'):]
    shown = drawn(diagram, "data-zone-id", classes="zone-shown")
    assert shown == {zone.id for zone in model.zones_by_point[TP]}, "exactly the chosen point's zones are drawn"
    intensities = {zone.intensity for zone in model.zones_by_point[TP]}
    assert {"essential", "spillover"} <= intensities
    assert drawn(diagram, "data-tp-id", pressed=True) == {TP}
    # The sheet draws the views that matter to it (the point's, and its zones'), each whole.
    views = set(re.findall(r'<svg class="map-view[^"]*" data-view-id="([^"]+)"', diagram))
    assert views == {model.trigger_points[TP].view} | {zone.view for zone in model.zones_by_point[TP]}
    assert drawn(diagram, "data-tp-id") == {p.id for p in model.trigger_points.values() if p.view in views}
    assert 'class="legend"' in page and "Main pain area" in page and "Spillover" in page


def test_left_side_mirrors_the_diagram(client):
    _, right = get(client, f"/handout?tp={TP}")
    _, left = get(client, f"/handout?tp={TP}&side=left")
    assert 'id="handout-diagram" class="body-map handout-map" data-side="left"' in left
    assert 'id="handout-diagram" class="body-map handout-map" data-side="right"' in right
    # The one mirroring rule of the app (assets/map.css) is part of the printed page.
    assert '[data-side="left"] .mirror' in left
    assert "left leg" in left


def test_pain_handout_ranks_top_three_with_reasons(client, model):
    from components.domain import referral

    pain = ("knee-back", "instep")
    response, page = get(client, "/handout?pain=" + ",".join(pain))
    assert response.status_code == 200
    result = referral.trace(model, pain)
    top = result.ranking[:3]
    assert top, "the shipped data explains these areas"
    for candidate in top:
        assert f'data-tp-id="{candidate.trigger_point}"' in page
        title = model.point_title(candidate.trigger_point)
        sentence = referral.reason(model, candidate, len(pain))
        assert str(escape(sentence[len(title):])) in page
    diagram = page[page.index('id="handout-diagram"'):]
    assert drawn(diagram, "data-region-id", pressed=True) == set(pain), "the marked areas are drawn as marked"
    assert "not a diagnosis" in page


def test_plantarflexion_is_never_a_stretch_instruction(client, model):
    for url in (f"/handout?tp={TP}", "/handout?pain=knee-back"):
        _, page = get(client, url)
        assert "plantarflexion" not in page.lower()
    for step in model.self_care:
        text = f"{step.title} {step.instructions} {step.timing}".lower()
        assert "plantarflex" not in text
        assert "point the toes down" not in text and "point your toes down" not in text
    stretches = [s for s in model.self_care if s.kind == "stretch"]
    assert stretches
    assert any("toes come up" in s.instructions for s in stretches), "the stretch lifts the toes (dorsiflexion)"


@pytest.mark.parametrize("table", ["self_care", "red_flags", "loading_factors"])
def test_every_education_row_has_a_known_source(table):
    sources = {row["id"] for row in csv.DictReader(open(DEFAULT_DATA_DIR / "sources.csv", encoding="utf-8"))}
    rows = list(csv.DictReader(open(DEFAULT_DATA_DIR / f"{table}.csv", encoding="utf-8")))
    assert rows
    for row in rows:
        ids = [s.strip() for s in row["source"].split(";") if s.strip()]
        assert ids, f"{table} {row['id']} has no source"
        assert set(ids) <= sources, f"{table} {row['id']} cites unknown sources {set(ids) - sources}"


def test_self_care_covers_the_routine(model):
    routine = steps_for(model, "gastrocnemius")
    kinds = {s.kind for s in routine}
    assert {"release", "stretch", "cramp-relief", "cramp-prevention", "caution"} <= kinds
    orders = [s.order for s in routine]
    release = max(s.order for s in routine if s.kind == "release")
    stretch = min(s.order for s in routine if s.kind == "stretch")
    assert release < stretch, "release comes before stretching"
    assert len(set(orders)) == len(orders)
    assert any(s.disagreement for s in model.self_care), "disagreements between sources are kept"
    flags = {f.id: f for f in model.red_flags}
    assert flags["dvt"].urgency == "emergency"
    assert "massage" in flags["dvt"].action.lower()


@pytest.mark.parametrize(
    "url, shown",
    [
        ("/handout?tp=%3Cscript%3Ealert(1)%3C/script%3E", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("/handout?tp=%22%20onmouseover%3D%22x", "&#34; onmouseover=&#34;x"),
        ("/handout?tp=x%27y", "x&#39;y"),
        ("/handout?pain=knee-back,%3Cimg%20src%3Dx%3E", "&lt;img src=x&gt;"),
    ],
)
def test_unknown_values_give_an_escaped_404(client, url, shown):
    response, page = get(client, url)
    assert response.status_code == 404
    assert "not found" in page.lower()
    assert shown in page
    assert "<script>" not in page and "<img" not in page
    assert 'href="/"' in page


def test_side_and_extra_params_are_never_echoed_raw(client):
    # A screen-only parameter (the muscle filter) does not change a handout.
    response, page = get(client, f"/handout?tp={TP}&muscle=%22%3E%3Cx")
    assert response.status_code == 200
    assert '"><x' not in page and "right leg" in page
    # A side the page would drop is not printed as the other leg: it is refused, as text.
    response, page = get(client, f"/handout?tp={TP}&side=%3Cscript%3E")
    assert response.status_code == 404
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_no_subject_gives_400_with_a_way_back(client):
    for url in ("/handout", "/handout?tp=", "/handout?pain=,,"):
        response, page = get(client, url)
        assert response.status_code == 400
        assert "/handout?tp=" in page
        assert 'href="/"' in page


def test_overlong_query_is_refused(client):
    response, _ = get(client, "/handout?pain=" + "a" * 5000)
    assert response.status_code == 400


def test_handout_is_get_only(client):
    assert client.post(f"/handout?tp={TP}").status_code == 405


def test_handout_carries_the_security_headers(client):
    response = client.get(f"/handout?tp={TP}")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src" in policy and "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _inject(path, column, payload):
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    fields = list(rows[0].keys())
    rows[0][column] = payload + rows[0][column]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return rows[0]["id"]


def test_data_text_is_escaped(data_copy):
    payload = '<script>"x"</script>'
    _inject(data_copy / "self_care.csv", "instructions", payload)
    _inject(data_copy / "red_flags.csv", "signs", payload)
    _inject(data_copy / "loading_factors.csv", "factor", payload)
    tp = _inject(data_copy / "trigger_points.csv", "location", payload)
    _inject(data_copy / "regions.csv", "name", payload)
    seal(data_copy)
    load_model(data_copy)  # still valid data
    client = create_app(data_copy).server.test_client()
    for url in (f"/handout?tp={tp}", "/handout?pain=thigh-back-lower,knee-back"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script" not in page.lower()
        assert "&lt;script&gt;&#34;x&#34;&lt;/script&gt;" in page


# --------------------------------------------------------------------------- each muscle's own routine, ties, off-map causes


def test_every_handout_shows_only_its_own_muscles_routine(client, model):
    for point_id, point in model.trigger_points.items():
        _, page = get(client, f"/handout?tp={point_id}")
        own = steps_for(model, point.muscle)
        others = [s for s in model.self_care if s.muscle != point.muscle and s.title not in {o.title for o in own}]
        for step in own:
            assert str(escape(step.instructions)) in page, (point_id, step.id)
        for step in others:
            assert str(escape(step.instructions)) not in page, (point_id, step.id)
        assert (NO_ROUTINE in page) == (not any(s.kind != "caution" for s in own)), point_id


def test_the_biceps_femoris_handout_gives_no_calf_stretch(client):
    _, page = get(client, "/handout?tp=biceps-femoris-tp1")
    assert "Wall calf stretch" not in page
    assert NO_ROUTINE in page
    assert "Self-care for the biceps femoris" in page


def test_a_tie_is_printed_as_a_tie(client):
    _, page = get(client, "/handout?pain=knee-back,calf-upper-medial,calf-upper-lateral")
    items = re.findall(r'<li data-tp-id="([^"]+)" data-rank="(\d+)">(.*?)</li>', page)
    first = [(tp, body) for tp, rank, body in items if rank == "1"]
    assert {tp for tp, _ in first} == {"plantaris-tp1", "popliteus-tp1"}
    assert all("equally likely" in body for _, body in first)


def test_together_and_causes_off_the_map_are_printed(client):
    _, page = get(client, "/handout?pain=instep,heel-back,calf-upper-medial")
    assert "Together, gastrocnemius TP1 and soleus TP1 account for all 3 marked areas." in page
    _, page = get(client, "/handout?pain=low-back-sacroiliac")
    assert "quadratus lumborum" in page and "does not show" in page


def test_the_evidence_caveat_is_printed_once_with_its_sources(client):
    _, page = get(client, f"/handout?tp={TP}")
    assert page.count("agree only moderately") == 1
    assert "Rathbone" in page


def test_night_cramp_advice_props_the_feet_against_a_pillow(model):
    step = next(s for s in model.self_care if s.id == "gastrocnemius-cramp-prevent")
    assert "pillow under the soles" not in step.instructions
    assert "against a pillow at the foot of the bed" in step.instructions
    assert "s58" in step.sources and {"s59", "s71"} <= set(step.sources)
