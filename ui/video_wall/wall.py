"""The wall: tiles placed by a layout, each with its player and its stream monitor.

All libVLC control goes through `TilePlayer` (off the GUI thread); a one-second timer
samples picture counters, detects stalls and reconnects offline tiles with backoff.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from centre_app.clock import Clock, SystemClock
from centre_app.errors import DomainError
from centre_app.video.layouts import DEFAULT_LAYOUT, Layout, layout
from centre_app.video.registry import CameraInfo
from centre_app.video.stream_state import StreamMonitor, TileState
from centre_app.video.streams import UrlVerdict, check_url, choose_stream
from centre_app.video.walls import WallSpec
from ui.video_wall.tile import VideoTile
from ui.video_wall.vlc_engine import SMALL_TILE_OPTIONS, TilePlayer, VlcEngine

log = logging.getLogger(__name__)

MAX_TILES = 36
# A tile hidden by a layout change or a maximise keeps playing this long: going back
# (16 → 1 → 16, maximise and restore) then shows the picture at once instead of a storm of
# 15 stop/play calls and reconnects, which were most of the GUI stall on a layout change.
PARK_SECONDS = 8.0
# Tiles shown per event-loop turn on a layout change. Mapping 15 tiles with native video
# windows in one go blocked the GUI thread 60-130 ms (1 → 16); in batches, with the tiles'
# cells reserved while hidden so a batch never relayouts the wall, the longest block is
# ~30 ms and the whole wall is up within a few frames.
SHOW_BATCH = 4


class VideoWall(QWidget):
    tileStateChanged = Signal(int, str, str)  # tile index, TileState value, reason
    firstPicture = Signal(int, float)  # tile index, seconds from play request
    viewStarted = Signal(object, str)  # CameraInfo, "main"/"sub"
    layoutChanged = Signal(str)

    def __init__(
        self, engine: VlcEngine, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("videoWall")
        self._engine = engine
        # Stream timing is physical time (stalls, backoff), not the business clock.
        self._clock = clock or SystemClock()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self.tiles: list[VideoTile] = []
        self._players: list[TilePlayer] = []
        self._monitors: list[StreamMonitor] = []
        self._urls: list[str | None] = []
        self._parked: dict[int, float] = {}  # hidden tile still playing → stop at (monotonic)
        self._to_show: list[VideoTile] = []  # placed by the last layout change, not yet shown
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(self._show_next_batch)
        self.layout_key = DEFAULT_LAYOUT
        self.maximised: int | None = None
        self.selected = 0
        self.resolve_camera: Callable[[uuid.UUID], CameraInfo | None] = lambda _id: None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.watchStreams)
        self._timer.start()
        self.set_layout(DEFAULT_LAYOUT)

    # --- tiles and players -----------------------------------------------------------

    def _tile(self, index: int) -> VideoTile:
        while len(self.tiles) <= index:
            i = len(self.tiles)
            tile = VideoTile(i, self)
            tile.hide()
            policy = tile.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # see SHOW_BATCH
            tile.setSizePolicy(policy)
            tile.cameraDropped.connect(self._on_camera_dropped)
            tile.tileDropped.connect(self.swap)
            tile.doubleClicked.connect(self.toggle_maximise)
            tile.selected.connect(self._on_selected)
            player = self._engine.player(int(tile.surface.winId()))
            # Bound methods, not lambdas: Qt drops these connections when the wall is
            # destroyed, so a player's queued event after a logout finds no dead tile.
            player.playing.connect(self._on_playing)
            player.firstPicture.connect(self._on_first_picture)
            player.failed.connect(self._on_failed)
            self.tiles.append(tile)
            self._players.append(player)
            self._monitors.append(StreamMonitor())
            self._urls.append(None)
        return self.tiles[index]

    def playing_url(self, index: int) -> str | None:
        """The URL tile `index` plays now (main or sub stream), None when it plays nothing."""
        return self._urls[index] if 0 <= index < len(self._urls) else None

    def player(self, index: int) -> TilePlayer:
        return self._players[index]

    def monitor(self, index: int) -> StreamMonitor:
        return self._monitors[index]

    @property
    def current_layout(self) -> Layout:
        return layout(self.layout_key)

    def visible_count(self) -> int:
        return 1 if self.maximised is not None else self.current_layout.size

    # --- layout ------------------------------------------------------------------------

    def set_layout(self, key: str) -> None:
        """Re-place tiles; tiles beyond the new size stop playing but keep their camera."""
        self.maximised = None
        lay = layout(key)
        self.layout_key = lay.key
        # One relayout and one repaint for the whole change, not one per tile moved.
        self.setUpdatesEnabled(False)
        self._to_show = []
        try:
            for i in range(max(len(self.tiles), lay.size)):
                tile = self._tile(i)
                self._grid.removeWidget(tile)
                if i < lay.size:
                    cell = lay.cells[i]
                    self._grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
                    if tile.isHidden():
                        self._to_show.append(tile)
                else:
                    tile.hide()
            self._reset_stretch(lay.grid)
        finally:
            self.setUpdatesEnabled(True)
        self._show_next_batch()
        self._refresh_streams()
        self.layoutChanged.emit(lay.key)

    def _show_next_batch(self) -> None:
        batch, self._to_show = self._to_show[:SHOW_BATCH], self._to_show[SHOW_BATCH:]
        for tile in batch:
            tile.show()
        if self._to_show:
            self._show_timer.start()

    def layout_settled(self) -> bool:
        """Every tile of the current layout is shown (tests and the benchmark wait on it)."""
        return not self._to_show

    def _reset_stretch(self, grid: int) -> None:
        for n in range(6):
            self._grid.setRowStretch(n, 1 if n < grid else 0)
            self._grid.setColumnStretch(n, 1 if n < grid else 0)

    def toggle_maximise(self, index: int) -> None:
        """Double-click: this tile alone on the main stream; again: back to the layout."""
        if self.maximised is not None:
            self.set_layout(self.layout_key)
            return
        if index >= len(self.tiles) or self.tiles[index].camera is None:
            return
        self.maximised = index
        self._to_show = []
        for i, tile in enumerate(self.tiles):
            if i != index:
                self._grid.removeWidget(tile)  # hidden tiles keep their cell otherwise
                tile.hide()
        self._grid.removeWidget(self.tiles[index])
        self._grid.addWidget(self.tiles[index], 0, 0, 1, 1)
        self._reset_stretch(1)
        self._refresh_streams()

    def _wanted_url(self, index: int) -> str | None:
        tile = self.tiles[index]
        cam = tile.camera
        if cam is None or not self._showing(index):
            return None
        lay = self.current_layout
        if self.maximised == index or lay.size == 1:
            return cam.main_url
        cell = lay.cells[index]
        width = max(self.width(), 1) * cell.col_span // lay.grid
        return choose_stream(cam.main_url, cam.sub_url, width, False)

    def _showing(self, index: int) -> bool:
        if self.maximised is not None:
            return index == self.maximised
        return index < self.current_layout.size

    def _refresh_streams(self) -> None:
        now = time.monotonic()
        for i in range(len(self.tiles)):
            url = self._wanted_url(i)
            if url is None and self._urls[i] is not None and self.tiles[i].camera is not None:
                # Hidden, camera kept: park it (still playing) instead of stopping now.
                self._parked.setdefault(i, now + PARK_SECONDS)
            elif url != self._urls[i]:
                self._start(i, url, audit=False)
            else:
                self._parked.pop(i, None)

    def _stop_parked(self) -> None:
        now = time.monotonic()
        for i, until in list(self._parked.items()):
            if now >= until:
                self._start(i, None, audit=False)

    # --- cameras -------------------------------------------------------------------------

    def assign(self, index: int, camera: CameraInfo | None) -> None:
        tile = self._tile(index)
        tile.set_camera(camera)
        self._urls[index] = None
        self._start(index, self._wanted_url(index), audit=True)

    def clear(self, index: int) -> None:
        self.assign(index, None)

    def swap(self, a: int, b: int) -> None:
        cam_a, cam_b = self.tiles[a].camera, self.tiles[b].camera
        self.tiles[a].set_camera(cam_b)
        self.tiles[b].set_camera(cam_a)
        for i in (a, b):
            self._urls[i] = None
            self._start(i, self._wanted_url(i), audit=False)

    def spec(self) -> WallSpec:
        size = self.current_layout.size
        return WallSpec(
            self.layout_key,
            tuple(t.camera.id if t.camera else None for t in (self._tile(i) for i in range(size))),
        )

    def apply(self, spec: WallSpec, cameras: dict[uuid.UUID, CameraInfo]) -> None:
        self.set_layout(spec.layout)
        for i, cam_id in enumerate(spec.tiles):
            self.assign(i, cameras.get(cam_id) if cam_id else None)
        for i in range(len(spec.tiles), len(self.tiles)):
            if self.tiles[i].camera is not None:
                self.assign(i, None)

    def _on_camera_dropped(self, index: int, camera_id: uuid.UUID) -> None:
        self.assign(index, self.resolve_camera(camera_id))

    def _on_selected(self, index: int) -> None:
        self.selected = index

    # --- streams -------------------------------------------------------------------------

    def _start(self, index: int, url: str | None, *, audit: bool) -> None:
        now = self._clock.now()
        monitor, player, tile = self._monitors[index], self._players[index], self.tiles[index]
        self._parked.pop(index, None)
        self._urls[index] = url
        if url is None:
            if monitor.state is not TileState.EMPTY:
                player.stop()
            monitor.clear(now)
            self._show(index)
            return
        verdict, why = check_url(url)
        if verdict is not UrlVerdict.OK:
            player.stop()
            assert why is not None  # check_url explains every refusal
            monitor.refuse(now, why)
            self._show(index)
            return
        monitor.start(now)
        self._play(index, url)
        self._show(index)
        if audit and tile.camera is not None:
            cam = tile.camera
            self.viewStarted.emit(cam, "main" if url == cam.main_url else "sub")

    def _play(self, index: int, url: str) -> None:
        one_of_many = self.maximised != index and self.current_layout.size > 1
        self._players[index].play(url, SMALL_TILE_OPTIONS if one_of_many else ())

    def _show(self, index: int) -> None:
        monitor = self._monitors[index]
        tile = self.tiles[index]
        if tile.state is not monitor.state or tile.reason != monitor.reason:
            tile.show_state(monitor.state, monitor.reason)
            # Stored as the camera's last error: a template when it has no arguments (the
            # health list translates it), else the sentence.
            why = monitor.reason
            stored = "" if why is None else (why.message if why.params else why.template)
            self.tileStateChanged.emit(index, monitor.state.value, stored)

    def _sender_index(self) -> int:
        return self._players.index(cast(TilePlayer, self.sender()))

    def _on_playing(self, generation: int) -> None:
        index = self._sender_index()
        if generation == self._players[index].generation:
            self._show(index)

    def _on_first_picture(self, generation: int, seconds: float) -> None:
        index = self._sender_index()
        if generation != self._players[index].generation:
            return
        self._monitors[index].on_picture(self._clock.now())
        self._show(index)
        self.firstPicture.emit(index, seconds)

    def _on_failed(self, generation: int, reason: str) -> None:
        index = self._sender_index()
        if generation != self._players[index].generation:
            return
        self._monitors[index].on_failure(self._clock.now(), DomainError(reason))
        self._show(index)

    def watchStreams(self) -> None:
        """Every second: sample picture counters, detect stalls, reconnect when due."""
        self._stop_parked()
        now = self._clock.now()
        for i, monitor in enumerate(self._monitors):
            if monitor.state in (TileState.EMPTY, TileState.UNSUPPORTED):
                continue
            stats = self._players[i].stats()
            if stats is not None and monitor.state is not TileState.OFFLINE:
                monitor.on_counters(now, stats[1])
            else:
                monitor.tick(now)
            if monitor.retry_due(now) and self._urls[i]:
                url = self._urls[i]
                assert url is not None
                log.info("tile %d: reconnecting (attempt %d)", i, monitor.failures + 1)
                monitor.start(now)
                self._play(i, url)
            self._show(i)

    def lost_pictures(self) -> int:
        total = 0
        for i in range(self.visible_count() if self.maximised is None else len(self.tiles)):
            stats = self._players[i].stats() if i < len(self._players) else None
            total += stats[2] if stats else 0
        return total

    def shutdown(self) -> None:
        self._timer.stop()
        self._parked.clear()
        for i in range(len(self.tiles)):
            if self._urls[i] is not None:
                self._players[i].stop()
                self._urls[i] = None
