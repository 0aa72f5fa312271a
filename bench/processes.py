"""Ports, processes and threads, shared by the bench, the tests and scripts/: a free loopback port,
a server stopped with all its workers, and one request sent by many clients at once.

Importable from anywhere in the repo that runs from its root (``python -m bench``, ``pytest``,
``python -m scripts.screenshot``)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(proc: subprocess.Popen, grace: float) -> None:
    """End a server started with start_new_session=True, and all its workers: TERM, then KILL after ``grace`` s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def at_once(job, count: int, timeout: float = 60.0) -> list:
    """``job()`` run by ``count`` threads at the same time; what each returned, in start order.
    A job that raised raises here; one still running after ``timeout`` s raises TimeoutError."""
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(job) for _ in range(count)]
        return [future.result(timeout) for future in futures]
