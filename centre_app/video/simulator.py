"""Camera simulator for the demo and the tests: N live H.264 streams on loopback.

Each camera gets one HTTP port with two paths, `/main.ts` (640x360) and `/sub.ts`
(320x180), MPEG-TS at 25 fps with the camera's name and a clock burned in (local time,
Asia/Shanghai, the time the app shows, whatever the machine's time zone). One ffmpeg
per stream writes to a pipe; a small fan-out server hands the bytes to any number of
readers and starts each new reader at the last key frame (a "GOP cache"), so a player
gets a picture at once. Encoders start lazily when the first reader arrives and stop a
while after the last one leaves, which keeps 40 cameras affordable on two cores.

`kill(i)` closes camera i's port (players see the stream die and go offline);
`revive(i)` opens it again (players reconnect by themselves).

    python -m centre_app.video.simulator --cameras 40 --base-port 18000
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from centre_app import child_process
from centre_app.clock import LOCAL_TZ
from centre_app.net import loopback_port_free

log = logging.getLogger(__name__)

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
TS = 188
SIZES = {"main": (640, 360), "sub": (320, 180)}
FPS = 25
GOP = 12  # a key frame every ~0.5 s: a new reader never waits long
IDLE_STOP_SECONDS = 15.0
# `%{localtime}` reads the encoder's TZ: the burned-in clock is the app's local time.
BURN_IN_CLOCK = "%{localtime}  #%{n}"  # YYYY-MM-DD HH:MM:SS in the TZ of encoder_env()
# A reader that closes within this time after the first packet was a probe (open, first
# packet, close): it does not start the encoder.
PROBE_GRACE_SECONDS = 0.05
NULL_PACKET = bytes([0x47, 0x1F, 0xFF, 0x10]) + b"\xff" * (TS - 4)


def encoder_env() -> dict[str, str]:
    return {**os.environ, "TZ": str(LOCAL_TZ)}


@dataclass(frozen=True)
class SimCamera:
    name: str
    port: int


def stream_url(port: int, kind: str = "main") -> str:
    return f"http://127.0.0.1:{port}/{kind}.ts"


def _drawtext(name_file: Path, clock_text: str) -> str:
    base = f"fontfile={FONT}:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=4"
    return (
        f"drawtext={base}:textfile={name_file}:x=8:y=8:fontsize=h/12,"
        f"drawtext={base}:text='{clock_text}':x=8:y=h-th-10:fontsize=h/14"
    )


def _encode_args(name_file: Path, size: tuple[int, int], clock_text: str) -> list[str]:
    w, h = size
    return [
        "-vf",
        _drawtext(name_file, clock_text),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-g",
        str(GOP),
        "-keyint_min",
        str(GOP),
        "-sc_threshold",
        "0",
        "-pix_fmt",
        "yuv420p",
        "-b:v",
        f"{w * h * 3 // 1000}k",
        "-an",
    ]


def _source(pattern: str, size: tuple[int, int]) -> list[str]:
    w, h = size
    return ["-f", "lavfi", "-i", f"{pattern}=size={w}x{h}:rate={FPS}"]


def _clip_path(name: str, kind: str, seconds: int) -> Path:
    """A pre-encoded loopable clip (the benchmark serves it with -c copy: no encoder cost)."""
    key = hashlib.sha1(f"{name}|{kind}|{seconds}|{GOP}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "zz-video-sim-clips"
    folder.mkdir(exist_ok=True)
    return folder / f"{key}.ts"


def ensure_clip(name: str, kind: str, seconds: int = 10) -> Path:
    path = _clip_path(name, kind, seconds)
    if path.exists():
        return path
    size = SIZES[kind]
    with tempfile.TemporaryDirectory() as tmp:
        name_file = Path(tmp) / "name.txt"
        name_file.write_text(name, encoding="utf-8")
        part = path.with_suffix(".part")
        cmd = [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            *_source("testsrc2", size),
            "-t",
            str(seconds),
            *_encode_args(name_file, size, "%{pts\\:hms}  #%{n}"),
            "-f",
            "mpegts",
            str(part),
        ]
        done = child_process.run(cmd, stdin=subprocess.DEVNULL, env=encoder_env())
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, cmd)
        part.replace(path)
    return path


class Feed:
    """One ffmpeg output fanned out to any number of HTTP readers."""

    def __init__(self, name: str, kind: str, *, clip: bool, lazy: bool) -> None:
        self.name, self.kind, self.clip, self.lazy = name, kind, clip, lazy
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[bytes | None]] = []
        self._gop: list[bytes] = []  # PAT + PMT + packets since the last key frame
        self._psi: dict[int, bytes] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp = tempfile.TemporaryDirectory()
        self._last_client = time.monotonic()
        self.alive = True

    # --- process -------------------------------------------------------------------

    def _command(self) -> list[str]:
        size = SIZES[self.kind]
        head = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"]
        out = ["-f", "mpegts", "-mpegts_flags", "+resend_headers", "pipe:1"]
        if self.clip:
            clip = ensure_clip(self.name, self.kind)
            return [*head, "-re", "-stream_loop", "-1", "-i", str(clip), "-c", "copy", *out]
        name_file = Path(self._tmp.name) / "name.txt"
        name_file.write_text(self.name, encoding="utf-8")
        pattern = "testsrc2" if self.kind == "main" else "smptebars"
        return [
            *head,
            "-re",
            *_source(pattern, size),
            *_encode_args(name_file, size, BURN_IN_CLOCK),
            *out,
        ]

    def start(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._gop, self._psi = [], {}
            self._proc = child_process.spawn(
                self._command(),
                death_signal=signal.SIGKILL,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=encoder_env(),
            )
            proc = self._proc
        threading.Thread(
            target=self._pump, args=(proc,), daemon=True, name=f"sim-{self.kind}"
        ).start()

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
            clients, self._clients = self._clients, []
        for q in clients:
            q.put(None)
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _pump(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        rest = b""
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            data = rest + data
            cut = len(data) - len(data) % TS
            rest = data[cut:]
            self._dispatch(data[:cut])
            if self.lazy and self.idle():
                break
        if self._proc is proc:
            self.stop()

    def _dispatch(self, chunk: bytes) -> None:
        key_at = -1
        for off in range(0, len(chunk), TS):
            b1, b2, b3 = chunk[off + 1], chunk[off + 2], chunk[off + 3]
            pid = ((b1 & 0x1F) << 8) | b2
            if pid in (0, 0x1000):  # PAT, PMT (ffmpeg's default PMT pid)
                self._psi[pid] = chunk[off : off + TS]
            elif key_at < 0 and (b3 & 0x20) and chunk[off + 4] > 0 and chunk[off + 5] & 0x40:
                key_at = off  # random_access_indicator: a key frame starts here
        with self._lock:
            if key_at >= 0:
                self._gop = [self._psi.get(0, b""), self._psi.get(0x1000, b""), chunk[key_at:]]
            elif self._gop:
                self._gop.append(chunk)
            clients = list(self._clients)
        for q in clients:
            try:
                q.put_nowait(chunk)
            except queue.Full:  # a reader that cannot keep up is dropped, not waited for
                self.detach(q)
                with contextlib.suppress(queue.Empty):
                    while True:
                        q.get_nowait()
                q.put_nowait(None)

    # --- readers -------------------------------------------------------------------

    def attach(self) -> queue.Queue[bytes | None]:
        q: queue.Queue[bytes | None] = queue.Queue(maxsize=256)
        self.start()
        with self._lock:
            for part in self._gop:
                if part:
                    q.put_nowait(part)
            self._clients.append(q)
        return q

    def detach(self, q: queue.Queue[bytes | None]) -> None:
        with self._lock:
            if q in self._clients:
                self._clients.remove(q)
            if not self._clients:
                self._last_client = time.monotonic()

    def idle(self) -> bool:
        with self._lock:
            return not self._clients and time.monotonic() - self._last_client > IDLE_STOP_SECONDS


class _Handler(BaseHTTPRequestHandler):
    server: _CameraServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        kind = urlsplit(self.path).path.strip("/").removesuffix(".ts")
        feed = self.server.feeds.get(kind)
        if feed is None:
            self.send_error(404)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "video/mp2t")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(NULL_PACKET)  # a first packet at once, before any encoder runs
            self.wfile.flush()
        except OSError:
            return
        if self._hung_up(PROBE_GRACE_SECONDS):
            return  # a health probe: it has its first packet, no encoder needed
        q = feed.attach()
        try:
            while True:
                chunk = q.get(timeout=10)
                if chunk is None:
                    break
                self.wfile.write(chunk)
        except (OSError, queue.Empty):
            pass
        finally:
            feed.detach(q)

    def _hung_up(self, grace: float) -> bool:
        """Whether the reader closed its end within `grace` seconds."""
        ready, _, _ = select.select([self.connection], [], [], grace)
        if not ready:
            return False
        try:
            return bool(self.connection.recv(1, socket.MSG_PEEK) == b"")
        except OSError:
            return True

    def log_message(self, format: str, *args: object) -> None:
        log.debug("sim %s: " + format, self.server.server_port, *args)


class _CameraServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, camera: SimCamera, *, clip: bool, lazy: bool, kinds: Sequence[str] = tuple(SIZES)
    ) -> None:
        super().__init__(("127.0.0.1", camera.port), _Handler)
        self.feeds = {kind: Feed(camera.name, kind, clip=clip, lazy=lazy) for kind in kinds}


class Simulator:
    """The running simulator; `stop()` ends every server and ffmpeg it started."""

    def __init__(
        self,
        cameras: Sequence[SimCamera],
        *,
        clip: bool = False,
        lazy: bool = True,
        kinds: Sequence[str] = tuple(SIZES),
    ) -> None:
        self.cameras = list(cameras)
        self.clip, self.lazy, self.kinds = clip, lazy, tuple(kinds)
        self._servers: dict[int, _CameraServer] = {}
        for i in range(len(self.cameras)):
            self.revive(i)

    def revive(self, index: int) -> None:
        if index in self._servers:
            return
        self._servers[index] = self._serve(self.cameras[index])

    def _serve(self, camera: SimCamera) -> _CameraServer:
        """Bind the camera's port and serve it (OSError when the port is taken)."""
        server = _CameraServer(camera, clip=self.clip, lazy=self.lazy, kinds=self.kinds)
        if not self.lazy:
            for feed in server.feeds.values():
                feed.start()
        threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name=f"sim-{server.server_port}",
        ).start()
        return server

    def kill(self, index: int) -> None:
        """The camera dies: its port closes and its readers are cut off."""
        server = self._servers.pop(index, None)
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for feed in server.feeds.values():
            feed.stop()

    def stop(self) -> None:
        for index in list(self._servers):
            self.kill(index)

    def url(self, index: int, kind: str = "main") -> str:
        return stream_url(self.cameras[index].port, kind)


