"""Table models of the petition screen: the petitions (all, due soon, overdue) and the
deadlines of one petition, each with its article of the 信访工作条例."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from centre_app.reception.petitions import (
    CHANNEL_LABELS,
    DUE_SOON_DAYS,
    STATE_LABELS,
    TIME_LIMITS,
    Deadline,
    PetitionRow,
)
from ui.messages import translate_template
from ui.rows_model import Index, RowsModel

OVERDUE_COLOUR = QColor("#b91c1c")  # the red of a red-risk incident
DUE_SOON_COLOUR = QColor("#b45309")  # amber
WINDOW = 200
Fetch = Callable[[tuple[dt.date, str] | None], list[PetitionRow]]


def days_left_text(days: int | None) -> str:
    """'剩 3 天', '今天到期', '超期 2 天' or '' when no limit runs."""
    if days is None:
        return ""
    if days > 0:
        return QCoreApplication.translate("Petitions", "剩 {0} 天").format(days)
    if days == 0:
        return QCoreApplication.translate("Petitions", "今天到期")
    return QCoreApplication.translate("Petitions", "超期 {0} 天").format(-days)


def urgency_brush(days: int | None) -> QBrush | None:
    if days is None:
        return None
    if days < 0:
        return QBrush(OVERDUE_COLOUR)
    if days <= DUE_SOON_DAYS:
        return QBrush(DUE_SOON_COLOUR)
    return None


class PetitionsModel(RowsModel[PetitionRow]):
    """The list shown; `reload` replaces it, and for the list of all petitions further
    windows are fetched as the view scrolls (keyset on received date and number)."""

    CONTEXT = "Petitions"
    HEADERS: ClassVar[tuple[str, ...]] = (
        str(QT_TRANSLATE_NOOP("Petitions", "编号")),
        str(QT_TRANSLATE_NOOP("Petitions", "信访人")),
        str(QT_TRANSLATE_NOOP("Petitions", "身份证号")),
        str(QT_TRANSLATE_NOOP("Petitions", "渠道")),
        str(QT_TRANSLATE_NOOP("Petitions", "状态")),
        str(QT_TRANSLATE_NOOP("Petitions", "收到日期")),
        str(QT_TRANSLATE_NOOP("Petitions", "当前期限")),
        str(QT_TRANSLATE_NOOP("Petitions", "届满日")),
        str(QT_TRANSLATE_NOOP("Petitions", "剩余")),
    )

    def __init__(self) -> None:
        super().__init__()
        self._fetch: Fetch | None = None
        self._more = False

    def reload(self, rows: list[PetitionRow], fetch: Fetch | None = None) -> None:
        """Show `rows`; with `fetch`, more windows follow on scrolling."""
        self.beginResetModel()
        self._rows = rows
        self._fetch = fetch
        self._more = fetch is not None and len(rows) == WINDOW
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self._fetch is None or not self._rows:
            return
        last = self._rows[-1]
        more = self._fetch((last.received_on, last.number))
        self._more = len(more) == WINDOW
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def row_of(self, petition_id: object) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == petition_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            running = row.running
            return (
                row.number,
                row.petitioner_name,
                row.id_number,
                translate_template(CHANNEL_LABELS[row.channel]),
                translate_template(STATE_LABELS[row.state]),
                row.received_on.isoformat(),
                translate_template(TIME_LIMITS[running.limit].label) if running else "",
                running.due_on.isoformat() if running else "",
                days_left_text(row.days_left),
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return urgency_brush(row.days_left)
        return None


class DeadlinesModel(RowsModel[Deadline]):
    """One petition's limits in procedure order: what, which article, from, due, met."""

    CONTEXT = "Petitions"
    HEADERS: ClassVar[tuple[str, ...]] = (
        str(QT_TRANSLATE_NOOP("Petitions", "期限")),
        str(QT_TRANSLATE_NOOP("Petitions", "依据")),
        str(QT_TRANSLATE_NOOP("Petitions", "天数")),
        str(QT_TRANSLATE_NOOP("Petitions", "起算日")),
        str(QT_TRANSLATE_NOOP("Petitions", "届满日")),
        str(QT_TRANSLATE_NOOP("Petitions", "完成日")),
        str(QT_TRANSLATE_NOOP("Petitions", "剩余")),
    )

    def __init__(self) -> None:
        super().__init__()
        self._today = dt.date.today()
        self._running: Deadline | None = None

    def setRows(self, rows: list[Deadline], today: dt.date, running: Deadline | None) -> None:
        self.beginResetModel()
        self._rows, self._today, self._running = rows, today, running
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        deadline = self._rows[index.row()]
        rule = TIME_LIMITS[deadline.limit]
        days = deadline.days_left(self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            if deadline.met_on is not None:
                left = (
                    QCoreApplication.translate("Petitions", "按期")
                    if days >= 0
                    else QCoreApplication.translate("Petitions", "逾期 {0} 天").format(-days)
                )
            elif rule.binds_petitioner:
                left = QCoreApplication.translate("Petitions", "信访人可提出至届满日")
            else:
                left = days_left_text(days)
            return (
                translate_template(rule.label),
                translate_template(deadline.article),
                str(deadline.days),
                deadline.started_on.isoformat(),
                QCoreApplication.translate("Petitions", "{0}（节假日顺延）").format(
                    deadline.due_on.isoformat()
                )
                if deadline.moved
                else deadline.due_on.isoformat(),
                deadline.met_on.isoformat() if deadline.met_on else "",
                left,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and deadline == self._running:
            return urgency_brush(days)
        if role == Qt.ItemDataRole.ToolTipRole and deadline.moved and index.column() == 4:
            return QCoreApplication.translate(
                "Petitions",
                "第 {0} 天 {1} 是休息日或法定节假日，期限顺延到其后的第一个工作日"
                "（《民法典》第二百零三条）",
            ).format(
                deadline.days, (deadline.started_on + dt.timedelta(days=deadline.days)).isoformat()
            )
        return None
