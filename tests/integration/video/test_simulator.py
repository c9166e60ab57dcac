"""The camera simulator: many readers per stream, readers start at a key frame, and a
killed camera refuses connections until it is revived."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator

import pytest

from centre_app.video.simulator import TS, Simulator
from tests.support.video import requires_video, simulator

pytestmark = [pytest.mark.integration, pytest.mark.video, requires_video]


@pytest.fixture
def sim() -> Iterator[Simulator]:
    yield from simulator(1)


def read(url: str, size: int = 64 * TS) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"] == "video/mp2t"
        data = b""
        while len(data) < size:
            chunk = response.read(size - len(data))
            if not chunk:
                break
            data += chunk
        return data


def starts_with_psi_then_key_frame(data: bytes) -> bool:
    packets = [data[i:i + TS] for i in range(0, len(data) - TS + 1, TS)]
    assert all(p[0] == 0x47 for p in packets)  # aligned MPEG-TS
    pids = [((p[1] & 0x1F) << 8) | p[2] for p in packets]
    tables = (0, 0x11, 0x1000)  # PAT, SDT, PMT (ffmpeg's pids)
    first_video = next(i for i, pid in enumerate(pids) if pid not in tables)
    first = packets[first_video]
    return (0 in pids[:first_video] and bool(first[3] & 0x20) and first[4] > 0
            and bool(first[5] & 0x40))


def test_two_readers_each_start_at_a_key_frame(sim: Simulator) -> None:
    first = read(sim.url(0, "sub"))
    second = read(sim.url(0, "sub"))  # the feed is already running: served from the GOP cache
    assert starts_with_psi_then_key_frame(first)
    assert starts_with_psi_then_key_frame(second)


def test_killed_camera_refuses_connections_until_revived(sim: Simulator) -> None:
    assert read(sim.url(0, "sub"))
    sim.kill(0)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", sim.cameras[0].port),
                                                          timeout=2):
        pass
    sim.revive(0)
    assert starts_with_psi_then_key_frame(read(sim.url(0, "sub")))


def test_unknown_path_is_not_found(sim: Simulator) -> None:
    with pytest.raises(urllib.error.HTTPError):
        read(f"http://127.0.0.1:{sim.cameras[0].port}/nothing.ts")
