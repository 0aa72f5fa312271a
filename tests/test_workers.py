"""The fair gevent worker's yield (components/server/workers.py): after each request a connection
lets the loop poll its sockets and run what is ready, and comes back as soon as the loop is idle,
or after MAX_YIELD if it never is. Both halves matter: without the first a quiet client waits
behind busy keep-alive connections (issue 19); without the second a busy connection can wait
seconds under a flood (issue 18)."""
from __future__ import annotations

import gevent

from components.server.workers import yield_to_loop


def test_wrk001_what_is_ready_runs_before_the_connection_reads_again():
    order = []
    gevent.spawn(order.append, "a quiet client's request")
    yield_to_loop()
    order.append("the busy connection's next request")
    assert order == ["a quiet client's request", "the busy connection's next request"]


def test_wrk002_a_loop_that_is_never_idle_still_gives_the_connection_its_turn():
    stop = []

    def flood():  # another connection whose requests never stop coming
        while not stop:
            gevent.sleep(0)

    busy = gevent.spawn(flood)
    gevent.sleep(0)
    returned = False
    with gevent.Timeout(2, False):  # a guard against a hang, far above MAX_YIELD: not a speed test
        yield_to_loop()
        returned = True
    stop.append(True)
    busy.join()
    assert returned, "the connection never got its turn back while another one flooded the loop"


def test_wrk003_an_idle_loop_hands_back_without_waiting_for_the_timer():
    returned = False
    with gevent.Timeout(5, False):  # the timer would take 60 s
        yield_to_loop(max_wait=60)
        returned = True
    assert returned
