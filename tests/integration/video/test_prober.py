"""Every enabled camera's health is known before anyone watches it: thousands of cameras
probed in the background, a bounded number at a time, results stored in batches."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.codes import make_camera_code
from centre_app.video.prober import (
    NO_ANSWER,
    OFFLINE,
    ONLINE,
    UNSUPPORTED,
    HealthProber,
    ProbeResult,
    probe,
)
from centre_app.video.registry import CameraDraft
from tests.support.video import free_ports, requires_video, simulator

pytestmark = [pytest.mark.integration, pytest.mark.video]

ADMIN = Actor.for_roles(None, "admin", "管理员", (Role.ADMIN,))
TS_NULL = bytes([0x47, 0x1F, 0xFF, 0x10]) + b"\xff" * 184


class CountingCamera:
    """An HTTP stream server on loopback that counts how many readers it has at once."""

    def __init__(self, hold: float = 0.02) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.hold = hold
        self.now = self.most = self.served = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            conn.recv(4096)
            time.sleep(self.hold)  # a camera takes a moment to answer
            with self.lock:  # counted down before answering: the reader is still there
                self.now -= 1
                self.served += 1
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: video/mp2t\r\n\r\n" + TS_NULL)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def camera() -> Iterator[CountingCamera]:
    server = CountingCamera()
    yield server
    server.close()


def test_thousands_of_cameras_are_probed_a_bounded_number_at_a_time(
    ctx: Any, camera: CountingCamera
) -> None:
    village = ctx.video.cameras.cameras(ADMIN)[0].village
    closed = free_ports(1)  # nothing listens there
    drafts = []
    for i in range(3000):
        url = (
            f"http://127.0.0.1:{camera.port}/cam{i}.ts"
            if i % 3
            else f"http://127.0.0.1:{closed}/cam{i}.ts"
        )
        drafts.append(
            CameraDraft(
                make_camera_code("33032710", 7_000_000 + i),
                f"探测{i}",
                url,
                village=village,
                site=f"点{i % 50}",
            )
        )
    drafts.append(
        CameraDraft(
            make_camera_code("33032710", 7_100_000), "球机", "rtsp://192.0.2.1/ch1", village=village
        )
    )
    cams = ctx.video.cameras.add_many(ADMIN, drafts)
    disabled = ctx.video.cameras.add(
        ADMIN,
        CameraDraft(
            make_camera_code("33032710", 7_100_001),
            "停用机",
            f"http://127.0.0.1:{camera.port}/x",
            village=village,
            enabled=False,
        ),
    )
    batches: list[list[ProbeResult]] = []
    prober = HealthProber(
        ctx.video.cameras, ctx.video.health, concurrency=6, timeout=2, on_results=batches.append
    )
    results = {r.camera_id: r for r in prober.run_round()}
    print(f"{len(results)} cameras probed in {prober.last_round_seconds:.1f} s")

    states = ctx.video.health.states(ADMIN)
    for i, cam in enumerate(cams[:3000]):
        expected = ONLINE if i % 3 else OFFLINE
        assert results[cam.id].state == expected and states[cam.id] == expected
    assert results[cams[0].id].reason == NO_ANSWER
    assert results[cams[3000].id].state == states[cams[3000].id] == UNSUPPORTED
    assert disabled.id not in results  # only enabled cameras are probed
    assert camera.served == 2000 and 1 < camera.most <= 6  # parallel, and bounded
    assert sum(len(b) for b in batches) == len(results) and len(batches) > 1  # in batches
    rows = {r.camera_id: r for r in ctx.video.health.rows(ADMIN)}
    assert rows[cams[0].id].offline_since is not None
    assert rows[cams[1].id].last_ok_at is not None


def test_the_prober_runs_in_the_background_and_stops(ctx: Any, camera: CountingCamera) -> None:
    seen = threading.Event()
    threads: set[str] = set()

    def results(batch: list[ProbeResult]) -> None:
        threads.add(threading.current_thread().name)
        seen.set()

    prober = HealthProber(
        ctx.video.cameras,
        ctx.video.health,
        concurrency=2,
        interval=600,
        timeout=1,
        on_results=results,
    )
    prober.start()
    try:
        assert seen.wait(60)
    finally:
        prober.stop()
    assert threads == {"camera-prober"} and threading.current_thread().name not in threads
    assert prober.rounds == 1


@requires_video
def test_a_probe_of_the_simulator_reads_its_first_packet_and_tells_dead_from_alive() -> None:
    for sim in simulator(2):
        assert probe(sim.url(0)) == (ONLINE, "")
        sim.kill(1)
        assert probe(sim.url(1), timeout=1)[0] == OFFLINE
    assert probe("rtsp://192.0.2.1/ch1")[0] == UNSUPPORTED
    assert probe("http//broken")[0] == UNSUPPORTED
    assert probe("file:///nonexistent/clip.ts")[0] == OFFLINE


def test_two_desks_reporting_the_same_cameras_at_once_on_postgresql(
    postgres: Any, clock: Any
) -> None:
    """Each desk's prober writes the same health rows: no lost update, no duplicate row,
    no failed batch (the rows are created ON CONFLICT DO NOTHING, then updated locked)."""
    import uuid

    from centre_app.security.actor import SYSTEM_ACTOR
    from centre_app.video.health import HealthService
    from centre_app.video.registry import CameraRegistry
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head

    engine = make_engine(postgres.create_database(f"health_{uuid.uuid4().hex[:8]}"))
    upgrade_to_head(engine)
    sf = make_session_factory(engine)
    cams = CameraRegistry(sf, clock).add_many(
        ADMIN,
        [
            CameraDraft(
                make_camera_code("33032710", 7_200_000 + i),
                f"摄像机{i}",
                f"http://127.0.0.1:1/{i}.ts",
            )
            for i in range(300)
        ],
    )
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def desk(state: str) -> None:
        service = HealthService(sf, clock)
        start.wait()
        try:
            for _ in range(5):
                service.report_many([(c.id, state, "") for c in cams])
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [
        threading.Thread(target=desk, args=(s,)) for s in ("online", "offline", "online", "offline")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    states = HealthService(sf, clock).states(SYSTEM_ACTOR)
    assert set(states) == {c.id for c in cams} and set(states.values()) <= {"online", "offline"}
    engine.dispose()
