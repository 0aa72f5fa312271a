"""Ranking the trigger points that may explain a pain map: a table of cases, ties, and a property."""
from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import referral
from components.data import load_model
from components.model import Model, Muscle, ReferralZone, Region, Source, TriggerPoint, View
from components.referral import UnknownRegion, normalise_region_ids, reason, trace

TP = {n: f"gastrocnemius-tp{n}" for n in range(1, 5)}
SQUARE = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


def ranked(result) -> list[str]:
    return [c.trigger_point for c in result.ranking]


def entry(result, point):
    return next((c for c in result.ranking if c.trigger_point == point), None)


# --------------------------------------------------------------------------- a tiny handmade model


def tiny_model(points, zones, regions=("r1", "r2", "r3"), muscles=(("m-a", 1), ("m-b", 2))):
    """points: (id, muscle, label, prevalence); zones: (point, intensity, regions)."""
    return Model.build(
        sources={"s": Source("s", "seed", "t", "ref")},
        views={"v": View("v", "V", 0, 0, 10, 10, "")},
        muscles={m: Muscle(m, m, order, "superficial", "", ("s",)) for m, order in muscles},
        anatomy=[],
        regions={r: Region(r, f"name of {r}", "v", SQUARE, SQUARE, (0.5, 0.5)) for r in regions},
        trigger_points={
            pid: TriggerPoint(pid, muscle, None, label, "v", 1, 1, prevalence, "", "", "", "", ("s",))
            for pid, muscle, label, prevalence in points
        },
        zones=[
            ReferralZone(f"{point}-z{i}", point, intensity, "v", tuple(rs), SQUARE, SQUARE, "", ("s",))
            for i, (point, intensity, rs) in enumerate(zones)
        ],
    )


@pytest.mark.parametrize(
    "points, expected",
    [
        # equal scores: the more common point first, whatever order the data lists them in
        ([("p-rare", "m-a", "TP1", "rare"), ("p-common", "m-a", "TP2", "most-common")], ["p-common", "p-rare"]),
        ([("p-common", "m-a", "TP2", "most-common"), ("p-rare", "m-a", "TP1", "rare")], ["p-common", "p-rare"]),
        ([("p-occ", "m-a", "TP1", "occasional"), ("p-com", "m-a", "TP2", "common")], ["p-com", "p-occ"]),
        # equal prevalence: the muscle listed first in muscles.csv
        ([("p-b", "m-b", "TP1", "common"), ("p-a", "m-a", "TP3", "common")], ["p-a", "p-b"]),
        # same muscle and prevalence: the lower TP number, compared as a number (TP2 before TP10)
        ([("p-10", "m-a", "TP10", "common"), ("p-2", "m-a", "TP2", "common")], ["p-2", "p-10"]),
    ],
)
def test_ties_are_broken_by_prevalence_then_muscle_then_number(points, expected):
    zones = [(pid, "essential", ["r1"]) for pid, *_ in points]
    result = trace(tiny_model(points, zones), ["r1"])
    assert ranked(result) == expected
    assert len({c.score for c in result.ranking}) == 1


def test_a_higher_score_beats_a_more_common_point():
    points = [("p-rare", "m-b", "TP9", "rare"), ("p-common", "m-a", "TP1", "most-common")]
    zones = [("p-rare", "essential", ["r1"]), ("p-common", "spillover", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert ranked(result) == ["p-rare", "p-common"]
    assert [c.score for c in result.ranking] == [3.0, 1.0]


def test_scores_follow_the_documented_weights():
    points = [("p", "m-a", "TP1", "common")]
    zones = [("p", "essential", ["r1"]), ("p", "spillover", ["r2"])]
    model = tiny_model(points, zones)
    assert trace(model, ["r1"]).ranking[0].score == 3
    assert trace(model, ["r2"]).ranking[0].score == 1
    assert trace(model, ["r1", "r2"]).ranking[0].score == 4
    result = trace(model, ["r1", "r2", "r3"])
    assert result.ranking[0].score == 3
    assert result.ranking[0].misses == ("r3",)
    assert result.unexplained == ("r3",)
    assert trace(model, ["r3"]).ranking == ()


def test_a_region_in_both_zones_of_a_point_counts_as_essential():
    points = [("p", "m-a", "TP1", "common")]
    zones = [("p", "spillover", ["r1", "r2"]), ("p", "essential", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert result.ranking[0].explains == (("r1", "essential"),)
    assert result.ranking[0].score == 3


# --------------------------------------------------------------------------- the shipped data


def test_instep_ranks_tp1_first(model):
    result = trace(model, ["instep"])
    assert ranked(result)[0] == TP[1]
    first = result.ranking[0]
    assert first.explains == (("instep", "essential"),)
    assert first.misses == ()
    assert first.score == 3


def test_instep_and_knee_back_rank_tp1_first_and_explain_both(model):
    result = trace(model, ["instep", "knee-back"])
    assert ranked(result)[0] == TP[1]
    assert result.ranking[0].explains == (("instep", "essential"), ("knee-back", "spillover"))
    assert result.ranking[0].misses == ()
    assert result.ranking[0].score == 4
    assert result.pain == ("instep", "knee-back")
    assert result.unexplained == ()


def test_knee_back_ranks_a_knee_point_before_tp1(model):
    result = trace(model, ["knee-back"])
    order = ranked(result)
    gastrocnemius = [p for p in order if p in TP.values()]
    assert gastrocnemius[0] in (TP[3], TP[4])
    assert order.index(TP[3]) < order.index(TP[1])
    assert order.index(TP[4]) < order.index(TP[1])
    assert entry(result, TP[1]).explains == (("knee-back", "spillover"),)
    assert result.ranking[0].explains == (("knee-back", "essential"),)


def test_ranking_is_sorted_by_score(model):
    result = trace(model, ["calf-upper-medial", "knee-back", "instep", "achilles"])
    scores = [c.score for c in result.ranking]
    assert scores == sorted(scores, reverse=True)
    for candidate in result.ranking:
        assert candidate.explains, "only points that explain something are listed"
        explained = {r for r, _ in candidate.explains}
        assert explained.isdisjoint(candidate.misses)
        assert explained | set(candidate.misses) == set(result.pain)


def test_empty_pain_gives_an_empty_ranking(model):
    for empty in ([], (), [""], [" ", ""]):
        result = trace(model, empty)
        assert result.ranking == ()
        assert result.unexplained == ()
        assert result.as_json() == {"pain": [], "ranking": [], "unexplained": []}


def test_repeated_and_mixed_case_ids_are_normalised(model):
    messy = trace(model, [" Instep", "KNEE-BACK", "instep ", "knee-back", ""])
    clean = trace(model, ["instep", "knee-back"])
    assert messy == clean
    assert messy.pain == ("instep", "knee-back")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, ()),
        ("", ()),
        (",,", ()),
        ("Instep, KNEE-back ,instep", ("instep", "knee-back")),
        (["b", "A", "a", " b "], ("b", "a")),
        (("x",), ("x",)),
    ],
)
def test_normalise_region_ids(raw, expected):
    assert normalise_region_ids(raw) == expected


def test_unknown_region_raises(model):
    with pytest.raises(UnknownRegion) as info:
        trace(model, ["instep", "nowhere", "Shin"])
    assert info.value.unknown == ["nowhere", "shin"]
    assert isinstance(info.value, ValueError)
    assert "nowhere" in str(info.value)


def _add_lonely_region(data_dir):
    path = data_dir / "regions.csv"
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            ["test-lonely-spot", "a spot nothing refers to", "back", "no", "1 1; 3 1; 3 3; 1 3", ""]
        )


