"""The app's simulator takes over the ports a previous simulator held once they are
released (a quick restart of the app), and a port left in TIME_WAIT counts as free."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from centre_app.net import free_loopback_port, loopback_port_free
from centre_app.video.simulator import DemoSimulator, ensure_running, stream_url


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_port_held_at_start_is_served_once_released(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DemoSimulator, "RECHECK_SECONDS", 0.05)
    held, free = socket.socket(), free_loopback_port()
    held.bind(("127.0.0.1", 0))
    held.listen()
    busy = held.getsockname()[1]
    sim = ensure_running([("甲", stream_url(busy)), ("乙", stream_url(free))])
    try:
        assert [c.port for c in sim.cameras] == [free]
        assert [c.port for c in sim.waiting] == [busy]
        held.close()  # the old simulator is gone
        # Two lists change one after the other: wait for the whole condition, not one.
        wait_for(lambda: [c.port for c in sim.cameras] == [free, busy] and sim.waiting == [])
        with pytest.raises(urllib.error.HTTPError) as answer:  # our server answers
            urllib.request.urlopen(f"http://127.0.0.1:{busy}/nothing", timeout=5)
        assert answer.value.code == 404
    finally:
        held.close()
        sim.stop()
    assert loopback_port_free(busy) and loopback_port_free(free)


def test_a_stopped_simulator_adopts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DemoSimulator, "RECHECK_SECONDS", 0.05)
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    busy = held.getsockname()[1]
    sim = ensure_running([("甲", stream_url(busy))])
    sim.stop()
    held.close()
    time.sleep(0.3)
    assert sim.cameras == [] and loopback_port_free(busy)


def test_a_port_whose_server_closed_first_is_free_during_time_wait() -> None:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its end waits in TIME_WAIT
    server.close()
    client.recv(1)
    client.close()
    assert loopback_port_free(port)
