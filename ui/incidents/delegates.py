"""Painted cells of the queue table: the risk colour as a chip and the deadline as a
countdown (剩 3小时 / 超期 2天, red when overdue). Both read the row from RowRole, so they
draw the same data the model holds and never query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from centre_app.incidents.queries import QueueRow
from ui.incidents.queue_model import COLOUR_TEXT, COLOURS, OVERDUE, RowRole

Index = QModelIndex | QPersistentModelIndex
CHIP_WIDTH = 52  # room for a chip wider than it is tall


def _span(seconds: float) -> str:
    hours = int(abs(seconds) // 3600)
    if hours >= 24:
        return QCoreApplication.translate("Countdown", "{0}天").format(hours // 24)
    if hours >= 1:
        return QCoreApplication.translate("Countdown", "{0}小时").format(hours)
    return QCoreApplication.translate("Countdown", "{0}分钟").format(int(abs(seconds) // 60))


def deadline_text(deadline: dt.datetime | None, now: dt.datetime) -> tuple[str, bool]:
    """The countdown text and whether the case is overdue; ("", False) without a deadline."""
    if deadline is None:
        return "", False
    left = (deadline - now).total_seconds()
    if left < 0:
        return QCoreApplication.translate("Countdown", "超期 {0}").format(_span(left)), True
    return QCoreApplication.translate("Countdown", "剩 {0}").format(_span(left)), False


class ColourChipDelegate(QStyledItemDelegate):
    """A rounded chip in the risk colour with 红/黄/绿 on it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(RowRole)
        if not isinstance(row, QueueRow):
            super().paint(painter, option, index)
            return
        rect = option.rect
        self._background(painter, option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(rect.height() - 6, 28)
        width = min(side * 2, rect.width() - 4)
        chip = QRectF(rect.center().x() - width / 2, rect.center().y() - side / 2, width, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(COLOURS[row.colour])
        painter.drawRoundedRect(chip, side / 2, side / 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, COLOUR_TEXT[row.colour])
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), CHIP_WIDTH), hint.height())

    @staticmethod
    def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
        # Selection highlight stays visible around the chip.
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.brush(QPalette.ColorRole.Highlight))


class DeadlineDelegate(QStyledItemDelegate):
    """The time left until the deadline, in red and bold once overdue."""

    def __init__(self, now: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        row = index.data(RowRole)
        if not isinstance(row, QueueRow):
            return
        text, overdue = deadline_text(row.deadline, self._now())
        option.text = text
        if overdue:
            option.palette.setColor(QPalette.ColorRole.Text, OVERDUE)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#fecaca"))
            option.font.setBold(True)
