"""What the ranking says to a person: its order and ties, the sentence beside each point, the
points that explain everything together, the warning signs and the causes off this map, the
handout title, and the main pain area of a point. All through ``referral``'s public functions,
on the shipped data."""
from __future__ import annotations

import pytest

from components.domain import referral
from components.domain.referral import UnknownRegion, trace

KNEE_AND_FOOT = ("instep", "knee-back", "calf-upper-medial")
S1_STRIP = ("buttock", "thigh-back-upper", "thigh-back-lower", "calf-lower-lateral", "heel-lateral", "foot-outer-edge")


@pytest.fixture(scope="module")
def knee_and_foot(model):
    return trace(model, KNEE_AND_FOOT)


def test_rnk001_the_point_that_explains_most_leads_and_equals_share_a_rank(knee_and_foot):
    ranking = knee_and_foot.ranking
    assert [(c.trigger_point, c.rank) for c in ranking[:6]] == [
        ("gastrocnemius-tp1", 1), ("plantaris-tp1", 2), ("popliteus-tp1", 2), ("medial-hamstrings-tp1", 4),
        ("gastrocnemius-tp4", 5), ("biceps-femoris-tp1", 5)]
    first, plantaris = ranking[0], ranking[1]
    assert first.explains == (("instep", "essential"), ("knee-back", "spillover"), ("calf-upper-medial", "spillover"))
    assert first.misses == () and plantaris.misses == ("instep",)
    assert not knee_and_foot.is_tied(first) and knee_and_foot.tied_with(first) == ()
    assert knee_and_foot.is_tied(plantaris) and knee_and_foot.tied_with(plantaris) == ("popliteus-tp1",)
    assert [c.score for c in ranking[:5]] == [3.4375, 2.375, 2.375, 2.125, 1.3125]


def test_rnk002_the_sentence_beside_a_point_says_what_it_explains_and_misses(model, knee_and_foot):
    first, last = knee_and_foot.ranking[0], knee_and_foot.ranking[-1]
    assert referral.reason(model, first, 3) == (
        "Gastrocnemius TP1 (inner head) explains all 3 marked areas: its main pain area covers the instep (inner arch "
        "of the foot); it sometimes spreads to the back of the knee and upper calf, inner side.")
    assert referral.reason(model, last, 3) == (
        "Gluteus minimus TP1 explains 1 of your 3 marked areas: it sometimes spreads to the upper calf, inner side. "
        "It does not account for the instep (inner arch of the foot) and back of the knee.")


@pytest.mark.parametrize("explained, marked, whose, words", [
    (1, 1, "your", "your one marked area"), (1, 1, "the", "the one marked area"), (2, 2, "your", "both marked areas"),
    (3, 3, "your", "all 3 marked areas"), (2, 3, "your", "2 of your 3 marked areas"), (1, 2, "the", "1 of the 2 marked areas"),
])
def test_rnk003_how_many_marked_areas_in_words(explained, marked, whose, words):
    assert referral.explained_words(explained, marked, whose) == words


def test_rnk004_names_are_joined_as_a_person_writes_them():
    assert referral.join_names([]) == ""
    assert referral.join_names(["soleus"]) == "soleus"
    assert referral.join_names(["a", "b"]) == "a and b"
    assert referral.join_names(["a", "b", "c"]) == "a, b and c"


def test_rnk005_together_names_the_fewest_points_only_when_one_is_not_enough(model, knee_and_foot):
    assert knee_and_foot.together == ("gastrocnemius-tp1",)
    assert referral.together_sentence(model, knee_and_foot) is None
    strip = trace(model, S1_STRIP)
    assert strip.together == ("gluteus-minimus-tp1", "fibularis-longus-tp1", "fibularis-tertius-tp1")
    assert referral.together_sentence(model, strip) == (
        "Together, gluteus minimus TP1, fibularis longus TP1 and fibularis tertius TP1 account for all 6 marked areas.")


def test_rnk006_together_leaves_out_a_point_pressed_and_not_found(model):
    result = trace(model, KNEE_AND_FOOT, {"gastrocnemius-tp1": "not-found"})
    assert result.ranking[-1].trigger_point == "gastrocnemius-tp1" and result.ranking[-1].palpation == "not-found"
    assert "gastrocnemius-tp1" not in result.together and len(result.together) >= 2
    found = trace(model, KNEE_AND_FOOT, {"medial-hamstrings-tp1": "found"})
    assert found.ranking[0].trigger_point == "medial-hamstrings-tp1" and found.ranking[0].palpation == "found"
    assert found.ranking[1].trigger_point == "gastrocnemius-tp1" and found.ranking[1].rank == 2


