"""The video wall page: camera tree, toolbar (layouts, saved walls, tours, second screen),
the wall, and the tour bar. Services do the writing; slots here only route requests."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.security.roles import Permission
from centre_app.settings import Key
from centre_app.video.evidence import CLIP_SECONDS
from centre_app.video.layouts import LAYOUTS
from centre_app.video.prober import HealthProber, ProbeResult
from centre_app.video.registry import CameraInfo
from centre_app.video.tours import TourRun, tour_groups
from centre_app.video.view_audit import AuditBacklog, ViewAuditWriter
from centre_app.video.walls import WallSpec, wall_from_json
from ui.messages import error_text
from ui.navigation import EvidenceSource
from ui.pool_task import run_in_pool
from ui.video_wall.camera_tree import CameraRole, CameraTreeModel
from ui.video_wall.clip_actions import ClipRecorder
from ui.video_wall.labels import layout_text
from ui.video_wall.vlc_engine import VlcEngine
from ui.video_wall.wall import VideoWall

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor
    from centre_app.video.service import VideoServices

log = logging.getLogger(__name__)

# The wall kept on close and restored on start: this workstation's (settings Key.LAST_WALL,
# a local file), listed under this name; older versions kept it as a saved wall of the name
# in the centre database, shared by every desk (still read until this desk keeps its own).
LAST_WALL = "上次墙面"
DEFAULT_CLIP_SECONDS = 30
SEARCH_DELAY_MS = 120  # filter once typing pauses this long
EXPAND_ALL_UP_TO = 500  # hits opened down to the camera; more: villages only


class VideoWallPage(QWidget, EvidenceSource):
    tourPageChanged = Signal(int)
    snapshotSaved = Signal(str)
    clipSaved = Signal(object)  # EvidenceItem of a recorded clip
    # "从画面创建事件": the snapshot is stored as evidence; the main window opens the
    # incident form with it (IncidentsPage.new_incident_from_evidence(evidence_id)).
    createIncidentRequested = Signal(object)  # uuid.UUID of the evidence item
    auditBacklogChanged = Signal(object)  # AuditBacklog, from the audit writer's thread
    healthProbed = Signal(object)  # list[ProbeResult], from the prober's thread

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        engine: VlcEngine | None = None,
        restore: bool = True,
        probe: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("videoWallPage")
        self._ctx, self._actor = ctx, actor
        self._video = ctx.video
        self.engine = engine or VlcEngine()
        self._owns_engine = engine is None
        # Health writes leave the GUI thread (one writer keeps them in order).
        self._db = ThreadPoolExecutor(1, thread_name_prefix="video-db")
        self._db_closed = False
        # Who watched which camera: retried until written, never dropped (view_audit.py).
        self.audit_notice = QLabel(self)
        self.audit_notice.setObjectName("auditNotice")
        self.audit_notice.setWordWrap(True)
        self.audit_notice.hide()
        self.auditBacklogChanged.connect(self._show_audit_backlog)
        self.view_audit = ViewAuditWriter(
            self._video.health,
            ctx.clock,
            actor,
            self._video.view_audit_spool,
            self.auditBacklogChanged.emit,
        )
        self.tour: TourRun | None = None
        self._windows: list[QWidget] = []
        self._closed = False
        self.snapshot_notice: QMessageBox | None = None  # the last snapshot's confirmation

        self.model = CameraTreeModel(self._video.cameras.tree(actor), self)
        self._by_id = {c.id: c for c in self.model.cameras()}
        self.search = QLineEdit(self)
        self.search.setObjectName("cameraSearch")
        self.search.setPlaceholderText(self.tr("搜索摄像机：名称、位置或国标编码"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)  # one filter pass per pause in typing
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.tree = QTreeView(self)
        self.tree.setObjectName("cameraTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # thousands of rows: no per-row size queries
        # Names end in what tells cameras apart (监控点0434): elide the middle, not the end.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setModel(self.model)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.expandToDepth(0)
        self.tree.doubleClicked.connect(self._open_in_selected_tile)

        self.wall = self._new_wall(self)
        self.clips = ClipRecorder(self.wall, self._video.evidence, actor, self)
        self.clips.clipSaved.connect(self.clipSaved)
        self.clips.clipFailed.connect(
            lambda name, why: QMessageBox.warning(
                self, self.tr("录制片段"), self.tr("{0}：{1}").format(name, why)
            )
        )
        self.wall.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.wall.customContextMenuRequested.connect(self._tile_menu)

        self.layout_box = QComboBox(self)
        for key, lay in LAYOUTS.items():
            self.layout_box.addItem(layout_text(lay), key)
        self.layout_box.setCurrentIndex(self.layout_box.findData(self.wall.layout_key))
        self.layout_box.currentIndexChanged.connect(
            lambda _i: self.wall.set_layout(str(self.layout_box.currentData()))
        )
        self.wall.layoutChanged.connect(self._sync_layout_box)

        self.walls_box = QComboBox(self)
        self.walls_box.setToolTip(self.tr("打开已保存的墙面"))
        # A chooser, not a state: it showed an empty box, or 上次墙面 as if that were on
        # the wall now.
        self.walls_box.setPlaceholderText(self.tr("打开墙面…"))
        self._reload_wall_names()
        self.walls_box.activated.connect(
            lambda _i: self.load_wall(str(self.walls_box.currentData()))
        )
        self.tours_box = QComboBox(self)
        self._reload_tour_names()

        bar = QToolBar(self)
        bar.addWidget(QLabel(self.tr("分屏："), self))
        bar.addWidget(self.layout_box)
        self._action(
            bar,
            self.tr("保存墙面"),
            "Ctrl+S",
            self.tr("把当前分屏和摄像机保存为命名墙面"),
            self._save_wall,
        )
        bar.addWidget(self.walls_box)
        bar.addSeparator()
        bar.addWidget(self.tours_box)
        self.tour_action = self._action(
            bar, self.tr("开始轮巡"), "F5", self.tr("按轮巡方案逐页播放"), self.toggle_tour
        )
        self.pause_action = self._action(
            bar, self.tr("暂停"), "F6", self.tr("暂停/继续轮巡"), self.toggle_pause
        )
        self.pause_action.setEnabled(False)
        bar.addSeparator()
        self._action(
            bar,
            self.tr("副屏窗口"),
            "F11",
            self.tr("在单独窗口（第二块屏幕）全屏打开墙面"),
            self.open_second_screen,
        )
        self._action(
            bar, self.tr("截图"), "Ctrl+P", self.tr("选中画面截图取证"), lambda: self.snapshot(None)
        )
        self._action(
            bar,
            self.tr("录制片段"),
            "Ctrl+R",
            self.tr("录制选中画面 30 秒作为取证（右键菜单可选 10/60 秒）"),
            lambda: self.record_clip(None),
        )
        self._action(
            bar, self.tr("在线状态"), "Ctrl+H", self.tr("查看离线的摄像机"), self.show_health
        )
        if actor.can(Permission.VIDEO_MANAGE):
            bar.addSeparator()
            self._action(
                bar,
                self.tr("新增摄像机"),
                "Ctrl+N",
                self.tr("在目录中新增一台摄像机"),
                self.add_camera,
            )
            self._action(
                bar,
                self.tr("编辑摄像机"),
                "Ctrl+E",
                self.tr("编辑目录中选中的摄像机"),
                self.edit_camera,
            )
            self._action(
                bar,
                self.tr("导入"),
                "Ctrl+I",
                self.tr("从 CSV 文件导入摄像机（报告被拒绝的行）"),
                self.import_cameras,
            )
            self._action(
                bar,
                self.tr("编辑轮巡"),
                "Ctrl+T",
                self.tr("新建、重命名、删除轮巡方案，调整顺序和停留时间"),
                self.edit_tours,
            )

        self.tour_label = QLabel(self)
        self.tour_label.setObjectName("tourLabel")
        self.tour_label.hide()
        self._tour_timer = QTimer(self)
        self._tour_timer.setInterval(250)
        self._tour_timer.timeout.connect(self._tour_tick)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(bar)
        right.addWidget(self.audit_notice)
        right.addWidget(self.wall, 1)
        right.addWidget(self.tour_label)
        holder = QWidget(self)
        holder.setLayout(right)
        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.setSpacing(2)
        left_box.addWidget(self.search)
        left_box.addWidget(self.tree, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(holder)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 1000])
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(split)
        if restore:
            self._restore_last_wall()
        # Health of every camera: what is stored now, then the prober's rounds.
        self.healthProbed.connect(self._on_health_probed)
        run_in_pool(
            QThreadPool.globalInstance(),
            lambda: self._video.health.states(actor),
            self.model.set_health,
            owner=self,
        )
        self.prober = HealthProber(
            self._video.cameras, self._video.health, on_results=self.healthProbed.emit
        )
        if probe:
            self.prober.start()

    # --- building blocks ---------------------------------------------------------------

    def connectIncidentRequests(self, handler: Callable[[uuid.UUID], None]) -> None:
        self.createIncidentRequested.connect(handler)

    def _action(self, bar: QToolBar, text: str, key: str, tip: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(tip)
        action.triggered.connect(slot)
        bar.addAction(action)
        return action

    def _new_wall(self, parent: QWidget) -> VideoWall:
        wall = VideoWall(self.engine, parent)
        wall.resolve_camera = lambda cam_id: self._by_id.get(cam_id)
        wall.viewStarted.connect(self._audit_view)
        wall.tileStateChanged.connect(lambda i, s, r, w=wall: self._report_health(w, i, s, r))
        return wall

    def _submit(self, fn: Callable[..., object], *args: object) -> None:
        """Database work off the GUI thread; after close, late tile signals are dropped."""
        if not self._db_closed:
            self._db.submit(fn, *args)

    def _audit_view(self, camera: CameraInfo, stream: str) -> None:
        if not self._closed:
            self.view_audit.submit(camera.id, camera.name, stream)

    def _show_audit_backlog(self, backlog: AuditBacklog) -> None:
        if backlog.pending == 0:
            self.audit_notice.hide()
            return
        error = backlog.error
        why = error_text(error) if isinstance(error, DomainError) else self.tr("数据库暂时无法写入")
        self.audit_notice.setText(
            self.tr(
                "观看记录（审计）写入失败：{0}。{1} 条记录保留待写，正在自动重试（第 {2} 次），"
                "请勿关闭电脑；如持续出现请联系管理员。"
            ).format(why, backlog.pending, backlog.failures)
        )
        self.audit_notice.show()

    def _report_health(self, wall: VideoWall, index: int, state: str, reason: str) -> None:
        cam = wall.tiles[index].camera
        if cam is not None and state in ("playing", "offline", "unsupported"):
            self.model.set_health({cam.id: state})
            self._submit(self._video.health.report, cam.id, state, reason)

    def _on_health_probed(self, results: list[ProbeResult]) -> None:
        if not self._closed:
            self.model.set_health({r.camera_id: r.state for r in results})

    def _apply_search(self) -> None:
        found = self.model.search(self.search.text())
        if self.model.query and found <= EXPAND_ALL_UP_TO:
            self.tree.expandAll()  # a few hits: shown at once, in place
        else:
            self.tree.expandToDepth(0)

    def _sync_layout_box(self, key: str) -> None:
        i = self.layout_box.findData(key)
        if i >= 0 and i != self.layout_box.currentIndex():
            self.layout_box.blockSignals(True)
            self.layout_box.setCurrentIndex(i)
            self.layout_box.blockSignals(False)

    def camera(self, camera_id: uuid.UUID) -> CameraInfo | None:
        return self._by_id.get(camera_id)

    def _open_in_selected_tile(self) -> None:
        cam = self.tree.currentIndex().data(CameraRole)
        if isinstance(cam, CameraInfo):
            self.wall.assign(self.wall.selected, cam)

    # --- walls -----------------------------------------------------------------------------

    def _reload_wall_names(self) -> None:
        """This desk's last wall first (in the interface's words; its data is 上次墙面), then
        the centre's saved walls by name."""
        self.walls_box.clear()
        names = self._video.walls.names(self._actor)
        if self._desk_last_wall() is not None or LAST_WALL in names:
            self.walls_box.addItem(self.tr("上次墙面"), LAST_WALL)
        for name in names:
            if name != LAST_WALL:
                self.walls_box.addItem(name, name)
        self.walls_box.setCurrentIndex(-1)

    def _desk_last_wall(self) -> WallSpec | None:
        stored = self._ctx.settings.get(Key.LAST_WALL)
        return wall_from_json(stored) if stored else None

    def _save_wall(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("保存墙面"), self.tr("墙面名称："))
        if ok:
            self.save_wall(name)

    def save_wall(self, name: str) -> None:
        try:
            self._video.walls.save(self._actor, name, self.wall.spec())
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("保存墙面"), error_text(exc))
            return
        self._reload_wall_names()

    def load_wall(self, name: str) -> None:
        desk_wall = self._desk_last_wall() if name == LAST_WALL else None
        try:
            spec = desk_wall or self._video.walls.load(self._actor, name)
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("打开墙面"), error_text(exc))
            return
        self.stop_tour()
        self.wall.apply(spec, self._by_id)

    def _restore_last_wall(self) -> None:
        names = self._video.walls.names(self._actor)
        if self._desk_last_wall() is not None or LAST_WALL in names:
            self.load_wall(LAST_WALL)
            return
        # First start: fill the wall with the first cameras so the demo shows moving pictures.
        cams = [c for c in self.model.cameras() if c.enabled]
        size = self.wall.current_layout.size
        for i, cam in enumerate(cams[:size]):
            self.wall.assign(i, cam)

    # --- tours -----------------------------------------------------------------------------

    def _reload_tour_names(self) -> None:
        current = self.tours_box.currentText()
        self.tours_box.clear()
        self.tours_box.addItems([p.name for p in self._video.tours.plans(self._actor)])
        self.tours_box.setCurrentIndex(max(0, self.tours_box.findText(current)))

    def tour_editor(self) -> QWidget:
        from ui.video_wall.tour_editor import TourEditor

        editor = TourEditor(self._video.tours, self._actor, self._by_id.values(), self)
        editor.finished.connect(lambda _r: self._reload_tour_names())
        return editor

    def edit_tours(self) -> None:
        editor = self.tour_editor()
        assert isinstance(editor, QDialog)
        editor.exec()

    def toggle_tour(self) -> None:
        if self.tour is not None:
            self.stop_tour()
            return
        name = self.tours_box.currentText()
        if not name:
            QMessageBox.information(self, self.tr("轮巡"), self.tr("还没有轮巡方案，请先建立。"))
            return
        try:
            plan = self._video.tours.get(self._actor, name)
            self.start_tour(TourRun(plan, self._ctx.clock.now(), tour_groups(self._by_id.values())))
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("轮巡"), error_text(exc))

    def start_tour(self, run: TourRun) -> None:
        self.tour = run
        self.wall.set_layout(run.plan.layout)
        self._show_tour_page()
        self.tour_action.setText(self.tr("停止轮巡"))
        self.pause_action.setEnabled(True)
        self.tour_label.show()
        self._tour_timer.start()

    def stop_tour(self) -> None:
        self.tour = None
        self._tour_timer.stop()
        self.tour_label.hide()
        self.tour_action.setText(self.tr("开始轮巡"))
        self.pause_action.setEnabled(False)

    def toggle_pause(self) -> None:
        if self.tour is None:
            return
        now = self._ctx.clock.now()
        if self.tour.paused:
            self.tour.resume(now)
            self.pause_action.setText(self.tr("暂停"))
        else:
            self.tour.pause(now)
            self.pause_action.setText(self.tr("继续"))
        self._tour_tick()

    def _show_tour_page(self) -> None:
        assert self.tour is not None
        for i, cam_id in enumerate(self.tour.current()):
            self.wall.assign(i, self._by_id.get(cam_id) if cam_id else None)
        self.tourPageChanged.emit(self.tour.page)

    def _tour_tick(self) -> None:
        run = self.tour
        if run is None:
            return
        now = self._ctx.clock.now()
        if run.advance_if_due(now):
            self._show_tour_page()
        upcoming = [self._by_id[c].name for c in run.upcoming() if c and c in self._by_id]
        state = (
            self.tr("已暂停")
            if run.paused
            else self.tr("{0} 秒后翻页").format(int(run.remaining(now).total_seconds()))
        )
        self.tour_label.setText(
            self.tr("轮巡“{0}” 第 {1}/{2} 页，{3}；下一页：{4}").format(
                run.plan.name, run.page + 1, run.page_count, state, "、".join(upcoming)
            )
        )

    # --- tile menu, evidence, health, second screen ---------------------------------------

    def _tile_at(self, pos: QPoint) -> int | None:
        for tile in self.wall.tiles:
            if tile.isVisible() and tile.geometry().contains(pos):
                return tile.index
        return None

    def _tile_menu(self, pos: QPoint) -> None:
        index = self._tile_at(pos)
        if index is None:
            return
        self.wall.selected = index
        menu = QMenu(self)
        menu.addAction(self.tr("最大化/还原"), lambda: self.wall.toggle_maximise(index))
        menu.addAction(self.tr("截图取证"), lambda: self.snapshot(index))
        clip_menu = menu.addMenu(self.tr("录制片段"))
        for seconds in CLIP_SECONDS:
            clip_menu.addAction(
                self.tr("{0} 秒").format(seconds),
                functools.partial(self.record_clip, index, seconds),
            )
        menu.addAction(self.tr("从画面创建事件"), lambda: self.snapshot(index, for_incident=True))
        menu.addAction(self.tr("清空画面"), lambda: self.wall.clear(index))
        menu.exec(self.wall.mapToGlobal(pos))

    def snapshot(self, index: int | None, *, for_incident: bool = False) -> None:
        from ui.video_wall.evidence_actions import take_snapshot

        take_snapshot(
            self,
            self.wall,
            self.wall.selected if index is None else index,
            for_incident=for_incident,
        )

    def record_clip(self, index: int | None, seconds: int = DEFAULT_CLIP_SECONDS) -> None:
        """Record `seconds` of the tile's camera as evidence, off the GUI thread."""
        index = self.wall.selected if index is None else index
        tile = self.wall.tiles[index] if 0 <= index < len(self.wall.tiles) else None
        if tile is None or tile.camera is None:
            QMessageBox.information(
                self, self.tr("录制片段"), self.tr("请先选中一个有摄像机的画面再录制。")
            )
            return
        try:
            self.clips.start(tile.camera, seconds)
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("录制片段"), error_text(exc))

    def reload_tree(self) -> None:
        self.model.reset_tree(self._video.cameras.tree(self._actor))
        self._by_id = {c.id: c for c in self.model.cameras()}
        self.tree.expandToDepth(0)

    def _villages(self) -> list[str]:
        return sorted({c.village for c in self._by_id.values() if c.village})

    def add_camera(self) -> None:
        from ui.video_wall.camera_dialog import CameraDialog

        if CameraDialog(self._video.cameras, self._actor, self._villages(), None, self).exec():
            self.reload_tree()

    def edit_camera(self) -> None:
        from ui.video_wall.camera_dialog import CameraDialog

        cam = self.tree.currentIndex().data(CameraRole)
        if not isinstance(cam, CameraInfo):
            QMessageBox.information(
                self, self.tr("编辑摄像机"), self.tr("请先在目录中选中一台摄像机。")
            )
            return
        if CameraDialog(self._video.cameras, self._actor, self._villages(), cam, self).exec():
            self.reload_tree()

    def import_cameras(self) -> None:
        from ui.video_wall.camera_dialog import import_csv

        if import_csv(self._video.cameras, self._actor, self) is not None:
            self.reload_tree()

    def show_health(self) -> None:
        from ui.video_wall.health_dialog import HealthDialog

        HealthDialog(self._video.health.rows(self._actor), self).exec()

    def open_second_screen(self) -> QWidget:
        from ui.video_wall.second_screen import open_second_screen

        window = open_second_screen(self)
        self._windows.append(window)
        return window

    @property
    def services(self) -> VideoServices:
        return self._video

    @property
    def current_actor(self) -> Actor:
        return self._actor

    def shutdown(self) -> None:
        """Remember the wall, stop every player, release libVLC (when we own it)."""
        if self._closed:
            return
        self._closed = True
        self.stop_tour()
        self.clips.shutdown()
        try:
            self._ctx.settings.set(self._actor, Key.LAST_WALL, self.wall.spec().to_json())
        except Exception:  # a failing disk must not stop the players from closing
            log.exception("could not remember the wall")
        for window in self._windows:
            window.close()
        self.prober.stop()
        self.wall.shutdown()
        self.view_audit.close()
        self._db_closed = True
        self._db.shutdown(wait=True)
        if self._owns_engine:
            self.engine.close()


def build_video_wall_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    actor.require(Permission.VIDEO_VIEW)
    page = VideoWallPage(ctx, actor, parent)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(page.shutdown)
    # Logout destroys the main window without quitting: stop and release the players then
    # (the closure holds the engine, not the page, which is already half destroyed).
    engine, executor, audit, prober = page.engine, page._db, page.view_audit, page.prober

    def release(*_args: object) -> None:
        prober.stop(timeout=0)
        engine.close()
        executor.shutdown(wait=False)
        audit.close()

    page.destroyed.connect(release)
    return page
