"""Open the app in Playwright's Chromium at a phone, tablet or desktop size, beside dash_duo.

    def test_x(chromium, app_url):          # the session's browser and app (tests/browser/conftest.py)
        with open_page(chromium, app_url + "/?tp=gastrocnemius-tp1", "phone") as page:
            page.wait_for_selector("#page #body-map[data-interactive=true]")

The app runs in a thread on a free port of 127.0.0.1 (not dash_duo's 8050), so these tests can run
alongside the dash_duo ones. Contexts bypass the page's Content-Security-Policy, so a test can inject
its own script (axe-core); the app's own behaviour is unchanged.
"""
from __future__ import annotations

import contextlib
import threading

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
              "has_touch": True},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "device_scale_factor": 2, "is_mobile": True,
               "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 1000}},
}


@contextlib.contextmanager
def serve_app(app=None):
    """Serve ``app`` (default: create_app() on the shipped data) on 127.0.0.1:<free port>; yield its base URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line per asset would bury a failure's message
            pass

    if app is None:
        from app import create_app

        app = create_app()
    server = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@contextlib.contextmanager
def open_page(browser, url: str, device: str = "desktop"):
    """A fresh context at one of DEVICES, with ``url`` loaded; closed afterwards."""
    context = browser.new_context(bypass_csp=True, **DEVICES[device])
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded", timeout=30000)
        yield page
    finally:
        context.close()