def test_unexplained_regions_are_listed(data_copy):
    _add_lonely_region(data_copy)
    with_lonely = load_model(data_copy)
    alone = trace(with_lonely, ["test-lonely-spot"])
    assert alone.ranking == ()
    assert alone.unexplained == ("test-lonely-spot",)
    mixed = trace(with_lonely, ["instep", "test-lonely-spot"])
    assert ranked(mixed)[0] == TP[1]
    assert mixed.ranking[0].misses == ("test-lonely-spot",)
    assert mixed.ranking[0].score == 3 - 1
    assert mixed.unexplained == ("test-lonely-spot",)


def test_trace_as_json_matches_the_contract(model):
    data = trace(model, ["instep", "knee-back"]).as_json()
    assert set(data) == {"pain", "ranking", "unexplained"}
    first = data["ranking"][0]
    assert set(first) == {"trigger_point", "score", "explains", "misses"}
    assert first["explains"] == [
        {"region": "instep", "intensity": "essential"},
        {"region": "knee-back", "intensity": "spillover"},
    ]


def test_referral_of_tp1(model):
    zones = referral.referral_of(model, TP[1])
    assert zones["instep"] == "essential"
    assert zones["knee-back"] == "spillover"
    assert zones["calf-upper-medial"] == "spillover"


# --------------------------------------------------------------------------- reason sentences


@pytest.mark.parametrize(
    "pain",
    [["instep"], ["instep", "knee-back"], ["knee-back"], ["knee-back", "calf-upper-lateral", "sole"],
     ["instep", "achilles", "calf-lower-medial"]],
)
def test_reason_mentions_exactly_the_explained_regions(model, pain):
    result = trace(model, pain)
    assert result.ranking
    for candidate in result.ranking:
        sentence = reason(model, candidate, len(result.pain))
        explained_part, _, missed_part = sentence.partition(". It does not account for the ")
        explained = {r for r, _ in candidate.explains}
        for region_id, region in model.regions.items():
            assert (region.name in explained_part) == (region_id in explained), (region_id, sentence)
            if candidate.misses:
                assert (region.name in missed_part) == (region_id in candidate.misses), (region_id, sentence)
        assert not candidate.misses or missed_part
        assert sentence.startswith(model.point_title(candidate.trigger_point))
        assert f"explains {len(candidate.explains)} of your {len(result.pain)} marked area" in sentence
        assert sentence.endswith(".")


def test_reason_words_main_and_spillover_areas(model):
    result = trace(model, ["instep", "knee-back"])
    sentence = reason(model, result.ranking[0], 2)
    main, _, spread = sentence.partition("it sometimes spreads to the")
    assert model.regions["instep"].name in main
    assert model.regions["knee-back"].name in spread
    assert "1 of your 1 marked area:" in reason(model, trace(model, ["instep"]).ranking[0], 1)


# --------------------------------------------------------------------------- property


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_an_essential_region_never_lowers_a_score(model, data):
    point = data.draw(st.sampled_from(sorted(model.trigger_points)), label="point")
    essential = sorted({r for r, i in referral.referral_of(model, point).items() if i == "essential"})
    assert essential, f"{point} has no essential region"
    added = data.draw(st.sampled_from(essential), label="added")
    pain = data.draw(st.lists(st.sampled_from(sorted(model.regions)), max_size=8, unique=True), label="pain")
    before = entry(trace(model, pain), point)
    after = entry(trace(model, pain + [added]), point)
    assert after is not None, "a point that explains a marked region is always listed"
    if before is not None:
        assert after.score >= before.score
        if added not in pain:
            assert after.score == before.score + referral.WEIGHTS["essential"]
