"""The floor for the wall benchmark: a bare Qt + libVLC program playing N streams in a grid.

Same libVLC options as the app (instance and per-media options of a tile that is one of
many), one player per native window, nothing else. Prints one
JSON line with its own CPU seconds over the window, RSS and lost pictures.

    python -m bench.video_baseline URL [URL ...] --seconds 60 --warmup 5
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence

import psutil
import vlc
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from ui.video_wall.vlc_engine import DEFAULT_OPTIONS, SMALL_TILE_OPTIONS


def fit_surfaces(
    app: QApplication, window: QWidget, surfaces: Sequence[QWidget], width: int, height: int
) -> int:
    """Resize the window until every video surface is exactly width × height.

    libVLC's X11 output converts and scales in software (swscale). A surface one pixel off
    the stream's size (a grid hands its leftover pixels to some columns) turns a plain
    conversion into a bicubic scale that costs ~9× more: measured, 4 of 16 tiles at
    639×359 were over half of a program's CPU. The app and the baseline must both give
    libVLC exactly the stream's size. Returns how many surfaces fit exactly.
    """
    for _ in range(8):
        app.processEvents()
        if count_exact(surfaces, width, height) == len(surfaces):
            break
        # The deficit of every column (surfaces sharing an x) and row (sharing a y).
        columns = {s.mapTo(window, s.rect().topLeft()).x(): s.width() for s in surfaces}
        rows = {s.mapTo(window, s.rect().topLeft()).y(): s.height() for s in surfaces}
        dw = sum(width - w for w in columns.values())
        dh = sum(height - h for h in rows.values())
        window.resize(window.width() + dw, window.height() + dh)
    return count_exact(surfaces, width, height)


def count_exact(surfaces: Sequence[QWidget], width: int, height: int) -> int:
    return sum(s.width() == width and s.height() == height for s in surfaces)


def main_thread_cpu(proc: psutil.Process) -> float:
    """CPU seconds of the GUI (main) thread; on Linux its thread id is the process id."""
    for thread in proc.threads():
        if thread.id == proc.pid:
            return float(thread.user_time + thread.system_time)
    return 0.0


class WindowMeter:
    """What both programs report over the measured window, started at construction: their
    own CPU (all threads and the GUI thread), RSS, lost pictures, how many video surfaces
    are exactly the stream's size, and the VM's steal time, sampled once a second.

    libVLC drops a picture that reaches the display more than 20 ms late; on a shared VM
    the late ones come in bursts on every tile at once, when the host takes the vCPUs
    away. Counting the pictures lost in calm seconds (no steal burst in that second or the
    one before) tells the program's own losses from the host's.
    """

    BURST = 0.10  # share of all CPUs stolen within one second

    def __init__(
        self, lost: Callable[[], int], surfaces: Sequence[QWidget], width: int, height: int
    ) -> None:
        self._lost, self._surfaces, self._size = lost, surfaces, (width, height)
        self._proc = psutil.Process()
        self._cpu0 = sum(self._proc.cpu_times()[:2])
        self._gui0 = main_thread_cpu(self._proc)
        self._cpus = psutil.cpu_count() or 1
        self._first_steal = self._steal = psutil.cpu_times().steal
        self._first_lost = self._lost_before = lost()
        self._previous_burst = False
        self.worst_second = 0.0  # share of all CPUs, 0..1
        self.calm_seconds = 0
        self.lost_in_calm = 0
        self._timer = QTimer()
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._sample)
        self._timer.start()

    def _sample(self) -> None:
        steal, lost = psutil.cpu_times().steal, self._lost()
        share = (steal - self._steal) / self._cpus
        burst = share >= self.BURST
        if not burst and not self._previous_burst:
            self.calm_seconds += 1
            self.lost_in_calm += lost - self._lost_before
        self.worst_second = max(self.worst_second, share)
        self._steal, self._lost_before, self._previous_burst = steal, lost, burst

    def report(self, seconds: float) -> dict[str, float]:
        self._timer.stop()
        self._sample()
        cpu = sum(self._proc.cpu_times()[:2]) - self._cpu0
        return {
            "cpu_seconds": cpu,
            "cpu_cores": cpu / seconds,
            "gui_thread_cpu_seconds": main_thread_cpu(self._proc) - self._gui0,
            "rss_mb": self._proc.memory_info().rss / 2**20,
            "lost_pictures": self._lost_before - self._first_lost,
            "exact_surfaces": count_exact(self._surfaces, *self._size),
            "steal_percent": 100 * (self._steal - self._first_steal) / (self._cpus * seconds),
            "steal_worst_second_percent": 100 * self.worst_second,
            "calm_seconds": self.calm_seconds,
            "lost_in_calm_seconds": self.lost_in_calm,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--width", type=int, default=2600)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--tile-width", type=int, default=640)
    parser.add_argument("--tile-height", type=int, default=360)
    args = parser.parse_args(argv)

    app = QApplication(sys.argv[:1])
    window = QWidget()
    grid = QGridLayout(window)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    side = math.ceil(math.sqrt(len(args.urls)))
    instance = vlc.Instance(list(DEFAULT_OPTIONS))
    players, medias = [], []
    surfaces = []
    for i in range(len(args.urls)):
        surface = QWidget(window)
        surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        surface.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        grid.addWidget(surface, i // side, i % side)
        surfaces.append(surface)
    window.resize(args.width, args.height)
    window.show()
    fit_surfaces(app, window, surfaces, args.tile_width, args.tile_height)
    for surface, url in zip(surfaces, args.urls, strict=True):
        player = instance.media_player_new()
        player.set_xwindow(int(surface.winId()))
        media = instance.media_new(url, *SMALL_TILE_OPTIONS)
        player.set_media(media)
        player.play()
        players.append(player)
        medias.append(media)

    meter: list[WindowMeter] = []

    def lost() -> int:
        total = 0
        for media in medias:
            stats = vlc.MediaStats()
            if media.get_stats(stats):
                total += stats.lost_pictures
        return total

    def start_window() -> None:
        meter.append(WindowMeter(lost, surfaces, args.tile_width, args.tile_height))

    def end_window() -> None:
        print(json.dumps(meter[0].report(args.seconds)), flush=True)
        for player in players:
            player.stop()
        app.quit()

    QTimer.singleShot(int(args.warmup * 1000), start_window)
    QTimer.singleShot(int((args.warmup + args.seconds) * 1000), end_window)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
