"""A lazy table over one incident queue: rowCount is the queue's count, and rows are read
in fixed windows by row number when the view asks for them, so scrolling to the last row
reads the last window only, never the rows in between.

A window is fetched by seeking from a cached neighbour's first or last row (keyset, an
index seek however deep), the last window from the end of the queue; only a jump far from
any cached window falls back to OFFSET. The cache holds the most recently used windows.

A search that may match many rows (its bound from the bigram index is large) shows its first
window at once and is counted on a pool thread: counting 100,000 matches takes longer than
the search itself. The rows arrive with the count (rowsInserted, totalChanged)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from centre_app.clock import to_local
from centre_app.incidents.queries import QueueFilter, QueueRow, SortKey
from centre_app.incidents.workflow import STATE_LABELS
from db.models.incidents import RiskColour
from ui.incidents.labels import state_text
from ui.pool_task import NewestRead
from ui.rows_model import Index, RowsModel

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

log = logging.getLogger(__name__)

WINDOW = 200
COUNT_LATER_ABOVE = 20_000  # a search whose bound is larger is counted on a pool thread
MAX_WINDOWS = 40  # 8,000 rows cached at most (a few MB), whatever the queue's size
# The columns a duty officer works by come first (colour, case number, title, place,
# time left), so they fit a 1920×1080 screen beside the queues and the detail.
(
    COL_COLOUR,
    COL_CASE_NO,
    COL_TITLE,
    COL_PLACE,
    COL_DEADLINE,
    COL_STATE,
    COL_CATEGORY,
    COL_GRID,
    COL_DEPARTMENT,
    COL_REPORTED,
) = range(10)
HEADERS = (
    str(QT_TRANSLATE_NOOP("QueueModel", "风险")),
    str(QT_TRANSLATE_NOOP("QueueModel", "案件编号")),
    str(QT_TRANSLATE_NOOP("QueueModel", "标题")),
    str(QT_TRANSLATE_NOOP("QueueModel", "地点")),
    str(QT_TRANSLATE_NOOP("QueueModel", "剩余时限")),
    str(QT_TRANSLATE_NOOP("QueueModel", "状态")),
    str(QT_TRANSLATE_NOOP("QueueModel", "类别")),
    str(QT_TRANSLATE_NOOP("QueueModel", "网格")),
    str(QT_TRANSLATE_NOOP("QueueModel", "承办部门")),
    str(QT_TRANSLATE_NOOP("QueueModel", "上报时间")),
)


class _ColourText(Mapping[RiskColour, str]):
    """The colour chips' words (红/黄/绿), translated when read (context "RiskColour"), so
    a table built before the translator was installed still shows the interface's words."""

    _SOURCE: ClassVar[dict[RiskColour, str]] = {
        RiskColour.RED: str(QT_TRANSLATE_NOOP("RiskColour", "红")),
        RiskColour.YELLOW: str(QT_TRANSLATE_NOOP("RiskColour", "黄")),
        RiskColour.GREEN: str(QT_TRANSLATE_NOOP("RiskColour", "绿")),
    }

    def __getitem__(self, colour: RiskColour) -> str:
        return QCoreApplication.translate("RiskColour", self._SOURCE[colour])

    def __iter__(self) -> Iterator[RiskColour]:
        return iter(self._SOURCE)

    def __len__(self) -> int:
        return len(self._SOURCE)