def test_rnk007_the_fewest_points_are_found_even_when_none_covers_everything():
    def candidate(point, *regions, essential=()):
        return referral.Candidate(point, 0.0, tuple((r, "essential" if r in essential else "spillover") for r in regions), ())

    ranking = [candidate("a", "r1", "r2"), candidate("b", "r3"), candidate("c", "r3", essential=("r3",)),
               candidate("d", "r4"), candidate("e", "r5")]
    assert referral.together(ranking) == ("a", "c", "d"), "3 at most; the essential one wins a tie"
    assert referral.together([candidate("a", "r1"), candidate("b", "r1", "r2")]) == ("b",)
    assert referral.together([candidate("a", "r1"), candidate("b", "r2")]) == ("a", "b")
    assert referral.together([candidate("a")]) == ()
    assert referral.together([]) == ()


def test_rnk008_marked_areas_raise_their_warning_signs_and_name_the_causes_off_the_map(knee_and_foot):
    assert [f.flag.id for f in knee_and_foot.red_flags] == ["dvt", "bakers-cyst"]
    assert knee_and_foot.red_flags[0].regions == ("knee-back", "calf-upper-medial")
    assert knee_and_foot.red_flags[0].because.startswith("A clot in a calf vein")
    assert [(e.cause.id, e.regions) for e in knee_and_foot.elsewhere] == [
        ("tarsal-tunnel-syndrome", ("instep",)), ("plantar-fasciitis", ("instep",)), ("vastus-lateralis", ("knee-back",)),
        ("bakers-cyst", ("knee-back", "calf-upper-medial"))]
    assert knee_and_foot.nerve_roots == () and knee_and_foot.unexplained == ()


def test_rnk009_a_nerve_root_strip_leads_with_sciatica_and_raises_its_emergency(model):
    strip = trace(model, S1_STRIP)
    assert strip.nerve_roots == ("s1",)
    sciatica = strip.elsewhere[0]
    assert (sciatica.cause.id, sciatica.regions) == ("sciatica", S1_STRIP)
    assert sciatica.because.startswith("The marked areas follow the st")
    assert [(e.cause.id, e.because) for e in strip.elsewhere[1:]] == [
        ("quadratus-lumborum", ""), ("gluteus-medius", ""), ("piriformis", "")]
    assert [(f.flag.id, f.regions) for f in strip.red_flags] == [
        ("dvt", ("calf-lower-lateral",)), ("cauda-equina", S1_STRIP), ("sciatica-weakness", S1_STRIP), ("sciatica", S1_STRIP)]
    assert strip.red_flags[1].because == sciatica.because
    assert trace(model, S1_STRIP[:2]).nerve_roots == (), "two areas fit many strips by chance"
    assert referral.followed_nerve_roots(model, S1_STRIP[:3]) == ("s1",)
    assert referral.followed_nerve_roots(model, S1_STRIP[:2] + ("instep",)) == ()


def test_rnk010_the_api_says_the_same_in_json(model, knee_and_foot):
    answer = knee_and_foot.as_json()
    assert answer["pain"] == list(KNEE_AND_FOOT) and answer["together"] == ["gastrocnemius-tp1"]
    assert answer["ranking"][1] == {"trigger_point": "plantaris-tp1", "rank": 2, "score": 2.375,
                                    "explains": [{"region": "knee-back", "intensity": "essential"},
                                                 {"region": "calf-upper-medial", "intensity": "spillover"}],
                                    "misses": ["instep"], "palpation": None}
    assert answer["elsewhere"][3] == {"region": "knee-back", "causes": ["Baker's cyst"],
                                      "note": knee_and_foot.elsewhere[3].note, "id": "bakers-cyst",
                                      "name": "Baker's cyst", "kind": "condition",
                                      "regions": ["knee-back", "calf-upper-medial"], "because": None}
    assert knee_and_foot.elsewhere[3].sources == knee_and_foot.elsewhere[3].cause.sources
    flag = answer["red_flags"][0]
    assert (flag["id"], flag["name"], flag["urgency"], flag["regions"]) == (
        "dvt", "Blood clot in a leg vein (DVT)", "emergency", ["knee-back", "calf-upper-medial"])
    assert flag["action"].startswith("Call 999") and flag["because"].startswith("A clot in a calf vein")
    assert answer["unexplained"] == [] and answer["nerve_roots"] == []
    strip = trace(model, S1_STRIP).as_json()
    assert strip["nerve_roots"] == ["s1"] and strip["elsewhere"][0]["because"].startswith("The marked areas follow")
    assert strip["elsewhere"][0]["region"] == "buttock"
    assert referral.OffMapCause(strip and trace(model, S1_STRIP).elsewhere[0].cause, ()).region == ""


def test_rnk011_region_ids_are_trimmed_lower_cased_and_kept_once(model):
    assert referral.normalise_region_ids(" Instep,KNEE-back,,instep ") == ("instep", "knee-back")
    assert referral.normalise_region_ids(["Sole", " sole", ""]) == ("sole",)
    assert referral.normalise_region_ids(None) == ()
    assert trace(model, ["Instep", "instep"]).pain == ("instep",)
    with pytest.raises(UnknownRegion) as error:
        trace(model, ["instep", "elbow", "wrist"])
    assert error.value.unknown == ["elbow", "wrist"]
    assert str(error.value) == "unknown region id(s): elbow, wrist"


