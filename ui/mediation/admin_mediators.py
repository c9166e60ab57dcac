"""调解员管理: the centre head edits a mediator (kind, specialities, organisation, phone,
home room, the hours they can sit each weekday) and takes one out of use. A mediator with
sessions ahead is refused with the sessions named; choosing who takes them over hands them
all on in the same step, each checked by the booking rules."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.mediation.admin import (
    MEDIATOR_KIND_LABELS,
    MediationAdmin,
    MediatorDraft,
    parse_spans,
)
from centre_app.mediation.rules import WEEKDAY_NAMES
from db.models.mediation_ref import Mediator, MediatorKind
from ui.mediation.combo import index_of
from ui.messages import translate_template
from ui.status_message import clear_when_edited, show_error, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class MediatorsDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediatorsDialog")
        self.setWindowTitle(self.tr("调解员管理"))
        self._ctx, self._actor = ctx, actor
        self._admin = MediationAdmin(ctx.mediation)
        self.mediator_id: uuid.UUID | None = None

        self.list = QListWidget(self)
        self.list.setObjectName("mediatorList")
        self.list.currentItemChanged.connect(self._chosen)
        new = QPushButton(self.tr("新建调解员"), self)
        new.setObjectName("newMediator")
        new.clicked.connect(self.newMediator)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(new)

        self.name = QLineEdit(self)
        self.name.setObjectName("mediatorName")
        self.kind = QComboBox(self)
        self.kind.setObjectName("mediatorKind")
        for kind, label in MEDIATOR_KIND_LABELS.items():
            self.kind.addItem(translate_template(label), kind)
        self.specialties = QLineEdit(self)
        self.specialties.setObjectName("mediatorSpecialties")
        self.specialties.setPlaceholderText(self.tr("用逗号或顿号分开，例如：劳资纠纷、合同纠纷"))
        self.organisation = QLineEdit(self)
        self.organisation.setObjectName("mediatorOrganisation")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("mediatorPhone")
        self.home = QComboBox(self)
        self.home.setObjectName("mediatorHomeRoom")
        form = QFormLayout()
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("类别"), self.kind)
        form.addRow(self.tr("擅长领域"), self.specialties)
        form.addRow(self.tr("所在单位"), self.organisation)
        form.addRow(self.tr("电话"), self.phone)
        form.addRow(self.tr("常驻调解室"), self.home)

        hours_box = QGroupBox(
            self.tr("可约时间（每天可填几段，如 09:00-12:00, 14:00-17:00）"), self
        )
        grid = QGridLayout(hours_box)
        self.any_time = QCheckBox(self.tr("调解室开放时都可约"), hours_box)
        self.any_time.setObjectName("anyTime")
        self.any_time.toggled.connect(self._spans_enabled)
        grid.addWidget(self.any_time, 0, 0, 1, 2)
        self.spans: list[QLineEdit] = []
        for i, label in enumerate(WEEKDAY_NAMES):
            edit = QLineEdit(hours_box)
            edit.setObjectName(f"spans_{i + 1}")
            grid.addWidget(QLabel(translate_template(label), hours_box), i + 1, 0)
            grid.addWidget(edit, i + 1, 1)
            self.spans.append(edit)

        self.save = QPushButton(self.tr("保存"), self)
        self.save.setObjectName("saveMediator")
        self.save.clicked.connect(self.saveMediator)
        self.toggle = QPushButton(self.tr("停用"), self)
        self.toggle.setObjectName("toggleMediator")
        self.toggle.clicked.connect(self.toggleActive)
        self.successor = QComboBox(self)
        self.successor.setObjectName("successor")
        self.handover = QPushButton(self.tr("停用并改派"), self)
        self.handover.setObjectName("handOver")
        self.handover.setToolTip(self.tr("把未开始的调解全部改由所选调解员调解，然后停用"))
        self.handover.clicked.connect(self.handOver)
        buttons = QHBoxLayout()
        for w in (self.save, self.toggle, QLabel(self.tr("改派给"), self), self.successor):
            buttons.addWidget(w)
        buttons.addWidget(self.handover)
        buttons.addStretch(1)

        self.message = QLabel(self)
        self.message.setObjectName("mediatorsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(hours_box)
        right.addLayout(buttons)
        right.addWidget(self.message)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        clear_when_edited(self.message, self.name, self.phone, self.specialties)
        self.reload()

    def reload(self, select: uuid.UUID | None = None) -> None:
        keep = select or self.mediator_id
        mediators = self._admin.all_mediators()
        self.home.clear()
        self.home.addItem(self.tr("（无）"), None)
        for room in self._ctx.mediation.rooms():
            self.home.addItem(room.name, room.id)
        self.list.blockSignals(True)
        self.list.clear()
        for m in mediators:
            text = m.name if m.active else self.tr("{0}（停用）").format(m.name)
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, m)
            if m.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._chosen(self.list.currentItem())

    def _chosen(self, item: QListWidgetItem | None) -> None:
        m: Mediator | None = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if m is None:
            return
        self.mediator_id = m.id
        self.name.setText(m.name)
        self.kind.setCurrentIndex(max(self.kind.findData(m.kind), 0))
        self.specialties.setText("、".join(s for s in m.specialties.split(",") if s))
        self.organisation.setText(m.organisation or "")
        self.phone.setText(m.phone or "")
        self.home.setCurrentIndex(max(index_of(self.home, m.home_room_id), 0))
        self.any_time.setChecked(m.availability is None)
        for i, edit in enumerate(self.spans):
            spans = (m.availability or {}).get(str(i + 1), [])
            edit.setText(", ".join(f"{a}-{b}" for a, b in spans))
        self._spans_enabled(m.availability is None)
        self.toggle.setText(self.tr("停用") if m.active else self.tr("启用"))
        self.toggle.setEnabled(True)
        self.successor.clear()
        for other in self._ctx.mediation.mediators():
            if other.id != m.id:
                self.successor.addItem(other.name, other.id)
        self.handover.setEnabled(m.active)

    def _spans_enabled(self, any_time: bool) -> None:
        for edit in self.spans:
            edit.setEnabled(not any_time)

    def newMediator(self) -> None:
        self.list.clearSelection()
        self.mediator_id = None
        for edit in (self.name, self.specialties, self.organisation, self.phone, *self.spans):
            edit.clear()
        self.kind.setCurrentIndex(0)
        self.home.setCurrentIndex(0)
        self.any_time.setChecked(True)
        self.toggle.setEnabled(False)
        self.handover.setEnabled(False)
        self.name.setFocus()

    def draft(self) -> MediatorDraft:
        availability = None
        if not self.any_time.isChecked():
            availability = {}
            for i, edit in enumerate(self.spans):
                spans = parse_spans(edit.text())
                if spans:
                    availability[str(i + 1)] = spans
        kind: MediatorKind = self.kind.currentData()
        return MediatorDraft(
            self.name.text(),
            kind,
            self.specialties.text(),
            self.organisation.text(),
            self.phone.text(),
            self.home.currentData(),
            availability,
        )

    def saveMediator(self) -> None:
        try:
            saved = self._admin.save_mediator(self._actor, self.draft(), self.mediator_id)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload(saved)
        done = self.tr("已保存调解员 {0}").format(self.name.text().strip())
        outside = self._admin.ahead_outside_hours(mediator_id=saved)
        if outside:  # bookings are never moved by new hours: say which to look at
            show_error(
                self.message,
                done + self.tr("。这些调解已不在新的时间内，请改期：{0}").format(outside),
            )
        else:
            show_success(self.message, done)

    def _current(self) -> Mediator | None:
        item = self.list.currentItem()
        found: Mediator | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        return found

    def toggleActive(self) -> None:
        m = self._current()
        if m is None:
            return
        try:
            self._admin.set_mediator_active(self._actor, m.id, not m.active)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload(m.id)
        show_success(
            self.message,
            (self.tr("已启用 {0}") if not m.active else self.tr("已停用 {0}")).format(m.name),
        )

    def handOver(self) -> None:
        m = self._current()
        successor = self.successor.currentData()
        if m is None or successor is None:
            return
        try:
            moved = self._admin.set_mediator_active(self._actor, m.id, False, reassign_to=successor)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        name = self.successor.currentText()
        self.reload(m.id)
        show_success(
            self.message,
            self.tr("已停用 {0}，{1} 场调解改由 {2} 调解").format(m.name, moved, name),
        )
