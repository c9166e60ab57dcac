"""The app's simulator takes over the ports a previous simulator held once they are
released (a quick restart of the app), and a port left in TIME_WAIT counts as free."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from centre_app.net import free_loopback_port, loopback_port_free
from centre_app.video.simulator import (
    DemoSimulator,
    SimulatorState,
    _CameraServer,
    ensure_running,
    stream_url,
)


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def ports(state: SimulatorState) -> tuple[list[int], list[int]]:
    return [c.port for c in state.serving], [c.port for c in state.waiting]


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
        wait_for(lambda: ports(sim.snapshot()) == ([free, busy], []))
        with pytest.raises(urllib.error.HTTPError) as answer:  # our server answers
            urllib.request.urlopen(f"http://127.0.0.1:{busy}/nothing", timeout=5)
        assert answer.value.code == 404
    finally:
        held.close()
        sim.stop()
    assert loopback_port_free(busy) and loopback_port_free(free)


def test_an_adopted_camera_is_listed_as_served_only_once_its_port_is_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Never listed as served before its port is bound, never in both lists; a reader's
    snapshot taken while the port is being bound waits for the whole change."""
    monkeypatch.setattr(DemoSimulator, "RECHECK_SECONDS", 0.05)
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    busy = held.getsockname()[1]
    while_binding: list[tuple[bool, bool]] = []
    readers: list[threading.Thread] = []
    read: list[SimulatorState] = []
    bind = _CameraServer.server_bind

    def watched_bind(server: _CameraServer) -> None:
        if server.server_address[1] == busy:  # the adopter thread, about to bind
            while_binding.append(
                (busy in [c.port for c in sim.cameras], busy in [c.port for c in sim.waiting])
            )
            reader = threading.Thread(target=lambda: read.append(sim.snapshot()))
            reader.start()
            reader.join(0.2)
            readers.append(reader)
        bind(server)

    monkeypatch.setattr(_CameraServer, "server_bind", watched_bind)
    sim = ensure_running([("甲", stream_url(busy))])
    try:
        held.close()
        wait_for(lambda: bool(readers))
        readers[0].join(10)
        assert while_binding == [(False, True)]  # still waiting, not yet listed as served
        assert [ports(state) for state in read] == [([busy], [])]  # the change as a whole
        assert ports(sim.snapshot()) == ([busy], [])
        assert [c.port for c in sim.cameras] == [busy] and sim.waiting == []
    finally:
        held.close()
        sim.stop()


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
