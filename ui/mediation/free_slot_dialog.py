"""The free-slot finder on the calendar (F): “the next free 90 minutes for a labour-dispute
mediator in any room this week”. Length, speciality, room (any) and period are chosen, the
first free slots are read on the thread pool from `centre_app.mediation.free_slots` (which
applies every booking rule), and the chosen one is booked for a case in one service call."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import LOCAL_TZ, to_local
from centre_app.errors import DomainError
from centre_app.mediation.cases import CaseFilter
from centre_app.mediation.free_slots import FreeSlot, find_free
from centre_app.mediation.service import SessionDraft
from db.models.mediation import CaseState
from ui.mediation.admin_rules import with_confirmation
from ui.messages import error_text
from ui.pool_task import NewestRead

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

SHOWN = 10  # slots listed


def distinct(slots: list[FreeSlot]) -> list[FreeSlot]:
    """Leave out a slot that overlaps one already listed for the same room and mediator
    (the finder steps by 15 minutes: 08:30, 08:45 … of one pair are one choice)."""
    kept: list[FreeSlot] = []
    for slot in slots:
        if not any(
            k.room_id == slot.room_id
            and k.mediator_id == slot.mediator_id
            and k.starts_at < slot.ends_at
            and slot.starts_at < k.ends_at
            for k in kept
        ):
            kept.append(slot)
    return kept


class FreeSlotDialog(QDialog):
    found = Signal()  # the list of slots is shown
    booked = Signal(object)  # session id

    def __init__(
        self, ctx: AppContext, actor: Actor, day: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("freeSlotDialog")
        self.setWindowTitle(self.tr("查找空闲时段"))
        self._ctx, self._actor, self.day = ctx, actor, day
        self.slots: list[FreeSlot] = []
        self._slot_reads = NewestRead(self)  # slots found for older criteria are dropped
        self.length = QSpinBox(self)
        self.length.setObjectName("freeLength")
        self.length.setRange(15, 12 * 60)
        self.length.setSingleStep(15)
        self.length.setValue(90)
        self.length.setSuffix(self.tr(" 分钟"))
        mediators = ctx.mediation.mediators()
        self.speciality = QComboBox(self)
        self.speciality.setObjectName("freeSpeciality")
        self.speciality.addItem(self.tr("任意专长"), "")
        for name in sorted({s for m in mediators for s in m.specialties.split(",") if s}):
            self.speciality.addItem(name, name)
        self.room = QComboBox(self)
        self.room.setObjectName("freeRoom")
        self.room.addItem(self.tr("任意调解室"), None)
        for room in ctx.mediation.rooms():
            if room.active:
                self.room.addItem(room.name, room.id)
        self.period = QComboBox(self)
        self.period.setObjectName("freePeriod")
        self.period.addItem(self.tr("本周"), 7)
        self.period.addItem(self.tr("两周内"), 14)
        self.case = QComboBox(self)
        self.case.setObjectName("freeCase")
        self.case.addItem(self.tr("不关联案件"), None)
        self._categories: dict[uuid.UUID, str] = {}
        for row in ctx.mediation_cases.window(actor, CaseFilter(), limit=200):
            if row.state in (CaseState.ACCEPTED, CaseState.IN_MEDIATION):
                self.case.addItem(f"{row.case_no} {row.title}", row.id)
                self._categories[row.id] = row.category
        self.case.currentIndexChanged.connect(self._case_chosen)
        find = QPushButton(self.tr("查找"), self)
        find.setObjectName("freeFind")
        find.setDefault(True)
        find.clicked.connect(self.search)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("freeSlots")
        self.table.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("时间"), self.tr("调解室"), self.tr("调解员")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.bookChosen())
        self.book_button = QPushButton(self.tr("预约所选时段"), self)
        self.book_button.setObjectName("freeBook")
        self.book_button.clicked.connect(self.bookChosen)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.reject)
        self.message = QLabel(self)
        self.message.setObjectName("freeMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("时长"), self.length)
        form.addRow(self.tr("调解员专长"), self.speciality)
        form.addRow(self.tr("调解室"), self.room)
        form.addRow(self.tr("范围"), self.period)
        form.addRow(self.tr("案件"), self.case)
        buttons = QHBoxLayout()
        buttons.addWidget(find)
        buttons.addStretch(1)
        buttons.addWidget(self.book_button)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)
        box.addLayout(buttons)
        self.resize(640, 480)

    def _case_chosen(self) -> None:
        case_id = self.case.currentData()
        if case_id is None:
            return
        index = self.speciality.findData(self._categories.get(case_id, ""))
        if index > 0:
            self.speciality.setCurrentIndex(index)

    def search_window(self) -> tuple[dt.datetime, dt.datetime]:
        days: int = self.period.currentData()
        first = self.day - dt.timedelta(days=self.day.weekday()) if days == 7 else self.day
        start = dt.datetime.combine(first, dt.time(0), LOCAL_TZ)
        return start, start + dt.timedelta(days=days)

    def search(self) -> None:
        start, end = self.search_window()
        room = self.room.currentData()
        svc, actor, minutes = self._ctx.mediation, self._actor, self.length.value()
        speciality: str = self.speciality.currentData()
        rooms = [room] if room is not None else []

        def work() -> list[FreeSlot]:
            found = find_free(
                svc,
                actor,
                minutes,
                start=start,
                end=end,
                speciality=speciality,
                room_ids=rooms,
                limit=SHOWN * 8,
            )
            return distinct(found)[:SHOWN]

        self.message.setText(self.tr("正在查找…"))
        self._slot_reads.run(work, self._found, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc) if isinstance(exc, DomainError) else str(exc))

    def _found(self, slots: list[FreeSlot]) -> None:
        self.slots = slots
        self.table.setRowCount(len(slots))
        for row, slot in enumerate(slots):
            start, end = to_local(slot.starts_at), to_local(slot.ends_at)
            for column, text in enumerate(
                (
                    f"{start:%Y-%m-%d}",
                    f"{start:%H:%M}–{end:%H:%M}",
                    slot.room_name,
                    slot.mediator_name,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if slots:
            self.table.selectRow(0)
            self.message.setText(self.tr("找到 {0} 个空闲时段，选一个预约").format(len(slots)))
        else:
            self.message.setText(self.tr("这段时间内没有符合条件的空闲时段"))
        self.found.emit()

    def bookChosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.slots):
            self.message.setText(self.tr("请先查找并选择一个时段"))
            return
        slot = self.slots[rows[0].row()]
        draft = SessionDraft(
            slot.room_id,
            slot.starts_at,
            slot.ends_at,
            [slot.mediator_id],
            self.case.currentData(),
        )
        try:
            result = with_confirmation(
                self, functools.partial(self._ctx.mediation.book, self._actor, draft)
            )
        except DomainError as exc:
            self.message.setText(error_text(exc))  # taken meanwhile at another desk: named
            return
        if result is None:
            return
        self.booked.emit(result.session_id)
        self.accept()
