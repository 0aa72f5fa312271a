"""One data set for every worker, and data changes that can never take a running server down.

Under ``gunicorn.conf.py`` (``preload_app``) the master builds the app once and every worker is
forked from it, so all workers serve the same data, even after an in-place edit of the files.
A reload (``kill -HUP <master>``) makes the master build a fresh app from the data folder as it
is now: only if that data is valid does it replace the current app, before gunicorn forks the
new workers. Bad data is logged loudly and the last good data stays in service.
"""
from __future__ import annotations

import logging
from typing import Callable

from dash import Dash
from flask import Flask

from components.domain.data import DataError

LOG = logging.getLogger("calf.serving")


class CurrentApp:
    """A WSGI app that hands every request to the current build of the app."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        return self.wsgi_app(environ, start_response)


def swappable(dash_app: Dash) -> Flask:
    """The app's Flask server, whose requests go through a CurrentApp that reload() can point elsewhere.

    Flask's own way to wrap an app (``server.wsgi_app = middleware``), so ``server`` stays the
    Flask object that gunicorn and the tests use.
    """
    server = dash_app.server
    server.wsgi_app = CurrentApp(server.wsgi_app)
    return server


def reload(server: Flask, build: Callable[[], Dash], log: logging.Logger | None = None) -> bool:
    """Build the app from the data as it is now and serve it from now on; keep the old one if that fails."""
    log = log or LOG
    try:
        fresh = build()
    except DataError as error:
        log.error("DATA RELOAD REFUSED: %d problem(s) in the new data; still serving the last good data.",
                  len(error.problems))
        for problem in error.problems:
            log.error("  %s", problem)
        return False
    except Exception:  # noqa: BLE001 - whatever went wrong, the running server must keep serving
        log.exception("DATA RELOAD FAILED; still serving the last good data.")
        return False
    server.wsgi_app.wsgi_app = fresh.server.wsgi_app
    log.info("Data reloaded: new workers serve the new data.")
    return True
