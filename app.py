"""Calf referral pain explorer: create_app(data_dir) -> Dash, the WSGI ``server``, and the CLI."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dash import Dash

from components.domain import datapackage, education

from components.server import serving

from components.web import compare, layout, offline, qr
from components.web.api import register_api
from components.server.bodies import BodyLimits
from components.server.logs import private
from components.web.callbacks import register_callbacks
from components.web.handout import register_handout
from components.domain.data import DEFAULT_DATA_DIR, DataError, load_model, summary
from components.web.first_paint import install_first_html
from components.domain.model import Model
from components.server.hardening import QuietRequestHandler, install_http_rules
from components.server.security import install_callback_guard, install_security_headers

ROOT = Path(__file__).resolve().parent

__all__ = ["create_app", "server", "main", "reload_data"]


def create_app(data_dir: Path | str = DEFAULT_DATA_DIR, *, model: Model | None = None, clinic_name: str = "",
               public_url: str = "") -> Dash:
    """Build the whole app on one validated model. Raises DataError on invalid data.

    ``public_url`` is the address QR codes and shared links use; empty means the request's own."""
    model = model or load_model(data_dir)
    app = Dash(
        __name__, title="Calf pain map", assets_folder=str(ROOT / "assets"), update_title=None,
        compress=True, serve_locally=True,
        # plotly.js is not part of the page: the map is plain SVG (components/web/body_map.py).
        assets_ignore=r"^(plotly-.*|compare)\.js$",  # compare.js belongs to /compare only
        meta_tags=[{"name": "theme-color", "content": offline.theme_colours()["accent"]}],
        # The explorer's scripts are served by the page shell, ahead of Dash's bundles (first_paint.py).
        assets_path_ignore=[r"^explorer$"],
    )
    app.layout = layout.page(model, education.education_panel(model, None))
    install_first_html(app, model)
    offline.install_offline(app, data_dir)
    register_callbacks(app, model)
    register_api(app.server, model)
    register_handout(app.server, model, clinic_name)
    app.server.config[qr.CONFIG_KEY] = public_url.rstrip("/")
    compare.register_compare(app.server, model, app.get_asset_url)
    install_http_rules(app)  # first: a body over the limit is refused before anything reads it
    install_security_headers(app)
    install_callback_guard(app)
    app.server.wsgi_app = BodyLimits(app.server.wsgi_app)  # outermost: bodies are read, within limits, first
    private(app.server.logger)  # Flask's "Exception on ..." lines: no query, no exception message
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the calf referral pain explorer.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (default: 8050)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="folder with the CSV files")
    parser.add_argument("--check-data", action="store_true", help="validate the data, print a summary, and exit")
    parser.add_argument("--seal-data", action="store_true",
                        help="after an intentional edit: record every CSV file's size and hash in datapackage.json, "
                             "then check the data")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode with reloader (never in production)")
    parser.add_argument("--clinic-name", default=os.environ.get("CALF_CLINIC_NAME", ""),
                        help="clinic name printed on handouts (or set CALF_CLINIC_NAME)")
    parser.add_argument("--public-url", default=os.environ.get("CALF_PUBLIC_URL", ""),
                        help="the address phones reach this server at, for QR codes and shared links, e.g. "
                             "https://calf.example.org (or set CALF_PUBLIC_URL; default: the address of each request)")
    args = parser.parse_args(argv)
    if args.public_url and not qr.valid_public_url(args.public_url):
        parser.error(f"--public-url {args.public_url!r}: give an http:// or https:// address with a host, "
                     "and no query, e.g. https://calf.example.org")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.seal_data:
        if not Path(args.data_dir).is_dir():
            print(f"{args.data_dir}: no such folder; nothing was sealed.", file=sys.stderr)
            return 1
        print(f"sealed {datapackage.seal(args.data_dir)}")
    try:
        model = load_model(args.data_dir)
    except DataError as error:
        print("\n".join(str(p) for p in error.problems), file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was started.", file=sys.stderr)
        return 1
    if args.check_data or args.seal_data:
        print(summary(model))
        return 0
    app = create_app(args.data_dir, model=model, clinic_name=args.clinic_name, public_url=args.public_url)
    app.run(host=args.host, port=args.port, debug=args.debug, request_handler=QuietRequestHandler)
    return 0


def _app_from_environment() -> Dash:
    data_dir = Path(os.environ.get("CALF_DATA_DIR", DEFAULT_DATA_DIR))
    public_url = os.environ.get("CALF_PUBLIC_URL", "")
    if public_url and not qr.valid_public_url(public_url):
        raise SystemExit(f"CALF_PUBLIC_URL {public_url!r}: give an http:// or https:// address with a host, and no query")
    return create_app(data_dir, clinic_name=os.environ.get("CALF_CLINIC_NAME", ""), public_url=public_url)


def reload_data(log=None) -> bool:
    """gunicorn.conf.py's on_reload (``kill -HUP <master>``): serve the data as it is now, if it is valid."""
    return serving.reload(server, _app_from_environment, log)


if __name__ == "__main__":
    sys.exit(main())
else:
    # ``gunicorn app:server``; with gunicorn.conf.py's preload_app it is built once, in the master.
    server = serving.swappable(_app_from_environment())
