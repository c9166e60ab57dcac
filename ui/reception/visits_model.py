"""Table model over the visit rows the VisitService returns (already masked as needed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from centre_app.clock import to_local
from centre_app.reception.visits import PURPOSE_LABELS, VisitRow
from ui.messages import translate_template
from ui.rows_model import Index, RowsModel

HEADERS = (
    str(QT_TRANSLATE_NOOP("VisitsModel", "号码")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "来访时间")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "姓名")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "身份证号")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "事由")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "人数")),
    str(QT_TRANSLATE_NOOP("VisitsModel", "分流去向")),
)
GROUP_VISIT_COLOUR = QColor("#b91c1c")  # the same red as a red-risk incident


class VisitsModel(RowsModel[VisitRow]):
    CONTEXT = "VisitsModel"
    HEADERS = HEADERS

    def setRows(self, rows: list[VisitRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        visit = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                visit.ticket_no,
                to_local(visit.visited_at).strftime("%Y-%m-%d %H:%M"),
                visit.visitor_name,
                visit.id_number,
                translate_template(PURPOSE_LABELS[visit.purpose]),
                QCoreApplication.translate("VisitsModel", "{0} 人（集体访）").format(
                    visit.group_size
                )
                if visit.is_group_visit
                else str(visit.group_size),
                visit.routed_to,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and visit.is_group_visit:
            return QBrush(GROUP_VISIT_COLOUR)
        return None