def loopback_ports(urls: Iterable[str]) -> set[int]:
    ports = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"):
            try:
                if parts.port:
                    ports.add(parts.port)
            except ValueError:
                continue
    return ports


@dataclass(frozen=True)
class SimulatorState:
    """What a DemoSimulator serves and what it still waits for, read at one instant."""

    serving: tuple[SimCamera, ...]
    waiting: tuple[SimCamera, ...]


class DemoSimulator(Simulator):
    """The app's own simulator: also takes over ports that were busy when it started.

    A quick restart of the app finds the previous app's simulator still closing; the
    ports it held become free a moment later and would stay unserved (offline tiles in
    the demo until the next start). They are checked again every RECHECK_SECONDS.
    """

    RECHECK_SECONDS = 5.0

    def __init__(self, serving: Sequence[SimCamera], waiting: Sequence[SimCamera]) -> None:
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.waiting = list(waiting)
        super().__init__(serving)
        if self.waiting:
            threading.Thread(target=self._adopt, daemon=True, name="sim-adopt").start()

    def _adopt(self) -> None:
        while self.waiting and not self._stopped.wait(self.RECHECK_SECONDS):
            for cam in [c for c in self.waiting if loopback_port_free(c.port)]:
                with self._lock:
                    if self._stopped.is_set():
                        return
                    try:
                        server = self._serve(cam)
                    except OSError:  # taken again between the check and the bind
                        continue
                    # Listed as served only now that the port is bound, and moved between
                    # the lists in one step under the lock (see snapshot()). New lists
                    # replace the old: a reader holding one keeps a list that never changes.
                    self._servers[len(self.cameras)] = server
                    self.cameras = [*self.cameras, cam]
                    self.waiting = [c for c in self.waiting if c != cam]
                log.info("camera simulator: port %d was released, now serving it", cam.port)

    def snapshot(self) -> SimulatorState:
        """Both lists at one instant: a camera is in exactly one, and `serving` only once
        its port is bound. Read this rather than `cameras` and `waiting` one after the other."""
        with self._lock:
            return SimulatorState(tuple(self.cameras), tuple(self.waiting))

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            super().stop()


