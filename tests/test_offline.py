"""The installable app without a browser (issue 18, item 2): the manifest and its icons, the
service worker's route and release, and the never-cache rule. The worker itself, offline, is
tested in real Chromium: tests/browser/test_offline.py."""
from __future__ import annotations

import json
import re
import struct
from html.parser import HTMLParser

import pytest

from app import create_app
from components.domain import datapackage
from components.web import offline
from components.domain.data import DEFAULT_DATA_DIR

PNG_SIZE = struct.Struct(">II")


@pytest.fixture(scope="module")
def app(model):
    return create_app(model=model)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page_tags(client, path: str = "/") -> list[tuple[str, dict]]:
    head = Head()
    head.feed(client.get(path).get_data(as_text=True))
    return head.tags


def release_of(client) -> dict:
    first_line = client.get(offline.WORKER_PATH).get_data(as_text=True).split("\n", 1)[0]
    return json.loads(re.fullmatch(r"self\.RELEASE = (.*);", first_line).group(1))


def test_off101_the_page_links_a_manifest_that_makes_it_installable(client):
    tags = page_tags(client)
    manifest_url = next(attrs["href"] for tag, attrs in tags if tag == "link" and attrs.get("rel") == "manifest")
    response = client.get(manifest_url)
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    manifest = response.get_json()
    title = client.get("/").get_data(as_text=True).split("<title>")[1].split("</title>")[0]
    assert manifest["name"] == title and manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    theme = next(attrs["content"] for tag, attrs in tags if tag == "meta" and attrs.get("name") == "theme-color")
    assert manifest["theme_color"] == theme
    style = (offline.STYLE_SHEET).read_text(encoding="utf-8")
    assert f"--accent: light-dark({theme}," in style and f"--paper: light-dark({manifest['background_color']}," in style


def test_off102_icons_at_192_and_512_px_and_a_maskable_one(client):
    icons = client.get(offline.MANIFEST_PATH).get_json()["icons"]
    sizes = set()
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == icon["type"]
        body = response.get_data()
        if icon["type"] == "image/png":
            assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
            width, height = PNG_SIZE.unpack(body[16:24])
            assert icon["sizes"] == f"{width}x{height}", icon["src"]
            sizes.add((width, icon["purpose"]))
        else:
            assert body.lstrip().startswith(b"<svg")
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_off103_the_worker_is_served_at_the_root_scope_and_revalidated(client):
    response = client.get(offline.WORKER_PATH)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    # Not a page script: Dash loads every .js file in assets/, the worker is not one of them.
    assert not any(tag == "script" and "sw.js" in attrs.get("src", "") for tag, attrs in page_tags(client))


def test_off104_the_release_keeps_what_the_page_loads_and_nothing_that_can_carry_pain(client):
    release = release_of(client)
    loaded = [attrs.get("src") or attrs.get("href") for tag, attrs in page_tags(client)
              if tag == "script" and attrs.get("src") or tag == "link" and attrs.get("rel") in ("stylesheet", "icon")]
    assert loaded and set(loaded) <= set(release["precache"])
    assert {"/", "/_dash-layout", "/_dash-dependencies", offline.MANIFEST_PATH} <= set(release["precache"])
    assert [url for url in release["precache"] if offline.private(url)] == []
    for url in release["precache"]:
        assert client.get(url).status_code == 200, url
    assert set(release["private"]) == {"/_dash-update-component", "/api/", "/handout", "/compare"}


@pytest.mark.parametrize("url, carries_pain", [
    ("/", False), ("/?pain=instep", True), ("/?tp=soleus-tp1", True), ("/api/trace?pain=instep", True),
    ("/api/regions", True), ("/handout?tp=soleus-tp1", True), ("/compare?before=x", True),
    ("/_dash-update-component", True), ("/_dash-layout", False), ("/assets/style.css?m=1", False),
])
def test_off105_what_can_carry_pain(url, carries_pain):
    assert offline.private(url) is carries_pain


def test_off106_one_release_id_per_build_the_same_in_every_worker(model, client):
    # gunicorn's workers are forks of one build: each computes the id itself, and must agree.
    again = create_app(model=model).server.test_client()
    assert release_of(client)["id"] == release_of(again)["id"]
    assert re.fullmatch(r"[0-9a-f]{16}", release_of(client)["id"])


def test_off107_a_data_release_is_a_new_release(app, data_copy):
    self_care = data_copy / "self_care.csv"
    self_care.write_text(self_care.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # an edit, then sealed
    datapackage.seal(data_copy)
    assert offline.release(app, data_copy)["id"] != offline.release(app, DEFAULT_DATA_DIR)["id"]
