"""The page shell: the map is drawn once, by Python, outside React, with everything the browser
script needs to work from the page alone (tests/browser/test_before_dash.py taps it)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from app import create_app
from components.web import first_paint

ROOT = Path(__file__).resolve().parent.parent
INITIAL_STATE = re.compile(r'<script[^>]*\bid="initial-state"[^>]*>(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def page(app) -> str:
    return app.server.test_client().get("/?tp=gastrocnemius-tp1").get_data(as_text=True)


def initial(page: str) -> dict:
    return json.loads(INITIAL_STATE.search(page).group(1))


def test_shl001_the_map_is_in_the_shell_once_and_react_draws_none(app, page):
    assert page.count('id="body-map"') == 1
    assert re.search(r'<div id="react-entry-point"></div>', page), "React's mount point starts empty"
    assert page.index('id="body-map"') < page.index('id="react-entry-point"')
    layout = app.server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert "body-map" not in layout and "map-view" not in layout
    assert '"id":"map-panel"' in layout.replace(" ", "")


def test_shl002_the_map_is_painted_for_the_link_and_named_for_the_page(page):
    body_map = re.search(r'<div id="body-map"[^>]*>', page).group(0)
    assert 'role="group"' in body_map and 'aria-labelledby="map-title"' in body_map
    assert 'data-shown-tp="gastrocnemius-tp1"' in body_map
    assert re.search(r'data-tp-id="gastrocnemius-tp1"[^>]*aria-pressed="true"', page)


def test_shl003_the_page_carries_every_text_the_map_and_its_panels_say(model, page):
    texts = initial(page)["texts"]
    assert set(texts["points"]) == set(model.trigger_points)
    point = texts["points"]["gastrocnemius-tp1"]
    assert point["title"] == model.point_title("gastrocnemius-tp1")
    assert point["location"] == model.trigger_points["gastrocnemius-tp1"].location and point["essential"].endswith(".")
    assert set(texts["regions"]) == set(model.regions)
    assert texts["regions"]["instep"]["marked"].endswith(", marked as painful")
    assert texts["regions"]["instep"]["unmarked"].endswith(": mark as painful")
    assert [flag["id"] for flag in texts["red_flags"]] == [flag.id for flag in model.red_flags]
    assert texts["self_care"]["gastrocnemius"], "the calf's self-care is in the page"


def test_shl004_a_hostile_text_cannot_close_the_json_script():
    from markupsafe import Markup

    from components.web.templating import TEMPLATES

    out = TEMPLATES.from_string('<script type="application/json">{{ data|tojson }}</script>').render(
        data={"name": "</script><script>alert(1)</script>"})
    assert out.count("</script>") == 1 and not isinstance(out, Markup)


def test_shl005_the_explorer_scripts_are_listed_once_inline_and_come_before_dash(page):
    on_disk = sorted(path.name for path in (ROOT / "assets" / first_paint.EXPLORER_FOLDER).glob("*.js"))
    assert sorted(first_paint.EXPLORER_SCRIPTS) == on_disk, "every script in assets/explorer/ is loaded, in one list"
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(inline) == 1, "the explorer is the page's one inline script"
    sources = [(ROOT / "assets" / first_paint.EXPLORER_FOLDER / name).read_text(encoding="utf-8")
               for name in first_paint.EXPLORER_SCRIPTS]
    assert inline[0] == "\n".join(sources), "each file whole, in load order"
    assert not re.search(r'<script src="/assets/explorer/', page), "no request of its own"
    assert page.index("<script>") < page.index("dash_renderer")
    # Dash's bundles are fetched at once but started by the explorer's script, never by the parser.
    assert not re.search(r'<script src="/_dash-component-suites/', page)
    assert re.search(r'<link rel="preload" as="script" href="/_dash-component-suites/[^"]*dash_renderer', page)


def test_shl011_the_inline_explorer_is_allowed_by_its_hash_and_nothing_else_is(app):
    response = app.server.test_client().get("/")
    script = re.search(r"<script>(.*?)</script>", response.get_data(as_text=True), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_shl006_no_dash_svg():
    assert "dash-svg" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")
    from components.web import body_map

    assert not hasattr(body_map, "to_dash")
