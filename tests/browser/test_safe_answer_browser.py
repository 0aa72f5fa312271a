"""Issue 15 in real Chromium: what a person sees and hears of the safe answer.

The check before self-care stands above the first step (page, clinic view, handout); the warning
signs that the marked areas make likely sit beside the ranking with their reason; the usual causes
that are not trigger points are named with their kind; a tie says with whom; axe stays clean.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import INTERACTIVE_MAP, js, wait_announced, wait_until
from tests.browser.playwright_pages import CHROMIUM, open_page

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")

MAP = INTERACTIVE_MAP
WAIT_MS = 20000
S1_STRIP = "buttock,thigh-back-upper,thigh-back-lower,calf-lower-lateral,heel-lateral,foot-outer-edge"
TOP = "([sel]) => { const el = document.querySelector(sel); return el ? el.getBoundingClientRect().top + window.scrollY : null; }"
SHOWN = "([sel]) => { const el = document.querySelector(sel); return !!el && el.offsetParent !== null; }"
NAME_OF = """([sel]) => { const el = document.querySelector(sel);
  const by = el && el.getAttribute('aria-labelledby'); return by ? document.getElementById(by).textContent : null; }"""


def test_sa001_before_you_start_stands_above_the_first_step(chromium, app_url):
    with open_page(chromium, app_url + "/?tp=soleus-tp1", "desktop") as page:
        page.wait_for_selector("#before-you-start", timeout=WAIT_MS)
        page.wait_for_selector("#self-care .step", timeout=WAIT_MS)
        assert js(page, NAME_OF, "#before-you-start") == "Before you start"
        text = page.inner_text("#before-you-start")
        for words in ("Stop", "Ask first", "clot", "blood thinners", "pregnant", "varicose veins", "diabetes",
                      "broken skin", "plaster cast", "HRT"):
            assert words in text, words
        assert js(page, TOP, "#before-you-start") < js(page, TOP, "#self-care .step")
        assert_accessible(page)


def test_sa002_a_marked_calf_raises_the_clot_check_beside_the_ranking(chromium, app_url):
    with open_page(chromium, app_url + "/", "phone") as page:
        page.wait_for_selector(MAP, timeout=WAIT_MS)
        page.click('#region-list [data-region-id="calf-upper-medial"]')
        page.wait_for_selector("#raised-flags", timeout=WAIT_MS)
        page.wait_for_selector("#source-ranking li[data-tp-id]", timeout=WAIT_MS)
        wait_announced(page, "1 area marked")
        wait_until(page, "([]) => document.getElementById('flag-announcer').textContent.includes('Blood clot')")
        assert page.get_attribute("#flag-announcer", "role") == "status"
        assert page.inner_text("#flag-announcer") == ("Warning signs to check first for these areas: "
                                                      "Blood clot in a leg vein (DVT).")
        flags = page.inner_text("#raised-flags")
        assert "Check these warning signs first" in flags
        assert "Blood clot in a leg vein (DVT)" in flags and "Emergency" in flags
        assert "can feel like a tight, sore calf" in flags and "111" in flags
        # Beside the ranking: a line naming it above the list, the reason and what to do right under it.
        assert "Blood clot in a leg vein (DVT)" in page.inner_text("#raised-flags-line")
        assert js(page, TOP, "#raised-flags-line") < js(page, TOP, "#source-ranking") < js(page, TOP, "#raised-flags")
        assert page.locator("#ranking-panel #raised-flags").count() == 1
        assert_accessible(page)


def test_sa003_clinic_view_keeps_the_check_in_the_answer(chromium, app_url):
    with open_page(chromium, app_url + "/?mode=clinic&tp=gastrocnemius-tp1", "tablet") as page:
        page.wait_for_selector("#page.clinic", timeout=WAIT_MS)
        page.wait_for_selector("#answer-before-you-start", timeout=WAIT_MS)
        assert js(page, SHOWN, "#answer-before-you-start")
        assert not js(page, SHOWN, "#self-care")  # clinic view hides the routine itself
        assert "Before you start" in page.inner_text("#answer-safety")
        assert js(page, TOP, "#answer-safety") < js(page, TOP, ".answer-flags")
        assert_accessible(page)


def test_sa004_a_nerve_root_strip_names_sciatica_and_its_emergency_signs(chromium, app_url):
    with open_page(chromium, app_url + "/?pain=" + S1_STRIP, "desktop") as page:
        page.wait_for_selector("#elsewhere-notice", timeout=WAIT_MS)
        page.wait_for_selector("#raised-flags", timeout=WAIT_MS)
        first = page.locator("#elsewhere-notice li").first
        assert first.get_attribute("data-cause-id") == "sciatica"
        text = first.inner_text()
        assert "Sciatica" in text and "Not a trigger point" in text and "S1 nerve root" in text
        assert "tingling" in text and "below the knee" in text
        notice = page.inner_text("#elsewhere-notice")
        for muscle in ("Gluteus medius", "Piriformis", "Quadratus lumborum"):
            assert muscle in notice
        assert "A muscle off this map" in notice and "can" in notice.lower()
        flags = [el.get_attribute("data-flag-id") for el in page.locator("#raised-flags li").all()]
        assert flags.index("cauda-equina") < flags.index("sciatica-weakness") < flags.index("sciatica")
        assert_accessible(page)


def test_sa005_a_tie_says_with_whom(chromium, app_url):
    with open_page(chromium, app_url + "/?pain=knee-back", "tablet") as page:
        page.wait_for_selector("#source-ranking .candidate-tie", timeout=WAIT_MS)
        ties = [el.inner_text() for el in page.locator("#source-ranking .candidate-tie").all()]
        assert ties and all(tie.startswith("equally likely with ") for tie in ties)
        assert "plantaris TP1" in ties[0] or "popliteus TP1" in ties[0]
        wait_until(page, "([]) => document.getElementById('announcer').textContent.includes('equally likely')")
        # The name keeps its width beside a long chip: never one letter per line.
        widths = js(page, "([]) => [...document.querySelectorAll('#source-ranking .candidate-name')].map(e => e.getBoundingClientRect().width)")
        assert min(widths) > 120


def test_sa006_the_handout_checks_before_self_care_and_names_the_part(chromium, app_url):
    with open_page(chromium, app_url + "/handout?pain=heel-underside,instep", "desktop") as page:
        page.wait_for_selector("#before-you-start")
        assert page.inner_text("h1") == "Heel and foot pain: your trigger point guide"
        assert js(page, TOP, "#before-you-start") < js(page, TOP, "#self-care li.step")
        assert "Before you start" in page.inner_text("#before-you-start")
        others = page.inner_text("#elsewhere")
        assert "Plantar fasciitis" in others and "Tarsal tunnel syndrome" in others
        ties = [el.inner_text() for el in page.locator(".tie").all()]
        assert ties and all(tie.startswith("equally likely with ") for tie in ties)
        flags = [el.get_attribute("data-flag-id") for el in page.locator("#red-flags li").all()]
        # Grouped by urgency: each sign's urgency is its group's heading, said once per group.
        urgencies = [page.locator(f'#red-flags li[data-flag-id="{flag}"]').evaluate(
            "li => li.closest('.flag-group').querySelector('.urgency').innerText").lower() for flag in flags]
        order = {"emergency": 0, "urgent": 1, "see a doctor": 2}
        assert [order[u] for u in urgencies] == sorted(order[u] for u in urgencies)


def test_sa007_the_handout_for_a_big_toe_raises_gout(chromium, app_url):
    with open_page(chromium, app_url + "/handout?pain=big-toe-top,big-toe-underside", "phone") as page:
        page.wait_for_selector("#raised-flags")
        raised = page.inner_text("#raised-flags")
        assert "Gout or an infected joint" in raised and "big toe joint" in raised
        assert page.inner_text("h1") == "Toe pain: your trigger point guide"
