"""A lazy table over one incident queue: counts with one query, fetches windows of rows as
the view scrolls (canFetchMore/fetchMore), never the whole queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from centre_app.clock import to_local
from centre_app.incidents.queries import QueueFilter, QueueRow
from centre_app.incidents.workflow import STATE_LABELS
from db.models.incidents import RiskColour
from ui.rows_model import Index, RowsModel

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

WINDOW = 200
HEADERS = (
    str(QT_TRANSLATE_NOOP("QueueModel", "风险")),
    str(QT_TRANSLATE_NOOP("QueueModel", "案件编号")),
    str(QT_TRANSLATE_NOOP("QueueModel", "状态")),
    str(QT_TRANSLATE_NOOP("QueueModel", "类别")),
    str(QT_TRANSLATE_NOOP("QueueModel", "标题")),
    str(QT_TRANSLATE_NOOP("QueueModel", "网格")),
    str(QT_TRANSLATE_NOOP("QueueModel", "承办部门")),
    str(QT_TRANSLATE_NOOP("QueueModel", "上报时间")),
    str(QT_TRANSLATE_NOOP("QueueModel", "剩余时限")),
)
COLOUR_TEXT = {RiskColour.RED: "红", RiskColour.YELLOW: "黄", RiskColour.GREEN: "绿"}
COLOURS = {RiskColour.RED: QColor("#dc2626"), RiskColour.YELLOW: QColor("#eab308"),
           RiskColour.GREEN: QColor("#16a34a")}
OVERDUE = QColor("#b91c1c")
RowRole = Qt.ItemDataRole.UserRole + 1


def countdown(deadline: dt.datetime | None, now: dt.datetime) -> str:
    if deadline is None:
        return ""
    left = deadline - now
    hours = int(abs(left).total_seconds() // 3600)
    text = f"{hours // 24}天{hours % 24}小时" if hours >= 24 else f"{hours}小时"
    return ("超期 " + text) if left.total_seconds() < 0 else text


class QueueModel(RowsModel[QueueRow]):
    CONTEXT = "QueueModel"
    HEADERS = HEADERS

    def __init__(self, ctx: AppContext, actor: Actor) -> None:
        super().__init__()
        self._ctx = ctx
        self._actor = actor
        self._filter = QueueFilter()
        self._total = 0

    def setFilter(self, flt: QueueFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._total = self._ctx.incident_queries.count(self._actor, flt)
        self._rows = self._ctx.incident_queries.rows(self._actor, flt, offset=0, limit=WINDOW)
        self.endResetModel()

    def refresh(self) -> None:
        self.setFilter(self._filter)

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        more = self._ctx.incident_queries.rows(self._actor, self._filter,
                                               offset=len(self._rows), limit=WINDOW)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            now = self._ctx.clock.now()
            return (COLOUR_TEXT[row.colour], row.case_no, STATE_LABELS[row.state], row.category,
                    row.title, row.grid, row.department,
                    to_local(row.reported_at).strftime("%m-%d %H:%M"),
                    countdown(row.deadline, now))[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return QBrush(COLOURS[row.colour])
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 0:
                return QBrush(QColor("#ffffff"))
            if column == 8 and row.deadline and row.deadline < self._ctx.clock.now():
                return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignCenter
        return None
