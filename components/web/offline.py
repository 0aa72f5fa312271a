"""The installable app: a web app manifest, its icons, and a service worker that keeps the page
working with the network off.

The worker (``components/web/service_worker.js``, plain JavaScript) is served at ``/sw.js``, at the
root scope, not from ``assets/``, where Dash would load it as a page script. Python hands it one
JSON object, the *release*: its id, what to keep, and what never to touch. The id is a hash of
everything the cached page is made of (the data's seal, the page shell, the fingerprinted script
and style URLs, the layout and callbacks, the manifest and the worker itself), so a new
release (new code, new data, a new Dash) is a new ``/sw.js``, which the browser installs beside
the old one; the page then offers a reload, and the new worker deletes the old cache.

What may be kept is decided in one place, here: the precache list (the bare page ``/``, which
carries no one's state, and what it loads), and at run time only responses the server itself
marks ``immutable`` (fingerprinted files, ``components/server/hardening.py``). Whatever can carry a
person's pain (``PRIVATE_PREFIXES``, and any page with a query) is never stored.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from dash import Dash
from flask import Response

from components.domain import datapackage
from components.web.templating import error_page

ROOT = Path(__file__).resolve().parents[2]
WORKER_PATH = "/sw.js"
MANIFEST_PATH = "/manifest.webmanifest"
REVALIDATED_PATHS = (WORKER_PATH, MANIFEST_PATH)  # fetched fresh on each visit, so a new release is seen
WORKER_SOURCE = Path(__file__).resolve().parent / "service_worker.js"
CACHE_PREFIX = "calf-pain-map-"
SHELL = "/"
# Fetched by Dash's renderer on every load; the same for everyone (no state in them).
SHELL_DATA = ("/_dash-layout", "/_dash-dependencies")
CALLBACKS = "/_dash-update-component"  # Dash's server callbacks
# Responses that can carry a person's pain areas: never stored. They go to the network; offline,
# the worker answers for them only with words (callbacks: "no update"; pages: OFFLINE_PAGE_MESSAGE).
PRIVATE_PREFIXES = (CALLBACKS, "/api/", "/handout", "/compare")
# Dash signs a fresh token into each page it serves (for background callbacks, which this app has
# none of): not part of what a release is made of.
PAGE_LOAD_TOKEN = re.compile(r'"end_id":\s*"[^"]*"')
OFFLINE_LINK_NOTICE = ("You are offline, so this link could not be read: the map opens empty. "
                       "Open the link again when you are online to see what it marks.")
OFFLINE_PAGE_MESSAGE = ("This page is made by the server, so it opens only when you are online. "
                        "The map, marking where it hurts and the likely sources work offline.")
OFFLINE_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SHORT_NAME = "Calf pain"
STYLE_SHEET = ROOT / "assets" / "style.css"
# (asset path, sizes, purpose): the SVG is the drawing; scripts/make_icons.py renders the PNGs from it.
ICONS = (
    ("icons/icon.svg", "any", "any"),
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable.svg", "any", "maskable"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)
ICON_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


@lru_cache(maxsize=1)
def theme_colours(style_sheet: Path = STYLE_SHEET) -> dict[str, str]:
    """The light theme's colours, read from the style sheet's first ``:root`` block, where they are defined
    once: ``--name: light-dark(<light>, <dark>);`` gives its light colour."""
    root = re.search(r":root\s*\{(.*?)\n\}", style_sheet.read_text(encoding="utf-8"), re.S)
    return dict(re.findall(r"--([\w-]+):\s*light-dark\((#[0-9a-fA-F]{3,8}),", root.group(1) if root else ""))


def shell_facts(args) -> dict:
    """For the page script: was this page made for the bare "/"? Offline, the worker serves that page
    for a link with a query, whose state the script then takes from the history entry (or says it can't)."""
    return {"bare": not args, "offline_notice": OFFLINE_LINK_NOTICE}


def manifest(app: Dash) -> dict:
    colours = theme_colours()
    return {
        "name": app.title,
        "short_name": SHORT_NAME,
        "lang": "en",
        "start_url": SHELL,
        "scope": SHELL,
        "display": "standalone",
        "background_color": colours["paper"],
        "theme_color": colours["accent"],
        "icons": [{"src": app.get_asset_url(path), "sizes": sizes, "type": ICON_TYPES[Path(path).suffix],
                   "purpose": purpose} for path, sizes, purpose in ICONS],
    }


class _Loads(HTMLParser):
    """The same-origin URLs a page loads: scripts, style sheets, icons, and the plotly bundle it loads on demand."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":  # a link is somewhere to go, not part of this page
            return
        found = dict(attrs)
        for name in ("src", "href", "data-plotly"):
            url = found.get(name)
            if url and url.startswith("/") and not url.startswith("//"):
                self.urls.append(url)


def private(url: str) -> bool:
    """Can a response from this URL carry a person's pain? Such responses are never cached."""
    path, _, query = url.partition("?")
    return path.startswith(PRIVATE_PREFIXES) or (path == SHELL and bool(query))


def page_loads(shell: str) -> list[str]:
    parser = _Loads()
    parser.feed(shell)
    return list(dict.fromkeys(parser.urls))


def release(app: Dash, data_dir: Path) -> dict:
    """What the worker of this build keeps, and its id. Built from the page as Python serves it, for no
    one, and the data's seal (some texts reach the page only through callbacks)."""
    with app.server.test_request_context(SHELL):
        shell = app.index()
        shell_data = [app.serve_layout().get_data(), app.dependencies().get_data()]
        page_offline = offline_page()
    the_manifest = json.dumps(manifest(app), sort_keys=True)
    precache = list(dict.fromkeys([SHELL, *SHELL_DATA, MANIFEST_PATH, *page_loads(shell),
                                   *(icon["src"] for icon in manifest(app)["icons"])]))
    kept_private = [url for url in precache if private(url)]
    if kept_private:
        raise ValueError(f"the service worker would cache responses that can carry pain: {kept_private}")
    seal = Path(data_dir) / datapackage.DESCRIPTOR
    digest = hashlib.sha256()
    for part in (seal.read_bytes() if seal.is_file() else b"", WORKER_SOURCE.read_bytes(), PAGE_LOAD_TOKEN.sub("", shell).encode(), *shell_data, the_manifest.encode(),
                 "\n".join(precache).encode(), page_offline["html"].encode()):
        digest.update(hashlib.sha256(part).digest())
    return {"id": digest.hexdigest()[:16], "cache_prefix": CACHE_PREFIX, "shell": SHELL, "precache": precache,
            "private": list(PRIVATE_PREFIXES), "callbacks": CALLBACKS, "offline_page": page_offline}


def offline_page() -> dict:
    """What the worker shows for a page that only the server can make (the handout, /compare) while
    offline: the app's own small error page, made here, with nothing of the request in it."""
    html = error_page("You are offline", OFFLINE_PAGE_MESSAGE)
    return {"html": html, "headers": {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                                      "Content-Security-Policy": OFFLINE_PAGE_POLICY}}


def worker_script(app: Dash, data_dir: Path) -> str:
    """``/sw.js``: the release as one line of JSON, then the plain worker."""
    return f"self.RELEASE = {json.dumps(release(app, data_dir), sort_keys=True)};\n" + WORKER_SOURCE.read_text(encoding="utf-8")


def install_offline(app: Dash, data_dir: Path) -> None:
    """Serve the manifest and the service worker; each is built once per app (per data release)."""
    built: dict[str, str] = {}

    def once(key: str, build) -> str:
        if key not in built:
            built[key] = build()
        return built[key]

    @app.server.route(WORKER_PATH, methods=["GET"])
    def service_worker():
        response = Response(once("worker", lambda: worker_script(app, data_dir)), mimetype="text/javascript")
        response.headers["Service-Worker-Allowed"] = SHELL
        return response

    @app.server.route(MANIFEST_PATH, methods=["GET"])
    def web_manifest():
        return Response(once("manifest", lambda: json.dumps(manifest(app), indent=1)), mimetype="application/manifest+json")
