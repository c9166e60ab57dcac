"""调解室管理: the centre head edits a room (kind, capacity, equipment, buffers before and
after, opening hours per weekday), takes it out of use and closes it for some days. Each
button is one service call (`MediationAdmin`); a refusal is shown in words under the form."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.mediation.admin import MediationAdmin, RoomDraft
from centre_app.mediation.rules import DEFAULT_HOURS, WEEKDAY_NAMES
from ui.messages import translate_template
from ui.status_message import clear_when_edited, show_error, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

ROOM_KINDS = ("法律援助", "专家咨询", "心理咨询", "劳动争议", "医疗纠纷", "国土住建", "品牌调解室")


def _qdate(day: object) -> QDate:
    return QDate(day.year, day.month, day.day)  # type: ignore[attr-defined]


class RoomsDialog(QDialog):
    """The rooms on the left, the chosen room's form and closures on the right."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomsDialog")
        self.setWindowTitle(self.tr("调解室管理"))
        self._ctx, self._actor = ctx, actor
        self._admin = MediationAdmin(ctx.mediation)
        self.room_id: uuid.UUID | None = None

        self.rooms = QListWidget(self)
        self.rooms.setObjectName("roomList")
        self.rooms.currentItemChanged.connect(self._chosen)
        new = QPushButton(self.tr("新建调解室"), self)
        new.setObjectName("newRoom")
        new.clicked.connect(self.newRoom)
        left = QVBoxLayout()
        left.addWidget(self.rooms, 1)
        left.addWidget(new)

        self.name = QLineEdit(self)
        self.name.setObjectName("roomName")
        self.kind = QComboBox(self)
        self.kind.setObjectName("roomKind")
        self.kind.setEditable(True)
        self.kind.addItems(ROOM_KINDS)
        self.capacity = QLineEdit(self)
        self.capacity.setObjectName("roomCapacity")
        self.location = QLineEdit(self)
        self.location.setObjectName("roomLocation")
        self.equipment = QLineEdit(self)
        self.equipment.setObjectName("roomEquipment")
        self.equipment.setPlaceholderText(self.tr("例如：录音录像、投影、圆桌"))
        self.before = QLineEdit(self)
        self.before.setObjectName("roomBufferBefore")
        self.after = QLineEdit(self)
        self.after.setObjectName("roomBufferAfter")
        form = QFormLayout()
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("容纳人数"), self.capacity)
        form.addRow(self.tr("位置"), self.location)
        form.addRow(self.tr("设备"), self.equipment)
        form.addRow(self.tr("开始前预留（分钟）"), self.before)
        form.addRow(self.tr("结束后预留（分钟）"), self.after)

        hours_box = QGroupBox(self.tr("开放时间（法定节假日不开放，调休上班日按周一）"), self)
        grid = QGridLayout(hours_box)
        self.default_hours = QCheckBox(self.tr("使用中心默认时间（周一至周五 08:30–17:30）"))
        self.default_hours.setObjectName("defaultHours")
        self.default_hours.toggled.connect(self._hours_enabled)
        grid.addWidget(self.default_hours, 0, 0, 1, 3)
        self.day_open: list[QCheckBox] = []
        self.opens: list[QLineEdit] = []
        self.closes: list[QLineEdit] = []
        for i, label in enumerate(WEEKDAY_NAMES):
            check = QCheckBox(translate_template(label), hours_box)
            check.setObjectName(f"open_{i + 1}")
            opens, closes = QLineEdit(hours_box), QLineEdit(hours_box)
            opens.setObjectName(f"opens_{i + 1}")
            closes.setObjectName(f"closes_{i + 1}")
            opens.setPlaceholderText("08:30")
            closes.setPlaceholderText("17:30")
            for edit in (opens, closes):
                edit.setMaximumWidth(80)
            grid.addWidget(check, i + 1, 0)
            grid.addWidget(opens, i + 1, 1)
            grid.addWidget(closes, i + 1, 2)
            self.day_open.append(check)
            self.opens.append(opens)
            self.closes.append(closes)

        self.save = QPushButton(self.tr("保存"), self)
        self.save.setObjectName("saveRoom")
        self.save.clicked.connect(self.saveRoom)
        self.toggle = QPushButton(self.tr("停用"), self)
        self.toggle.setObjectName("toggleRoom")
        self.toggle.clicked.connect(self.toggleActive)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.toggle)
        buttons.addStretch(1)

        closures_box = QGroupBox(self.tr("暂停使用"), self)
        self.closures = QListWidget(closures_box)
        self.closures.setObjectName("closureList")
        self.first_day, self.last_day = QDateEdit(closures_box), QDateEdit(closures_box)
        today = _qdate(to_local(ctx.clock.now()).date())
        for day_edit, name in ((self.first_day, "closureFirst"), (self.last_day, "closureLast")):
            day_edit.setCalendarPopup(True)
            day_edit.setDisplayFormat("yyyy-MM-dd")
            day_edit.setDate(today)
            day_edit.setObjectName(name)
        self.reason = QLineEdit(closures_box)
        self.reason.setObjectName("closureReason")
        self.reason.setPlaceholderText(self.tr("原因，例如：装修"))
        self.whole_centre = QCheckBox(self.tr("整个中心"), closures_box)
        self.whole_centre.setObjectName("closureWholeCentre")
        add = QPushButton(self.tr("登记暂停"), closures_box)
        add.setObjectName("addClosure")
        add.clicked.connect(self.addClosure)
        remove = QPushButton(self.tr("撤销所选"), closures_box)
        remove.setObjectName("removeClosure")
        remove.clicked.connect(self.removeClosure)
        row = QHBoxLayout()
        for w in (self.first_day, QLabel("–"), self.last_day, self.reason, self.whole_centre):
            row.addWidget(w)
        row2 = QHBoxLayout()
        row2.addWidget(add)
        row2.addWidget(remove)
        row2.addStretch(1)
        box = QVBoxLayout(closures_box)
        box.addWidget(self.closures)
        box.addLayout(row)
        box.addLayout(row2)

        self.message = QLabel(self)
        self.message.setObjectName("roomsMessage")
        self.message.setWordWrap(True)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(hours_box)
        right.addLayout(buttons)
        right.addWidget(closures_box)
        right.addWidget(self.message)
        right.addStretch(1)
        # The room's form scrolls: with the week's hours and the closures it was 808 px tall,
        # past a 768 px screen, where 新建调解室 and 添加停用 could not be reached.
        panel = QWidget(self)
        panel.setLayout(right)
        scroll = QScrollArea(self)
        scroll.setObjectName("roomForm")
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(
            panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(scroll, 2)
        clear_when_edited(self.message, self.name, self.capacity, self.before, self.after)
        self.reload()

    # --- reading ------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        keep = select or self.room_id
        self.rooms.blockSignals(True)
        self.rooms.clear()
        for room in self._admin.all_rooms():
            text = room.name if room.active else self.tr("{0}（停用）").format(room.name)
            item = QListWidgetItem(text, self.rooms)
            item.setData(Qt.ItemDataRole.UserRole, room)
            if room.id == keep:
                self.rooms.setCurrentItem(item)
        self.rooms.blockSignals(False)
        current = self.rooms.currentItem()
        if current is None and self.rooms.count():
            self.rooms.setCurrentRow(0)
        else:
            self._chosen(current)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        room = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if room is None:
            return
        self.room_id = room.id
        self.name.setText(room.name)
        self.kind.setCurrentText(room.kind)
        self.capacity.setText(str(room.capacity))
        self.location.setText(room.location or "")
        self.equipment.setText(room.equipment)
        self.before.setText(str(room.buffer_before_minutes))
        self.after.setText(str(room.buffer_minutes))
        self.toggle.setText(self.tr("停用") if room.active else self.tr("启用"))
        self.toggle.setEnabled(True)
        self._show_hours(room.opening_hours)
        self._show_closures()

    def _show_hours(self, hours: dict[str, list[str]] | None) -> None:
        self.default_hours.setChecked(hours is None)
        shown = DEFAULT_HOURS if hours is None else hours
        for i in range(7):
            span = shown.get(str(i + 1))
            self.day_open[i].setChecked(bool(span))
            self.opens[i].setText(span[0] if span else "")
            self.closes[i].setText(span[1] if span else "")
        self._hours_enabled(hours is None)

    def _hours_enabled(self, default: bool) -> None:
        for widgets in (self.day_open, self.opens, self.closes):
            for w in widgets:
                w.setEnabled(not default)

    def _show_closures(self) -> None:
        self.closures.clear()
        for c in self._admin.closures(self.room_id):
            where = self.tr("整个中心") if c.room_id is None else ""
            item = QListWidgetItem(f"{c.first_day} – {c.last_day}  {c.reason}  {where}".strip())
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.closures.addItem(item)

    # --- actions ------------------------------------------------------------------------

    def newRoom(self) -> None:
        self.rooms.clearSelection()
        self.room_id = None
        for edit in (self.name, self.capacity, self.location, self.equipment):
            edit.clear()
        self.before.setText("0")
        self.after.setText("10")
        self.toggle.setEnabled(False)
        self._show_hours(None)
        self.closures.clear()
        self.name.setFocus()

    def draft(self) -> RoomDraft:
        hours = None
        if not self.default_hours.isChecked():
            hours = {
                str(i + 1): [self.opens[i].text(), self.closes[i].text()]
                for i in range(7)
                if self.day_open[i].isChecked()
            }
        return RoomDraft(
            self.name.text(),
            self.kind.currentText(),
            self.capacity.text(),
            self.equipment.text(),
            self.location.text(),
            self.before.text(),
            self.after.text(),
            hours,
        )

    def saveRoom(self) -> None:
        try:
            saved = self._admin.save_room(self._actor, self.draft(), self.room_id)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload(saved)
        done = self.tr("已保存调解室 {0}").format(self.name.text().strip())
        outside = self._admin.ahead_outside_hours(room_id=saved)
        if outside:  # bookings are never moved by new hours: say which to look at
            show_error(
                self.message,
                done + self.tr("。这些调解已不在新的时间内，请改期：{0}").format(outside),
            )
        else:
            show_success(self.message, done)

    def toggleActive(self) -> None:
        item = self.rooms.currentItem()
        if item is None or self.room_id is None:
            return
        room = item.data(Qt.ItemDataRole.UserRole)
        try:
            self._admin.set_room_active(self._actor, room.id, not room.active)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload(room.id)
        show_success(
            self.message,
            (self.tr("已启用 {0}") if not room.active else self.tr("已停用 {0}")).format(room.name),
        )

    def addClosure(self) -> None:
        first = self.first_day.date().toPython()
        last = self.last_day.date().toPython()
        room = None if self.whole_centre.isChecked() else self.room_id
        try:
            self._admin.add_closure(self._actor, first, last, self.reason.text(), room)  # type: ignore[arg-type]
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reason.clear()
        self._show_closures()
        show_success(self.message, self.tr("已登记暂停使用 {0} – {1}").format(first, last))

    def removeClosure(self) -> None:
        item = self.closures.currentItem()
        if item is None:
            show_error(self.message, self.tr("请先在列表中选择一条暂停记录"))
            return
        try:
            self._admin.remove_closure(self._actor, item.data(Qt.ItemDataRole.UserRole))
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self._show_closures()
        show_success(self.message, self.tr("已撤销暂停使用"))
