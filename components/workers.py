"""gunicorn's gevent worker, fair to every connection under load (``gunicorn.conf.py``'s worker_class).

gevent switches greenlets only when one waits. A keep-alive connection whose next request is
already in the socket buffer (a load generator, or a browser's burst) never waits: its greenlet
reads, renders and writes request after request while the worker's other connections, and
its listening socket, are not looked at. Measured under ``wrk -c16`` (docs/performance.md): a
polite client's ``/api/trace`` took a median of 170-500 ms and up to 2 s on the stock gevent
worker, 7-12 ms on sync workers.

This worker yields to the event loop after each request, so every connection, and the accept
of new ones, gets its turn in order: the same round robin that sync workers get from the
kernel's accept queue, with gevent's protection against slow clients kept. A subclass of
gunicorn's own worker (hand-written because neither gunicorn nor gevent has a setting for it).
"""
from __future__ import annotations

import gevent
from gunicorn.workers.ggevent import GeventWorker


class FairGeventWorker(GeventWorker):
    def handle_request(self, listener_name, req, sock, addr):
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            # Let the hub poll its sockets and run the greenlets that are ready before this
            # connection reads its next request.
            gevent.sleep(0)
