"""Production settings: gunicorn reads this file by default, so ``gunicorn app:server`` uses it.

Worker model: gevent. Each worker serves up to ``worker_connections`` connections at once,
one cheap greenlet each, so a handful of slow clients (a header line every few seconds) ties
up a handful of greenlets, not the server. Measured side by side on loopback by
``python -m scripts.compare_gunicorn`` (docs/performance.md, "Production server"), 2 workers each:
- sync (the old setup): 2 slow clients and no other request is answered within 10 s;
- gthread, 4 threads: survives 2 slow clients, but with 30 of them only 0 to 7 of 10 other
  requests were answered within 10 s;
- gevent: all 10 answered, within 25 ms, with 2 and with 30 slow clients.
Throughput and latency under load were the same for the three, within the noise.
Not starving is the requirement, so gevent. The app's requests are short and CPU-bound, so
there are about as many workers as cores.

Issue 19 (docs/performance.md, "Whole-request deadlines and fairness"): the stock gevent worker
was unfair under load (a polite client waited up to 2-7 s under ``wrk -c16``), and a body had no
deadline. ``components.server.workers.FairGeventWorker`` yields to the event loop after each request
and lets it poll its sockets first, so a quiet connection's request goes before a busy one's next
(the polite client's soak beside ``wrk -c16``, ``python -m bench --soak 180``);
``components/server/bodies.py`` reads each body within 5 s and 256 KiB and closes the connection on a
refusal. Sync workers behind the proxy were the other candidate: fair, but a
single slow client reaching gunicorn directly still holds a worker, and the limits are meant to
hold without the proxy.

The reverse proxy in front is still required beyond this machine (README, "Production").
"""
import os
import warnings

from gevent.monkey import MonkeyPatchWarning

from components.server.logs import ACCESS_LOG_FORMAT

# With preload_app the app (and urllib3, which imports ssl) is loaded before the workers
# monkey-patch. The app makes no outgoing TLS connections, so the unpatched ssl is never used;
# patching in the master instead would put gevent under gunicorn's own signal handling.
warnings.filterwarnings("ignore", category=MonkeyPatchWarning)

# This machine only: the reverse proxy on this host is required for anything else (README,
# "Production": TLS, per-client connection limits, headers on gunicorn's own error pages).
bind = os.environ.get("CALF_BIND", "127.0.0.1:8050")

worker_class = "components.server.workers.FairGeventWorker"
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 1)))
# Connections a worker holds at once, each for at most 5 s of head and 5 s of body (bodies.py),
# each body at most 256 KiB: a worker's memory stays under about 256 MB whatever clients send.
# 400 clients that trickle bodies (issue 19) fill 40% of the two workers' slots, so a polite
# client still finds one (tests/test_gunicorn.py, docs/performance.md).
worker_connections = 1000

# Build the app (and load and check the data) once, in the master; every worker is a fork of
# it, so all workers serve the same data. A reload is a HUP: see on_reload below.
preload_app = True

# Dash renders the page and callbacks in milliseconds: a worker silent for 30 s is stuck.
timeout = 30
graceful_timeout = 20
# Idle keep-alive connections cost a greenlet each; 5 s covers a page's burst of requests.
# gevent workers also read each request head under this timeout, so a client that trickles
# its headers is dropped after 5 s (tests/test_gunicorn.py).
keepalive = 5

# Request heads: the longest real URL is /api/trace?pain=... (pain capped at 2000 characters).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Workers are not recycled after N requests (gunicorn's default, max_requests = 0). A gevent
# worker that recycles stops accepting and drains its open connections for about a second before
# its fork takes over, and under steady load the two workers reached their counts together, so
# no one was accepted at all: over a 3-minute `wrk -c16` soak on a slower 2-core machine
# (2026-12-06), 12 restarts raised wrk's p99 from 20 ms to 436 ms (max 1.7 s). There is no leak to
# recycle away: a worker's memory went from 121.1 to 122.5 MB over 270,000 requests, and the bench's
# soak records it before and after (docs/performance.md). A worker that dies is still replaced by
# the master, forked from its checked app.
max_requests = 0

# gunicorn's control socket (a fixed path in $HOME) is not used; with several instances on
# one machine they would fight over it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = "info"
# No health data at rest: the access log has the path without its query string and no client
# address; the error log drops queries, addresses and exception messages (components/server/logs.py).
access_log_format = ACCESS_LOG_FORMAT
logger_class = "components.server.logs.PrivateLogger"


def on_reload(arbiter):
    """``kill -HUP <master>``: validate the data as it is now, and swap it in only if it is valid.

    Runs in the master before gunicorn forks the new workers. Bad data is logged as errors and
    the new workers keep serving the last good data; the server never goes down for it.
    """
    if not arbiter.cfg.preload_app:
        return  # without preload every new worker loads (and checks) the data itself
    import app  # the module preload_app imported: its ``server`` is the one being served

    app.reload_data(arbiter.log)
