"""gunicorn's gevent worker, fair to every connection under load (``gunicorn.conf.py``'s worker_class).

gevent switches greenlets only when one waits. A keep-alive connection whose next request is
already in the socket buffer (a load generator, or a browser's burst) never waits: its greenlet
reads, renders and writes request after request while the worker's other connections, and
its listening socket, are not looked at. Measured under ``wrk -c16`` (docs/performance.md): a
polite client's ``/api/trace`` took a median of 170-500 ms and up to 2 s on the stock gevent
worker, 7-12 ms on sync workers.

This worker yields to the event loop after each request, so every connection, and the accept
of new ones, gets its turn: the same round robin that sync workers get from the kernel's accept
queue, with gevent's protection against slow clients kept. A subclass of gunicorn's own worker
(hand-written because neither gunicorn nor gevent has a setting for it).

How it yields matters (issue 19's soak, docs/performance.md). ``gevent.sleep(0)`` queues the
greenlet as a loop *callback*, and gevent runs callbacks in batches of 50 before it looks at the
sockets again (``CALLBACK_CHECK_COUNT``): with wrk's 8 busy connections on a worker, a new
connection was accepted, and an idle one's request read, only after about 50 other requests. The
worker now waits in ``gevent.idle()``: libev runs idle watchers only when no socket or timer event
is pending, so the loop polls its sockets after every request, and a request that arrives on a
quiet connection (a person's browser) is served before the busy connections' next requests. Timers (body and head deadlines, the heartbeat) are events, so they are
never held back. Measured beside ``wrk -c16`` at a load average of 12 to 22 on 2 cores: polite
``/api/trace`` p50 380-400 ms with ``sleep(0)``, 32-50 ms with ``idle()``, 144-146 ms on sync workers.
"""
from __future__ import annotations

import gevent
from gunicorn.workers.ggevent import GeventWorker


class FairGeventWorker(GeventWorker):
    def handle_request(self, listener_name, req, sock, addr):
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            # Poll the sockets and serve what arrived (new connections, quiet connections'
            # requests) before this busy connection reads its next request.
            gevent.idle()
