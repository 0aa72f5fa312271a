"""The numbers beside the X's and their key (issue 16): one number per X by one rule, placed clear of
every other number, X and bony landmark at the largest size they are drawn at (the handout's), and
a key on the page and on the handout that names every number drawn there."""
from __future__ import annotations

import itertools
import math
import re

import pytest

from app import create_app
from components.web import body_map
from components.domain.data import load_model


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_every_point_has_one_number_view_by_view_in_the_order_of_the_tabs(model):
    numbers = body_map.point_numbers(model)
    assert sorted(numbers.values()) == list(range(1, len(model.trigger_points) + 1))
    assert set(numbers) == set(model.trigger_points)
    # The back of the leg comes first, in trigger_points.csv order: the gastrocnemius TP1 to TP4 are 1 to 4.
    assert [numbers[f"gastrocnemius-tp{i}"] for i in range(1, 5)] == [1, 2, 3, 4]
    tabs = [words for _, words, _ in body_map.view_tabs(model)]
    tab_of_point = [tabs.index(body_map.tab_words(model.views[model.trigger_points[tp].view]))
                    for tp in sorted(numbers, key=numbers.get)]
    assert tab_of_point == sorted(tab_of_point), "the numbers do not follow the view tabs"


@pytest.mark.parametrize("view", ["back", "front", "lateral", "sole", "foot-medial", "hip"])
def test_numbers_are_clear_of_each_other_every_x_and_the_bony_landmarks(model, view):
    places = body_map.label_places(model, view)
    points = {tp: model.trigger_points[tp] for tp in places}
    clear = body_map.X_CLEAR
    xs = {tp: (p.x - clear, p.y - clear, p.x + clear, p.y + clear) for tp, p in points.items()}
    landmarks = [body_map.geometry.bounding_box(part.outline) for part in model.anatomy
                 if part.view == view and part.landmark in body_map.LABEL_LANDMARKS]
    for a, b in itertools.combinations(places, 2):
        assert body_map._overlap(places[a].box, places[b].box) == 0, f"the numbers of {a} and {b} overlap"
    for tp, place in places.items():
        for other, box in xs.items():
            if other != tp:
                assert body_map._overlap(place.box, box) == 0, f"{tp}'s number covers the X of {other}"
                # and it is plainly its own X's number, not its neighbour's
                own = body_map._distance(place.box, (points[tp].x, points[tp].y))
                assert body_map._distance(place.box, (points[other].x, points[other].y)) >= own + 2, (tp, other)
        assert all(body_map._overlap(place.box, box) == 0 for box in landmarks), f"{tp}'s number covers a landmark"
        assert math.dist((place.x, place.y), (points[tp].x, points[tp].y)) < 12


def test_the_number_is_drawn_beside_its_x_and_the_x_keeps_its_name(model):
    node = dict(body_map.map_views(model))[model.views["back"]]
    markup = body_map.to_markup(node)
    # Right after the X's button, outside it and hidden from a screen reader: the X's name is unchanged.
    found = re.search(r'<g class="tp tp-star" data-tp-id="gastrocnemius-tp1"[^>]*>.*?</g>(<text [^>]*>)1</text>', markup)
    assert 'aria-label="Gastrocnemius TP1 (inner head), trigger point"' in found.group(0)
    assert 'data-label-of="gastrocnemius-tp1"' in found.group(1) and 'aria-hidden="true"' in found.group(1)


def test_the_key_names_every_number_once_by_muscle(model):
    key = body_map.map_key(model)
    named = []
    for numbers, muscle, points in key:
        first, _, last = numbers.partition("\u2013")
        named += range(int(first), int(last or first) + 1)
        assert muscle[0].isupper() and points.startswith("TP")
    assert named == list(range(1, len(model.trigger_points) + 1))
    assert key[0] == ("1\u20134", "Gastrocnemius", "TP1\u2013TP4")
    # Only the views asked for: the handout's key names the X's it draws.
    assert [numbers for numbers, _, _ in body_map.map_key(model, ["sole"])] == ["23", "24", "25"]


def test_the_page_key_is_a_named_list(model):
    page = create_app().server.test_client().get("/").get_data(as_text=True)
    key = re.search(r'<div class="map-key" id="map-key">.*?</div>', page, re.S).group(0)
    assert '<h3 class="map-key-title" id="map-key-title">Numbers on the map</h3>' in key
    assert 'aria-labelledby="map-key-title"' in key
    assert len(re.findall(r"<li>", key)) == len(body_map.map_key(model))


def test_the_handout_has_the_key_to_the_numbers_of_its_points(model):
    client = create_app().server.test_client()
    page = client.get("/handout?tp=soleus-tp1").get_data(as_text=True)
    key = re.search(r'<div class="map-key map-key-inline" id="map-key">.*?</div>', page, re.S).group(0)
    assert 'aria-labelledby="map-key-title"' in key
    # The soleus's sheet names its own point only: the rest of the key is the app's.
    names = re.findall(r'<span class="key-number">([^<]+)</span> <span class="key-name">([^<]+)</span>', key)
    assert names == [(str(body_map.point_numbers(model)["soleus-tp1"]), "Soleus TP1")]
