"""Ranking the trigger points that may explain a pain map: a table of cases, ties, and a property."""
from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.domain import referral
from components.domain.data import load_model
from components.domain.datapackage import seal
from components.domain.model import AGREED, Model, Muscle, ReferralZone, Region, Source, TriggerPoint, View
from components.domain.referral import UnknownRegion, explained_words, normalise_region_ids, reason, trace

TP = {n: f"gastrocnemius-tp{n}" for n in range(1, 5)}
SQUARE = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


def ranked(result) -> list[str]:
    return [c.trigger_point for c in result.ranking]


def entry(result, point):
    return next((c for c in result.ranking if c.trigger_point == point), None)


# --------------------------------------------------------------------------- a tiny handmade model


def tiny_model(points, zones, regions=("r1", "r2", "r3"), muscles=(("m-a", 1), ("m-b", 2))):
    """points: (id, muscle, label, prevalence); zones: (point, intensity, regions[, agreement])."""
    return Model.build(
        sources={"s": Source(id="s", kind="seed", title="t", reference="ref")},
        views={"v": View(id="v", name="V", x=0, y=0, width=10, height=10, note="")},
        muscles={m: Muscle(id=m, name=m, order=order, summary="", sources=("s",)) for m, order in muscles},
        anatomy=[],
        regions={r: Region(r, f"name of {r}", "v", SQUARE, SQUARE) for r in regions},
        trigger_points={
            pid: TriggerPoint(id=pid, muscle=muscle, label=label, view="v", x=1, y=1, prevalence=prevalence,
                              location="", feels_like="", sources=("s",))
            for pid, muscle, label, prevalence in points
        },
        zones=[
            ReferralZone(id=f"{point}-z{i}", trigger_point=point, intensity=intensity, view="v", regions=tuple(rs),
                         points=SQUARE, outline=SQUARE, agreement=(agreement or [AGREED])[0], sources=("s",))
            for i, (point, intensity, rs, *agreement) in enumerate(zones)
        ],
    )


@pytest.mark.parametrize(
    "points",
    [
        [("p-rare", "m-a", "TP1", "rare"), ("p-common", "m-a", "TP2", "most-common")],
        [("p-common", "m-a", "TP2", "most-common"), ("p-rare", "m-a", "TP1", "rare")],
        [("p-b", "m-b", "TP1", "common"), ("p-a", "m-a", "TP3", "occasional")],
    ],
)
def test_equal_evidence_shares_a_rank_whatever_the_file_order_or_prevalence(points):
    zones = [(pid, "essential", ["r1"]) for pid, *_ in points]
    result = trace(tiny_model(points, zones), ["r1"])
    assert [c.rank for c in result.ranking] == [1, 1]
    assert len({c.score for c in result.ranking}) == 1
    assert all(result.is_tied(c) for c in result.ranking)


def test_within_a_tie_the_display_order_is_muscle_then_tp_number_not_the_file():
    points = [("p-10", "m-a", "TP10", "common"), ("p-b", "m-b", "TP1", "common"), ("p-2", "m-a", "TP2", "rare")]
    zones = [(pid, "essential", ["r1"]) for pid, *_ in points]
    assert ranked(trace(tiny_model(points, zones), ["r1"])) == ["p-2", "p-10", "p-b"]


def test_a_point_that_explains_more_marked_areas_beats_a_stronger_partial_fit():
    points = [("p-partial", "m-a", "TP1", "most-common"), ("p-whole", "m-b", "TP1", "rare")]
    zones = [("p-partial", "essential", ["r1", "r2"]), ("p-whole", "spillover", ["r1", "r2", "r3"])]
    result = trace(tiny_model(points, zones), ["r1", "r2", "r3"])
    assert ranked(result) == ["p-whole", "p-partial"]
    assert [c.rank for c in result.ranking] == [1, 2]


