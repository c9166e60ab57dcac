"""The main window assembles the workspaces the signed-in user may open and routes navigation.

It holds no domain logic: pages come from `ui.workspaces` factories, built the first time
they are shown, so start-up does not pay for workspaces nobody opens.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.security.desk_sessions import HEARTBEAT, TABLE, OtherDesk
from centre_app.security.roles import Permission
from centre_app.settings import Key
from ui.centre_connection import CentreConnectionLabel
from ui.change_notice import RefreshOn
from ui.link_state import LinkStateLabel
from ui.messages import error_text
from ui.navigation import EvidenceSource, IncidentDesk, Navigator, Workspace
from ui.pool_task import run_in_pool
from ui.sync.controller import SyncController
from ui.workspaces import WORKSPACES, WorkspaceSpec

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor
    from ui.shortcuts import ShortcutGroup, ShortcutsDialog

log = logging.getLogger(__name__)


def role_names(actor: Actor) -> str:
    """The actor's roles in the interface's language."""
    from centre_app.security.roles import ROLE_LABELS
    from ui.messages import translate_template

    separator = QCoreApplication.translate("MainWindow", "、")
    return separator.join(translate_template(ROLE_LABELS[role]) for role in actor.roles)


SYNC_START_DELAY_MS = 500


class MainWindow(QMainWindow, Navigator):
    logoutRequested = Signal()
    workspaceChanged = Signal(str)
    startedUp = Signal()  # on screen with its first workspace: later start-up work may run

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        desk_session: uuid.UUID | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.actor = actor
        self.desk_session = desk_session  # this sign-in at this desk (None: no desk named)
        self.other_desks: tuple[OtherDesk, ...] = ()
        self._logging_out = False
        self._started_up = False
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._watching_expose = False
        self._first_page_pending = False
        self.specs: list[WorkspaceSpec] = [s for s in WORKSPACES if actor.can(s.permission)]
        self.pages: dict[str, QWidget] = {}
        self.setObjectName("mainWindow")
        self.setWindowTitle(str(ctx.settings.get(Key.CENTRE_NAME)))
        self.resize(1440, 900)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        for spec in self.specs:
            item = QListWidgetItem(spec.label, self.navigation)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(
                self.tr("{0}（{1}）").format(
                    QCoreApplication.translate("Workspaces", spec.description), spec.shortcut
                )
            )
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("workspaceStack")

        # The column, not the list, has the fixed width: English titles are wider than the
        # Chinese ones and widened the column past the list, leaving a white strip beside it.
        side = QWidget(self)
        side.setFixedWidth(200)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        title = QLabel(str(ctx.settings.get(Key.TOWNSHIP_NAME)) + self.tr("综治中心"), side)
        title.setObjectName("centreTitle")
        subtitle = QLabel(self.tr("社会治理综合指挥中心"), side)
        subtitle.setObjectName("centreSubtitle")
        for label in (title, subtitle):
            label.setWordWrap(True)
        side_layout.addWidget(title)
        side_layout.addWidget(subtitle)
        side_layout.addWidget(self.navigation, 1)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self.navigation.currentRowChanged.connect(self._show_row)
        if self.specs:
            # The first workspace is built once the window is on screen (see eventFilter):
            # the frame appears without waiting for the page's imports and queries.
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(0)
            self.navigation.blockSignals(False)
            self._first_page_pending = True

    # --- assembly ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(self.tr("文件(&F)"))
        self.settings_action = self._action(
            self.tr("设置…"), self.openSettings, "Ctrl+,", self.tr("查看和修改中心设置")
        )
        file_menu.addAction(self.settings_action)
        if self.actor.can(Permission.AUDIT_VIEW):
            file_menu.addAction(
                self._action(
                    self.tr("审计日志…"),
                    self.openAuditLog,
                    "Ctrl+Shift+A",
                    self.tr("查看谁在何时做了什么"),
                )
            )
        file_menu.addAction(
            self._action(
                self.tr("县级同步…"),
                self.openSyncPanel,
                "Ctrl+Shift+Y",
                self.tr("查看与县级中心的同步状态，立即同步"),
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("注销"), self.requestLogout, "Ctrl+L", self.tr("退出当前账号，回到登录")
            )
        )
        file_menu.addAction(
            self._action(
                self.tr("退出"), self.close, QKeySequence.StandardKey.Quit, self.tr("关闭程序")
            )
        )

        self.workspace_menu = menu_bar.addMenu(self.tr("工作区(&W)"))
        self.workspace_actions: dict[str, QAction] = {}
        for spec in self.specs:
            action = self._action(
                spec.label,
                lambda _=False, key=spec.key: self.showWorkspace(key),
                spec.shortcut,
                QCoreApplication.translate("Workspaces", spec.description),
            )
            self.workspace_menu.addAction(action)
            self.workspace_actions[spec.key] = action

        help_menu = menu_bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(
            self._action(
                self.tr("快捷键"), self.showShortcuts, "F1", self.tr("列出全部快捷键，按工作区分组")
            )
        )
        help_menu.addAction(
            self._action(self.tr("关于"), self.showAbout, None, self.tr("程序与数据库信息"))
        )
        for menu in (file_menu, self.workspace_menu, help_menu):
            menu.setToolTipsVisible(True)

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence.StandardKey | None,
        tip: str,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(
            self.tr("当前用户：{0}（{1}）").format(self.actor.display_name, role_names(self.actor)),
            self,
        )
        self.user_label.setObjectName("currentUser")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("clock")
        self.link_label = LinkStateLabel(self._ctx, self)
        self.link_label.clicked.connect(self.openSyncPanel)
        self.sync = SyncController(self._ctx, self)
        self.sync.statusChanged.connect(self.link_label.showStatus)
        self.centre_link = CentreConnectionLabel(self._ctx, self)
        self.elsewhere_label = QLabel(self)
        self.elsewhere_label.setObjectName("signedInElsewhere")
        self.elsewhere_label.setProperty("messageKind", "info")
        self.elsewhere_label.hide()
        bar.addPermanentWidget(self.centre_link)
        bar.addPermanentWidget(self.elsewhere_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.link_label)
        bar.addPermanentWidget(self.clock_label)
        self._tick()
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start(15_000)
        if self.desk_session is not None:
            # Another sign-in of this account is heard at once; the heartbeat keeps this
            # desk's session counted as alive.
            RefreshOn(self._ctx, (TABLE,), self.checkOtherDesks, self)
            self._heartbeat = QTimer(self, interval=int(HEARTBEAT.total_seconds() * 1000))
            self._heartbeat.timeout.connect(self.checkOtherDesks)
            self._heartbeat.start()
            QTimer.singleShot(0, self.checkOtherDesks)

    def checkOtherDesks(self) -> None:
        """Mark this desk alive and show where else this account is signed in."""
        session_id = self.desk_session
        if session_id is None:
            return
        run_in_pool(
            QThreadPool.globalInstance(),
            lambda: self._ctx.desk_sessions.still_here(session_id),
            self.showOtherDesks,
            owner=self,
        )

    def showOtherDesks(self, others: tuple[OtherDesk, ...]) -> None:
        self.other_desks = others
        if not others:
            self.elsewhere_label.hide()
            return
        self.elsewhere_label.setText(
            self.tr("本账号同时在 {0} 登录").format("、".join(o.desk for o in others))
        )
        self.elsewhere_label.setToolTip(
            "\n".join(
                self.tr("{0}：{1} 起").format(
                    o.desk, to_local(o.signed_in_at).strftime("%Y-%m-%d %H:%M")
                )
                for o in others
            )
        )
        self.elsewhere_label.show()

    def _tick(self) -> None:
        self.clock_label.setText(to_local(self._ctx.clock.now()).strftime("%Y-%m-%d %H:%M"))

    # --- navigation -------------------------------------------------------------------

    def showWorkspace(self, key: str) -> None:
        for row, spec in enumerate(self.specs):
            if spec.key == key:
                if self.navigation.currentRow() == row and key not in self.pages:
                    self._show_row(row)
                else:
                    self.navigation.setCurrentRow(row)
                return
        raise KeyError(key)

    def currentWorkspace(self) -> str | None:
        row = self.navigation.currentRow()
        return self.specs[row].key if 0 <= row < len(self.specs) else None

    def _show_row(self, row: int) -> None:
        self._first_page_pending = False
        if not 0 <= row < len(self.specs):
            return
        spec = self.specs[row]
        page = self.pages.get(spec.key)
        if page is None:
            page = self._build_page(spec)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            self._route(page)
        self.stack.setCurrentWidget(page)
        self.workspaceChanged.emit(spec.key)

    def _build_page(self, spec: WorkspaceSpec) -> QWidget:
        assert spec.factory is not None
        try:
            return spec.factory(self._ctx, self.actor, self.stack)
        except Exception:
            # One broken workspace must not take the others down with it.
            log.exception("workspace %s failed to open", spec.key)
            page = QLabel(
                self.tr("“{0}”工作区无法打开。详情已写入日志，请联系系统管理员。").format(
                    spec.label
                ),
                self.stack,
            )
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setWordWrap(True)
            return page

    def _route(self, page: QWidget) -> None:
        """Requests one workspace makes of another: the wall's 从画面创建事件."""
        if isinstance(page, EvidenceSource):
            page.connectIncidentRequests(self.createIncidentFromEvidence)

    def _incident_desk(self) -> IncidentDesk | None:
        """The incidents workspace, shown (built on first use), when this user has it."""
        if not any(spec.key == Workspace.INCIDENTS for spec in self.specs):
            return None
        self.showWorkspace(Workspace.INCIDENTS)
        page = self.pages.get(Workspace.INCIDENTS)
        return page if isinstance(page, IncidentDesk) else None

    def createIncidentFromEvidence(self, evidence_id: uuid.UUID) -> None:
        desk = self._incident_desk()
        if desk is not None:
            desk.new_incident_from_evidence(evidence_id)

    def openIncident(self, incident_id: str) -> None:
        desk = self._incident_desk()
        if desk is None:
            return
        try:
            desk.openIncident(incident_id)
        except DomainError as error:  # gone, or not yet arrived from the county
            self.statusBar().showMessage(error_text(error), 10_000)

    # --- actions ----------------------------------------------------------------------

    def openSettings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._ctx, self.actor, self)
        if dialog.exec():
            self.setWindowTitle(str(self._ctx.settings.get(Key.CENTRE_NAME)))
            self.link_label.refreshState()
            self.sync.start()  # the county address or credential may have changed
            if dialog.restart_needed:
                self.statusBar().showMessage(
                    self.tr("中心数据库地址已保存，重新启动程序后生效。"), 30_000
                )

    def openSyncPanel(self) -> None:
        from ui.sync.panel import SyncPanel

        SyncPanel(self._ctx, self.sync, self).exec()

    def openAuditLog(self) -> None:
        from ui.audit_dialog import AuditDialog

        AuditDialog(self._ctx, self.actor, self).exec()

    def shortcutGroups(self) -> list[ShortcutGroup]:
        """The menus' shortcuts, then each workspace's, read from their actions."""
        from ui.shortcuts import ShortcutGroup, menu_bar_groups, widget_shortcuts

        groups = menu_bar_groups(self.menuBar())
        for spec in self.specs:
            page = self.pages.get(spec.key)
            groups.append(
                ShortcutGroup(spec.label, None if page is None else widget_shortcuts(page))
            )
        return groups

    def showShortcuts(self) -> None:
        from ui.shortcuts import ShortcutsDialog

        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self.shortcutGroups(), self)
        self.shortcuts_dialog.open()

    def showAbout(self) -> None:
        url = self._ctx.engine.url.render_as_string(hide_password=True)
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr("乡镇社会治理综合指挥中心客户端\n数据库：{0}\n乡镇代码：{1}").format(
                url, self._ctx.township_code
            ),
        )

    def requestLogout(self) -> None:
        self._logging_out = True
        self._ctx.auth.logout(self.actor, self.desk_session)
        self.desk_session = None
        self.logoutRequested.emit()
        self.close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if not self._started_up and not self._watching_expose and handle is not None:
            self._watching_expose = True
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Expose
            and watched is self.windowHandle()
            and not self._started_up
        ):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._finish_start_up)  # once this first paint is done
        return super().eventFilter(watched, event)

    def _finish_start_up(self) -> None:
        """What waits for the first paint: the first workspace, then (a moment later) the
        sync client, whose imports (requests, pydantic, ~0.3 s) no user waits for."""
        if self._started_up:
            return
        self._started_up = True
        self.showPendingWorkspace()
        self.repaint()  # the page on screen now, before startedUp's listeners take their time
        QTimer.singleShot(0, self.startedUp.emit)
        QTimer.singleShot(SYNC_START_DELAY_MS, self.sync.start)

    def showPendingWorkspace(self) -> None:
        """Build and show the first workspace if it is still waiting for the first paint."""
        if self._first_page_pending:
            self._show_row(self.navigation.currentRow())

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages.values():
            page.close()  # pages stop their players and workers in their own closeEvent
        self.sync.stop()
        self.centre_link.stop()
        if self.desk_session is not None:  # quitting ends this desk's session too
            try:
                self._ctx.auth.logout(self.actor, self.desk_session)
            except DomainError:  # the server is gone: the session lapses by itself
                log.warning("could not close the desk session", exc_info=True)
            self.desk_session = None
        super().closeEvent(event)

    @property
    def logging_out(self) -> bool:
        return self._logging_out
