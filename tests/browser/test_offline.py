"""The installable app offline (issue 18, item 2), in real headless Chromium through Playwright.

Each test opens its own browser context, so its own service worker and caches. It waits until the
worker controls the page (what a second visit gets), then uses the page as a person would, with the
network off where the test says so. Codes: ``-k off001`` runs one.

The ranking, each point's reason and the warning signs the marked areas raise come from the page
itself (off006), by Python's rules (tests/test_browser_rules.py); so do the self-care of the chosen
point's muscle (off007) and the notes around the ranking (off008), which the server draws online.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from components.domain import datapackage

from components.server import serving

from components.web import offline
from components.domain import education, referral
from components.domain.data import DEFAULT_DATA_DIR, load_model
from components.domain.referral import trace
from components.web import layout
from tests.browser.axe import assert_accessible
from tests.browser.conftest import Opened
from tests.browser.helpers import (js, marked_regions, pressed_points, ranking_ids,
                                   says_reason_and_warning_signs, shown_zones, tap_point, tap_region, wait_for_map,
                                   wait_announced, wait_for_ranking, wait_for_shown, wait_until)
from tests.browser.playwright_pages import CHROMIUM, DEVICES, serve_app
from tests.conftest import UNEXPLAINED, without_referrals
from tests.rendered import soup

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")
MODEL = load_model(DEFAULT_DATA_DIR)
WAIT_S = 20.0
CONTROLLED = "([]) => navigator.serviceWorker.controller !== null"
# Every URL in every cache of this origin, as "cache name URL".
CACHED = """async ([]) => {
  const out = [];
  for (const name of await caches.keys())
    for (const request of await (await caches.open(name)).keys()) out.push([name, request.url]);
  return out;
}"""
UPDATE_NOTICE = "([]) => Array.from(document.querySelectorAll('#app-update p')).map(p => p.textContent).join(' ')"


def ranked(pain: list[str]) -> list[str]:
    return [candidate.trigger_point for candidate in trace(MODEL, pain).ranking]


class Visit(Opened):
    """A fresh context (its own worker and caches) with one page, its console errors collected."""

    def __init__(self, chromium, device: str = "tablet", **options):
        settings = {**DEVICES[device], **options}
        super().__init__(chromium.new_context(**settings), "", bool(settings.get("has_touch")))

    def open(self, url: str):
        """Open ``url`` and wait until the service worker is in charge: what a second visit gets."""
        self.page.goto(url)
        wait_for_map(self.page)
        wait_until(self.page, CONTROLLED, WAIT_S)
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture()
def visit(chromium):
    opened: list[Visit] = []

    def start(device: str = "tablet", **options) -> Visit:
        opened.append(Visit(chromium, device, **options))
        return opened[-1]

    yield start
    for one in opened:
        one.close()


def test_off001_offline_reload_keeps_the_link_and_the_map_answers(visit, app_url):
    """A clinic tablet loses the Wi-Fi: the page reloads from the cache with what was marked, and a
    tap still marks an area, ranks its sources and shows a point's zones."""
    tablet = visit("tablet")
    page = tablet.open(app_url + "/?pain=instep")
    wait_until(page, "([]) => !!(history.state && history.state.explorer)", WAIT_S)  # Python's state, kept
    tablet.context.set_offline(True)
    page.reload()
    wait_for_map(page)

    assert page.title() == "Calf pain map"
    assert marked_regions(page) == ["instep"], "the link's marked area is lost offline"
    assert ranking_ids(page) == ranked(["instep"])

    tap_region(page, "heel-underside", touch=True)
    wait_until(page, "([]) => document.querySelectorAll('#source-ranking > li').length > 0 && "
                     "document.querySelectorAll('#body-map [data-region-id=\"heel-underside\"][aria-pressed=\"true\"]').length", 8.0)
    assert sorted(set(marked_regions(page))) == ["heel-underside", "instep"]
    assert wait_for_ranking(page, ranked(["instep", "heel-underside"])) == ranked(["instep", "heel-underside"])
    wait_announced(page, "2 areas marked")

    tap_point(page, "soleus-tp1", touch=True)
    wait_for_shown(page, "soleus-tp1")
    assert set(pressed_points(page)) == {"soleus-tp1"}
    assert set(shown_zones(page)) == {zone.id for zone in MODEL.zones_by_point["soleus-tp1"]}
    wait_announced(page, "selected")
    # Dash's server callbacks answered "no update" offline: nothing failed in the page.
    assert tablet.errors == []


