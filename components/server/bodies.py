"""Request bodies are read whole, within a size and a time limit, before the app sees them.

A WSGI middleware in front of the Flask app, so the limits hold whoever serves it (gunicorn
reached directly, a proxy in front, ``python app.py``, the test client):

- a ``Content-Length`` over ``MAX_BODY_BYTES`` is answered 413 before a byte of the body is read;
- a chunked body is read up to one byte past the limit, then 413;
- the whole body must arrive within ``BODY_DEADLINE`` seconds, else 408: a client that trickles
  a body holds a connection for seconds, not for ever (``whole_read_deadline``);
- a malformed chunked body (a chunk-size line ``zz``) is a 400, not a traceback.

After any of these refusals the connection is closed, never drained: gunicorn 27 would otherwise
read the rest of a 1 GiB body, 1 KiB at a time, before the next request (``finish_body``), and
an app's ``Connection: close`` is dropped as a hop-by-hop header. gunicorn closes a connection
whose body "failed" (its ``Body.failed``, set when reading raised); a refusal sets it.

The app then reads the body from memory, as an ordinary ``Content-Length`` request.
Hand-written: Werkzeug's limits (``MAX_CONTENT_LENGTH``) check the size but have no deadline,
and run only when a route reads the body, after gunicorn has handed the request over.
"""
from __future__ import annotations

import contextlib
import io
import json

# Real bodies are callback requests of a few kilobytes; 256 KiB is far above any, and keeps a
# worker's worst case (worker_connections bodies in memory at once) to 256 MB.
MAX_BODY_BYTES = 256 * 1024
BODY_DEADLINE = 5.0  # seconds for a whole body; a real one (a few kilobytes) takes milliseconds
READ_SIZE = 64 * 1024

REFUSALS = {
    400: ("400 Bad Request", "the request body is malformed"),
    408: ("408 Request Timeout", "the request body did not arrive in time"),
    413: ("413 Request Entity Too Large", "the request body is larger than the server accepts"),
}


class Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class BodyLimits:
    """WSGI middleware: the body in memory, or a JSON 4xx and a closed connection."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES, deadline: float = BODY_DEADLINE):
        self.app = app
        self.max_bytes = max_bytes
        self.deadline = deadline

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        length = environ.get("CONTENT_LENGTH") or ""
        if not chunked and length in ("", "0"):
            return self.app(environ, start_response)
        stream = environ.get("wsgi.input")
        try:
            body = self._read(environ, stream, None if chunked else _length(length))
        except Refused as refusal:
            return refuse(environ, start_response, refusal.code)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    def _read(self, environ, stream, length: int | None) -> bytes:
        if length is not None and length > self.max_bytes:
            raise Refused(413)
        wanted = self.max_bytes + 1 if length is None else length
        parts, size = [], 0
        try:
            with whole_read_deadline(environ, self.deadline):
                while size < wanted:
                    part = stream.read(min(READ_SIZE, wanted - size))
                    if not part:
                        break
                    parts.append(part)
                    size += len(part)
        except TimeoutError as error:  # socket.timeout is TimeoutError too
            raise Refused(408) from error
        except Exception as error:  # noqa: BLE001 - gunicorn's parse errors (a chunk-size line "zz"), resets
            raise Refused(400) from error
        if length is None and size > self.max_bytes:
            raise Refused(413)
        if length is not None and size < length:
            raise Refused(400)  # the client closed before sending what it announced
        return b"".join(parts)


@contextlib.contextmanager
def whole_read_deadline(environ, seconds: float):
    """Raise TimeoutError in the reading code once ``seconds`` have passed, however the bytes trickle in.

    Under gevent (gunicorn.conf.py) a ``gevent.Timeout`` interrupts the read wherever it waits. A
    socket timeout alone would not do: gunicorn's ``Body.read(n)`` waits for n bytes, and a client
    sending a byte every 2 s never lets one ``recv`` time out. Without gevent (``python app.py``,
    sync or gthread workers), each wait on gunicorn's socket is bounded by the same deadline.
    """
    if _gevent_sockets():
        import gevent

        with gevent.Timeout(seconds, TimeoutError):
            yield
        return
    sock = environ.get("gunicorn.socket")
    if sock is None or not hasattr(sock, "settimeout"):
        yield
        return
    prior = sock.gettimeout()
    sock.settimeout(seconds)
    try:
        yield
    finally:
        try:
            sock.settimeout(prior)
        except OSError:
            pass


def _gevent_sockets() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def _length(value: str) -> int:
    try:
        length = int(value)
    except ValueError:
        raise Refused(400) from None
    if length < 0:
        raise Refused(400)
    return length


def refuse(environ, start_response, code: int):
    """A small JSON answer; the connection is closed after it instead of reading the rest of the body."""
    status, message = REFUSALS[code]
    body = json.dumps({"error": message}).encode()
    close_connection(environ)
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
    return [body]


def close_connection(environ) -> None:
    """Tell gunicorn not to read the rest of this request's body but to close the connection.

    gunicorn's ``Parser.finish_body`` returns False for a body marked ``failed`` ("where the next
    request starts is unknown, so the connection closes"); other servers have no such flag and
    close on their own when the body is left unread.
    """
    stream = environ.get("wsgi.input")
    if hasattr(stream, "failed"):
        stream.failed = True
