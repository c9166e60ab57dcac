"""The filter bar above the queue table: every narrowing a duty officer needs (category,
colour, village → grid, channel, state, reported-date range, full-text search, department
for the 按部门 queue) plus the sort chosen on the table's header. It owns the whole
QueueFilter and says so with one signal, `filterChanged`, only when the filter is valid."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import LOCAL_TZ
from centre_app.incidents.categories import CATEGORIES
from centre_app.incidents.choices import CHANNEL_LABELS, Village
from centre_app.incidents.queries import Queue, QueueFilter, SortKey
from centre_app.incidents.workflow import STATE_LABELS
from ui.incidents.labels import channel_text, state_text
from ui.incidents.queue_model import COLOUR_TEXT

MIN_SEARCH = 2  # one Chinese character matches half the queue: not worth a query
SEARCH_DELAY_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the minimum of the date edits, shown as "不限"

# Table column → the sort it stands for; other columns cannot be sorted by SQL indexes.
SORT_COLUMNS = {
    0: SortKey.PRIORITY,
    1: SortKey.CASE_NO,
    9: SortKey.REPORTED,
    4: SortKey.DEADLINE,
}  # see ui.incidents.queue_model COL_*


class FilterBar(QWidget):
    filterChanged = Signal(object)  # QueueFilter

    def __init__(
        self,
        villages: list[Village],
        departments: list[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__(parent)
        # The app's clock in Shanghai (QDate.currentDate() is the machine's zone and the
        # wall clock): the calendar opens on this month.
        self._today = today or (lambda: dt.datetime.now(LOCAL_TZ).date())
        self.setObjectName("filterBar")
        self._queue = Queue.UNTRIAGED
        self._sort = SortKey.PRIORITY
        self._descending = False
        self._current = QueueFilter()
        self._villages = {v.id: v for v in villages}

        self.search = QLineEdit(self)
        self.search.setObjectName("incidentSearch")
        self.search.setPlaceholderText(self.tr("搜索标题、地点、描述或案件编号（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.category = self._combo(
            "filterCategory", self.tr("全部类别"), [(c, c) for c in CATEGORIES]
        )
        self.colour = self._combo(
            "filterColour", self.tr("全部风险"), [(t, c) for c, t in COLOUR_TEXT.items()]
        )
        self.channel = self._combo(
            "filterChannel", self.tr("全部来源"), [(channel_text(c), c) for c in CHANNEL_LABELS]
        )
        self.state = self._combo(
            "filterState", self.tr("全部状态"), [(state_text(s), s) for s in STATE_LABELS]
        )
        self.village = self._combo(
            "filterVillage", self.tr("全部村社"), [(v.name, v.id) for v in villages]
        )
        self.grid = self._combo("filterGrid", self.tr("全部网格"), [])
        self.grid.setEnabled(False)
        self.department = self._combo(
            "filterDepartment", self.tr("未派遣"), [(name, i) for i, name in departments]
        )
        self.department.setToolTip(self.tr("按部门队列：选择承办部门"))
        self.date_from = self._date_edit("filterFrom", self.tr("上报日期起（含）"))
        self.date_to = self._date_edit("filterTo", self.tr("上报日期止（含）"))
        self.clear = QPushButton(self.tr("清除筛选"), self)
        self.clear.setObjectName("clearFilters")
        self.clear.setToolTip(self.tr("恢复为不加筛选的队列"))
        self.hint = QLabel(self)
        self.hint.setObjectName("filterHint")
        self.department_label = QLabel(self.tr("部门"), self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        for widget in (self.category, self.colour, self.channel, self.state, self.clear):
            top.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.department_label)
        bottom.addWidget(self.department)
        bottom.addWidget(self.village)
        bottom.addWidget(self.grid)
        bottom.addWidget(QLabel(self.tr("上报日期"), self))
        bottom.addWidget(self.date_from)
        bottom.addWidget(QLabel("—", self))
        bottom.addWidget(self.date_to)
        bottom.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self._show_department(False)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._changed)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (
            self.category,
            self.colour,
            self.channel,
            self.state,
            self.grid,
            self.department,
        ):
            combo.currentIndexChanged.connect(self._changed)
        self.village.currentIndexChanged.connect(self._village_changed)
        self.date_from.dateChanged.connect(self._changed)
        self.date_to.dateChanged.connect(self._changed)
        self.clear.clicked.connect(self.clearFilters)

    # --- building ---------------------------------------------------------------------

    def _combo(self, name: str, any_text: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(any_text, None)
        for text, data in items:
            combo.addItem(text, data)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # As wide as its longest entry while there is room, narrower on a small screen: the
        # English entries are longer, and the bar made the window wider than 1366 px.
        combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("M" * 4) + 30)
        return combo

    def _date_edit(self, name: str, tip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setToolTip(tip)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("不限"))  # shown while the date is at its minimum
        edit.setDate(NO_DATE)
        edit.calendarWidget().installEventFilter(self)
        return edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An open range ("不限") would pop the calendar up on January 2000: show this month.
        if event.type() == QEvent.Type.Show and isinstance(watched, QCalendarWidget):
            edit = self.date_from if watched is self.date_from.calendarWidget() else self.date_to
            if edit.date() == NO_DATE:
                today = self._today()
                watched.setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)

    def _show_department(self, shown: bool) -> None:
        self.department.setVisible(shown)
        self.department_label.setVisible(shown)

    # --- state ------------------------------------------------------------------------

    def currentFilter(self) -> QueueFilter:
        """The last valid filter (the one the table shows)."""
        return self._current

    def setQueue(self, queue: Queue) -> None:
        self._queue = queue
        self._show_department(queue is Queue.DEPARTMENT)
        self._apply(force=True)

    def setSort(self, key: SortKey, descending: bool) -> None:
        self._sort, self._descending = key, descending
        self._apply(force=True)

    def clearFilters(self) -> None:
        """Every narrowing back to "any"; the queue, department and sort stay."""
        widgets = (
            self.search,
            self.category,
            self.colour,
            self.channel,
            self.state,
            self.village,
            self.grid,
            self.date_from,
            self.date_to,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.category, self.colour, self.channel, self.state, self.village):
            combo.setCurrentIndex(0)
        self._fill_grids(None)
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self._apply(force=True)

    def showCase(self, case_no: str) -> None:
        """Only this case: filters cleared, its number searched (an indexed lookup)."""
        self.search.blockSignals(True)
        self.clearFilters()
        self.search.setText(case_no)
        self.search.blockSignals(False)
        self._apply(force=True)

    def _village_changed(self) -> None:
        self.grid.blockSignals(True)
        self._fill_grids(self.village.currentData())
        self.grid.blockSignals(False)
        self._changed()

    def _fill_grids(self, village_id: uuid.UUID | None) -> None:
        while self.grid.count() > 1:
            self.grid.removeItem(1)
        village = self._villages.get(village_id) if village_id else None
        for grid_id, name in village.grids if village else ():
            self.grid.addItem(name, grid_id)
        self.grid.setCurrentIndex(0)
        self.grid.setEnabled(village is not None)

    def _date(self, edit: QDateEdit) -> dt.date | None:
        date = edit.date()
        return None if date == NO_DATE else dt.date(date.year(), date.month(), date.day())

    def _changed(self) -> None:
        self._apply(force=False)

    def applyNow(self) -> None:
        """Apply what is typed now (Return), and read again even if it did not change:
        the rows may have changed under another officer's hands."""
        self._apply(force=True)

    def _apply(self, *, force: bool) -> None:
        self._search_timer.stop()
        term = self.search.text().strip()
        hints = []
        if 0 < len(term) < MIN_SEARCH:
            hints.append(self.tr("至少输入两个字"))
            term = ""
        reported_from, reported_to = self._date(self.date_from), self._date(self.date_to)
        if reported_from and reported_to and reported_from > reported_to:
            self.hint.setText(self.tr("起始日期晚于结束日期，请重新选择日期范围。"))
            return  # the table keeps showing the last valid filter
        self.hint.setText("；".join(hints))
        flt = QueueFilter(
            queue=self._queue,
            search=term,
            colour=self.colour.currentData(),
            category=self.category.currentData(),
            department_id=(
                self.department.currentData() if self._queue is Queue.DEPARTMENT else None
            ),
            grid_id=self.grid.currentData() or self.village.currentData(),
            channel=self.channel.currentData(),
            state=self.state.currentData(),
            reported_from=reported_from,
            reported_to=reported_to,
            sort=self._sort,
            descending=self._descending,
        )
        if flt == self._current and not force:
            return  # e.g. a 1-character search after an empty one: nothing to query
        self._current = flt
        self.filterChanged.emit(flt)
