"""调解案件: the case list with filters (state, room, mediator, category, month), read a
window at a time, and the case page beside it (parties masked as the role requires,
sessions, history) with the outcome buttons."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.mediation.cases import CaseFilter, CaseRow
from centre_app.mediation.service import STATUS_LABELS, SessionView
from centre_app.mediation.workflow import OPEN, can_record
from centre_app.security.roles import Permission
from db.models.mediation import CaseState
from ui.mediation.labels import OUTCOMES, outcome_button_text, state_text
from ui.mediation.menu_dialog import MediatorMenu
from ui.mediation.session_status import SessionStatusBar
from ui.messages import error_text, translate_template
from ui.rows_model import RowsModel

if TYPE_CHECKING:
    from collections.abc import Callable

    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

WINDOW = 200


class CasesModel(RowsModel[CaseRow]):
    CONTEXT = "MediationCases"
    HEADERS: ClassVar[tuple[str, ...]] = (
        str(QT_TRANSLATE_NOOP("MediationCases", "案件编号")),
        str(QT_TRANSLATE_NOOP("MediationCases", "案件名称")),
        str(QT_TRANSLATE_NOOP("MediationCases", "纠纷类别")),
        str(QT_TRANSLATE_NOOP("MediationCases", "状态")),
        str(QT_TRANSLATE_NOOP("MediationCases", "受理时间")),
    )

    def __init__(
        self, fetch: Callable[[tuple[dt.datetime, uuid.UUID] | None], list[CaseRow]]
    ) -> None:
        super().__init__()
        self._fetch = fetch
        self._more = True

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._fetch(None)
        self._more = len(self._rows) == WINDOW
        self.endResetModel()

    def canFetchMore(
        self,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(
        self,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> None:
        if not self._rows:
            return
        last = self._rows[-1]
        more = self._fetch((last.accepted_at, last.id))
        self._more = len(more) == WINDOW
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return (
            row.case_no,
            row.title,
            row.category,
            state_text(row.state),
            to_local(row.accepted_at).strftime("%Y-%m-%d %H:%M"),
        )[index.column()]


class CasesPage(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediationCases")
        self._ctx, self._actor = ctx, actor
        self.case_id: uuid.UUID | None = None
        self.state = QComboBox(self)
        self.state.addItem(self.tr("全部状态"), None)
        for state in CaseState:
            self.state.addItem(state_text(state), state)
        self.room = QComboBox(self)
        self.room.addItem(self.tr("全部调解室"), None)
        for r in ctx.mediation.rooms():
            self.room.addItem(r.name, r.id)
        self.mediator = QComboBox(self)
        self.mediator.addItem(self.tr("全部调解员"), None)
        for m in ctx.mediation.mediators(active_only=False):
            self.mediator.addItem(m.name, m.id)
        self.category = QLineEdit(self)
        self.category.setPlaceholderText(self.tr("纠纷类别"))
        self.month = QLineEdit(self)
        self.month.setPlaceholderText(self.tr("月份，如 2026-11"))
        self.error = QLabel(self)
        self.error.setObjectName("mediationStatus")
        filters = QHBoxLayout()
        for widget in (self.state, self.room, self.mediator, self.category, self.month):
            filters.addWidget(widget)
        self.model = CasesModel(self._window)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        self.detail = QLabel(self)
        self.detail.setObjectName("caseDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.agreement = QPlainTextEdit(self)
        self.agreement.setPlaceholderText(self.tr("调解协议内容（调解成功时必填）"))
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("协议金额（元）"))
        outcome = QFormLayout()
        outcome.addRow(self.tr("协议"), self.agreement)
        outcome.addRow(self.tr("金额"), self.amount)
        self.buttons: dict[CaseState, QPushButton] = {}
        row = QHBoxLayout()
        for state in OUTCOMES:
            button = QPushButton(outcome_button_text(state), self)
            button.setObjectName(f"outcome_{state.value}")
            button.clicked.connect(lambda _=False, s=state: self.recordOutcome(s))
            self.buttons[state] = button
            row.addWidget(button)
        self.menu_button = QPushButton(self.tr("调解菜单（当事人自选）…"), self)
        self.menu_button.setObjectName("openMediatorMenu")
        self.menu_button.setToolTip(
            self.tr("当事人从调解员名单中自选调解员和时段（自选制）（Ctrl+M）")
        )
        self.menu_button.setShortcut(QKeySequence("Ctrl+M"))
        self.menu_button.setEnabled(False)
        self.menu_button.clicked.connect(self.openMediatorMenu)
        self._enable_outcomes(None)  # nothing to record before a case is chosen
        self.mediator_menu: MediatorMenu | None = None
        self.sessions = QListWidget(self)
        self.sessions.setObjectName("caseSessions")
        self.sessions.currentRowChanged.connect(self._session_selected)
        self.session_views: list[SessionView] = []
        self.session_status = SessionStatusBar(ctx, actor, self)
        self.session_status.statusChanged.connect(
            lambda _sid, _s: self.show_case(self.case_id) if self.case_id else None
        )
        side = QVBoxLayout()
        side.addWidget(self.detail, 1)
        side.addWidget(QLabel(self.tr("调解安排（选中一场登记举行、未到场或取消）"), self))
        side.addWidget(self.sessions)
        side.addWidget(self.session_status)
        side.addWidget(self.menu_button)
        side.addLayout(outcome)
        side.addLayout(row)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        for combo in (self.state, self.room, self.mediator):
            combo.currentIndexChanged.connect(self.reload)
        self.category.returnPressed.connect(self.reload)
        self.month.returnPressed.connect(self.reload)
        self.reload()

    def filter(self) -> CaseFilter:
        return CaseFilter(
            self.state.currentData(),
            self.category.text().strip(),
            self.month.text().strip(),
            self.room.currentData(),
            self.mediator.currentData(),
        )

    def _window(self, after: tuple[dt.datetime, uuid.UUID] | None) -> list[CaseRow]:
        return self._ctx.mediation_cases.window(
            self._actor, self.filter(), after=after, limit=WINDOW
        )

    def reload(self) -> None:
        try:
            self.model.reload()
            self.error.setText("")
        except DomainError as exc:
            self.error.setText(error_text(exc))

    def _show_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_case(self.model.row_at(current.row()).id)

    def show_case(self, case_id: uuid.UUID) -> None:
        self.case_id = case_id
        case = self._ctx.mediation.case(self._actor, case_id)
        lines = [
            f"<b>{case.case_no}</b> {case.title}",
            self.tr("状态：{0}").format(state_text(case.state)),
            self.tr("当事人：{0}").format(
                "；".join(f"{p.role} {p.name} {p.phone}".strip() for p in case.parties)
            ),
        ]
        self.menu_button.setEnabled(case.state in OPEN)
        self._enable_outcomes(case.state)
        self.session_views = list(case.sessions)
        self.sessions.clear()
        for s in case.sessions:
            start, end = to_local(s.starts_at), to_local(s.ends_at)
            label = translate_template(STATUS_LABELS[s.status])
            if s.cancel_reason:
                label = self.tr("{0}：{1}").format(label, s.cancel_reason)
            item = QListWidgetItem(
                f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} {s.room_name} "
                f"{'、'.join(s.mediator_names)}  {label}",
                self.sessions,
            )
            item.setData(Qt.ItemDataRole.UserRole, str(s.id))
        self.session_status.show_session(None)
        if case.agreement_text:
            lines.append(self.tr("协议：{0}").format(case.agreement_text))
        self.detail.setText("<br>".join(lines))

    def _enable_outcomes(self, state: CaseState | None) -> None:
        """Only the outcomes the case's state allows: every button was enabled, with no case
        chosen (it did nothing) or on a closed case (it was refused in words)."""
        may = self._actor.can(Permission.MEDIATION_BOOK)
        for outcome, button in self.buttons.items():
            button.setEnabled(may and state is not None and can_record(state, outcome))
        agreement = self.buttons[CaseState.SUCCEEDED].isEnabled()
        self.agreement.setEnabled(agreement)
        self.amount.setEnabled(agreement)

    def _session_selected(self, row: int) -> None:
        self.session_status.show_session(
            self.session_views[row] if 0 <= row < len(self.session_views) else None
        )

    def openMediatorMenu(self) -> None:
        if self.case_id is None:
            return
        case_id = self.case_id
        self.mediator_menu = MediatorMenu(self._ctx, self._actor, case_id, self)
        self.mediator_menu.booked.connect(lambda _sid: self._after_change(case_id))
        self.mediator_menu.open()

    def _after_change(self, case_id: uuid.UUID) -> None:
        self.reload()
        self.show_case(case_id)

    def recordOutcome(self, outcome: CaseState) -> None:
        if self.case_id is None:
            return
        try:
            self._ctx.mediation.record_outcome(
                self._actor,
                self.case_id,
                outcome,
                agreement_text=self.agreement.toPlainText(),
                agreed_amount=self.amount.text(),
            )
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.error.setText("")
        case_id = self.case_id
        self.reload()
        self.show_case(case_id)
