"""Camera health for every enabled camera, before anyone watches it.

A probe is cheap: open the stream, wait for its first packet, close. HTTP streams (the
platform's MPEG-TS/HLS) are read with a plain HTTP request; UDP/RTP with ffprobe and a short
timeout; URLs this platform cannot play at all are `unsupported` without touching the
network. A background thread probes every enabled camera with bounded concurrency (a few
sockets at a time, whatever the size of the registry), stores the results in one
transaction per batch and hands each batch to a listener (the camera tree), then waits
for the next round.
"""

from __future__ import annotations

import http.client
import logging
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from centre_app import child_process
from centre_app.errors import msg
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.video.health import HealthService
from centre_app.video.registry import CameraInfo, CameraRegistry
from centre_app.video.streams import UrlVerdict, check_url

log = logging.getLogger(__name__)

ONLINE, OFFLINE, UNSUPPORTED = "online", "offline", "unsupported"
TS_PACKET = 188

NO_ANSWER = msg("探测：摄像机没有应答（连接被拒绝、主机不可达或超时）。")
BAD_STATUS = msg("探测：视频服务返回错误，没有视频流。")
NO_PACKET = msg("探测：已连接，但在时限内没有收到视频数据。")
NO_FILE = msg("探测：视频文件不存在或无法读取。")
NO_FFPROBE = msg("探测：本机未安装 ffprobe，无法探测该协议。")
CANNOT_PLAY = msg("探测：本机播放器无法播放该地址（协议不支持或地址格式错误）。")


@dataclass(frozen=True)
class ProbeResult:
    camera_id: uuid.UUID
    state: str  # ONLINE, OFFLINE or UNSUPPORTED
    reason: str  # a marked template (ui translates it); empty when online


def _probe_http(url: str, timeout: float) -> tuple[str, str]:
    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname or "", parts.port, timeout=timeout)
    try:
        path = parts.path or "/"
        conn.request(
            "GET",
            path + (f"?{parts.query}" if parts.query else ""),
            headers={"User-Agent": "zongzhi-probe", "Connection": "close"},
        )
        response = conn.getresponse()
        if not 200 <= response.status < 300:
            return OFFLINE, BAD_STATUS
        first = response.read1(TS_PACKET) if hasattr(response, "read1") else response.read(1)
        return (ONLINE, "") if first else (OFFLINE, NO_PACKET)
    except TimeoutError:
        return OFFLINE, NO_ANSWER
    except (OSError, http.client.HTTPException):
        return OFFLINE, NO_ANSWER
    finally:
        conn.close()


def _probe_ffprobe(url: str, timeout: float) -> tuple[str, str]:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return UNSUPPORTED, NO_FFPROBE
    try:
        done = child_process.run(
            [
                ffprobe,
                "-v",
                "error",
                "-timeout",
                str(int(timeout * 1_000_000)),
                "-show_entries",
                "stream=codec_type",
                "-of",
                "csv=p=0",
                url,
            ],
            death_signal=signal.SIGKILL,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=timeout + 2,
        )
    except subprocess.TimeoutExpired:
        return OFFLINE, NO_PACKET
    return (ONLINE, "") if done.returncode == 0 and done.stdout.strip() else (OFFLINE, NO_PACKET)


def probe(url: str, timeout: float = 3.0) -> tuple[str, str]:
    """(state, reason template) of one stream URL: open, first packet, close."""
    if check_url(url)[0] is not UrlVerdict.OK:
        return UNSUPPORTED, CANNOT_PLAY
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme in ("http", "https"):
        return _probe_http(url.strip(), timeout)
    if scheme == "file":
        path = Path(unquote(urlsplit(url.strip()).path))
        return (ONLINE, "") if path.is_file() else (OFFLINE, NO_FILE)
    return _probe_ffprobe(url.strip(), timeout)


class HealthProber:
    """Probes every enabled camera in the background, `concurrency` at a time."""

    BATCH = 200  # results stored and reported together

    def __init__(
        self,
        registry: CameraRegistry,
        health: HealthService,
        *,
        concurrency: int = 8,
        interval: float = 60.0,
        timeout: float = 3.0,
        on_results: Callable[[list[ProbeResult]], object] = lambda _r: None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._registry, self._health = registry, health
        self.concurrency, self.interval, self.timeout = concurrency, interval, timeout
        self._on_results = on_results
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self.rounds = 0
        self.last_round_seconds = 0.0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="camera-prober", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        pool = self._pool
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_round()
            except Exception:  # a failing round (database away) is retried next round
                log.exception("camera health round failed")
            self._stop.wait(self.interval)

    def run_round(self, cameras: Sequence[CameraInfo] | None = None) -> list[ProbeResult]:
        """Probe `cameras` (default: every enabled one) and store the results."""
        started = time.perf_counter()
        if cameras is None:
            cameras = self._registry.cameras(SYSTEM_ACTOR, include_disabled=False)
        results: list[ProbeResult] = []
        batch: list[ProbeResult] = []
        self._pool = pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="camera-probe")
        try:
            for cam, (state, reason) in zip(
                cameras, pool.map(lambda c: probe(c.main_url, self.timeout), cameras), strict=False
            ):
                batch.append(ProbeResult(cam.id, state, reason))
                if len(batch) >= self.BATCH:
                    self._deliver(batch)
                    results += batch
                    batch = []
                if self._stop.is_set():
                    break
        except RuntimeError:  # the pool was shut down by stop()
            pass
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if batch:
            self._deliver(batch)
            results += batch
        self.rounds += 1
        self.last_round_seconds = time.perf_counter() - started
        log.info(
            "camera health: %d cameras probed in %.1f s (%d offline)",
            len(results),
            self.last_round_seconds,
            sum(r.state != ONLINE for r in results),
        )
        return results

    def _deliver(self, batch: list[ProbeResult]) -> None:
        if self._stop.is_set():
            return
        self._health.report_many([(r.camera_id, r.state, r.reason) for r in batch])
        self._on_results(list(batch))
