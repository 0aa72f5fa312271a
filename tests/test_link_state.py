"""A link's state, as a person sees it: what a shared link opens on, what the address bar says
back, and the notice for the parts that were dropped.

Through ``parse_query`` (a request's query), ``State.query`` (the link written back) and
``notice_text`` (the notice on the page), the functions the page, the handout and the API share."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from components.domain.state import State, clean_state, focus_point, notice_text, parse_intensity, parse_query


def opened(model, query: str):
    """What ``/?<query>`` opens on: the state and the notice."""
    args = MultiDict(part.split("=", 1) for part in query.split("&") if part)
    cleaned = parse_query(model, args)
    return cleaned.state, notice_text(cleaned.ignored)


def test_lnk001_an_empty_link_opens_the_default_view_with_no_notice(model):
    state, notice = opened(model, "")
    assert state == State()
    assert (state.tp, state.pain, state.side, state.muscle, state.mode) == (None, (), "right", "all", "explore")
    assert notice == ""
    assert state.query() == ""


def test_lnk002_a_full_link_survives_the_round_trip_in_canonical_order(model):
    state, notice = opened(model, "mode=clinic&muscle=soleus&side=left&not_found=plantaris-tp1&tender=soleus-tp1"
                                  "&found=gastrocnemius-tp1&pain=instep:7,heel-underside&tp=soleus-tp2")
    assert notice == ""
    assert state.query() == ("?tp=soleus-tp2&pain=instep:7,heel-underside&found=gastrocnemius-tp1&tender=soleus-tp1"
                             "&not_found=plantaris-tp1&side=left&muscle=soleus&mode=clinic")
    assert opened(model, state.query()[1:])[0] == state


def test_lnk003_values_are_trimmed_and_lower_cased(model):
    state = parse_query(model, {"tp": " Soleus-TP1 ", "side": "LEFT", "mode": " Clinic", "muscle": "SOLEUS",
                                "pain": "Instep, KNEE-BACK"}).state
    assert (state.tp, state.side, state.mode, state.muscle, state.pain) == (
        "soleus-tp1", "left", "clinic", "soleus", ("instep", "knee-back"))


@pytest.mark.parametrize("query, said", [
    ("tp=nope-tp9", "trigger point “nope-tp9” is not in this map"),
    ("side=up", "side “up” must be left or right"),
    ("muscle=biceps", "muscle “biceps” is not in this map"),
    ("mode=kiosk", "mode “kiosk” must be clinic"),
    ("pain=instep,elbow", "area “elbow” is not a known region"),
    ("pain=instep:11", "pain level “11” for “instep” must be a whole number from 0 to 10"),
    ("pain=instep:-1", "pain level “-1” for “instep” must be a whole number from 0 to 10"),
    ("pain=:7", "pain level “:7” names no area"),
    ("found=nope-tp9", "trigger point “nope-tp9” in found is not in this map"),
    ("found=soleus-tp1&tender=soleus-tp1", "trigger point “soleus-tp1” is in both found and tender; kept as found"),
])
def test_lnk004_each_dropped_part_is_named_in_the_notice(model, query, said):
    _, notice = opened(model, query)
    assert notice == f"Part of this link was ignored: {said}."


def test_lnk005_dropped_parts_fall_back_to_the_defaults(model):
    state, notice = opened(model, "tp=nope&side=up&muscle=biceps&mode=kiosk")
    assert (state.tp, state.side, state.muscle, state.mode) == (None, "right", "all", "explore")
    assert notice == ("Part of this link was ignored: trigger point “nope” is not in this map; side “up” must be left "
                      "or right; muscle “biceps” is not in this map; mode “kiosk” must be clinic.")
    assert state.query() == ""


def test_lnk006_a_long_value_is_cut_to_forty_characters_in_the_notice(model):
    _, notice = opened(model, "tp=" + "x" * 41)
    assert f"“{'x' * 40}…”" in notice
    _, notice = opened(model, "tp=" + "y" * 40)
    assert f"“{'y' * 40}”" in notice


def test_lnk007_pain_numbers_are_whole_numbers_from_0_to_10(model):
    state, notice = opened(model, "pain=instep:0,knee-back:10,heel-underside,sole:x")
    assert state.pain == ("instep", "knee-back", "heel-underside", "sole")
    assert state.intensity == (("instep", 0), ("knee-back", 10))
    assert notice == "Part of this link was ignored: pain level “x” for “sole” must be a whole number from 0 to 10."
    assert state.query() == "?pain=instep:0,knee-back:10,heel-underside,sole"
    assert state.pain_param() == "instep:0,knee-back:10,heel-underside,sole"


def test_lnk008_an_area_named_twice_keeps_its_first_place_and_number(model):
    state, notice = opened(model, "pain=instep:3,knee-back,instep:8")
    assert state.pain == ("instep", "knee-back")
    assert state.intensity == (("instep", 3),)
    assert notice == ""


def test_lnk009_repeated_parameters_mean_the_same_as_commas(model):
    state, _ = opened(model, "pain=instep&pain=knee-back&found=soleus-tp1&found=plantaris-tp1")
    assert state.pain == ("instep", "knee-back")
    assert state.found == ("soleus-tp1", "plantaris-tp1")


def test_lnk010_the_pages_store_gives_numbers_the_link_did_not(model):
    state = clean_state(model, {"pain": ["instep,knee-back:2"], "intensity": {"instep": 6, "knee-back": 9, "sole": 4,
                                                                              "heel-back": "11"}}).state
    assert state.intensity == (("instep", 6), ("knee-back", 2)), "the link's number wins; unmarked areas get none"
    unnumbered = clean_state(model, {"pain": "instep", "intensity": {"instep": "x", "sole": 4}}).state
    assert unnumbered.intensity == (), "a number the store garbled leaves the area marked with no number"


@pytest.mark.parametrize("text, number", [
    ("7", 7), (" 10 ", 10), ("0", 0), (3, 3), (0, 0), (10, 10),
    ("11", None), ("011", None), (11, None), (-1, None), ("x", None), ("", None), (True, None), (None, None), (2.0, None),
])
def test_lnk011_a_pain_number_is_a_whole_number_from_0_to_10(text, number):
    assert parse_intensity(text) == number


def test_lnk012_what_pressing_found_goes_into_the_link_and_back(model):
    state, notice = opened(model, "found=gastrocnemius-tp1&tender=soleus-tp1,gastrocnemius-tp1&not_found=plantaris-tp1")
    assert (state.found, state.tender, state.not_found) == (("gastrocnemius-tp1",), ("soleus-tp1",), ("plantaris-tp1",))
    assert notice == ("Part of this link was ignored: trigger point “gastrocnemius-tp1” is in both found and tender; "
                      "kept as found.")
    assert state.palpation() == {"gastrocnemius-tp1": "found", "soleus-tp1": "tender", "plantaris-tp1": "not-found"}
    assert state.query() == "?found=gastrocnemius-tp1&tender=soleus-tp1&not_found=plantaris-tp1"


def test_lnk013_a_forged_payload_is_reset_or_dropped_with_a_note(model):
    assert clean_state(model, "not a mapping").ignored == ("the page state was not understood and has been reset",)
    assert clean_state(model, None).ignored == ()
    assert clean_state(model, []).state == State()
    cleaned = clean_state(model, {"tp": 7, "pain": 5, "found": 3, "side": ["left"], "muscle": 2, "mode": None})
    assert cleaned.state == State(side="left")
    assert cleaned.ignored == ("trigger point “7” is not in this map", "the marked areas were not understood",
                               "found was not understood", "muscle “2” is not in this map")


def test_lnk014_the_handout_carries_the_pain_and_findings_not_the_filter_or_mode(model):
    state, _ = opened(model, "tp=soleus-tp1&pain=instep:4&side=left&muscle=soleus&mode=clinic&found=soleus-tp1"
                             "&tender=plantaris-tp1&not_found=popliteus-tp1")
    assert state.handout_state().query() == ("?tp=soleus-tp1&pain=instep:4&found=soleus-tp1&tender=plantaris-tp1"
                                             "&not_found=popliteus-tp1&side=left")


def test_lnk015_the_state_as_json_names_every_part(model):
    state, _ = opened(model, "tp=soleus-tp1&pain=instep:4,sole&side=left&found=soleus-tp1")
    assert state.as_json() == {"tp": "soleus-tp1", "pain": ["instep", "sole"], "side": "left", "muscle": "all",
                               "mode": "explore", "intensity": {"instep": 4}, "found": ["soleus-tp1"], "tender": [],
                               "not_found": []}


def test_lnk016_the_drawn_point_is_the_chosen_one_else_the_best_for_the_pain(model):
    class Ranked:
        trigger_point = "soleus-tp1"

    assert focus_point(State(tp="plantaris-tp1", pain=("instep",)), [Ranked()]) == "plantaris-tp1"
    assert focus_point(State(pain=("instep",)), [Ranked()]) == "soleus-tp1"
    assert focus_point(State(pain=("instep",)), []) is None
    assert focus_point(State(), [Ranked()]) is None


def test_lnk017_several_points_with_one_finding_share_a_parameter(model):
    state, _ = opened(model, "found=soleus-tp1,plantaris-tp1&not_found=popliteus-tp1,gastrocnemius-tp2")
    assert state.query() == "?found=soleus-tp1,plantaris-tp1&not_found=popliteus-tp1,gastrocnemius-tp2"
