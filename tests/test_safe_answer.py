"""Issue 15, a safe answer: the check before self-care, the warning signs the marked areas raise,
the usual causes that are not trigger points, and evidence labels that follow the sources.

The same answer is checked through the API, the page's builders and the handout."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from components.domain import datapackage, education, referral

from components.web import layout
from components.domain.data import DataError, load_model
from components.web.first_paint import page_texts
from components.web.handout import render_handout
from components.domain.model import URGENCIES

ROOT = Path(__file__).resolve().parent.parent
S1_STRIP = ["buttock", "thigh-back-upper", "thigh-back-lower", "calf-lower-lateral", "heel-lateral", "foot-outer-edge"]
L5_STRIP = ["leg-lateral-upper", "leg-lateral-lower", "foot-top-medial", "big-toe-top"]
PROBLEM_LINE = re.compile(r"^.+\.csv:\d+: [^:]+: .+$")


@pytest.fixture()
def client(model):
    from app import create_app

    return create_app().server.test_client()


def handout(model, **query) -> str:
    return render_handout(model, "", query.get("tp"), tuple(query.get("pain", ())), "right", dt.date(2026, 12, 4))


def text_of(component) -> str:
    """Every text child of a Dash component tree, in document order."""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(child) for child in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def ids_in_order(component, found=None) -> list[str]:
    found = [] if found is None else found
    if isinstance(component, (list, tuple)):
        for child in component:
            ids_in_order(child, found)
        return found
    if hasattr(component, "to_plotly_json"):
        props = component.to_plotly_json()["props"]
        for key in ("id", "data-step-id", "data-check-id"):
            if props.get(key):
                found.append(f"{key}={props[key]}")
        ids_in_order(props.get("children"), found)
    return found


def problems_after(data_dir: Path) -> list[str]:
    datapackage.seal(data_dir)
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    return [str(p) for p in info.value.problems]


def edit_csv(path: Path, row_start: str, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(row_start)]
    assert hits and old in lines[hits[0]], (path.name, row_start)
    lines[hits[0]] = lines[hits[0]].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- the check before self-care


def test_saf001_every_muscle_with_a_routine_has_a_sourced_check(model):
    for muscle in {step.muscle for step in model.self_care if step.kind in ("release", "stretch")}:
        checks = education.safety_checks_for(model, muscle)
        assert checks, muscle
        assert {c.kind for c in checks} == {"stop", "ask-first"}, muscle
        assert all(c.sources and all(s in model.sources for s in c.sources) for c in checks)
    words = " ".join(c.text.lower() for c in model.safety_checks)
    for fact in ("clot", "operation", "plaster cast", "journey", "pill or hrt", "past clot", "blood thinners",
                 "pregnant", "varicose veins", "diabetes", "numb", "broken skin", "bleeding problem"):
        assert fact in words, fact


def test_saf002_the_check_stands_above_the_first_step_on_the_page(model):
    order = ids_in_order(education.education_panel(model, "soleus-tp1"))
    first_step = next(i for i, key in enumerate(order) if key.startswith("data-step-id="))
    checks = [i for i, key in enumerate(order) if key.startswith("data-check-id=")]
    assert checks and max(checks) < first_step
    assert "id=before-you-start" in order
    assert "Before you start" in text_of(education.education_panel(model, "soleus-tp1"))


def test_saf003_the_check_stands_above_the_first_step_on_the_handout(model):
    page = handout(model, tp="gastrocnemius-tp1")
    assert 0 < page.index('id="before-you-start"') < page.index("data-step-id=")
    assert "Before you start" in page and "blood thinners" in page
    # The roller step that says to cross the other leg comes after the clot check.
    assert page.index('data-check-id="clot-signs"') < page.index("Cross the other leg")


def test_saf004_clinic_view_carries_the_check_in_the_answer(model):
    order = ids_in_order(layout.answer_panel(model))
    # Inside the answer (shown in clinic view), before the short list of warning signs.
    assert order.index("id=answer-safety") < order.index("id=answer-before-you-start")
    assert "Before you start" in text_of(layout.answer_panel(model))


def test_saf005_safety_checks_api(client, model):
    checks = client.get("/api/safety-checks").get_json()
    assert [c["id"] for c in checks] == [c.id for c in model.safety_checks]
    assert all(c["sources"] and all(s.startswith("http") for s in c["sources"]) for c in checks)


def test_saf006_check_data_refuses_a_routine_without_a_check(data_copy):
    path = data_copy / "safety_checks.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("soleus; ", ""), encoding="utf-8")
    problems = problems_after(data_copy)
    line = next(i for i, row in enumerate((data_copy / "self_care.csv").read_text(encoding="utf-8").split("\n"), 1)
                if row.startswith("soleus-ball-hold,"))
    assert any(p.startswith(f"{data_copy / 'self_care.csv'}:{line}: muscle: 'soleus' has a self-care routine")
               for p in problems), problems
    assert all(PROBLEM_LINE.match(p) for p in problems)


@pytest.mark.parametrize("column", ["urgency", "action", "source"])
def test_saf007_check_data_refuses_a_red_flag_without_urgency_action_or_source(data_copy, column):
    import csv

    path = data_copy / "red_flags.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    index = rows[0].index(column)
    line = next(i for i, row in enumerate(rows, 1) if row and row[0] == "long-cramp")
    rows[line - 1][index] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    problems = problems_after(data_copy)
    assert f"{path}:{line}: {column}: a value is required" in problems, problems


def test_saf008_the_command_line_reports_a_missing_check_in_the_contract_format(data_copy):
    edit_csv(data_copy / "red_flags.csv", "diabetic-foot,", ",urgent,", ",,")
    path = data_copy / "safety_checks.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("abductor-hallucis,", "gastrocnemius,")
                    .replace("; abductor-hallucis", ""), encoding="utf-8")
    datapackage.seal(data_copy)
    done = subprocess.run([sys.executable, "app.py", "--check-data", "--data-dir", str(data_copy)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if PROBLEM_LINE.match(line)]
    assert any("red_flags.csv:" in line and ": urgency: a value is required" in line for line in lines), done.stderr
    assert any("self_care.csv:" in line and ": muscle: 'abductor-hallucis' has a self-care routine" in line
               for line in lines), done.stderr


# --------------------------------------------------------------------------- warning signs


def test_saf010_the_six_missing_flags_and_fixed_urgencies(model):
    flags = {flag.id: flag for flag in model.red_flags}
    expected = {"possible-fracture": "emergency", "diabetic-foot": "urgent", "sciatica-weakness": "urgent",
                "serious-cause": "see-doctor", "long-cramp": "urgent", "necrotising-fasciitis": "emergency",
                "gout-or-infected-joint": "urgent", "compartment-syndrome": "emergency",
                "exertional-compartment-syndrome": "see-doctor", "calf-tear": "urgent"}
    assert {flag: flags[flag].urgency for flag in expected} == expected
    assert "A&E" in flags["possible-fracture"].action and "999" in flags["necrotising-fasciitis"].action
    assert "10 minutes" in flags["long-cramp"].signs and "111" in flags["long-cramp"].action
    assert "foot drop" in flags["sciatica-weakness"].signs and "Charcot" in flags["diabetic-foot"].signs
    assert all(word in flags["serious-cause"].signs for word in ("night", "weight loss", "temperature", "cancer"))
    dvt = flags["dvt"].action
    assert "111" in dvt and "cough up blood" in dvt and "massage" in dvt
    assert "today" in flags["calf-tear"].action
    assert "exercise" not in flags["compartment-syndrome"].signs  # the exercise-only form is its own flag


def test_saf011_emergencies_come_first_everywhere(model, client):
    rank = [URGENCIES.index(flag.urgency) for flag in model.red_flags]
    assert rank == sorted(rank)
    api = [flag["urgency"] for flag in client.get("/api/red-flags").get_json()]
    assert api == [flag.urgency for flag in model.red_flags]
    page = handout(model, pain=["calf-upper-medial"])
    flags_section = page[page.index('id="red-flags"'):]
    order = re.findall(r'data-flag-id="([a-z-]+)"', flags_section)
    assert order == [flag.id for flag in model.red_flags]
    assert order.index("anterior-compartment-syndrome") < order.index("cellulitis")
    names = text_of(layout.answer_flags(model))
    assert names.index(model.red_flags[0].name) < names.index("Shin splints")


@pytest.mark.parametrize("pain, flag", [
    (["calf-upper-medial"], "dvt"),
    (["calf-lower-lateral", "calf-upper-lateral"], "dvt"),
    (["big-toe-top"], "gout-or-infected-joint"),
    (["big-toe-underside"], "gout-or-infected-joint"),
])
def test_saf012_marked_areas_raise_their_flag_with_a_because(client, pain, flag):
    data = client.get("/api/trace?pain=" + ",".join(pain)).get_json()
    raised = {item["id"]: item for item in data["red_flags"]}
    assert flag in raised and raised[flag]["because"]
    assert set(raised[flag]["regions"]) <= set(pain)


@pytest.mark.parametrize("strip, root", [(S1_STRIP, "s1"), (L5_STRIP, "l5")])
def test_saf013_a_nerve_root_strip_raises_sciatica_and_its_emergency(client, strip, root):
    data = client.get("/api/trace?pain=" + ",".join(strip)).get_json()
    assert data["nerve_roots"] == [root]
    raised = [item["id"] for item in data["red_flags"]]
    assert {"cauda-equina", "sciatica-weakness", "sciatica"} <= set(raised)
    assert raised.index("cauda-equina") < raised.index("sciatica-weakness") < raised.index("sciatica")
    sciatica = next(item for item in data["elsewhere"] if item["id"] == "sciatica")
    assert sciatica["kind"] == "condition" and root.upper() in sciatica["because"]
    assert data["elsewhere"][0]["id"] == "sciatica"
    assert all(word in sciatica["note"] for word in ("tingling", "numbness", "weakness", "below the knee"))


def test_saf014_two_areas_or_an_area_off_the_strip_do_not_count_as_a_strip(client):
    assert client.get("/api/trace?pain=buttock,thigh-back-upper").get_json()["nerve_roots"] == []
    mixed = client.get("/api/trace?pain=" + ",".join(S1_STRIP + ["instep"])).get_json()
    assert mixed["nerve_roots"] == [] and "sciatica" not in [e["id"] for e in mixed["elsewhere"]]
    assert client.get("/api/trace?pain=instep").get_json()["red_flags"] == []


def test_saf015_red_flags_api_carries_the_raise_rule(client):
    flags = {flag["id"]: flag for flag in client.get("/api/red-flags").get_json()}
    assert "calf-upper-medial" in flags["dvt"]["raised_by"] and flags["dvt"]["because"]
    assert flags["sciatica"]["nerve_root"] is True and flags["acute-limb-ischaemia"]["because"] is None


def test_saf016_the_page_lists_raised_flags_beside_the_ranking(model):
    """The browser fills them in (assets/explorer/panels.js, Python's rule: tests/test_browser_rules.py),
    from the page's own data: the line above the list, the box under it, the words and every sign's action."""
    ids = [getattr(child, "id", None) for child in layout.ranking_panel(model).children]
    assert ids.index("raised-flags-line") < ids.index("source-ranking") < ids.index("raised-flags") < ids.index("ranking-notes")
    assert "Check these warning signs first" in text_of(layout.raised_flags_box())
    texts = page_texts(model)
    assert texts["raised_flags"]["title"] == "Check these warning signs first"
    assert {flag["id"]: flag["action"] for flag in texts["red_flags"]}["dvt"] == model.red_flags[0].action
    dvt = next(row for row in referral.browser_table(model)["red_flags"] if row[0] == "dvt")
    assert "calf-upper-medial" in dvt[1] and "clot" in dvt[3].lower()


def test_saf017_the_handout_lists_raised_flags_with_their_reason(model):
    page = handout(model, pain=S1_STRIP)
    raised = page[page.index('id="raised-flags"'):page.index("</section>", page.index('id="raised-flags"'))]
    assert "S1 nerve root" in raised and "cauda equina" in raised


# --------------------------------------------------------------------------- causes that are not trigger points


@pytest.mark.parametrize("pain, cause, kind", [
    (["knee-back", "calf-upper-medial"], "bakers-cyst", "condition"),
    (["achilles", "heel-back", "calf-lower-medial"], "achilles-tendinopathy", "condition"),
    (["forefoot-underside", "toes-underside"], "mortons-neuroma", "condition"),
    (["big-toe-top", "big-toe-underside"], "gout", "condition"),
    (["heel-medial", "instep", "ankle-medial"], "tarsal-tunnel-syndrome", "condition"),
    (["shin-front-medial", "calf-lower-medial"], "shin-splints", "condition"),
    (["buttock"], "gluteus-medius", "muscle"),
    (["buttock"], "piriformis", "muscle"),
    (["knee-back"], "vastus-lateralis", "muscle"),
    (["shin-front-medial"], "adductor-longus", "muscle"),
    (["low-back-sacroiliac"], "quadratus-lumborum", "muscle"),
])
def test_saf020_elsewhere_names_the_usual_causes_with_kind_and_source(client, model, pain, cause, kind):
    data = client.get("/api/trace?pain=" + ",".join(pain)).get_json()
    items = {item["id"]: item for item in data["elsewhere"]}
    assert cause in items, list(items)
    item = items[cause]
    assert item["kind"] == kind and item["note"] and item["causes"] == [item["name"]]
    assert item["region"] in pain and set(item["regions"]) <= set(pain)
    assert model.elsewhere[cause].sources


def test_saf021_off_map_notes_never_claim_to_diagnose(model):
    for cause in model.elsewhere.values():
        note = cause.note.lower()
        assert not re.search(r"\byou have\b|\bdiagnos", note), cause.id
        if cause.kind == "condition":
            assert "not from a trigger point" in note or "not a trigger point" in note or "should check" in note, cause.id
        else:
            assert "this map does not show" in note, cause.id


# --------------------------------------------------------------------------- evidence labels


def test_saf030_every_label_follows_its_sources(model):
    for zone in model.zones:
        assert (zone.agreement == "agreed") == (len(zone.sources) >= 2), zone.id
    by_id = {zone.id: zone for zone in model.zones}
    for zone in ("gastrocnemius-tp2-local", "gastrocnemius-tp3-knee", "soleus-tp2-calf"):
        assert by_id[zone].agreement == "one-source"
    for zone in ("extensor-digitorum-longus-tp1-foot", "extensor-hallucis-longus-tp1-foot",
                 "extensor-digitorum-brevis-tp1-foot", "flexor-digitorum-brevis-tp1-forefoot", "quadratus-plantae-tp1-heel"):
        assert by_id[zone].agreement == "agreed"


def test_saf031_fibularis_tertius_and_extensor_digitorum_longus_tie_for_the_front_of_the_ankle_and_outer_foot(model):
    ranking = referral.trace(model, ["ankle-front", "foot-top-lateral"]).ranking
    first = {c.trigger_point for c in ranking if c.rank == 1}
    assert {"fibularis-tertius-tp1", "extensor-digitorum-longus-tp1"} <= first


def test_saf032_soleus_tp2_counts_as_one_source_in_the_ranking(model):
    assert all("soleus-tp2" in model.one_source_by_region[r]
               for r in ("calf-upper-medial", "calf-upper-lateral", "calf-lower-medial", "calf-lower-lateral"))
    # On the outer upper calf it ties with gastrocnemius TP2, whose local zone also rests on one source.
    ranking = referral.trace(model, ["calf-upper-lateral"]).ranking
    assert {c.trigger_point for c in ranking if c.rank == 1} == {"gastrocnemius-tp2", "soleus-tp2"}


def test_saf033_check_data_refuses_an_agreed_zone_with_one_source(data_copy):
    edit_csv(data_copy / "referral_zones.csv", "gastrocnemius-tp1-instep,", "seed-003; s5; s2,agreed", "seed-003,agreed")
    problems = problems_after(data_copy)
    assert any(": agreement: only one source describes this zone" in p for p in problems), problems


# --------------------------------------------------------------------------- hamstrings and wording


def test_saf040_medial_hamstrings_reach_the_buttock_and_upper_thigh(model, client):
    zones = referral.referral_of(model, "medial-hamstrings-tp1")
    assert zones["buttock"] == zones["thigh-back-upper"] == "essential"
    ranking = client.get("/api/trace?pain=buttock,thigh-back-lower").get_json()["ranking"]
    assert "medial-hamstrings-tp1" in [c["trigger_point"] for c in ranking if c["rank"] == 1]


def test_saf041_a_point_without_spillover_says_nothing_odd(model):
    text = text_of(layout.tp_detail(model, "gastrocnemius-tp3"))
    assert "Only around the point itself" not in text and "Sometimes also" not in text
    assert "Sometimes also" in text_of(layout.tp_detail(model, "gastrocnemius-tp1"))


@pytest.mark.parametrize("pain, heading", [
    (["heel-underside", "instep"], "Heel and foot pain"),
    (["calf-upper-medial"], "Calf pain"),
    (["big-toe-top"], "Toe pain"),
    (["calf-upper-medial", "heel-back", "instep"], "Calf, heel and foot pain"),
    (["buttock", "thigh-back-lower", "calf-lower-lateral", "heel-lateral", "foot-outer-edge"], "Leg and foot pain"),
])
def test_saf042_the_handout_title_names_the_body_part(model, pain, heading):
    page = handout(model, pain=pain)
    assert f"<h1>{heading}: your trigger point guide</h1>" in page
    assert f"<title>Handout: {heading}</title>" in page


def test_saf043_equally_likely_says_with_whom(model):
    page = handout(model, pain=["ankle-medial", "heel-lateral"])
    ties = re.findall(r'<span class="tie">([^<]+)</span>', page)
    assert ties and all(tie.startswith("equally likely with ") and len(tie) > len("equally likely with ") for tie in ties)
    result = referral.trace(model, ["ankle-medial", "heel-lateral"])
    first = result.ranking[0]
    assert referral.short_point_name(model, result.tied_with(first)[0]) in ties[0]
    # A tie of more points than the sheet lists one by one names each of them in one entry.
    result = referral.trace(model, ["knee-back"])
    tied = [c.trigger_point for c in result.ranking if c.rank == 1]
    assert len(tied) > 3
    entry = re.search(r'<div class="candidates big-tie".*?</div>', handout(model, pain=["knee-back"]), re.S).group(0)
    assert f"Equally likely: {len(tied)} points" in entry
    assert all(referral.short_point_name(model, point).lower() in entry.lower() for point in tied)