def test_a_fit_by_the_essential_zone_beats_a_fit_by_spillover_alone():
    points = [("p-spill", "m-a", "TP1", "most-common"), ("p-main", "m-b", "TP9", "rare")]
    zones = [("p-spill", "spillover", ["r1"]), ("p-main", "essential", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert ranked(result) == ["p-main", "p-spill"]
    assert [c.rank for c in result.ranking] == [1, 2]


def test_a_spread_only_one_source_reports_ranks_below_one_the_sources_agree_on():
    points = [("p-one", "m-a", "TP1", "common"), ("p-agreed", "m-b", "TP1", "common")]
    zones = [("p-one", "spillover", ["r1"], "one-source"), ("p-agreed", "spillover", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert ranked(result) == ["p-agreed", "p-one"]
    assert [c.rank for c in result.ranking] == [1, 2]


def test_ranks_skip_after_a_tie():
    points = [("p1", "m-a", "TP1", "common"), ("p2", "m-a", "TP2", "common"), ("p3", "m-a", "TP3", "common")]
    zones = [("p1", "essential", ["r1"]), ("p2", "essential", ["r1"]), ("p3", "spillover", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert [(c.trigger_point, c.rank) for c in result.ranking] == [("p1", 1), ("p2", 1), ("p3", 3)]
    assert not result.is_tied(result.ranking[2])


def test_the_score_counts_explained_areas_and_sorts_like_the_rank():
    points = [("p", "m-a", "TP1", "common"), ("q", "m-b", "TP1", "common")]
    zones = [("p", "essential", ["r1"]), ("p", "spillover", ["r2"]), ("q", "spillover", ["r1", "r2", "r3"])]
    model = tiny_model(points, zones)
    result = trace(model, ["r1", "r2", "r3"])
    assert [int(c.score) for c in result.ranking] == [3, 2]  # the whole part: marked areas explained
    assert ranked(result) == ["q", "p"]
    assert result.ranking[1].misses == ("r3",)
    assert result.unexplained == ()
    assert trace(model, ["r1"]).ranking[0].score > trace(model, ["r2"]).ranking[0].score


def test_a_region_in_both_zones_of_a_point_counts_as_essential():
    points = [("p", "m-a", "TP1", "common"), ("q", "m-b", "TP1", "common")]
    zones = [("p", "spillover", ["r1", "r2"]), ("p", "essential", ["r1"]), ("q", "essential", ["r1"])]
    result = trace(tiny_model(points, zones), ["r1"])
    assert entry(result, "p").explains == (("r1", "essential"),)
    assert entry(result, "p").rank == entry(result, "q").rank == 1


# --------------------------------------------------------------------------- together


def test_together_is_one_point_when_one_explains_everything():
    points = [("p", "m-a", "TP1", "common"), ("q", "m-b", "TP1", "common")]
    zones = [("p", "essential", ["r1"]), ("q", "spillover", ["r1", "r2"])]
    assert trace(tiny_model(points, zones), ["r1", "r2"]).together == ("q",)


def test_together_is_the_fewest_points_that_explain_every_explicable_area():
    points = [("a", "m-a", "TP1", "common"), ("b", "m-a", "TP2", "common"), ("c", "m-b", "TP1", "common"),
              ("d", "m-b", "TP2", "common")]
    zones = [("a", "essential", ["r1"]), ("b", "essential", ["r2"]), ("c", "spillover", ["r1", "r2"]),
             ("d", "essential", ["r3"])]
    regions = ("r1", "r2", "r3", "r4")
    result = trace(tiny_model(points, zones, regions=regions), ["r1", "r2", "r3", "r4"])
    assert set(result.together) == {"c", "d"}
    assert result.unexplained == ("r4",)
    assert list(result.together) == [c.trigger_point for c in result.ranking if c.trigger_point in result.together]


def test_together_prefers_main_zones_among_equally_small_sets():
    points = [("a", "m-a", "TP1", "common"), ("b", "m-a", "TP2", "common"), ("c", "m-b", "TP1", "common")]
    zones = [("a", "spillover", ["r1"]), ("c", "essential", ["r1"]), ("b", "essential", ["r2"])]
    assert set(trace(tiny_model(points, zones), ["r1", "r2"]).together) == {"b", "c"}


def test_together_holds_at_most_three_points():
    regions = tuple(f"r{i}" for i in range(1, 6))
    points = [(f"p{i}", "m-a", f"TP{i}", "common") for i in range(1, 6)]
    zones = [(f"p{i}", "essential", [f"r{i}"]) for i in range(1, 6)]
    result = trace(tiny_model(points, zones, regions=regions), list(regions))
    assert len(result.together) == 3


def test_together_and_elsewhere_are_empty_without_pain(model):
    assert trace(model, []).together == ()
    assert trace(model, []).elsewhere == ()


# --------------------------------------------------------------------------- the shipped data


def test_instep_ranks_tp1_first(model):
    result = trace(model, ["instep"])
    assert ranked(result)[0] == TP[1]
    first = result.ranking[0]
    assert first.explains == (("instep", "essential"),)
    assert first.misses == ()
    assert first.rank == 1 and not result.is_tied(first)


def test_instep_and_knee_back_rank_tp1_first_and_explain_both(model):
    result = trace(model, ["instep", "knee-back"])
    assert ranked(result)[0] == TP[1]
    assert result.ranking[0].explains == (("instep", "essential"), ("knee-back", "spillover"))
    assert result.ranking[0].misses == ()
    assert int(result.ranking[0].score) == 2
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
        assert result.as_json() == {"pain": [], "ranking": [], "unexplained": [], "together": [], "elsewhere": [],
                                    "red_flags": [], "nerve_roots": []}


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
    seal(data_copy)
    with_lonely = load_model(data_copy)
    alone = trace(with_lonely, ["test-lonely-spot"])
    assert alone.ranking == ()
    assert alone.unexplained == ("test-lonely-spot",)
    mixed = trace(with_lonely, ["instep", "test-lonely-spot"])
    assert ranked(mixed)[0] == TP[1]
    assert mixed.ranking[0].misses == ("test-lonely-spot",)
    assert int(mixed.ranking[0].score) == 1
    assert mixed.unexplained == ("test-lonely-spot",)


def test_trace_as_json_matches_the_contract(model):
    data = trace(model, ["instep", "knee-back"]).as_json()
    assert set(data) == {"pain", "ranking", "unexplained", "together", "elsewhere", "red_flags", "nerve_roots"}
    first = data["ranking"][0]
    assert set(first) == {"trigger_point", "rank", "score", "explains", "misses", "palpation"}
    assert first["rank"] == 1
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
        assert f"explains {explained_words(len(candidate.explains), len(result.pain))}:" in sentence
        assert sentence.endswith(".")


def test_reason_words_main_and_spillover_areas(model):
    result = trace(model, ["instep", "knee-back"])
    sentence = reason(model, result.ranking[0], 2)
    main, _, spread = sentence.partition("it sometimes spreads to the")
    assert model.regions["instep"].name in main
    assert model.regions["knee-back"].name in spread
    # Issue 16: plain words for one and two areas, never "1 of your 1" or "all 2".
    assert "explains your one marked area:" in reason(model, trace(model, ["instep"]).ranking[0], 1)
    assert "explains both marked areas:" in sentence


def test_explained_words_read_as_a_person_would_say_them():
    assert explained_words(1, 1) == "your one marked area"
    assert explained_words(2, 2) == "both marked areas"
    assert explained_words(3, 3) == "all 3 marked areas"
    assert explained_words(1, 2) == "1 of your 2 marked areas"
    assert explained_words(2, 5, "the") == "2 of the 5 marked areas"


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
            assert int(after.score) == int(before.score) + 1, "one more marked area explained"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_equal_scores_are_equal_ranks_and_together_covers_what_can_be_covered(model, data):
    pain = data.draw(st.lists(st.sampled_from(sorted(model.regions)), min_size=1, max_size=8, unique=True), label="pain")
    result = trace(model, pain)
    scores = [c.score for c in result.ranking]
    assert scores == sorted(scores, reverse=True)
    for before, after in zip(result.ranking, result.ranking[1:]):
        assert (before.rank == after.rank) == (before.score == after.score)
    explicable = {r for c in result.ranking for r, _ in c.explains}
    covered = {r for c in result.ranking if c.trigger_point in result.together for r, _ in c.explains}
    assert len(result.together) <= 3
    if explicable and len(result.together) < 3:
        assert covered == explicable
