"""Video test support: a virtual X server for libVLC and a camera simulator on free ports."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from centre_app.video.codes import make_camera_code
from centre_app.video.registry import CameraDraft, CameraInfo
from centre_app.video.simulator import SimCamera, Simulator, stream_url


def have_video_tools() -> bool:
    try:
        import vlc  # noqa: F401
    except (ImportError, OSError):
        return False
    return shutil.which("ffmpeg") is not None


def free_ports(count: int) -> int:
    """A base port with `count` free consecutive ports after it."""
    for base in range(20000 + (os.getpid() % 200) * 50, 60000, 50):
        socks = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                socks.append(sock)
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free ports")


def simulator(count: int) -> Iterator[Simulator]:
    base = free_ports(count)
    sim = Simulator([SimCamera(f"测试摄像机{i + 1}", base + i) for i in range(count)])
    try:
        yield sim
    finally:
        sim.stop()


def register(ctx: Any, actor: Any, sim: Simulator) -> list[CameraInfo]:
    """Cameras in the registry pointing at the simulator (built through the service)."""
    village = ctx.video.cameras.cameras(actor)[0].village
    cams = []
    for i, cam in enumerate(sim.cameras):
        cams.append(
            ctx.video.cameras.add(
                actor,
                CameraDraft(
                    make_camera_code("33032710", 5_000_000 + i),
                    cam.name,
                    stream_url(cam.port, "main"),
                    stream_url(cam.port, "sub"),
                    village=village,
                    site=f"测试点{i + 1}",
                ),
            )
        )
    return cams


requires_video = pytest.mark.skipif(not have_video_tools(), reason="libVLC or ffmpeg missing")