def test_rnk012_an_area_no_point_refers_to_is_said_to_be_unexplained(model):
    lonely = [r for r in model.regions if not model.referrals_by_region[r]]
    if not lonely:
        pytest.skip("every area is explained by some point in this data")
    assert trace(model, [lonely[0], "instep"]).unexplained == (lonely[0],)


def test_rnk013_the_handout_title_names_the_parts_of_the_body(model):
    assert referral.body_part_words(model, KNEE_AND_FOOT) == "Foot, knee and calf"
    assert referral.body_part_words(model, ["heel-underside", "sole", "instep"]) == "Heel and foot"
    assert referral.body_part_words(model, []) == "Leg"
    assert referral.body_part_words(model, ["calf-upper-medial", "knee-back", "thigh-back-lower"]) == "Calf, knee and thigh"
    assert referral.body_part_words(model, ["calf-upper-medial", "knee-back", "thigh-back-lower", "buttock"]) == "Leg"
    assert referral.body_part_words(model, ["calf-upper-medial", "knee-back", "thigh-back-lower", "toes-top"]) == "Leg and foot"
    assert referral.body_part_words(model, ["calf-upper-medial", "knee-back", "shin-front-medial", "heel-back"]) == "Leg and foot"
    assert referral.body_part_words(model, ["calf-upper-medial", "knee-back", "shin-front-medial", "instep"]) == "Leg and foot"
    assert referral.body_part_words(model, ["elbow"], fallback="limb") == "Limb"


def test_rnk014_main_pain_area_lists_only_the_essential_zone(model):
    assert referral.main_regions(model, "gastrocnemius-tp1") == ["instep"]
    essential, spillover = referral.referral_summary(model, "gastrocnemius-tp1")
    assert essential == ["instep (inner arch of the foot)"]
    assert spillover == ["lower back of the thigh", "back of the knee", "upper calf, inner side",
                         "lower calf, inner side", "inner ankle"]
    referral_map = referral.referral_of(model, "gastrocnemius-tp1")
    assert referral_map["instep"] == "essential" and referral_map["knee-back"] == "spillover"
    assert set(referral_map) == {"instep", "thigh-back-lower", "knee-back", "calf-upper-medial", "calf-lower-medial",
                                 "ankle-medial"}
    assert referral.referral_of(model, "no-such-point") == {}


def test_rnk015_essential_wins_where_both_zones_of_a_point_cover_an_area(model):
    for point in model.trigger_points:
        for zone in model.zones_by_point.get(point, ()):
            if zone.intensity == "essential":
                assert all(referral.referral_of(model, point)[r] == "essential" for r in zone.regions), point


def test_rnk016_the_browsers_table_ranks_with_the_same_evidence(model):
    table = referral.browser_table(model)
    regions = dict(table["regions"])
    assert list(regions) == list(model.regions)
    assert regions["thigh-back-lower"] == [["gastrocnemius-tp1", False, False], ["biceps-femoris-tp1", False, True],
                                           ["medial-hamstrings-tp1", True, True], ["gluteus-minimus-tp1", False, True]]
    assert table["points"][0] == ["gastrocnemius-tp1", 0, "Gastrocnemius TP1 (inner head)", "gastrocnemius TP1"]
    assert sorted(place for _, place, _, _ in table["points"]) == list(range(len(model.trigger_points)))
    assert table["palpation"]["parameters"] == {"found": "found", "tender": "tender", "not-found": "not_found"}


def test_rnk017_the_score_orders_by_explained_then_essential_then_agreed():
    assert referral.score_of((3, 1, 2), 3) == 3.375
    assert referral.score_of((2, 2, 2), 3) == pytest.approx(2 + 2 / 4 + 2 / 16)
    assert referral.score_of((2, 0, 0), 3) < referral.score_of((2, 0, 1), 3) < referral.score_of((2, 1, 0), 3) \
        < referral.score_of((3, 0, 0), 3)


def test_rnk018_evidence_counts_areas_in_the_main_zone_and_those_the_sources_agree_on(model):
    explains = (("instep", "essential"), ("knee-back", "spillover"))
    assert referral.evidence_key(model, "gastrocnemius-tp1", explains) == (2, 1, 2)
    assert referral.evidence_key(model, "soleus-tp2", (("heel-underside", "essential"),))[2] in (0, 1)
    one_source = [(r, p) for r in model.regions for p in model.one_source_by_region[r]]
    region, point = one_source[0]
    assert referral.evidence_key(model, point, ((region, "spillover"),)) == (1, 0, 0)
