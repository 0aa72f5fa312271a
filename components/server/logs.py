"""Logs that hold no health data: no query strings, no bodies, no client addresses.

A person's pain areas travel in query strings (``/?pain=calf-lower-medial``) and callback
bodies; with the client's address beside them they are health data about someone. The access
log records the path alone (``ACCESS_LOG_FORMAT``, gunicorn.conf.py). Error logs are filtered
here: gunicorn's "Invalid request from ip=...: <the request line>" and "Error handling request
GET /?pain=...", and Flask's "Exception on ..." with a traceback whose last line can quote a
value, all pass through ``scrub``: queries are cut, addresses blanked, and an exception keeps
its type and frames but not its message.

Used by gunicorn as ``logger_class`` and installed on the Flask app's logger by app.py.
"""
from __future__ import annotations

import logging
import re
import traceback

from gunicorn.glogging import Logger

# gunicorn's atoms: time, method, path without query (%(U)s), protocol, status, size, duration.
# No %(h)s (address), %(r)s or %(q)s (query), %(f)s (referer: a page URL with its query) or %(a)s.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

QUERY = re.compile(r"\?[^\s'\"]*")
ADDRESS = re.compile(r"\bip=[^\s:]+")  # gunicorn's "Invalid request from ip=<client>: <error>"
# gunicorn's lines about one request quote what the client sent (a request line, a header).
ABOUT_A_REQUEST = re.compile(r"^(Invalid request from|Error handling request)")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def scrub(text: str) -> str:
    """A log line without query strings or client addresses, nor quotes of what a client sent."""
    text = ADDRESS.sub("ip=-", QUERY.sub("?…", text))
    return QUOTED.sub("'…'", text) if ABOUT_A_REQUEST.match(text) else text


def frames_only(exc_info) -> str:
    """A traceback's frames and the exception's type; its message may quote a request's values."""
    kind, _value, tb = exc_info
    return scrub("Traceback (most recent call last):\n" + "".join(traceback.format_tb(tb))
                 + f"{kind.__module__}.{kind.__qualname__} (message withheld: it may quote the request)")


class PrivacyFilter(logging.Filter):
    """Rewrites each record in place: the message scrubbed, an exception reduced to its frames."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not lose the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info:
            record.exc_text = frames_only(record.exc_info)
            record.exc_info = None
        return True


def private(logger: logging.Logger) -> logging.Logger:
    if not any(isinstance(f, PrivacyFilter) for f in logger.filters):
        logger.addFilter(PrivacyFilter())
    return logger


class PrivateLogger(Logger):
    """gunicorn's logger, with its error log passed through PrivacyFilter."""

    def setup(self, cfg):
        super().setup(cfg)
        private(self.error_log)
