"""HTTP rules for a server on the open internet: bounded bodies, honest status codes, caching.

- A request body over ``MAX_BODY_BYTES`` gets 413 before a byte of it is read (and a body
  must arrive within a deadline: ``components/server/bodies.py``, in front of the app).
- A 500 is JSON like every other error, and says nothing about the request.
- Only the known routes answer 200. Dash answers every path with its page (client-side
  routing); this app has one page, so any other path is a 404: a small HTML page with a link
  home, or JSON under ``/api/``.
- A 405 names the allowed methods in ``Allow``.
- Responses that can carry a person's pain areas are ``no-store``; fingerprinted static files
  are cached for a year as immutable; the service worker and the web app manifest are
  revalidated on every use (``components/web/offline.py``).
- Only the scripts the page loads are served: no source maps, no full plotly.js bundle (the
  page loads the basic bundle from ``assets/vendor``).
"""
from __future__ import annotations

from dash import Dash
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint
from flask import abort, jsonify, make_response, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound
from werkzeug.serving import WSGIRequestHandler

from components.server.bodies import MAX_BODY_BYTES
from components.server.logs import scrub
from components.web.offline import REVALIDATED_PATHS
from components.web.templating import error_page

YEAR_IMMUTABLE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"
REVALIDATE = "no-cache"
JSON_PREFIXES = ("/api/", "/_dash-")
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
SERVER_NAME = "calf-pain-map"
DEV_ROUTES = ("_reload-hash",)  # Dash registers it always; it answers only with dev tools on

MESSAGES = {
    404: "Nothing is served at {path}.",
    405: "{path} does not answer {method} requests.",
    413: "The request body is larger than the server accepts.",
}


def wants_json(path: str) -> bool:
    return path.startswith(JSON_PREFIXES) or path == "/api"


def error_response(error: HTTPException):
    """The app's own answer for any HTTP error: JSON for API and Dash routes, a small page otherwise."""
    path = request.path
    template = MESSAGES.get(error.code)
    message = template.format(path=path[:200], method=request.method) if template else (error.description or error.name)
    if wants_json(path):
        response = jsonify({"error": message})
    else:  # Jinja2 autoescapes: the path is shown as text
        response = make_response(error_page(f"{error.code} {error.name}", message))
    response.status_code = error.code
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def cache_control(path: str, query: dict, status: int) -> str | None:
    """The Cache-Control a response gets, or None to keep what the route set. Pure, for testing."""
    if status < 400 and path in REVALIDATED_PATHS:
        return REVALIDATE  # the service worker and the manifest: a new release is seen at the next visit
    if status < 400 and path.startswith("/_dash-component-suites/"):
        # Dash puts a version into the file name (check_fingerprint); only those may be kept.
        return YEAR_IMMUTABLE if check_fingerprint(path.rsplit("/", 1)[-1])[1] else None
    if status < 400 and (path.startswith("/assets/") and "m" in query or path == "/_favicon.ico" and "v" in query):
        return YEAR_IMMUTABLE  # Dash adds ?m=<modification time> (?v=<version>): a new file gets a new URL
    if status < 400 and path.startswith(STATIC_PREFIXES):
        return None
    return NO_STORE


def install_http_rules(app: Dash) -> None:
    server = app.server
    # One byte more than the limit: Werkzeug stops reading a chunked body there (silently, without
    # a 413), so a body that reaches it is known to be over the limit.
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    server.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    catchall = app.config.routes_pathname_prefix + "<path:path>"
    dev_routes = {app.config.routes_pathname_prefix + route for route in DEV_ROUTES}
    suites = app.config.routes_pathname_prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"

    @server.before_request
    def refuse_before_reading():
        # Werkzeug checks Content-Length only when a route reads the body; refuse before that.
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            abort(413)
        rule = request.url_rule.rule if request.url_rule else None
        if rule == catchall:
            other = _methods_of_other_routes(server, catchall)
            if other:  # e.g. GET /_dash-update-component, a POST-only route
                return error_response(MethodNotAllowed(valid_methods=other))
            abort(404)
        if request.path.endswith(".map"):
            abort(404)
        if rule in dev_routes and not app._dev_tools.hot_reload:
            abort(404)  # Dash's hot-reload route names the app's packages; only ``--debug`` uses it
        if rule == suites and not _serves_suite_file(app, **request.view_args):
            abort(404)

    for code in (400, 404, 413, 414, 431):  # 405 has its own handler below
        server.register_error_handler(code, error_response)

    @server.errorhandler(MethodNotAllowed)
    def method_not_allowed(error: MethodNotAllowed):
        # The catch-all page route answers GET for any path; another method there is still a 404.
        try:
            endpoint, _ = server.url_map.bind_to_environ(request.environ).match(method="GET")
        except HTTPException:
            endpoint = None
        if endpoint == catchall:
            return error_response(NotFound())
        return error_response(error)

    @server.errorhandler(InternalServerError)
    def internal_error(_error):
        # Flask's default is an HTML page; the log has the cause (components/server/logs.py keeps it private).
        response = jsonify({"error": "the server could not answer this request"})
        response.status_code = 500
        return response

    @server.errorhandler(DependencyException)
    def unknown_dependency(_error):
        return error_response(NotFound())

    @server.after_request
    def caching(response):
        value = cache_control(request.path, request.args, response.status_code)
        if value:
            response.headers["Cache-Control"] = value
        return response


def _methods_of_other_routes(server, catchall: str) -> list[str]:
    """Methods that a route other than the catch-all page route answers at this path."""
    adapter = server.url_map.bind_to_environ(request.environ)
    methods = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != catchall:
            methods.append(method)
    return methods + ["OPTIONS"] if methods else []


def _serves_suite_file(app: Dash, package_name: str, fingerprinted_path: str) -> bool:
    """Only registered, non-map files of Dash's own packages; never the full plotly.js bundle."""
    path, _ = check_fingerprint(fingerprinted_path)
    return package_name != "plotly" and path in app.registered_paths.get(package_name, ()) and not path.endswith(".map")


class QuietRequestHandler(WSGIRequestHandler):
    """``python app.py``'s server, without Werkzeug's and Python's versions in ``Server``."""

    def version_string(self) -> str:
        return SERVER_NAME

    def address_string(self) -> str:
        return "-"  # no client address in the log (components/server/logs.py)

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002 - Werkzeug's signature
        super().log(type, "%s", scrub(message % args if args else message))