# Three areas along the S1 nerve root's strip: a calf (the clot check) and sciatica's signs by the strip.
S1_AREAS = ["calf-lower-lateral", "heel-lateral", "foot-outer-edge"]


def test_off006_offline_marked_pain_gets_its_reasons_and_warning_signs(visit, app_url):
    """Offline, after a reload: marking areas that raise warning signs shows why the top point explains
    them and which signs to check first, with why and what to do, as Python says them."""
    tablet = visit("tablet", bypass_csp=True)  # for axe-core
    page = tablet.open(app_url + "/")
    tablet.context.set_offline(True)
    page.reload()
    wait_for_map(page)
    for region in S1_AREAS:
        tap_region(page, region, touch=True)
    wait_until(page, "([n]) => document.querySelectorAll('#body-map [data-region-id][aria-pressed=\"true\"]').length >= n",
               8.0, len(S1_AREAS))
    assert wait_for_ranking(page, ranked(S1_AREAS)) == ranked(S1_AREAS)
    says_reason_and_warning_signs(page, MODEL, S1_AREAS)
    assert not page.locator("#ranking-panel .mark-hint").is_visible(), "the hint to mark pain stays over the answer"
    assert {"dvt", "sciatica"} <= {raised.flag.id for raised in trace(MODEL, S1_AREAS).red_flags}
    # And every warning sign, in the page's own list (the cached layout).
    signs = page.get_by_role("region", name="Stop and see a doctor first if…").inner_text()
    assert all(flag.name in signs and flag.action in signs for flag in MODEL.red_flags)
    assert_accessible(page)
    assert tablet.errors == []


def squeezed(text: str) -> str:
    """The text with no white space: a browser's inner text and a parsed page's text agree on the words
    and their order, not on where lines break."""
    return "".join(text.split())


def server_text(component) -> str:
    """What the server's component (the one it draws online), or a part of it, says, squeezed."""
    return squeezed((component if hasattr(component, "get_text") else soup(component)).get_text(""))


def offline_page(visit, url: str, **options):
    """A tablet that has visited ``url``, reloaded with the network off."""
    tablet = visit("tablet", **options)
    page = tablet.open(url + "/")
    tablet.context.set_offline(True)
    page.reload()
    wait_for_map(page)
    return tablet, page


def test_off007_offline_a_chosen_point_shows_its_muscles_self_care(visit, app_url):
    """Offline, after a reload: choosing an X shows its muscle's self-care, as the server draws it online
    (steps with their timings, a muscle with cautions only, the checks before you start), and every
    warning sign beside it; choosing another muscle's X switches it. Back online, the server's panel
    is the one shown again, for the point chosen offline."""
    tablet, page = offline_page(visit, app_url, bypass_csp=True)  # for axe-core
    # The self-care section is Dash's page's (from the cached layout): the taps wait until it is drawn.
    wait_until(page, "([]) => !document.getElementById('first-paint')", WAIT_S)
    for tp in ("popliteus-tp1", "gastrocnemius-tp1", "soleus-tp1"):
        muscle = MODEL.trigger_points[tp].muscle
        title = education.SELF_CARE_TITLE.format(name=MODEL.muscles[muscle].name)
        tap_point(page, tp, touch=True)
        wait_for_shown(page, tp)
        care = page.get_by_role("region", name=title)
        care.wait_for(state="visible", timeout=WAIT_S * 1000)  # in Dash's page, which may still be loading
        expected = soup(education.education_panel(MODEL, tp))
        # The same words in the same order as the server's panel: title, checks, steps, timings, cautions.
        assert squeezed(care.locator(".self-care").inner_text()) == server_text(expected.find(id="self-care"))
        text = care.inner_text()
        steps = education.steps_for(MODEL, muscle)
        assert all(step.title in text and step.timing in text for step in steps)
        if not education.has_routine(steps):
            assert education.NO_ROUTINE in text and any(step.kind == "caution" for step in steps)
        signs = page.get_by_role("region", name=education.RED_FLAGS_HEADING).inner_text()
        assert all(flag.name in signs and flag.action in signs and flag.signs in signs for flag in MODEL.red_flags)
        assert page.get_by_role("heading", name=title).count() == 1, "the cached panel of another muscle still shows"
    assert_accessible(page)
    tablet.context.set_offline(False)
    online = page.locator("#education-wrap #self-care").get_by_role("heading", name=title)
    online.wait_for(state="visible", timeout=WAIT_S * 1000)
    assert page.get_by_role("heading", name=title).count() == 1 and not page.locator("#education-local").is_visible()
    assert tablet.errors == []


