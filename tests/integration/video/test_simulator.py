"""The camera simulator: many readers per stream, readers start at a key frame, and a
killed camera refuses connections until it is revived."""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
    packets = [data[i : i + TS] for i in range(0, len(data) - TS + 1, TS)]
    assert all(p[0] == 0x47 for p in packets)  # aligned MPEG-TS
    packets = [p for p in packets if ((p[1] & 0x1F) << 8) | p[2] != 0x1FFF]  # stuffing
    pids = [((p[1] & 0x1F) << 8) | p[2] for p in packets]
    tables = (0, 0x11, 0x1000)  # PAT, SDT, PMT (ffmpeg's pids)
    first_video = next(i for i, pid in enumerate(pids) if pid not in tables)
    first = packets[first_video]
    return (
        0 in pids[:first_video] and bool(first[3] & 0x20) and first[4] > 0 and bool(first[5] & 0x40)
    )


def test_two_readers_each_start_at_a_key_frame(sim: Simulator) -> None:
    first = read(sim.url(0, "sub"))
    second = read(sim.url(0, "sub"))  # the feed is already running: served from the GOP cache
    assert starts_with_psi_then_key_frame(first)
    assert starts_with_psi_then_key_frame(second)


def test_killed_camera_refuses_connections_until_revived(sim: Simulator) -> None:
    assert read(sim.url(0, "sub"))
    sim.kill(0)
    with (
        pytest.raises(OSError),
        socket.create_connection(("127.0.0.1", sim.cameras[0].port), timeout=2),
    ):
        pass
    sim.revive(0)
    assert starts_with_psi_then_key_frame(read(sim.url(0, "sub")))


def test_unknown_path_is_not_found(sim: Simulator) -> None:
    with pytest.raises(urllib.error.HTTPError):
        read(f"http://127.0.0.1:{sim.cameras[0].port}/nothing.ts")


def _encoders() -> dict[int, str]:
    """This process's ffmpeg children: pid → environment."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            env = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and cmd.startswith(b"ffmpeg"):
            out[int(entry)] = env.decode(errors="replace")
    return out


def test_the_clock_is_burned_in_in_shanghai_time_on_a_utc_machine(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert read(sim.url(0, "main"))
        encoders = _encoders()
        assert encoders
        # drawtext's %{localtime} reads the encoder's TZ: the app's local time.
        assert all("\0TZ=Asia/Shanghai\0" in "\0" + env for env in encoders.values())
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_probe_gets_a_first_packet_without_starting_an_encoder(sim: Simulator) -> None:
    with socket.create_connection(("127.0.0.1", sim.cameras[0].port), timeout=5) as conn:
        conn.sendall(b"GET /main.ts HTTP/1.0\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < TS:
            chunk = conn.recv(4096)
            assert chunk
            data += chunk
    assert data.startswith(b"HTTP/1.0 200") and data.split(b"\r\n\r\n", 1)[1][0] == 0x47
    time.sleep(0.5)
    assert _encoders() == {}  # nothing encodes for a reader that already left
    assert starts_with_psi_then_key_frame(read(sim.url(0, "main")))  # a player still plays
