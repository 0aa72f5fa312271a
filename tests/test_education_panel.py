"""What a person reads in the education panel: whose self-care it is, the check before it, the
steps in their groups with timings and sources, and the warning signs, emergencies acting first.

Read from the panel as the browser builds it (tests/rendered.py), not from the builder's data."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from components.domain import education
from components.web.handout import render_handout
from tests.rendered import soup, words


@pytest.fixture(scope="module")
def calf(model):
    """The panel with no point chosen: the gastrocnemius, the muscle the page opens on."""
    return soup(education.education_panel(model, None))


def test_edu001_the_page_opens_on_the_gastrocnemius_self_care_and_its_warning_signs(calf):
    section = calf.find("section", id="education")
    assert section["aria-labelledby"] == "self-care-title"
    assert words(calf.find(id="self-care-title")) == "Self-care for the gastrocnemius"
    assert calf.find("div", id="self-care", class_="self-care")
    flags = calf.find("section", id="red-flags", class_="red-flags")
    assert flags["aria-labelledby"] == "red-flags-title"
    assert words(flags.find("h2", id="red-flags-title")) == "Stop and see a doctor first if…"


def test_edu002_a_chosen_point_gives_its_own_muscle_and_only_its_steps(model):
    panel = soup(education.education_panel(model, "soleus-tp2"))
    assert words(panel.find(id="self-care-title")) == "Self-care for the soleus"
    assert [li["data-step-id"] for li in panel.select("li.step")] == ["soleus-ball-hold", "soleus-bent-knee-stretch"]
    assert "What keeps these points active" not in words(panel), "the soleus has no loading factors"


@pytest.mark.parametrize("focus", ["no-such-point", "", None])
def test_edu003_an_unknown_or_empty_choice_falls_back_to_the_gastrocnemius(model, focus):
    assert education.muscle_for(model, focus) == "gastrocnemius"
    assert words(soup(education.education_panel(model, focus)).find(id="self-care-title")) == "Self-care for the gastrocnemius"


def test_edu004_the_check_comes_before_the_first_step_with_stop_and_ask_first(calf, model):
    block = calf.find("section", id="before-you-start", class_="before-you-start")
    assert block["aria-labelledby"] == "before-you-start-title"
    assert words(block.find("h3", id="before-you-start-title")) == "Before you start"
    checks = block.select("li.safety-check")
    assert [li["data-check-id"] for li in checks] == [c.id for c in model.safety_checks]
    first = checks[0]
    assert "safety-check-stop" in first["class"]
    assert words(first.find("span", class_="safety-kind")) == "Stop"
    assert "safety-stop" in first.find("span", class_="safety-kind")["class"]
    assert words(first).startswith("Stop Don't press, roll or massage the leg")
    assert words(first.find("span", class_="check-source")) == "Source: " + education.source_names(model, model.safety_checks[0].sources)
    ask = block.find("li", attrs={"data-check-id": "blood-thinners"})
    assert "safety-check-ask-first" in ask["class"]
    assert words(ask.find("span", class_="safety-kind")) == "Ask first"
    everything = calf.find(id="self-care").find_all(True)
    assert everything.index(block) < everything.index(calf.find("li", class_="step")), "the check stands above the first step"


def test_edu005_a_muscle_without_checks_has_no_block_and_a_block_can_be_named(model):
    assert education.safety_block(model, "tibialis-posterior") is None
    panel = soup(education.education_panel(model, "tibialis-posterior-tp1"))
    assert panel.find(id="before-you-start") is None
    answer = soup(education.safety_block(model, "soleus", "answer-before-you-start"))
    assert answer.find("section", id="answer-before-you-start")["aria-labelledby"] == "answer-before-you-start-title"
    assert answer.find("h3", id="answer-before-you-start-title")


def test_edu006_what_keeps_the_points_active_is_listed_under_its_heading(calf, model):
    assert words(calf.find("p", class_="muscle-summary")).startswith("The big two-headed muscle that shapes the back of")
    heading = calf.find("h3", string="What keeps these points active")
    factors = heading.find_next_sibling("ul", class_="factors")
    assert [words(li) for li in factors.find_all("li")][:2] == [
        "Driving: long trips with the foot on a pedal, and stop-and-go traffic.", "Lots of walking."]


def test_edu007_steps_are_grouped_under_plain_headings_release_and_stretch_numbered(calf):
    headings = [words(h) for h in calf.find(id="self-care").find_all("h3")]
    assert headings[-5:] == ["Release the point", "Then stretch gently", "During a night cramp",
                             "Preventing night cramps", "Take care"]
    release = calf.find(class_="steps-release")
    assert release.name == "ol" and "steps" in release["class"]
    assert calf.find(class_="steps-stretch").name == "ol"
    assert calf.find(class_="steps-cramp-relief").name == "ul"
    assert calf.find(class_="steps-caution").name == "ul"
    assert [li["data-step-id"] for li in release.find_all("li")] == [
        "gastrocnemius-ball-hold", "gastrocnemius-ball-pin-move", "gastrocnemius-roller"]
    assert calf.find(id="no-routine") is None


def test_edu008_a_step_shows_its_title_timing_instructions_disagreement_and_source(calf, model):
    step = calf.find("li", attrs={"data-step-id": "gastrocnemius-ball-hold"})
    assert step["class"] == ["step", "step-release"]
    assert words(step.find("strong")) == "Hold a ball on a tender spot"
    assert words(step.find("span", class_="timing")) == "30 to 60 seconds per spot"
    assert "Sit with the calf resting on a massage ball." in words(step)
    assert words(step.find("p", class_="disagreement")).startswith("Sources differ: ")
    source = step.find("p", class_="step-source")
    assert "technical" in source["class"]
    assert words(source) == "Source: " + education.source_names(model, ("seed-000", "s6", "s7"))
    pin = calf.find("li", attrs={"data-step-id": "gastrocnemius-ball-pin-move"})
    assert pin.find("p", class_="disagreement") is None
    caution = calf.find("li", attrs={"data-step-id": "gastrocnemius-knee-caution"})
    assert caution.find("span", class_="timing") is None, "a step without a timing shows none"


@pytest.mark.parametrize("focus", ["plantaris-tp1", "popliteus-tp1", "tibialis-posterior-tp1"])
def test_edu009_cautions_alone_are_no_routine_and_the_panel_says_ask_your_therapist(model, focus):
    panel = soup(education.education_panel(model, focus))
    assert words(panel.find("p", id="no-routine", class_="no-routine")) == "No home routine for this muscle: ask your therapist."
    assert panel.find("section", id="red-flags"), "the warning signs stay with or without a routine"


def test_edu010_a_routine_is_any_step_that_is_not_a_caution(model):
    assert education.has_routine(education.steps_for(model, "flexor-hallucis-longus"))
    assert not education.has_routine(education.steps_for(model, "popliteus"))
    assert not education.has_routine([])


def test_edu011_every_warning_sign_is_listed_with_its_urgency_and_an_emergency_acts_first(calf, model):
    flags = calf.select("li.red-flag")
    assert [li["data-flag-id"] for li in flags] == [f.id for f in model.red_flags]
    dvt = calf.find("li", attrs={"data-flag-id": "dvt"})
    assert dvt["class"] == ["red-flag", "red-flag-emergency"]
    assert words(dvt.find("strong")) == "Blood clot in a leg vein (DVT)"
    urgency = dvt.find("span", class_="urgency")
    assert words(urgency) == "Emergency" and "urgency-emergency" in urgency["class"]
    paragraphs = dvt.find_all("p")
    assert "flag-action" in paragraphs[0]["class"] and words(paragraphs[0]).startswith("Call 999")
    assert words(paragraphs[1]).startswith("Throbbing or cramping pain in one leg")
    assert words(dvt.find("p", class_="flag-source")) == "Source: " + education.source_names(model, model.red_flags[0].sources)
    gout = calf.find("li", attrs={"data-flag-id": "gout-or-infected-joint"})
    assert words(gout.find("span", class_="urgency")) == "Urgent"
    assert "flag-action" not in (gout.find_all("p")[0].get("class") or []), "signs first when it is not an emergency"
    assert "flag-action" in gout.find_all("p")[1]["class"]
    shins = calf.find("li", attrs={"data-flag-id": "shin-splints"})
    assert words(shins.find("span", class_="urgency")) == "See a doctor"


def test_edu012_urgency_words_and_source_names(model):
    assert [education.urgency_word(u) for u in ("emergency", "urgent", "see-doctor", "later")] == [
        "Emergency", "Urgent", "See a doctor", "later"]
    assert education.source_names(model, ("s100", "s101", "s100")) == (
        "PubMed: Rathbone and others 2017, PubMed: Fernández-de-las-Peñas and Dommerholt 2018")


def test_edu013_the_check_covers_every_muscle_a_sheet_names_each_line_once(model):
    soleus_only = education.safety_checks_for(model, "soleus")
    both = education.safety_checks_for(model, "soleus", "gastrocnemius")
    assert [c.id for c in both] == [c.id for c in soleus_only] == [c.id for c in model.safety_checks]
    assert education.safety_checks_for(model, "popliteus") == []
    assert education.safety_checks_for(model, "popliteus", "abductor-hallucis") == soleus_only


def test_edu014_the_handout_prints_the_shared_sentences_around_the_answer(model):
    """The sentences education.py gives the page and the handout, read off a printed sheet for the S1 strip."""
    s1_strip = ("buttock", "thigh-back-upper", "thigh-back-lower", "calf-lower-lateral", "heel-lateral", "foot-outer-edge")
    sheet = " ".join(re.sub(r"<[^>]+>", " ", render_handout(model, "", None, s1_strip, "right", dt.date(2026, 12, 4))).split())
    assert "Check these warning signs first Blood clot in a leg vein (DVT)" in sheet
    assert ("Other common causes to rule out This map cannot tell these apart from a trigger point: a doctor or "
            "physiotherapist can. Sciatica (not a trigger point).") in sheet
    assert "Quadratus lumborum (a muscle off this map)" in sheet
    assert ("How sure can this be? Examiners who feel for trigger points agree only moderately on where they are "
            "(kappa about 0.45), and the same point can send pain to slightly different places in different people. "
            "(PubMed: Rathbone and others 2017, PubMed: Fernández-de-las-Peñas and Dommerholt 2018)") in sheet
