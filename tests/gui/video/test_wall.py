"""The wall against real simulator streams under X: drag and drop, swap, maximise, layouts,
tours, a stream that dies and comes back, and URLs this libVLC cannot open."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.codes import make_camera_code
from centre_app.video.registry import CameraDraft, CameraInfo
from centre_app.video.simulator import Simulator
from centre_app.video.stream_state import TileState
from centre_app.video.tours import TourPlan, TourRun
from tests.support.video import register, requires_video, simulator

pytestmark = [
    pytest.mark.gui,
    pytest.mark.video,
    requires_video,
    pytest.mark.skipif(
        os.environ.get("QT_QPA_PLATFORM") == "offscreen",
        reason="libVLC needs an X server (run under Xvfb)",
    ),
]

OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))
PICTURE_TIMEOUT = 15_000  # ms; two cores shared with other suites


@pytest.fixture
def sim() -> Iterator[Simulator]:
    yield from simulator(6)


@pytest.fixture
def cams(ctx: Any, sim: Simulator) -> list[CameraInfo]:
    return register(ctx, OPERATOR, sim)


@pytest.fixture
def page(qtbot: Any, ctx: Any, cams: list[CameraInfo]) -> Iterator[Any]:
    from ui.video_wall.page import VideoWallPage

    widget = VideoWallPage(ctx, OPERATOR, restore=False)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def drop(target: QWidget, mime: QMimeData) -> None:
    pos = QPointF(target.rect().center())
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    event = QDropEvent(
        pos,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)


def tree_mime(page: Any, camera: CameraInfo) -> QMimeData:
    """The drag data the tree itself produces for `camera`."""
    model = page.model
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop()
        if index.data(Qt.ItemDataRole.UserRole + 1) == camera:
            assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
            return model.mimeData([index])
        stack += [model.index(r, 0, index) for r in range(model.rowCount(index))]
    raise AssertionError(camera.name)


def wait_state(
    qtbot: Any, page: Any, index: int, state: TileState, timeout: int = PICTURE_TIMEOUT
) -> None:
    qtbot.waitUntil(lambda: page.wall.tiles[index].state is state, timeout=timeout)


def test_cameras_dropped_from_the_tree_play_swap_and_maximise(
    qtbot: Any, page: Any, cams: list[CameraInfo]
) -> None:
    from ui.video_wall.vlc_engine import SMALL_TILE_OPTIONS

    page.wall.set_layout("4")
    drop(page.wall.tiles[0], tree_mime(page, cams[0]))
    drop(page.wall.tiles[1], tree_mime(page, cams[1]))
    wait_state(qtbot, page, 0, TileState.PLAYING)
    wait_state(qtbot, page, 1, TileState.PLAYING)
    assert page.wall._urls[0] == cams[0].sub_url  # small tile: sub stream
    assert page.wall.player(0).options == SMALL_TILE_OPTIONS  # ... and one decoder thread

    tile_mime = QMimeData()
    tile_mime.setData("application/x-zz-tile-index", b"0")
    drop(page.wall.tiles[1], tile_mime)
    assert page.wall.tiles[0].camera == cams[1] and page.wall.tiles[1].camera == cams[0]
    wait_state(qtbot, page, 0, TileState.PLAYING)

    generation = page.wall.player(1).generation
    qtbot.mouseDClick(page.wall.tiles[0], Qt.MouseButton.LeftButton)
    assert page.wall.maximised == 0 and not page.wall.tiles[1].isVisible()
    # Hidden tiles keep their cells only inside a layout: the maximised tile fills the wall.
    qtbot.waitUntil(lambda: page.wall.tiles[0].width() >= page.wall.width() - 4)
    assert page.wall._urls[0] == cams[1].main_url  # maximised: main stream
    assert page.wall.player(0).options == ()  # libVLC's own decoder threading
    wait_state(qtbot, page, 0, TileState.PLAYING)
    qtbot.mouseDClick(page.wall.tiles[0], Qt.MouseButton.LeftButton)
    assert page.wall.maximised is None and page.wall.tiles[1].isVisible()
    wait_state(qtbot, page, 1, TileState.PLAYING)
    # The hidden tile was parked, not stopped: back from maximise without a reconnect.
    assert page.wall.player(1).generation == generation

    page.layout_box.setCurrentIndex(page.layout_box.findData("9"))
    assert page.wall.current_layout.size == 9
    qtbot.waitUntil(lambda: page.wall.tiles[8].isVisible())  # shown in batches
    assert page.wall.tiles[0].camera == cams[1]
    page.wall.set_layout("1")
    assert page.wall._urls[0] == cams[1].main_url and 1 in page.wall._parked
    page.wall._parked[1] = 0.0  # the parking time is over
    page.wall.watchStreams()
    assert page.wall._urls[1] is None and not page.wall._parked
    page.wall.clear(0)
    assert page.wall.tiles[0].state is TileState.EMPTY


def test_killed_stream_goes_offline_and_returns_by_itself(
    qtbot: Any, page: Any, sim: Simulator, cams: list[CameraInfo]
) -> None:
    page.wall.set_layout("4")
    page.wall.assign(0, cams[2])
    wait_state(qtbot, page, 0, TileState.PLAYING)
    surface = page.wall.tiles[0].surface.geometry()
    sim.kill(2)
    wait_state(qtbot, page, 0, TileState.OFFLINE, timeout=20_000)
    assert "重连" in page.wall.tiles[0].reason_text()
    # The reason sits in the header: the video surface does not move, so no stale label
    # pixels can stay behind on it once the picture is back.
    assert page.wall.tiles[0].surface.geometry() == surface
    sim.revive(2)
    wait_state(qtbot, page, 0, TileState.PLAYING, timeout=30_000)
    assert page.wall.tiles[0].reason_text() == ""
    assert page.wall.tiles[0].surface.geometry() == surface


def test_unplayable_urls_are_explained_and_a_drop_while_connecting_wins(
    qtbot: Any, ctx: Any, page: Any, cams: list[CameraInfo]
) -> None:
    rtsp = ctx.video.cameras.add(
        OPERATOR,
        CameraDraft(make_camera_code("33032710", 6_000_001), "球机", "rtsp://192.0.2.1/ch1"),
    )
    page.wall.set_layout("4")
    page.wall.assign(0, rtsp)
    assert page.wall.tiles[0].state is TileState.UNSUPPORTED
    assert "RTSP" in page.wall.tiles[0].reason_text()
    page.wall.assign(1, cams[3])
    page.wall.assign(1, cams[4])  # dropped onto while still connecting
    wait_state(qtbot, page, 1, TileState.PLAYING)
    assert page.wall.tiles[1].camera == cams[4]


def test_tour_turns_pages_pauses_and_shows_what_comes_next(
    qtbot: Any, ctx: Any, page: Any, cams: list[CameraInfo]
) -> None:
    run = TourRun(TourPlan("测试轮巡", "4", 10, tuple(c.id for c in cams)), ctx.clock.now())
    page.start_tour(run)
    assert [t.camera for t in page.wall.tiles[:4]] == cams[:4]
    qtbot.waitUntil(lambda: cams[4].name in page.tour_label.text())
    wait_state(qtbot, page, 0, TileState.PLAYING)
    ctx.clock.advance(dt.timedelta(seconds=11))
    qtbot.waitUntil(lambda: run.page == 1)
    assert [t.camera for t in page.wall.tiles[:2]] == cams[4:6]
    assert page.wall.tiles[2].camera is None
    page.toggle_pause()
    ctx.clock.advance(dt.timedelta(seconds=60))
    # Two ticks of the tour's own timer with the page long due: a paused tour stays.
    for _ in range(2):
        with qtbot.waitSignal(page._tour_timer.timeout, timeout=2_000):
            pass
    assert run.page == 1 and "暂停" in page.tour_label.text()
    page.toggle_pause()
    ctx.clock.advance(dt.timedelta(seconds=11))
    qtbot.waitUntil(lambda: run.page == 0)
    wait_state(qtbot, page, 0, TileState.PLAYING)


def test_a_snapshot_of_a_small_tile_comes_from_the_main_stream_and_is_confirmed(
    qtbot: Any, ctx: Any, page: Any, cams: list[CameraInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from centre_app.video.evidence import png_size, png_text
    from ui.video_wall.evidence_actions import thumbnail_path

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))

    page.wall.set_layout("4")
    page.wall.assign(0, cams[5])
    wait_state(qtbot, page, 0, TileState.PLAYING)
    assert page.wall.playing_url(0) == cams[5].sub_url  # the tile shows the 320×180 stream
    with qtbot.waitSignal(page.snapshotSaved, timeout=20_000) as saved:
        page.snapshot(0)
    assert warnings == []
    path = Path(saved.args[0])
    items = ctx.video.evidence.unattached(OPERATOR)
    assert [i.path for i in items] == [path]
    item = items[0]
    assert item.camera_id == cams[5].id and len(item.sha256) == 64
    # The evidence is the main stream's picture, and both the file and the row say so.
    assert png_size(path) == (640, 360)
    assert (item.stream, item.width, item.height) == ("main", 640, 360)
    meta = png_text(path)
    assert meta["Stream"] == "main" and meta["Resolution"] == "640x360"
    assert meta["Camera"] == cams[5].national_code
    assert thumbnail_path(path).exists()
    # The operator sees that it happened: a confirmation with the thumbnail.
    notice = page.snapshot_notice
    assert notice is not None and notice.isVisible()
    assert cams[5].name in notice.text() and "640×360" in notice.text()
    assert notice.iconPixmap().width() == 240


def test_create_incident_from_tile_stores_snapshot_and_emits_the_evidence_id(
    qtbot: Any, ctx: Any, page: Any, cams: list[CameraInfo]
) -> None:
    import uuid

    page.wall.set_layout("4")
    page.wall.assign(0, cams[1])
    wait_state(qtbot, page, 0, TileState.PLAYING)
    with qtbot.waitSignal(page.createIncidentRequested, timeout=10_000) as requested:
        page.snapshot(0, for_incident=True)
    evidence_id = requested.args[0]
    assert isinstance(evidence_id, uuid.UUID)
    item = ctx.video.evidence.get(OPERATOR, evidence_id)
    assert item.camera_id == cams[1].id and item.camera_name == cams[1].name
    assert item.camera_place == cams[1].place and item.area_code is not None
    assert item.thumbnail.exists()


def test_recording_a_clip_counts_down_in_the_header_and_stores_evidence(
    qtbot: Any, ctx: Any, page: Any, cams: list[CameraInfo]
) -> None:
    from db.models import EvidenceKind

    page.wall.set_layout("4")
    page.wall.assign(2, cams[2])
    wait_state(qtbot, page, 2, TileState.PLAYING)
    with qtbot.waitSignal(page.clipSaved, timeout=30_000) as saved:
        page.record_clip(2, 4)
        assert "录制" in page.wall.tiles[2].recording_text()
        assert page.clips.is_recording(cams[2].id)
    item = saved.args[0]
    assert item.kind is EvidenceKind.CLIP and item.camera_id == cams[2].id
    assert item.path.stat().st_size > 10_000 and item.thumbnail.exists()
    assert page.wall.tiles[2].recording_text() == ""


def test_clip_of_a_dead_camera_fails_in_words(
    qtbot: Any, page: Any, sim: Simulator, cams: list[CameraInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    sim.kill(3)
    page.wall.set_layout("4")
    page.wall.assign(1, cams[3])
    with qtbot.waitSignal(page.clips.clipFailed, timeout=30_000):
        page.record_clip(1, 3)
    assert warnings and "录像失败" in warnings[0] and cams[3].name in warnings[0]
    assert page.wall.tiles[1].recording_text() == ""


def test_unreachable_host_goes_offline_and_a_malformed_url_is_refused_without_freezing(
    qtbot: Any, page: Any, cams: list[CameraInfo]
) -> None:
    import dataclasses

    from tests.support.video import free_ports

    closed = f"http://127.0.0.1:{free_ports(1)}/main.ts"  # nothing listens there
    page.wall.set_layout("4")
    page.wall.assign(0, dataclasses.replace(cams[0], main_url=closed, sub_url=closed))
    page.wall.assign(1, dataclasses.replace(cams[1], main_url="http//127.0.0.1/x", sub_url=None))
    assert page.wall.tiles[1].state is TileState.UNSUPPORTED
    assert page.wall.tiles[1].reason_text()
    ticks: list[int] = []
    page.wall.tileStateChanged.connect(lambda i, _s, _r: ticks.append(i))
    wait_state(qtbot, page, 0, TileState.OFFLINE, timeout=20_000)
    assert "重连" in page.wall.tiles[0].reason_text()
    # The GUI thread kept serving events while the player failed (no freeze).
    qtbot.waitUntil(lambda: page.wall.monitor(0).failures >= 1)
    page.wall.assign(0, cams[0])  # the operator drops a working camera on it
    wait_state(qtbot, page, 0, TileState.PLAYING)
    assert page.wall.tiles[0].reason_text() == "" and 0 in ticks


def test_letterbox_bands_are_black_not_the_page_shown_before(
    qtbot: Any, ctx: Any, cams: list[CameraInfo]
) -> None:
    """libVLC draws only the picture; the bands around it are the tile's own native window.
    Read back from the X server (QWidget.grab() would not see libVLC's output)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLabel, QStackedWidget

    from ui.video_wall.page import VideoWallPage

    stack = QStackedWidget()
    qtbot.addWidget(stack)
    before = QLabel("之前的页面")
    before.setStyleSheet("background: #ffffff")
    wall_page = VideoWallPage(ctx, OPERATOR, restore=False)
    stack.addWidget(before)
    stack.addWidget(wall_page)
    stack.resize(1000, 900)  # one tile taller than 16:9: bands above and below the picture
    stack.show()
    qtbot.waitExposed(stack)

    # The page shown before is on screen (white), so a band left unpainted would show it.
    def before_on_screen() -> bool:
        at = before.mapToGlobal(QPoint(5, 5))
        image = QApplication.primaryScreen().grabWindow(0, at.x(), at.y(), 4, 4).toImage()
        return image.pixelColor(1, 1).lightness() > 240

    qtbot.waitUntil(before_on_screen)
    try:
        stack.setCurrentWidget(wall_page)
        wall_page.wall.set_layout("1")
        wall_page.wall.assign(0, cams[0])
        wait_state(qtbot, wall_page, 0, TileState.PLAYING)
        # Pictures keep arriving (libVLC has sized its output): not a fixed wait.
        shown = (wall_page.wall.player(0).stats() or (0, 0, 0))[1]
        qtbot.waitUntil(lambda: (wall_page.wall.player(0).stats() or (0, 0, 0))[1] >= shown + 10)
        surface = wall_page.wall.tiles[0].surface
        band = (surface.height() - surface.width() * 9 // 16) // 2
        assert band > 40
        corner = surface.mapToGlobal(QPoint(0, 0))

        def band_is_black() -> bool:
            # Under load the X server may show the band a moment after the picture: wait
            # for it; a band left unpainted stays white and the wait fails.
            image = (
                QApplication.primaryScreen()
                .grabWindow(0, corner.x(), corner.y(), surface.width(), band - 10)
                .toImage()
            )
            return (
                max(
                    image.pixelColor(x, y).lightness()
                    for x in range(0, image.width(), 37)
                    for y in range(0, image.height(), 11)
                )
                < 20
            )

        qtbot.waitUntil(band_is_black, timeout=10_000)
    finally:
        wall_page.shutdown()


def test_the_english_wall_shows_no_chinese_sentence_that_is_not_data(
    qtbot: Any, ctx: Any, cams: list[CameraInfo]
) -> None:
    """The wall kept on close (上次墙面), tile reasons, the tree's states and tooltips, the
    search box and the tour/wall errors are translated; camera names and places are data."""
    import re

    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QLineEdit

    from centre_app.errors import NotFound
    from ui.app import install_translations
    from ui.messages import error_text
    from ui.video_wall.camera_tree import CameraRole
    from ui.video_wall.page import LAST_WALL, VideoWallPage

    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    data = {c.name for c in ctx.video.cameras.cameras(OPERATOR)} | {
        c.place for c in ctx.video.cameras.cameras(OPERATOR)
    }

    def foreign(text: str) -> str:
        for item in sorted(data, key=len, reverse=True):
            text = text.replace(item, "")
        return "".join(cjk.findall(text))

    app = QApplication.instance()
    translators = install_translations(app, "en")
    rtsp = ctx.video.cameras.add(
        OPERATOR,
        CameraDraft(make_camera_code("33032710", 6_000_002), "球机", "rtsp://192.0.2.1/ch1"),
    )
    data.add("球机")
    first = VideoWallPage(ctx, OPERATOR, restore=False, probe=False)
    first.shutdown()  # remembers the wall as 上次墙面
    page = VideoWallPage(ctx, OPERATOR, restore=False, probe=False)
    qtbot.addWidget(page)
    try:
        page.resize(1000, 640)
        page.show()
        qtbot.waitExposed(page)
        page.wall.set_layout("4")
        page.wall.assign(0, rtsp)
        assert page.walls_box.findData(LAST_WALL) >= 0
        assert page.walls_box.itemText(page.walls_box.findData(LAST_WALL)) == "Last wall"
        assert "RTSP" in page.wall.tiles[0].reason_text()
        texts = [
            page.wall.tiles[0].reason_text(),
            page.wall.tiles[0].state_text(),
            page.search.placeholderText(),
            error_text(NotFound("找不到墙面“{name}”，可能已被删除。", name="x")),
        ]
        texts += [w.text() for w in page.findChildren(QLineEdit)]
        texts += [a.text() + a.toolTip() for a in page.findChildren(type(page.tour_action))]
        stack = [page.model.index(r, 0) for r in range(page.model.rowCount())]
        while stack:
            index = stack.pop()
            if index.data(CameraRole) is not None:
                texts.append(str(index.data(Qt.ItemDataRole.ToolTipRole)))
            stack += [page.model.index(r, 0, index) for r in range(page.model.rowCount(index))]
        assert [t for t in texts if foreign(t)] == []
    finally:
        page.shutdown()
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
