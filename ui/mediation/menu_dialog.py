"""调解菜单: the mediators a party picks from (自选制). One card per mediator — a photo
placeholder, kind, specialities, organisation, success rate and the next free slots as
buttons; pressing a slot books the case's session with that mediator in one service call
(`book(..., selection=Selection.MENU)`). The menu is read on the thread pool."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.mediation.free_slots import FreeSlot
from centre_app.mediation.menu import KIND_LABELS, MenuEntry, mediator_menu
from centre_app.mediation.service import SessionDraft
from db.models.mediation import Selection
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

PHOTO = 72  # pixels


def photo_placeholder(name: str, widget: QWidget) -> QPixmap:
    """A round badge with the mediator's surname, in the palette's highlight colour (the
    centre has no photos on file; a real photo would take its place)."""
    pixmap = QPixmap(PHOTO, PHOTO)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(QRectF(1, 1, PHOTO - 2, PHOTO - 2))
    palette = widget.palette()
    painter.fillPath(path, palette.highlight())
    font = QFont(widget.font())
    font.setPixelSize(PHOTO // 2)
    painter.setFont(font)
    painter.setPen(palette.highlightedText().color())
    painter.drawText(QRectF(0, 0, PHOTO, PHOTO), int(Qt.AlignmentFlag.AlignCenter), name[:1])
    painter.end()
    return pixmap


class MediatorMenu(QDialog):
    loaded = Signal()  # the cards are on screen
    booked = Signal(object)  # the new session's id

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        case_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mediatorMenu")
        self.setWindowTitle(self.tr("调解菜单：当事人自选调解员"))
        self._ctx, self._actor, self._case_id = ctx, actor, case_id
        case = ctx.mediation.case(actor, case_id)
        self.entries: list[MenuEntry] = []
        self.slot_buttons: dict[tuple[uuid.UUID, int], QPushButton] = {}
        self._menu_reads = NewestRead(self)  # a menu older than the newest is dropped
        self._error = ""  # a refusal shown until the next menu replaces the cards
        self.heading = QLabel(self.tr("案件：{0}").format(case.title), self)
        self.speciality = QComboBox(self)
        self.speciality.setToolTip(self.tr("专长与案件类别相符的调解员排在前面"))
        self.speciality.addItem(self.tr("不限专长"), "")
        specialities = sorted(
            {s for m in ctx.mediation.mediators() for s in m.specialties.split(",") if s}
        )
        for s in specialities:
            self.speciality.addItem(s, s)
        found = self.speciality.findData(case.category)
        self.speciality.setCurrentIndex(max(found, 0))
        self.length = QComboBox(self)
        self.length.setToolTip(self.tr("调解时长"))
        for minutes in (60, 90, 120):
            self.length.addItem(self.tr("{0} 分钟").format(minutes), minutes)
        self.speciality.currentIndexChanged.connect(self.refresh)
        self.length.currentIndexChanged.connect(self.refresh)
        self.status = QLabel(self)
        self.status.setObjectName("mediationStatus")
        self.status.setWordWrap(True)
        self.cards = QWidget(self)
        self.cards_layout = QVBoxLayout(self.cards)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.speciality)
        bar.addWidget(self.length)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        self.resize(820, 680)
        self.refresh()

    def refresh(self) -> None:
        ctx, actor = self._ctx, self._actor
        speciality, minutes = self.speciality.currentData(), self.length.currentData()
        self.status.setText(self._error or self.tr("正在查找空闲时段…"))
        self._menu_reads.run(
            lambda: mediator_menu(
                ctx.mediation,
                ctx.mediation_stats,
                actor,
                minutes=minutes,
                speciality=speciality,
            ),
            self._show,
            lambda exc: self.status.setText(
                error_text(exc) if isinstance(exc, DomainError) else str(exc)
            ),
        )

    def _show(self, entries: list[MenuEntry]) -> None:
        self.entries = entries
        self.slot_buttons.clear()
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for entry in entries:
            self.cards_layout.addWidget(self._card(entry))
        self.cards_layout.addStretch(1)
        self.status.setText(self._error)
        self._error = ""
        self.loaded.emit()

    def _card(self, entry: MenuEntry) -> QFrame:
        card = QFrame(self.cards)
        card.setObjectName("mediatorCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(card)
        photo = QLabel(card)
        photo.setPixmap(photo_placeholder(entry.name, card))
        photo.setFixedSize(PHOTO, PHOTO)
        grid.addWidget(photo, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        name = QLabel(
            f"<b>{entry.name}</b>  {translate_template(KIND_LABELS[entry.kind])}"
            f"  {entry.organisation}",
            card,
        )
        grid.addWidget(name, 0, 1, 1, 4)
        specialities = "、".join(entry.specialities) or "—"
        if entry.success_rate is None:
            rate = self.tr("近一年尚无案件")
        else:
            rate = self.tr("近一年化解率 {0:.0%}（{1}/{2} 件）").format(
                entry.success_rate, entry.resolved, entry.accepted
            )
        grid.addWidget(
            QLabel(self.tr("专长：{0}").format(specialities) + "   " + rate, card), 1, 1, 1, 4
        )
        if not entry.next_slots:
            grid.addWidget(QLabel(self.tr("两周内没有空闲时段"), card), 2, 1)
        for i, slot in enumerate(entry.next_slots):
            start, end = to_local(slot.starts_at), to_local(slot.ends_at)
            button = QPushButton(f"{start:%m-%d} {start:%H:%M}–{end:%H:%M}\n{slot.room_name}", card)
            button.setToolTip(self.tr("选择 {0}，预约这个时段").format(entry.name))
            button.clicked.connect(lambda _=False, s=slot: self.pick(s))
            self.slot_buttons[(entry.mediator_id, i)] = button
            grid.addWidget(button, 2, 1 + i)
        grid.setColumnStretch(4, 1)
        return card

    def pick(self, slot: FreeSlot) -> None:
        """The party's choice: book the case's session with this mediator (自选制)."""
        try:
            result = self._ctx.mediation.book(
                self._actor,
                SessionDraft(
                    slot.room_id, slot.starts_at, slot.ends_at, [slot.mediator_id], self._case_id
                ),
                selection=Selection.MENU,
            )
        except DomainError as exc:  # taken meanwhile, or the parties are busy then
            self._error = error_text(exc)
            self.refresh()
            return
        self.booked.emit(result.session_id)
        self.accept()
