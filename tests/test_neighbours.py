"""The neighbouring muscles: a reverse look-up must not blame the gastrocnemius for everything.

Runs against the shipped data in data/, so a data edit that breaks the clinical calibration
(heel pain -> soleus, big toe -> flexor hallucis longus, ...) fails here.
"""
from __future__ import annotations

import pytest

from components.domain.data import load_model
from components.domain.referral import trace

NEIGHBOURS = (
    "soleus",
    "plantaris",
    "popliteus",
    "tibialis posterior",
    "flexor digitorum longus",
    "flexor hallucis longus",
    "biceps femoris",
)
CONTRACT_MUSCLES = ("gastrocnemius",) + NEIGHBOURS


@pytest.fixture(scope="module")
def shipped():
    return load_model()


@pytest.mark.parametrize(
    "pain, expected_first",
    [
        ("heel-back", {"soleus-tp1"}),
        # Issue 15's audit: quadratus plantae's heel zone has two sources, so it ties with the soleus.
        ("heel-underside", {"soleus-tp1", "quadratus-plantae-tp1"}),
        ("big-toe-underside", {"flexor-hallucis-longus-tp1"}),
        # Flexor digitorum brevis also refers to the ball of the foot; since issue 15's audit two sources say so.
        ("forefoot-underside", {"flexor-digitorum-longus-tp1", "flexor-digitorum-brevis-tp1"}),
        ("low-back-sacroiliac", {"soleus-tp3"}),
        ("instep", {"gastrocnemius-tp1"}),
        ("instep,knee-back", {"gastrocnemius-tp1"}),
        # Several muscles send their main pain to the back of the knee: they share first place.
        # (Gastrocnemius TP3's knee zone rests on one source since issue 15's audit, so it ranks just below.)
        ("knee-back", {"gastrocnemius-tp4", "plantaris-tp1", "popliteus-tp1", "biceps-femoris-tp1"}),
    ],
)
def test_trace_puts_the_expected_points_first(shipped, pain, expected_first):
    ranking = trace(shipped, pain.split(",")).ranking
    assert ranking, f"nothing explains {pain}"
    assert {c.trigger_point for c in ranking if c.rank == 1} == expected_first, [c.trigger_point for c in ranking[:6]]


def test_knee_level_points_tie_and_a_mere_spread_to_the_knee_ranks_below_them(shipped):
    ranking = trace(shipped, ["knee-back"]).ranking
    ranks = {c.trigger_point: c.rank for c in ranking}
    assert ranks["gastrocnemius-tp4"] == ranks["plantaris-tp1"] == ranks["biceps-femoris-tp1"] == 1
    assert ranks["gastrocnemius-tp3"] == 5  # its knee zone rests on one source (issue 15's audit)
    assert ranks["gastrocnemius-tp1"] > 1 and ranks["medial-hamstrings-tp1"] > 1


def test_contract_muscle_names_are_the_muscle_names(shipped):
    names = {m.name for m in shipped.muscles.values()}
    assert set(CONTRACT_MUSCLES) <= names
    assert next(iter(shipped.muscles.values())).name == "gastrocnemius"


def test_api_lists_every_muscle():
    from app import create_app

    client = create_app().server.test_client()
    response = client.get("/api/trigger-points")
    assert response.status_code == 200
    points = response.get_json()
    assert {p["muscle"] for p in points} >= set(CONTRACT_MUSCLES)
    for point in points:
        if point["muscle"] in NEIGHBOURS:
            assert point["sources"], point["id"]
            assert any(z["intensity"] == "essential" for z in point["zones"]), point["id"]


def test_every_neighbour_row_has_a_source(shipped):
    neighbour_ids = {m.id for m in shipped.muscles.values() if m.name in NEIGHBOURS}
    assert len(neighbour_ids) == len(NEIGHBOURS)
    for muscle in neighbour_ids:
        assert shipped.muscles[muscle].sources, muscle
    points = [p for p in shipped.trigger_points.values() if p.muscle in neighbour_ids]
    assert points
    for point in points:
        assert point.sources, point.id
        assert point.location and point.feels_like, point.id
    zones = [z for z in shipped.zones if shipped.trigger_points[z.trigger_point].muscle in neighbour_ids]
    for zone in zones:
        assert zone.sources, zone.id
        assert zone.regions, zone.id
    for part in shipped.anatomy:
        if part.part == "deep-muscle":
            assert part.muscle in shipped.muscles, part.id


def test_disagreements_are_recorded(shipped):
    assert "heel" in shipped.trigger_points["plantaris-tp1"].disagreement
    assert "high" in shipped.trigger_points["soleus-tp1"].disagreement


def test_neighbour_points_lie_on_the_right_side(shipped):
    """Back view of the right leg: inner (medial) side is x < 50."""
    tp = shipped.trigger_points
    assert tp["soleus-tp1"].x < 50  # lower inner calf
    assert tp["flexor-digitorum-longus-tp1"].x < 50  # inner upper calf
    assert tp["flexor-hallucis-longus-tp1"].x > 50  # lower outer calf
    assert tp["biceps-femoris-tp1"].x > 50  # outer hamstring
    assert tp["biceps-femoris-tp1"].y < 48  # above the knee crease