def with_every_note(model) -> list[str]:
    """Marked areas whose answer has a 'together' sentence, an area no point explains and a cause off
    this map: two more areas beside the unexplained one, found in the data."""
    regions = [r for r in model.regions if r != UNEXPLAINED]
    for first in regions:
        for second in regions:
            pain = [UNEXPLAINED, first, second]
            result = trace(model, pain)
            if first != second and referral.together_sentence(model, result) and result.unexplained and result.elsewhere:
                return pain
    raise AssertionError("no such pain map in the data")


def test_off008_offline_marked_pain_gets_the_notes_around_its_ranking(data_copy, visit):
    """Offline, after a reload: marking areas shows the points that together explain them, the area no
    point explains and the causes off this map, in the server's words (on a release in which one area is
    in no zone: the shipped data explains every area)."""
    from app import create_app

    model = load_model(without_referrals(data_copy))
    pain = with_every_note(model)
    result = trace(model, pain)
    top, below = layout.ranking_notes(model, result)
    with serve_app(create_app(data_copy)) as url:
        tablet, page = offline_page(visit, url)
        for region in pain:
            tap_region(page, region, touch=True)
        sentence = referral.together_sentence(model, result)
        page.get_by_text(sentence).wait_for(state="visible", timeout=8000)
        assert [c.trigger_point for c in result.ranking] == \
            [item.get_attribute("data-tp-id") for item in page.locator("#source-ranking > li").all()]
        answer = squeezed(page.inner_text("#ranking-panel"))
        assert server_text(top) in answer
        assert server_text(below) in answer, "the unexplained area and the causes off the map, as online"
        assert squeezed(layout.UNEXPLAINED_LEAD + layout.UNEXPLAINED_TEXT.format(
            names=model.regions[UNEXPLAINED].name)) in answer
        causes = page.locator("#elsewhere-notice-local li")
        assert [item.get_attribute("data-cause-id") for item in causes.all()] == [hit.cause.id for hit in result.elsewhere]
        # Back online the server says the same notes; offline again, the page's copies sit beside the
        # server's hidden ones and never repeat an id.
        tablet.context.set_offline(False)
        tap_region(page, pain[-1], touch=True)
        tap_region(page, pain[-1], touch=True)
        page.locator("#ranking-top #together-line").wait_for(state="visible", timeout=WAIT_S * 1000)
        tablet.context.set_offline(True)
        tap_region(page, pain[-1], touch=True)
        tap_region(page, pain[-1], touch=True)
        page.locator("#ranking-top-local").get_by_text(sentence).wait_for(state="visible", timeout=8000)
        assert page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
                                        return ids.filter((id, i) => ids.indexOf(id) !== i); }""") == []
        assert tablet.errors == []


def test_off002_a_link_first_opened_offline_says_it_cannot_be_read(visit, app_url):
    tablet = visit("tablet")
    page = tablet.open(app_url + "/")
    tablet.context.set_offline(True)
    page.goto(app_url + "/?pain=instep&tp=gastrocnemius-tp1")
    wait_for_map(page)
    wait_until(page, "([notice]) => (document.getElementById('url-notice').textContent || '').includes(notice)", 8.0,
               offline.OFFLINE_LINK_NOTICE)
    assert marked_regions(page) == []
    tap_region(page, "instep", touch=True)
    wait_until(page, "([]) => document.querySelectorAll('#source-ranking > li').length > 0", 8.0)
    assert ranking_ids(page) == ranked(["instep"])


def test_off003_nothing_that_can_carry_pain_is_cached(visit, app_url):
    desktop = visit("desktop")
    page = desktop.open(app_url + "/?pain=instep,knee-back&tp=gastrocnemius-tp1&found=gastrocnemius-tp1")
    tap_region(page, "heel-underside")  # a server callback with the new state
    wait_until(page, "([]) => location.search.includes('heel-underside')", WAIT_S)  # the server answered
    assert js(page, "async ([]) => (await fetch('/api/trace?pain=instep')).status") == 200
    page.goto(app_url + "/handout?pain=instep")
    page.wait_for_selector("#handout-diagram svg.map-view")
    page.goto(app_url + "/compare?before=%2F%3Fpain%3Dinstep&after=%2F%3Fpain%3Dheel-underside")
    page.goto(app_url + "/?pain=achilles")
    wait_for_map(page)

    entries = js(page, CACHED)
    urls = [url.removeprefix(app_url) for _, url in entries]
    assert "/" in urls and any(url.startswith("/_dash-component-suites/") for url in urls), urls
    kept = [url for url in urls if offline.private(url) or "pain=" in url]
    assert kept == [], f"responses that can carry pain were cached: {kept}"
    assert {name for name, _ in entries} == {name for name, _ in entries if name.startswith(offline.CACHE_PREFIX)}


def test_off005_offline_the_handout_says_why_it_cannot_open_and_leads_back_to_the_map(visit, app_url):
    phone = visit("phone")
    page = phone.open(app_url + "/")
    phone.context.set_offline(True)
    page.goto(app_url + "/handout?tp=soleus-tp1")
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
    assert offline.OFFLINE_PAGE_MESSAGE in page.inner_text("main")
    page.get_by_role("link", name="Go to the calf pain map").click()
    wait_for_map(page)
    tap_point(page, "soleus-tp1", touch=True)
    wait_for_shown(page, "soleus-tp1")


def edited_release(data: Path) -> Path:
    """The copy of the data with one visible change, sealed: a new data release."""
    regions = data / "regions.csv"
    text = regions.read_text(encoding="utf-8")
    regions.write_text(text.replace("instep,instep (inner arch of the foot),", "instep,instep (the arch),", 1),
                       encoding="utf-8")
    datapackage.seal(data)
    return data


def test_off004_a_new_release_replaces_the_old_cache_and_says_so(data_copy, visit):
    from app import create_app

    first = create_app()
    server = serving.swappable(first)
    with serve_app(first) as url:
        tablet = visit("tablet", bypass_csp=True)  # for axe-core; off001-off003 run under the app's policy
        page = tablet.open(url + "/")
        old = {name for name, _ in js(page, CACHED)}
        assert len(old) == 1

        serving.reload(server, lambda: create_app(edited_release(data_copy)))
        page.reload()  # a visit: the browser finds the new /sw.js and installs it beside the old one
        wait_for_map(page)
        wait_until(page, UPDATE_NOTICE, WAIT_S)
        assert js(page, UPDATE_NOTICE).startswith("A new version of the calf pain map is ready.")
        button = page.get_by_role("button", name="Reload to update")
        assert button.is_visible()
        assert_accessible(page)
        assert "Instep (inner arch of the foot)" in page.inner_text('#region-list [data-region-id="instep"]')

        with page.expect_navigation():
            button.click()
        wait_for_map(page)
        wait_until(page, "([]) => document.getElementById('app-update').textContent.includes('Updated')", WAIT_S)
        assert js(page, UPDATE_NOTICE) == "Updated to the new version."
        assert_accessible(page)
        page.get_by_role("button", name="Dismiss").click()
        assert js(page, UPDATE_NOTICE) == ""
        assert "Instep (the arch)" in page.inner_text('#region-list [data-region-id="instep"]')
        now = {name for name, _ in js(page, CACHED)}
        assert len(now) == 1 and now.isdisjoint(old), f"old cache {old}, caches now {now}"
        assert tablet.errors == []
