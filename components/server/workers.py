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

How it yields matters (issues 18 and 19, docs/performance.md). ``gevent.sleep(0)`` queues the
greenlet as a loop *callback*, and gevent runs callbacks in batches of 50 before it looks at the
sockets again (``CALLBACK_CHECK_COUNT``): a new connection was accepted, and an idle one's request
read, only after about 50 other requests. ``gevent.idle()`` waits until no socket or timer event is
pending, so the loop polls its sockets first and a quiet connection's request (a person's browser)
goes before the busy connections' next ones; but under a steady flood the loop is seldom idle, and
now and then a busy connection waited a second or more (wrk's p99 under ``-c16`` 0.5-1.3 s in one
run out of three). So the worker waits for the loop to be idle *or* for ``MAX_YIELD`` seconds,
whichever comes first: either way the loop has polled its sockets before the connection reads
again, and no connection waits more than one turn of the loop plus ``MAX_YIELD``. Measured on a
quiet machine beside ``wrk -c16`` (15 s, four runs each): wrk's p99 10-18 ms with ``idle()`` but
0.5 s in one run; 12-17 ms with the cap, a polite client's p99 8-15 ms.

A keep-alive connection is closed after MAX_KEEPALIVE_REQUESTS requests. Without that, the 16
connections of a burst could all land on one worker and stay there: the other worker idled and
wrk's p99 was 14-15 ms, and 367 ms in one run out of three; with it, 11.8-12.6 ms in three runs
out of three, and the throughput of two workers every time (2800 against 1750 req/s).
"""
from __future__ import annotations

import os
import weakref

import gevent
from gunicorn.workers.ggevent import GeventWorker


# Longest a connection waits for the loop to be idle before it reads its next request.
MAX_YIELD = 0.002


def yield_to_loop(max_wait: float = MAX_YIELD) -> None:
    """Let the event loop poll its sockets and run what is ready, then come back: as soon as the
    loop is idle, or after ``max_wait`` seconds if it stays busy."""
    hub = gevent.get_hub()
    idle, timer = hub.loop.idle(), hub.loop.timer(max_wait)
    switch = gevent.getcurrent().switch
    idle.start(switch)
    timer.start(switch)
    try:
        hub.switch()
    finally:
        idle.close()
        timer.close()


# Requests a keep-alive connection carries before the worker closes it, as nginx's
# keepalive_requests does. Workers share one listening socket and gevent accepts greedily, so a
# burst of new connections can all land on one worker, which then serves them on one core while
# the other idles; a closed connection comes back through the kernel's accept queue, to whichever
# worker is free. A browser reconnects without a sign.
MAX_KEEPALIVE_REQUESTS = int(os.environ.get("CALF_KEEPALIVE_REQUESTS", "100"))


class FairGeventWorker(GeventWorker):
    def init_process(self):
        self.served = weakref.WeakKeyDictionary()  # connection -> requests served on it
        super().init_process()

    def handle_request(self, listener_name, req, sock, addr):
        served = self.served.get(sock, 0) + 1
        self.served[sock] = served
        if MAX_KEEPALIVE_REQUESTS and served >= MAX_KEEPALIVE_REQUESTS:
            req.must_close = True
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            # Poll the sockets and serve what arrived (new connections, quiet connections'
            # requests) before this busy connection reads its next request.
            yield_to_loop()
