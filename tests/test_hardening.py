"""What an attacker or a careless client gets: a 4xx with a clear answer, never a 500 or the app page.

Through Werkzeug's test client (the same WSGI app gunicorn serves). The same checks over real
gunicorn on loopback are in tests/test_gunicorn.py.
"""
from __future__ import annotations

import http.client
import io
import json
import re
from urllib.parse import urlsplit
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.server.hardening import MAX_BODY_BYTES, cache_control
from tests.test_robustness import app, client, render_output, render_payload  # noqa: F401 (shared fixtures)

ROOT = Path(__file__).resolve().parent.parent
CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def render_request(render_output):
    return render_payload(render_output, {"tp": "gastrocnemius-tp1"})


# --------------------------------------------------------------------------- unknown paths


@pytest.mark.parametrize("path", ["/console", "/.git/config", "/robots.txt", "/wp-login.php", "/handout/x",
                                  "/%3Cscript%3Ealert(1)%3C/script%3E", "/admin?next=/"])
def test_hrd001_unknown_paths_are_a_404_page_with_a_link_home(client, path):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert '<a href="/">' in page
    assert "_dash-config" not in page and "dash-renderer" not in page
    assert "<script" not in page.lower()


def test_hrd002_the_404_page_shows_the_path_as_text(client):
    page = client.get("/<b>bold</b>").get_data(as_text=True)
    assert "<b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize("path", ["/api/no-such-route", "/api/", "/api/regions/extra"])
def test_hrd003_unknown_api_paths_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "error" in response.get_json()


@pytest.mark.parametrize("path", ["/", "/?pain=instep,knee-back", "/?tp=gastrocnemius-tp1&side=left&x=%3Cy%3E",
                                  "/handout?pain=instep", "/api/regions", "/_dash-layout", "/_dash-dependencies",
                                  "/_favicon.ico", "/assets/style.css"])
def test_hrd004_the_known_routes_still_answer(client, path):
    assert client.get(path).status_code == 200


# --------------------------------------------------------------------------- only what the page uses


def page_scripts(client) -> list[str]:
    """Every script the page runs: its own tags, and Dash's bundles that the shell preloads and starts."""
    found = re.findall(r'<script src="([^"]+)"|<link rel="preload" as="script" href="([^"]+)"',
                       client.get("/").get_data(as_text=True))
    return [tag or link for tag, link in found]


def test_hrd005_every_script_the_page_loads_is_served(client):
    scripts = page_scripts(client)
    assert scripts
    for src in scripts:
        assert client.get(src).status_code == 200, src


@pytest.mark.parametrize("path", [
    "/_dash-component-suites/os/path.py",
    "/_dash-component-suites/app/app.py",
    "/_dash-component-suites/dash/../../etc/passwd",
    "/_dash-component-suites/dash/dcc/../../../app.py",
    "/_dash-component-suites/plotly/package_data/plotly.min.js",
    "/_dash-component-suites/dash/dcc/dash_core_components.js.map",
    "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.v4_4_1m1.min.js.map",
    "/assets/vendor/plotly-basic-4.1.1.min.js.map",
])
def test_hrd006_unused_or_unknown_component_files_are_404_without_a_traceback(client, path, caplog):
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in caplog.text and "DependencyException" not in caplog.text


def test_hrd007_the_page_does_not_load_the_full_plotly_bundle(client):
    assert not any("plotly.min.js" in src for src in page_scripts(client))


# --------------------------------------------------------------------------- methods


def test_hrd008_a_405_names_the_allowed_methods(client):
    response = client.post("/api/regions")
    assert response.status_code == 405
    assert set(re.split(r",\s*", response.headers["Allow"])) == {"GET", "HEAD", "OPTIONS"}
    assert "error" in response.get_json()
    response = client.get(CALLBACK)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/api/regions", "/api/trigger-points", "/api/trace", "/api/no-such-route"])
def test_hrd009_options_on_the_api_is_honest(client, path):
    allowed = set(re.split(r",\s*", client.options(path).headers["Allow"]))
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_hrd010_writes_to_the_api_are_405_json(client, method):
    response = client.open("/api/trace?pain=instep", method=method)
    assert response.status_code == 405
    assert "Allow" in response.headers and "error" in response.get_json()


def test_hrd011_other_methods_on_unknown_pages_are_404(client):
    assert client.post("/console").status_code == 404
    assert client.delete("/.git/config").status_code == 404


# --------------------------------------------------------------------------- caching


@pytest.mark.parametrize("path", ["/", "/?pain=instep", "/handout?pain=instep", "/api/trace?pain=instep",
                                  "/api/regions", "/_dash-layout", "/console"])
