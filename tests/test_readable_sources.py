"""Sources a client can read: no seed file name, 'seed 00…', '[S…]' code or 'Web page on …' anywhere a
person reads (the page and its panels, the clinic view's source lists, every handout)."""
from __future__ import annotations

import json
import re

import plotly
import pytest

from app import create_app
from components.domain import education, referral

from components.web import layout
UNREADABLE = [
    re.compile(r"\d{3}_[0-9a-f]{16}\.txt"),  # a seed's file name
    re.compile(r"seed[ -]?0\d\d", re.IGNORECASE),
    re.compile(r"\[(S|seed)\s?\d", re.IGNORECASE),
    re.compile(r"shared/seeds"),
    re.compile(r"Web page on", re.IGNORECASE),
]
PAIN_MAPS = [
    ("instep",), ("knee-back", "calf-upper-medial", "calf-upper-lateral"), ("ankle-lateral",),
    ("low-back-sacroiliac",), ("instep", "heel-back", "calf-upper-medial"), ("thigh-back-lower",),
    ("toes-underside", "big-toe-underside", "sole", "heel-underside"),
]


def _unreadable(text: str) -> list[str]:
    return [match.group(0) for pattern in UNREADABLE for match in pattern.finditer(text)]


def _as_text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_the_scan_catches_what_it_looks_for():
    assert _unreadable("Source: 000_02609dcd7b5747fc.txt [S5] seed 003, Web page on x.com")


def test_every_point_panel_and_education_panel_is_readable(model):
    for point in model.trigger_points:
        assert _unreadable(_as_text(layout.tp_detail(model, point))) == [], point
        assert _unreadable(_as_text(education.education_panel(model, point))) == [], point


@pytest.mark.parametrize("pain", PAIN_MAPS, ids=lambda p: ",".join(p))
def test_every_ranking_panel_is_readable(model, pain):
    result = referral.trace(model, pain)
    top, below = layout.ranking_notes(model, result)
    assert _unreadable(_as_text(top + below)) == []
    assert _unreadable(" ".join(referral.reason(model, c, len(result.pain)) for c in result.ranking)) == []


def test_the_served_page_layout_is_readable(client):
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    assert _unreadable(response.get_data(as_text=True)) == []


def test_every_handout_is_readable(client, model):
    urls = [f"/handout?tp={point}" for point in model.trigger_points]
    urls += ["/handout?pain=" + ",".join(pain) for pain in PAIN_MAPS]
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        assert _unreadable(page) == [], url


def test_every_source_has_a_publisher_and_a_title(model):
    for source in model.sources.values():
        publisher, _, title = source.title.partition(": ")
        assert publisher and title, f"{source.id}: {source.title!r} is not 'Publisher: title'"
        assert not _unreadable(source.title), source.id
