"""The 调解室日历 page: a toolbar (day / week / by mediator, previous, today, next), the
grid, and a line that names the clash while dragging or the refusal after a drop.

Sessions are read a window at a time (the days shown) on the thread pool; a move goes
through `MediationService.move`, which refuses a clash in words; the page then reloads."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import LOCAL_TZ, to_local
from centre_app.errors import DomainError
from centre_app.mediation.rota import EditScope
from centre_app.mediation.service import STATUS_LABELS, SessionDraft, SessionView
from db.models.mediation import SessionStatus
from ui.change_notice import RefreshOn
from ui.mediation.admin_menu import AdminButton
from ui.mediation.admin_rules import with_confirmation
from ui.mediation.free_slot_dialog import FreeSlotDialog
from ui.mediation.grid import CalendarGrid, Column, Proposal
from ui.mediation.series_scope import ScopeDialog, SeriesEditor
from ui.mediation.session_status import SessionStatusBar
from ui.mediation.share import DaySheetDialog, IcsExportDialog, IcsImportDialog, Subscriptions
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class ViewMode(enum.Enum):
    DAY = "day"
    WEEK = "week"
    MEDIATORS = "mediators"


# What the calendar draws: sessions, what they hold, their cases' titles and parties.
LIVE_TABLES = (
    "mediation_session",
    "mediation_booking",
    "mediation_case",
    "mediation_party",
    "mediation_closure",
)


class MediationPage(QWidget):
    loaded = Signal()  # a window of sessions is on the grid

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediationPage")
        self._ctx, self._actor = ctx, actor
        self._svc = ctx.mediation
        self.mode = ViewMode.WEEK
        self.anchor = to_local(ctx.clock.now()).date()
        self.sessions: list[SessionView] = []
        self._session_reads = NewestRead(self)  # a window older than the newest is dropped
        self.dialog: QDialog | None = None
        self.status_bar: SessionStatusBar | None = None  # of the open session dialog
        self.series_editor: SeriesEditor | None = None  # of a rota occurrence's dialog
        self._rooms = [(r.id, r.name) for r in self._svc.rooms()]
        self._mediators = [(m.id, m.name) for m in self._svc.mediators()]

        self.grid = CalendarGrid(self)
        self.grid.today = lambda: to_local(ctx.clock.now()).date()
        self.grid.clash_for = self._clash_for
        self.grid.clashChanged.connect(self._show_clash)
        self.grid.moveRequested.connect(self.moveSession)
        self.grid.sessionActivated.connect(self.openSession)
        self.grid.dayStepped.connect(self.stepDays)
        self.grid.todayRequested.connect(self.goToday)
        self.grid.newRequested.connect(self.newSession)

        bar = QHBoxLayout()
        self.modes = QButtonGroup(self)
        for mode, text, tip in (
            (ViewMode.DAY, self.tr("日"), self.tr("一天，调解室为列")),
            (ViewMode.WEEK, self.tr("周"), self.tr("一周，每天按调解室分列")),
            (ViewMode.MEDIATORS, self.tr("按调解员"), self.tr("一天，调解员为列")),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setChecked(mode is self.mode)
            button.setObjectName(f"mode_{mode.value}")
            button.clicked.connect(lambda _=False, m=mode: self.setMode(m))
            self.modes.addButton(button)
            bar.addWidget(button)
        for text, tip, step in (
            (self.tr("‹"), self.tr("前一天（←）"), -1),
            (self.tr("›"), self.tr("后一天（→）"), 1),
        ):
            nav = QToolButton(self)
            nav.setText(text)
            nav.setToolTip(tip)
            nav.clicked.connect(lambda _=False, s=step: self.stepDays(s))
            bar.addWidget(nav)
        today = QPushButton(self.tr("今天"), self)
        today.setToolTip(self.tr("回到今天（T）"))
        today.clicked.connect(self.goToday)
        bar.addWidget(today)
        self.title = QLabel(self)
        self.title.setObjectName("mediationTitle")
        bar.addWidget(self.title, 1)
        self.subscriptions = Subscriptions(ctx, actor, self)
        self.subscriptions.failed.connect(self._show_clash)
        self.share_dialog: QDialog | None = None
        self.file_dialog: QFileDialog | None = None
        share = QToolButton(self)
        share.setObjectName("mediationShare")
        share.setText(self.tr("打印与共享"))
        share.setToolTip(self.tr("打印日程单、导出或订阅 iCalendar 日历、导入律所值班表"))
        share.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(share)
        self.sheet_action = self._action(
            self.tr("打印日程单…"),
            self.tr("打印或导出 PDF：调解室门口日程单、全中心日程（Ctrl+P）"),
            "Ctrl+P",
            self.openDaySheet,
        )
        self.export_action = self._action(
            self.tr("导出 iCalendar 日历…"),
            self.tr("按调解室或调解员导出 .ics 文件，或保存为自动更新的订阅文件（Ctrl+E）"),
            "Ctrl+E",
            self.openIcsExport,
        )
        self.import_action = self._action(
            self.tr("导入律所值班表…"),
            self.tr("导入律师事务所的 .ics 值班表，保存前逐项列出冲突（Ctrl+I）"),
            "Ctrl+I",
            self.openIcsImport,
        )
        for action in (self.sheet_action, self.export_action, self.import_action):
            menu.addAction(action)
        share.setMenu(menu)
        bar.addWidget(share)
        self.find_action = self._action(
            self.tr("查找空闲时段…"),
            self.tr("按时长、调解员专长、调解室和范围查找最近的空闲时段并预约（F）"),
            "F",
            self.openFreeSlots,
        )
        find = QToolButton(self)
        find.setObjectName("mediationFindFree")
        find.setDefaultAction(self.find_action)
        bar.addWidget(find)
        self.admin = AdminButton(ctx, actor, self, self.reloadResources)  # rooms, rota …
        bar.addWidget(self.admin)
        self.status = QLabel(self)
        self.status.setObjectName("mediationStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.status)
        # Bookings made at any desk (or pulled from the county) redraw the calendar.
        self._held = QTimer(self, singleShot=True, interval=300)
        self._held.timeout.connect(self._changed_elsewhere)
        self._live = RefreshOn(ctx, LIVE_TABLES, self._changed_elsewhere, self)
        self._live_resources = RefreshOn(
            ctx, ("mediation_room", "mediator"), self.reloadResources, self
        )
        self.refresh()

    def _changed_elsewhere(self) -> None:
        """Re-read what is shown, but never under the clerk's drag: after the drop."""
        if self.grid.dragging:
            self._held.start()
            return
        self.refresh()

    def _action(self, text: str, tip: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # --- the window shown ---------------------------------------------------------------

    def days(self) -> list[dt.date]:
        if self.mode is ViewMode.WEEK:
            monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
            week = [monday + dt.timedelta(days=i) for i in range(7)]
            calendar = self._svc.working_days()
            return [
                d
                for d in week
                if d.weekday() < 5
                or calendar.is_working_day(d)
                or any(to_local(s.starts_at).date() == d for s in self.sessions)
            ]
        return [self.anchor]

    def columns(self) -> list[Column]:
        resources = self._mediators if self.mode is ViewMode.MEDIATORS else self._rooms
        return [Column(day, key, name) for day in self.days() for key, name in resources]

    def refresh(self) -> None:
        """Read the sessions of the days shown (only those) on the pool, then draw."""
        days = self.days()
        start = dt.datetime.combine(days[0], dt.time(0), LOCAL_TZ)
        end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), LOCAL_TZ)
        if self.mode is ViewMode.WEEK:
            monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
            start = dt.datetime.combine(monday, dt.time(0), LOCAL_TZ)
            end = start + dt.timedelta(days=7)
        svc, actor = self._svc, self._actor
        self._session_reads.run(
            lambda: svc.sessions_between(actor, start, end),
            self._loaded,
            lambda exc: self.status.setText(
                error_text(exc) if isinstance(exc, DomainError) else str(exc)
            ),
        )
        first, last = days[0], days[-1]
        self.title.setText(
            first.strftime("%Y-%m-%d") if first == last else f"{first:%Y-%m-%d} – {last:%m-%d}"
        )

    def _loaded(self, rows: list[SessionView]) -> None:
        self.sessions = rows
        self.grid.selected_day = self.anchor
        self.grid.set_content(self.columns(), rows, by_mediator=self.mode is ViewMode.MEDIATORS)
        self.loaded.emit()

    # --- slots --------------------------------------------------------------------------

    def reloadResources(self) -> None:
        """Rooms or mediators were edited: their columns again, then the sessions."""
        self._rooms = [(r.id, r.name) for r in self._svc.rooms()]
        self._mediators = [(m.id, m.name) for m in self._svc.mediators()]
        self.refresh()

    def setMode(self, mode: ViewMode) -> None:
        self.mode = mode
        for button in self.modes.buttons():
            button.setChecked(button.objectName() == f"mode_{mode.value}")
        self.refresh()

    def stepDays(self, step: int) -> None:
        self.anchor += dt.timedelta(days=step)
        self.refresh()

    def goToday(self) -> None:
        self.anchor = to_local(self._ctx.clock.now()).date()
        self.refresh()

    def _draft(self, proposal: Proposal) -> tuple[SessionView, SessionDraft]:
        view = next(s for s in self.sessions if s.id == proposal.session_id)
        by_mediator = self.mode is ViewMode.MEDIATORS
        room = view.room_id if by_mediator else proposal.column.key
        mediators: list[uuid.UUID] = list(view.mediator_ids)
        if by_mediator and proposal.column.key not in mediators:
            mediators = [proposal.column.key, *mediators[1:]]
        return view, SessionDraft(
            room, proposal.starts_at, proposal.ends_at, mediators, view.case_id, view.title
        )

    def _clash_for(self, proposal: Proposal) -> str:
        """The first thing that stops the dragged block here, in words ("" when free)."""
        _view, draft = self._draft(proposal)
        try:
            clashes = self._svc.check(draft, moving=proposal.session_id)
        except DomainError as exc:
            return error_text(exc)
        for clash in clashes:
            if clash.blocking:
                params = {
                    k: translate_template(v) if isinstance(v, str) else v
                    for k, v in clash.params.items()
                }
                return translate_template(clash.template).format(**params)
        return ""

    def _show_clash(self, text: str) -> None:
        self.status.setText(text)

    def moveSession(self, proposal: Proposal) -> None:
        view, draft = self._draft(proposal)
        if view.series_id is not None:
            self._ask_scope(proposal, view, draft)
            return
        self._move_one(proposal, draft)

    def _ask_scope(self, proposal: Proposal, view: SessionView, draft: SessionDraft) -> None:
        """A duty-rota occurrence was dropped: this one, this and the following, or all?"""
        start, end = to_local(draft.starts_at), to_local(draft.ends_at)
        same_day = start.date() == to_local(view.starts_at).date()
        same_people = list(draft.mediator_ids) == list(view.mediator_ids)
        only_this = (
            ""
            if same_day and same_people
            else self.tr("换了日期或调解员：只能调整这一次，其余各次按原日期不变。")
        )
        dialog = ScopeDialog(
            self.tr("“{0}”是值班轮值中的一次。调整到 {1} {2}–{3} {4}，适用于：").format(
                view.title,
                f"{start:%m-%d}",
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                self._room_name(draft.room_id),
            ),
            only_this=only_this,
            parent=self,
        )
        dialog.chosen.connect(lambda scope: self._move_scoped(proposal, draft, scope))
        dialog.rejected.connect(self._not_moved)
        self.dialog = dialog
        dialog.open()

    def _room_name(self, room_id: uuid.UUID) -> str:
        return next((name for key, name in self._rooms if key == room_id), "?")

    def _not_moved(self) -> None:
        self.status.setText(self.tr("未调整"))
        self.refresh()

    def _move_scoped(self, proposal: Proposal, draft: SessionDraft, scope: EditScope) -> None:
        if scope is EditScope.THIS:
            self._move_one(proposal, draft)
            return
        start, end = to_local(draft.starts_at), to_local(draft.ends_at)
        try:
            count = self._ctx.mediation_rota.edit_series(
                self._actor,
                proposal.session_id,
                scope,
                start_time=start.time(),
                duration_minutes=int((end - start).total_seconds() // 60),
                room_id=draft.room_id,
            )
        except DomainError as exc:
            self.status.setText(error_text(exc))
        else:
            self.status.setText(self.tr("已调整 {0} 次").format(count))
        self.refresh()

    def _move_one(self, proposal: Proposal, draft: SessionDraft) -> None:
        try:
            moved = with_confirmation(  # a warning (the centre warns, not refuses): ask
                self,
                functools.partial(
                    self._svc.move,
                    self._actor,
                    proposal.session_id,
                    starts_at=draft.starts_at,
                    ends_at=draft.ends_at,
                    room_id=draft.room_id,
                    mediator_ids=draft.mediator_ids,
                ),
            )
        except DomainError as exc:
            self.status.setText(error_text(exc))
        else:
            if moved is None:
                self.status.setText(self.tr("未调整"))
                self.refresh()
                return
            self.status.setText(
                self.tr("已调整：{0} {1}–{2}").format(
                    draft.starts_at.strftime("%m-%d"),
                    draft.starts_at.strftime("%H:%M"),
                    draft.ends_at.strftime("%H:%M"),
                )
            )
        self.refresh()

    def openSession(self, session_id: uuid.UUID) -> None:
        view = next((s for s in self.sessions if s.id == session_id), None)
        if view is None:
            return
        dialog = QDialog(self)
        dialog.setObjectName("sessionDialog")
        dialog.setWindowTitle(self.tr("调解安排"))
        box = QVBoxLayout(dialog)
        start, end = to_local(view.starts_at), to_local(view.ends_at)
        for text in (
            view.title,
            f"{start:%Y-%m-%d} {start:%H:%M}–{end:%H:%M}  {view.room_name}",
            self.tr("调解员：{0}").format("、".join(view.mediator_names)),
            self.tr("当事人：{0}").format("、".join(view.party_names) or "—"),
            self.tr("状态：{0}").format(translate_template(STATUS_LABELS[view.status])),
        ):
            box.addWidget(QLabel(text, dialog))
        status = SessionStatusBar(self._ctx, self._actor, dialog)
        status.show_session(view)
        status.statusChanged.connect(lambda _sid, _s: dialog.accept())
        status.statusChanged.connect(self._status_changed)
        self.status_bar = status
        box.addWidget(status)
        self.series_editor = None
        if view.series_id is not None and view.status is SessionStatus.PLANNED:
            # cancelling goes through the series editor, which keeps the date an exception
            status.buttons[SessionStatus.CANCELLED].hide()
            status.reason.hide()
            editor = SeriesEditor(self._ctx, self._actor, view, self._rooms, dialog)
            editor.changed.connect(lambda _text: dialog.accept())
            editor.changed.connect(self._series_changed)
            self.series_editor = editor
            box.addWidget(editor)
        dialog.setMinimumWidth(560)  # room for the cancel reason beside the buttons
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        box.addWidget(buttons)
        self.dialog = dialog
        dialog.show()

    def _series_changed(self, text: str) -> None:
        self.status.setText(text)
        self.refresh()

    def _status_changed(self, _session_id: uuid.UUID, status: SessionStatus) -> None:
        self.status.setText(
            self.tr("已登记为“{0}”").format(translate_template(STATUS_LABELS[status]))
        )
        self.refresh()

    def newSession(self, day: dt.date | None) -> None:
        """N: the next free hour from the selected day, in any room, offered for booking."""
        from centre_app.mediation.free_slots import find_free

        start = dt.datetime.combine(day or self.anchor, dt.time(0), LOCAL_TZ)
        slots = find_free(
            self._svc, self._actor, 60, start=start, end=start + dt.timedelta(days=14)
        )
        dialog = QDialog(self)
        dialog.setObjectName("newSessionDialog")
        dialog.setWindowTitle(self.tr("新建调解安排"))
        box = QVBoxLayout(dialog)
        if not slots:
            box.addWidget(QLabel(self.tr("两周内没有空闲的一小时"), dialog))
        else:
            slot = slots[0]
            start_l, end_l = to_local(slot.starts_at), to_local(slot.ends_at)
            box.addWidget(
                QLabel(
                    self.tr("最近的空闲时段：{0} {1}–{2} {3}，调解员 {4}").format(
                        f"{start_l:%m-%d}",
                        f"{start_l:%H:%M}",
                        f"{end_l:%H:%M}",
                        slot.room_name,
                        slot.mediator_name,
                    ),
                    dialog,
                )
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.rejected.connect(dialog.reject)

        def book() -> None:
            if slots:
                s = slots[0]
                try:
                    self._svc.book(
                        self._actor,
                        SessionDraft(s.room_id, s.starts_at, s.ends_at, [s.mediator_id]),
                    )
                except DomainError as exc:
                    self.status.setText(error_text(exc))
            dialog.accept()
            self.refresh()

        buttons.accepted.connect(book)
        box.addWidget(buttons)
        self.dialog = dialog
        dialog.show()

    def openFreeSlots(self) -> None:
        """F: the free-slot finder, from the day shown; a booking redraws the calendar."""
        dialog = FreeSlotDialog(self._ctx, self._actor, self.anchor, self)
        dialog.booked.connect(self._booked_free_slot)
        self.dialog = dialog
        dialog.open()

    def _booked_free_slot(self, session_id: uuid.UUID) -> None:
        self.status.setText(self.tr("已预约"))
        self.refresh()

    # --- print and share ----------------------------------------------------------------

    def openDaySheet(self) -> None:
        self.share_dialog = DaySheetDialog(self._ctx, self._actor, self.anchor, self)
        self.share_dialog.open()

    def openIcsExport(self) -> None:
        self.share_dialog = IcsExportDialog(
            self._ctx, self._actor, self.subscriptions, self.anchor, self
        )
        self.share_dialog.open()

    def openIcsImport(self) -> None:
        """Choose the firm's file, then preview it (nothing is saved before the clerk says)."""
        dialog = QFileDialog(self, self.tr("导入律所值班表"), "", self.tr("iCalendar 文件 (*.ics)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._preview_import)
        self.file_dialog = dialog
        dialog.open()

    def _preview_import(self, name: str) -> None:
        dialog = IcsImportDialog(self._ctx, self._actor, Path(name), self.anchor, self)
        dialog.saved.connect(lambda _n: self.refresh())
        self.share_dialog = dialog
        dialog.open()


def build_mediation_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    """The workspace: the calendar and the case list, as two tabs."""
    from PySide6.QtWidgets import QTabWidget

    from ui.mediation.cases_page import CasesPage

    tabs = QTabWidget(parent)
    tabs.setObjectName("mediationWorkspace")
    tabs.addTab(
        MediationPage(ctx, actor, tabs), QCoreApplication.translate("MediationPage", "日历")
    )
    tabs.addTab(
        CasesPage(ctx, actor, tabs), QCoreApplication.translate("MediationPage", "调解案件")
    )
    return tabs