COLOUR_TEXT = _ColourText()
COLOURS = {
    RiskColour.RED: QColor("#dc2626"),
    RiskColour.YELLOW: QColor("#eab308"),
    RiskColour.GREEN: QColor("#16a34a"),
}
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
    totalChanged = Signal(int)  # the count, or the rows shown while `counting`

    def __init__(self, ctx: AppContext, actor: Actor) -> None:
        super().__init__()
        self._ctx = ctx
        self._actor = actor
        self._state_text = {state: state_text(state) for state in STATE_LABELS}  # per cell
        self._filter = QueueFilter()
        self._total = 0
        self._plan_total = 0  # the count, or the search's bound while counting: picks plans
        self._count_reads = NewestRead(self)  # a count for another filter is dropped
        self._windows: OrderedDict[int, list[QueueRow]] = OrderedDict()
        self.queries_run = 0  # window queries since the last reset (tests, benchmark)

    def setFilter(self, flt: QueueFilter, *, recount: bool = True) -> None:
        """Show the queue `flt` selects. A new sort of the same rows keeps the count (or
        the count under way) unless `recount` (the rows themselves may have changed)."""
        queries = self._ctx.incident_queries
        later, new_count = self.counting, False
        if not (self._filter.same_rows(flt) and not recount and self._windows):
            self._count_reads.cancel()
            bound = queries.search_bound(self._actor, flt)
            later = new_count = bound is not None and bound > COUNT_LATER_ABOVE
            self._plan_total = (
                bound if later and bound is not None else queries.count(self._actor, flt)
            )
        first = queries.window(self._actor, flt, limit=WINDOW, total=self._plan_total)
        if later and len(first) < WINDOW:  # all of it is on screen: that is the count
            later, self._plan_total = False, len(first)
            self._count_reads.cancel()
        self.beginResetModel()
        self._filter = flt
        self._total = len(first) if later else self._plan_total
        self._windows.clear()
        self._windows[0] = first
        self.queries_run = 1
        self.endResetModel()
        if later and new_count:
            self._count_later(flt)
        self.totalChanged.emit(self._total)

    @property
    def counting(self) -> bool:
        """Whether the search's count is still being read (its rows are shown meanwhile)."""
        return self._count_reads.pending

    def _count_later(self, flt: QueueFilter) -> None:
        self._count_reads.run(
            partial(self._ctx.incident_queries.count, self._actor, flt),
            self._counted,
            lambda _exc: self._counted(None),
        )

    def _counted(self, count: int | None) -> None:
        if count is None:  # the count failed: the first rows stay, no more
            self.totalChanged.emit(self._total)
            return
        self._plan_total = count
        if count > self._total:
            self.beginInsertRows(QModelIndex(), self._total, count - 1)
            self._total = count
            self.endInsertRows()
        elif count < self._total:  # rows went away under us (another officer): read again
            self.refresh()
            return
        self.totalChanged.emit(self._total)

    def refresh(self) -> None:
        self.setFilter(self._filter)

    def sortBy(self, key: SortKey, descending: bool = False) -> None:
        """Re-sort the same rows: one window query, the count is kept."""
        self.setFilter(replace(self._filter, sort=key, descending=descending), recount=False)

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    @property
    def rows_loaded(self) -> int:
        return sum(len(rows) for rows in self._windows.values())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def row_at(self, row: int) -> QueueRow:
        rows = self._window(row // WINDOW)
        # A window shorter than the count says: the queue changed under us (another duty
        # officer); show the nearest row now and re-read the queue once the view is idle.
        return rows[min(row % WINDOW, len(rows) - 1)] if rows else self._missing()

    def row_of(self, incident_id: str) -> int | None:
        """The row of an incident among the windows already read (None: not read)."""
        for number, rows in self._windows.items():
            for offset, row in enumerate(rows):
                if row.id == incident_id:
                    return number * WINDOW + offset
        return None

    def _missing(self) -> QueueRow:
        QTimer.singleShot(0, self.refresh)
        for rows in self._windows.values():
            if rows:
                return rows[0]
        raise IndexError("the queue is empty")

    def _window(self, number: int) -> list[QueueRow]:
        rows = self._windows.get(number)
        if rows is not None:
            self._windows.move_to_end(number)
            return rows
        began = time.perf_counter()
        rows = self._fetch(number)
        log.debug(
            "window %d of %s: %.1f ms", number, self._filter, (time.perf_counter() - began) * 1000
        )
        self._windows[number] = rows
        while len(self._windows) > MAX_WINDOWS:
            self._windows.popitem(last=False)
        if len(rows) < min(WINDOW, self._total - number * WINDOW):
            QTimer.singleShot(0, self.refresh)
        return rows

    def _fetch(self, number: int) -> list[QueueRow]:
        queries, flt, actor = self._ctx.incident_queries, self._filter, self._actor
        self.queries_run += 1
        plan = self._plan_total
        size = min(WINDOW, self._total - number * WINDOW)
        previous, following = self._windows.get(number - 1), self._windows.get(number + 1)
        if previous:
            return queries.window(actor, flt, limit=size, after=previous[-1].position, total=plan)
        if following:
            return queries.window(actor, flt, limit=size, before=following[0].position, total=plan)
        from_end = self._total - number * WINDOW - size  # rows after this window
        if from_end < number * WINDOW:  # nearer the end: read backwards from there
            return queries.window(
                actor, flt, limit=size, from_end=True, offset=from_end, total=plan
            )
        return queries.window(actor, flt, limit=size, offset=number * WINDOW, total=plan)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._total:
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            now = self._ctx.clock.now()
            return (
                COLOUR_TEXT[row.colour],
                row.case_no,
                row.title,
                row.place,
                countdown(row.deadline, now),
                self._state_text[row.state],
                row.category,
                row.grid,
                row.department,
                to_local(row.reported_at).strftime("%m-%d %H:%M"),
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return QBrush(COLOURS[row.colour])
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 0:
                return QBrush(QColor("#ffffff"))
            if column == COL_DEADLINE and row.deadline and row.deadline < self._ctx.clock.now():
                return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignCenter
        return None
