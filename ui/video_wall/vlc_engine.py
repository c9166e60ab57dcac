"""libVLC behind Qt: one `vlc.Instance` for the app, one MediaPlayer per tile.

- Players render into a native child window of their tile (`set_xwindow(winId)`).
- libVLC events arrive on VLC's own threads; `TilePlayer` only re-emits them as Qt
  signals, which Qt delivers queued on the GUI thread.
- play()/stop() can block for a long time (stop() joins the input thread): they run on a
  small thread pool, serialised per player, so the GUI thread never waits for them.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import vlc
from PySide6.QtCore import QObject, Signal

from centre_app.video.stream_state import STREAM_ENDED, STREAM_FAILED

log = logging.getLogger(__name__)

# Low caching: the wall is for watching live; 300 ms absorbs loopback/LAN jitter.
# --no-ts-trust-pcr: clock MPEG-TS from timestamps, not the stream's PCR. With the PCR,
# stopping a player in its first ~0.9 s blocked until then (measured 500-700 ms), so an
# operator switching a tile's camera waited for it; camera PCRs are often poor anyway.
DEFAULT_OPTIONS = (
    "--quiet",
    "--no-video-title-show",
    "--no-osd",
    "--no-spu",
    "--no-audio",
    "--no-snapshot-preview",
    "--network-caching=300",
    "--live-caching=300",
    "--clock-jitter=0",
    "--no-ts-trust-pcr",
    "--no-xlib",
)


# Per-media options for a tile that is one of many on the wall: one decoder thread. Frame
# threading (3 threads per decoder on 2 cores) buys nothing when 4-36 streams already keep
# every core busy; it cost ~18% more CPU, ~60 MB and two frames of latency for 16 tiles
# (bench/video.py). A maximised or single tile keeps libVLC's default for big main streams.
SMALL_TILE_OPTIONS = (":avcodec-threads=1",)


# libVLC's input, decoder and output threads inherit the nice value of the thread that
# calls play(): our control threads run a little nicer than the GUI thread so that
# 16-36 decoders never starve it (measured: layout-change stalls roughly halved).
# ZONGZHI_VLC_NICE overrides it (0 = same priority as the GUI) for tuning on a given box.
DECODER_NICENESS = int(os.environ.get("ZONGZHI_VLC_NICE", "10"))


def _lower_priority() -> None:
    if hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DECODER_NICENESS)
        except OSError:  # not permitted here: run at normal priority
            log.debug("could not lower the priority of the libVLC control thread")


class SerialPool:
    """A shared pool that runs each key's jobs in submission order, one at a time."""

    def __init__(self, workers: int = 4, *, nice: bool = True) -> None:
        self._pool = ThreadPoolExecutor(
            workers, thread_name_prefix="vlc-ctl", initializer=_lower_priority if nice else None
        )
        self._lock = threading.Lock()
        self._queues: dict[int, deque[Callable[[], None]]] = {}
        self._running: set[int] = set()

    def submit(self, key: int, job: Callable[[], None]) -> None:
        with self._lock:
            self._queues.setdefault(key, deque()).append(job)
            if key in self._running:
                return
            self._running.add(key)
        self._pool.submit(self._drain, key)

    def _drain(self, key: int) -> None:
        while True:
            with self._lock:
                jobs = self._queues.get(key)
                if not jobs:
                    self._running.discard(key)
                    return
                job = jobs.popleft()
            try:
                job()
            except Exception:  # a failing libVLC call must not kill the worker
                log.exception("libVLC control job failed")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


class PictureWatch:
    """Reports when a player has really shown its first picture.

    libVLC's Vout event comes when the video output is created, ~200 ms before anything is
    on screen; the media's displayed-picture counter is the truth. One daemon thread polls
    the players that are waiting (only while some are), off the GUI thread.
    """

    INTERVAL_S = 0.02
    GIVE_UP_S = 30.0

    def __init__(self) -> None:
        self._waiting: dict[TilePlayer, int] = {}  # player → generation awaited
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="vlc-first-picture", daemon=True)
        self._thread.start()

    def add(self, player: TilePlayer, generation: int) -> None:
        with self._wake:
            self._waiting[player] = generation
            self._wake.notify()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                waiting = list(self._waiting.items())
            for player, generation in waiting:
                if player.check_first_picture(generation, self.GIVE_UP_S):
                    with self._wake:
                        if self._waiting.get(player) == generation:
                            del self._waiting[player]
            time.sleep(self.INTERVAL_S)


