"""The browser ranks marked pain itself, so the answer is on screen within a frame. These tests
prove it gives Python's ranking (components/domain/referral.py trace), which stays the rule:

- rnk001: thousands of random pain maps, ranked in the page by its own script, match trace()
  point for point and rank for rank;
- rnk002: what a person sees after marking pain: the list in the page, its order, its shared
  ranks and its "equally likely" badges, and the sentence the live region speaks.
"""
from __future__ import annotations

import random


from components.domain.data import DEFAULT_DATA_DIR, load_model
from components.domain.referral import short_point_name, trace
from tests.browser.playwright_pages import open_page

MODEL = load_model(DEFAULT_DATA_DIR)
RANDOM_MAPS = 3000


def random_pain_maps(count: int, seed: int = 20261121) -> list[list[str]]:
    regions = list(MODEL.regions)
    rng = random.Random(seed)
    return [rng.sample(regions, rng.randint(1, min(6, len(regions)))) for _ in range(count)]


def python_ranking(pain) -> list[list]:
    return [[c.trigger_point, c.rank] for c in trace(MODEL, pain).ranking]


def test_rnk001_browser_ranking_equals_python_on_random_pain_maps(chromium, app_url):
    maps = random_pain_maps(RANDOM_MAPS)
    with open_page(chromium, app_url + "/", "desktop") as page:
        page.wait_for_selector("#page #body-map[data-interactive=true]")
        in_browser = page.evaluate(
            "maps => maps.map(pain => window.dash_clientside.explorer.rank(pain).map(c => [c.tp, c.rank]))", maps)
    differences = [(pain, python_ranking(pain), got) for pain, got in zip(maps, in_browser) if python_ranking(pain) != got]
    assert not differences, f"{len(differences)} of {len(maps)} pain maps rank differently, e.g. {differences[:2]}"
    # The maps exercise the interesting cases: ties, and points that explain only part of the pain.
    tied = sum(1 for pain in maps if len({r for _, r in python_ranking(pain)}) < len(python_ranking(pain)))
    assert tied > RANDOM_MAPS // 10


def test_rnk002_marking_pain_shows_the_ranking_and_says_it(chromium, app_url):
    pain = ["knee-back", "calf-upper-medial", "calf-upper-lateral"]
    with open_page(chromium, app_url + "/", "desktop") as page:
        check_marking(page, pain)


def check_marking(page, pain):
    page.wait_for_selector("#page #body-map[data-interactive=true]")
    for region in pain:
        page.click(f'#region-list [data-region-id="{region}"]')
    expected = trace(MODEL, pain).ranking
    page.wait_for_function(
        "n => document.querySelectorAll('#source-ranking > li').length === n", arg=len(expected))
    shown = page.eval_on_selector_all(
        "#source-ranking > li",
        "items => items.map(li => [li.dataset.tpId, Number(li.dataset.rank), !!li.querySelector('.candidate-tie')])")
    ranks = [c.rank for c in expected]
    assert shown == [[c.trigger_point, c.rank, ranks.count(c.rank) > 1] for c in expected]
    first = [short_point_name(MODEL, c.trigger_point) for c in expected if c.rank == 1]
    assert len(first) > 1, "the textbook case is a tie between popliteus and plantaris"
    spoken = page.inner_text("#announcer")
    # Issue 16: the live region names the area first ("Upper calf, outer side marked; 3 areas marked; ...").
    assert " marked; 3 areas marked; equally likely: " in spoken and all(name in spoken for name in first)
    assert "selected" not in spoken
    # Each point's reason sentence is under its name.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#source-ranking .candidate-reason')).every(r => r.textContent.length > 20)")