def ensure_running(cameras: Iterable[tuple[str, str]]) -> DemoSimulator:
    """Serve every (name, url) whose URL points at a loopback port, now or once it is free.

    Ports taken by another simulator are left alone while it holds them. Call `.stop()`
    on the result when the application quits.
    """
    wanted: dict[int, str] = {}
    for name, url in cameras:
        for port in loopback_ports([url]):
            wanted.setdefault(port, name)
    cams = [SimCamera(name, port) for port, name in sorted(wanted.items())]
    free = [cam for cam in cams if loopback_port_free(cam.port)]
    busy = [cam for cam in cams if cam not in free]
    log.info(
        "camera simulator: serving %d cameras on loopback (%d ports busy)", len(free), len(busy)
    )
    return DemoSimulator(free, busy)


def _names_from_db(db_url: str) -> dict[int, str]:
    from sqlalchemy import create_engine, select

    from db.models import Camera

    engine = create_engine(db_url)
    with engine.connect() as conn:
        names = {}
        for name, url in conn.execute(select(Camera.name, Camera.main_url)):
            for port in loopback_ports([url]):
                names[port] = name
    engine.dispose()
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="摄像机模拟器：在本机回环地址上提供测试视频流")
    parser.add_argument("--cameras", type=int, default=40)
    parser.add_argument("--base-port", type=int, default=18000)
    parser.add_argument("--db", help="数据库 URL：用其中摄像机的名称")
    parser.add_argument("--clip", action="store_true", help="预编码循环片段（不实时编码）")
    parser.add_argument("--eager", action="store_true", help="立即启动全部编码器")
    parser.add_argument("--kinds", default="main,sub", help="提供哪些码流：main,sub")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    if shutil.which("ffmpeg") is None:
        print("未找到 ffmpeg，请先安装（apt-get install ffmpeg）。")
        return 2
    names = _names_from_db(args.db) if args.db else {}
    cams = [
        SimCamera(names.get(args.base_port + i, f"模拟摄像机 {i + 1:02d}"), args.base_port + i)
        for i in range(args.cameras)
    ]
    kinds = [k for k in args.kinds.split(",") if k in SIZES] or list(SIZES)
    if args.clip:  # encode the loop clips before announcing readiness
        for cam in cams:
            for kind in kinds:
                ensure_clip(cam.name, kind)
    sim = Simulator(cams, clip=args.clip, lazy=not args.eager, kinds=kinds)
    print(
        f"模拟器已启动：{len(cams)} 路，端口 {args.base_port}–{args.base_port + len(cams) - 1}，"
        f"地址如 {sim.url(0)} / {sim.url(0, 'sub')}；Ctrl+C 结束。",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