class VlcEngine:
    """The application's single libVLC instance and its control pool."""

    def __init__(self, options: tuple[str, ...] = DEFAULT_OPTIONS) -> None:
        self.instance = vlc.Instance(list(options))
        if self.instance is None:
            raise RuntimeError("libVLC could not start")
        self.pool = SerialPool()
        self.pictures = PictureWatch()
        self._players: list[TilePlayer] = []
        self._closed = False

    def player(self, window_id: int) -> TilePlayer:
        player = TilePlayer(self, window_id)
        self._players.append(player)
        return player

    def close(self) -> None:
        """Stop and release every player, then the instance (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        self.pictures.close()
        for player in self._players:
            player.release()
        self.pool.shutdown()
        self.instance.release()


class TilePlayer(QObject):
    """One libVLC media player bound to one native window."""

    # Emitted from VLC threads; connected receivers live on the GUI thread (queued).
    playing = Signal(int)  # generation
    firstPicture = Signal(int, float)  # generation, seconds from play request to display
    failed = Signal(int, str)  # generation, reason (a message template)
    snapshotDone = Signal(str, bool)  # path, ok

    def __init__(self, engine: VlcEngine, window_id: int) -> None:
        super().__init__()
        self._engine = engine
        self._mp: vlc.MediaPlayer = engine.instance.media_player_new()
        if sys.platform.startswith("linux"):
            self._mp.set_xwindow(window_id)
        elif sys.platform == "win32":
            self._mp.set_hwnd(window_id)
        # Let mouse and keys reach Qt (double-click, drag) instead of VLC's window.
        self._mp.video_set_mouse_input(False)
        self._mp.video_set_key_input(False)
        self.generation = 0  # bumps on each play/stop so stale events are ignored
        self.options: tuple[str, ...] = ()  # per-media options of the last play()
        self._requested_at = 0.0
        self._media: vlc.Media | None = None
        events = self._mp.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerPlaying, self._on_playing)
        events.event_attach(vlc.EventType.MediaPlayerEndReached, self._on_end)
        events.event_attach(vlc.EventType.MediaPlayerEncounteredError, self._on_error)

    # --- VLC threads: only emit ------------------------------------------------------

    def _on_playing(self, _event: object) -> None:
        self.playing.emit(self.generation)

    def _on_end(self, _event: object) -> None:
        self.failed.emit(self.generation, STREAM_ENDED)

    def _on_error(self, _event: object) -> None:
        self.failed.emit(self.generation, STREAM_FAILED)

    # --- GUI thread: requests, run on the pool -------------------------------------

    def play(self, url: str, options: tuple[str, ...] = ()) -> int:
        self.generation += 1
        self._requested_at = time.perf_counter()
        self._media = None
        self.options = options
        mp, instance, generation = self._mp, self._engine.instance, self.generation

        def job() -> None:
            mp.stop()
            if generation != self.generation:
                return  # superseded by a newer request before it ran
            media = instance.media_new(url, *options)  # parsing the MRL off the GUI thread
            mp.set_media(media)
            self._media = media
            mp.play()

        self._engine.pool.submit(id(self), job)
        self._engine.pictures.add(self, self.generation)
        return self.generation

    def check_first_picture(self, generation: int, give_up_s: float) -> bool:
        """PictureWatch thread: True when done waiting (shown, superseded or given up)."""
        if generation != self.generation:
            return True
        stats = self.stats()
        if stats is not None and stats[1] > 0:
            self.firstPicture.emit(generation, time.perf_counter() - self._requested_at)
            return True
        return time.perf_counter() - self._requested_at > give_up_s

    def stop(self) -> None:
        self.generation += 1
        self._media = None
        self._engine.pool.submit(id(self), self._mp.stop)

    def stats(self) -> tuple[int, int, int] | None:
        """(decoded, displayed, lost) pictures of the current media, or None."""
        media = self._media
        if media is None:
            return None
        stats = vlc.MediaStats()
        if not media.get_stats(stats):
            return None
        return stats.decoded_video, stats.displayed_pictures, stats.lost_pictures

    def snapshot(self, path: str) -> None:
        """Write the current picture to `path` (PNG) off the GUI thread."""
        mp = self._mp

        def job() -> None:
            # libVLC waits a short while for the next picture and gives up on a busy
            # machine; a few tries make the snapshot dependable.
            ok = False
            for _ in range(5):
                ok = mp.video_take_snapshot(0, path, 0, 0) == 0 and os.path.exists(path)
                if ok:
                    break
                time.sleep(0.2)
            self.snapshotDone.emit(path, ok)

        self._engine.pool.submit(id(self), job)

    def release(self) -> None:
        mp = self._mp

        def job() -> None:
            mp.stop()
            mp.release()

        self._engine.pool.submit(id(self), job)