def test_hrd012_responses_that_can_carry_pain_are_not_stored(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_hrd013_callback_answers_are_not_stored(client, render_request):
    response = client.post(CALLBACK, json=render_request)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_hrd014_fingerprinted_files_are_cached_for_a_year(client):
    fingerprinted = [src for src in page_scripts(client) if src.startswith("/_dash-component-suites/")]
    assert fingerprinted
    for src in fingerprinted:
        cache = client.get(src).headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache, src
    asset = next(src for src in page_scripts(client) if src.startswith("/assets/"))
    assert "immutable" in client.get(asset).headers["Cache-Control"]


def test_hrd015_cache_rules():
    assert cache_control("/_dash-component-suites/dash/dcc/x.v4_4_1m17.js", {}, 200).endswith("immutable")
    assert cache_control("/_dash-component-suites/dash/dcc/x.js", {}, 200) is None  # not fingerprinted: revalidate
    assert cache_control("/assets/style.css", {}, 200) is None
    assert cache_control("/assets/no-such.css", {}, 404) == "no-store"
    assert cache_control("/handout", {"pain": "instep"}, 200) == "no-store"


# --------------------------------------------------------------------------- bodies


def test_hrd016_a_body_over_the_limit_is_413_before_it_is_read(client):
    class Unreadable:
        """A body that fails the test if anything reads it."""

        def read(self, *_):
            raise AssertionError("the body was read")

        readline = readinto = read

    response = client.post(CALLBACK, content_type="application/json",
                           environ_overrides={"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(1024 ** 3)})
    assert response.status_code == 413
    assert "error" in response.get_json()


def test_hrd017_a_chunked_body_over_the_limit_is_413(client):
    body = b"[" * (MAX_BODY_BYTES + 10)
    response = client.post(CALLBACK, input_stream=io.BytesIO(body), content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_hrd018_a_body_under_the_limit_is_judged_on_its_content(client):
    response = client.post(CALLBACK, data=b" " * (MAX_BODY_BYTES - 1), content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]


# --------------------------------------------------------------------------- forged callback requests


def test_hrd019_changed_prop_ids_that_are_not_a_list_are_400(client, render_request):
    for value in (1, "explorer-state.data", {"a": 1}, [1], [None], [["x"]]):
        response = client.post(CALLBACK, json={**render_request, "changedPropIds": value})
        assert response.status_code == 400, value
        assert "changedPropIds" in response.get_json()["error"]


def test_hrd020_browser_side_callback_outputs_are_400(app, client):
    clientside = [output for output, callback in app.callback_map.items() if "callback" not in callback]
    assert "paint-sink.data" in clientside
    # The issue's own example named an output of the Plotly-era page; it must be a 400 too.
    for output in clientside + ["focus-sink.data"]:
        payload = render_payload(output, 1, {"changedPropIds": ["focus.data"]})
        if not output.startswith(".."):
            payload["outputs"] = payload["outputs"][0]
        response = client.post(CALLBACK, json=payload)
        assert response.status_code == 400, output
        assert "server" in response.get_json()["error"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
ENVELOPE_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(replaced=st.dictionaries(st.sampled_from(ENVELOPE_KEYS), json_values, max_size=3),
       dropped=st.sets(st.sampled_from(ENVELOPE_KEYS), max_size=2))
def test_hrd021_fuzzed_callback_envelopes_are_never_a_500(client, render_request, replaced, dropped):
    payload = {k: v for k, v in {**render_request, **replaced}.items() if k not in dropped}
    response = client.post(CALLBACK, data=json.dumps(payload), content_type="application/json")
    assert response.status_code < 500, (payload, response.get_data(as_text=True)[:300])


KNOWN_PAGES = ("handout", "_favicon.ico")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_hrd022_fuzzed_paths_are_never_a_500(client, path):
    path = path.lstrip("/")  # "//x" would be read as a host name by the test client, before the app
    for prefix in ("/", "/api/", "/_dash-component-suites/", "/_dash-component-suites/dash/", "/assets/"):
        response = client.get(prefix + path)
        assert response.status_code < 500, (prefix + path, response.status_code)
        # The path the app received: URL parsing drops control characters and outer spaces, so
        # "/\r" arrives as "/".
        received = urlsplit(prefix + path).path.lstrip("/")
        if response.status_code == 200 and prefix == "/" and received:
            assert received.startswith(("api/", "assets/", "_dash-")) or received in KNOWN_PAGES, path


# --------------------------------------------------------------------------- packaging


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            names.add(re.split(r"[\[=<>]", line)[0].lower())
    return names


def test_hrd023_runtime_requirements_carry_no_test_tools():
    runtime = requirement_names(ROOT / "requirements.txt")
    assert {"dash", "flask", "werkzeug", "gunicorn", "gevent"} <= runtime
    assert not runtime & {"selenium", "pytest", "hypothesis", "playwright", "psutil", "urllib3"}
    test_file = (ROOT / "requirements-test.txt").read_text()
    assert "-r requirements.txt" in test_file
    assert {"pytest", "selenium", "hypothesis"} <= requirement_names(ROOT / "requirements-test.txt")
    assert "requirements-test.txt" in (ROOT / "scripts" / "test.sh").read_text()


def test_hrd024_werkzeug_is_at_least_the_security_release():
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("Werkzeug=="))
    assert tuple(int(part) for part in pin.split("==")[1].split(".")) >= (3, 1, 9)


def test_hrd025_python_app_py_names_no_versions_in_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/console")
                response = conn.getresponse()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "python app.py did not start"
                time.sleep(0.2)
        assert response.status == 404
        server = response.getheader("Server")
        assert "Werkzeug" not in server and "Python" not in server and not re.search(r"\d", server), server
    finally:
        proc.terminate()
        proc.wait(20)


def test_hrd026_no_development_routes_in_production(client):
    """Dash's hot-reload route named the app's packages (issue 19); it answers only under --debug."""
    for path in ("/_reload-hash", "/_dash-routes", "/_alive_x", "/static/x"):
        assert client.get(path).status_code == 404, path


def test_hrd027_one_pin_per_runtime_package():
    names = [re.split(r"[\[=<>]", line.split("#")[0].strip())[0].lower()
             for line in (ROOT / "requirements.txt").read_text().splitlines() if line.split("#")[0].strip()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_hrd028_test_tools_are_pinned_and_current():
    """dash[testing] pinned selenium 4.2.0, whose urllib3 1.26 carries known advisories (issue 19)."""
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements-test.txt").read_text().splitlines()]
    pins = dict(line.split("==") for line in lines if line and not line.startswith("-r"))
    assert all("[" not in name for name in pins), "no extras: each package the suite needs is pinned by name"
    version = lambda name: tuple(int(part) for part in pins[name].split(".")[:2])  # noqa: E731
    assert version("selenium") >= (4, 30) and version("urllib3") >= (2, 0)
