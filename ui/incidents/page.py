"""事件分流: queues on the left, the lazy queue table in the middle, the selected case with
its history and the triage actions on the right. Every action has a one-key shortcut
while the table has focus, so a duty officer can triage without the mouse."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from centre_app import paths
from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.incidents import choices
from centre_app.incidents.queries import Queue, QueueFilter, QueueRow
from centre_app.incidents.workflow import ACTIONS, OPEN_STATES
from db.models import Department, DepartmentKind
from db.models.incidents import IncidentState, RiskColour
from ui.change_notice import RefreshOn
from ui.incidents import bulk
from ui.incidents.delegates import ColourChipDelegate, DeadlineDelegate
from ui.incidents.detail import IncidentDetail
from ui.incidents.export_dialog import ExportRun, start_export
from ui.incidents.filter_bar import SORT_COLUMNS, FilterBar
from ui.incidents.form import IncidentForm
from ui.incidents.labels import action_text, queue_text
from ui.incidents.queue_model import (
    COL_CATEGORY,
    COL_COLOUR,
    COL_DEADLINE,
    COL_DEPARTMENT,
    COL_GRID,
    COL_PLACE,
    COL_TITLE,
    COLOUR_TEXT,
    QueueModel,
)
from ui.incidents.tray_alert import AlertBanner, RedAlert
from ui.navigation import IncidentDesk, Workspace, navigator_of
from ui.pool_task import NewestRead
from ui.status_message import clear_error, clear_when_edited, show_error, show_info, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

# Key → workflow action, while the queue has focus.
ACTION_KEYS = {
    "accept": "A",
    "reject": "X",
    "dispatch": "D",
    "start": "S",
    "handle": "H",
    "verify": "V",
    "verify_failed": "F",
    "close": "C",
    "escalate": "E",
}
COLOUR_KEYS = {RiskColour.RED: "1", RiskColour.YELLOW: "2", RiskColour.GREEN: "3"}
# Where the queue's column widths are kept between runs (QSettings of the application).
HEADER_KEY = "incidents/queueHeader"
# Widest a column starts (px) when sized from its contents; the officer may widen it.
COLUMN_CAPS = {
    COL_TITLE: 340,
    COL_PLACE: 200,
    COL_CATEGORY: 150,
    COL_GRID: 120,
    COL_DEPARTMENT: 120,
}


def deadline_text_sample() -> str:
    """About the longest text of the 剩余时限 column (超期 999天)."""
    days = QCoreApplication.translate("Countdown", "{0}天").format(999)
    return QCoreApplication.translate("Countdown", "超期 {0}").format(days)


def layout_settings() -> QSettings:
    """The user's layout (column widths), kept beside the user's data (paths.data_dir)."""
    return QSettings(str(paths.data_dir() / "layout.ini"), QSettings.Format.IniFormat)


class IncidentsPage(QWidget, IncidentDesk):
    countsLoaded = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setObjectName("incidentsPage")
        self.model = QueueModel(ctx, actor)
        self.model.totalChanged.connect(self._show_total)
        self._sized = False

        self.queues = QListWidget(self)
        self.queues.setObjectName("queueList")
        self.queues.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for queue in Queue:
            item = QListWidgetItem(queue_text(queue), self.queues)
            item.setData(Qt.ItemDataRole.UserRole, queue)
        self._fit_queue_list()
        self.filter_bar = FilterBar(
            choices.villages(ctx.session_factory, ctx.township_code),
            choices.dispatch_departments(ctx.session_factory),
            self,
            today=lambda: to_local(ctx.clock.now()).date(),
        )
        self.search = self.filter_bar.search
        self.table = QTableView(self)
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # Several rows at once for the bulk actions (the same keys act on all of them).
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setItemDelegateForColumn(COL_COLOUR, ColourChipDelegate(self.table))
        self.table.setItemDelegateForColumn(
            COL_DEADLINE, DeadlineDelegate(ctx.clock.now, self.table)
        )
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # One counting thread of our own: its destructor waits, so no count outlives the page.
        self._count_pool = QThreadPool(self)
        self._count_pool.setMaxThreadCount(1)
        self._count_reads = NewestRead(self, self._count_pool)  # an older count is dropped
        self.count = QLabel(self)
        self.message = QLabel(self)
        self.message.setObjectName("triageMessage")
        self.message.setWordWrap(True)

        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.filter_bar)
        self.alert_banner = AlertBanner(middle)
        middle_layout.addWidget(self.alert_banner)
        self.red_alert = RedAlert(
            partial(ctx.incident_queries.new_red_since, actor),
            ctx.clock,
            self.alert_banner,
            parent=self,
        )
        self.red_alert.openIncident.connect(self.openIncident)
        # Other desks' and the county's changes refresh the queue, its counts and the red
        # alert through the change notice; the alert's timer is only a safety net.
        self.red_alert.setInterval(60_000)
        self._live = RefreshOn(ctx, ("incident", "incident_event"), self._changed_elsewhere, self)
        self.bulk = bulk.BulkButton(
            [
                (action_text("accept"), "A", partial(self.applyAction, "accept")),
                (action_text("dispatch"), "D", partial(self.applyAction, "dispatch")),
            ]
            + [
                (self.tr("设为{0}色").format(COLOUR_TEXT[c]), k, partial(self.setColour, c))
                for c, k in COLOUR_KEYS.items()
            ],
            self,
        )
        tools = QHBoxLayout()
        tools.addWidget(self.count, 1)
        tools.addWidget(self.bulk)
        self.export = QPushButton(self.tr("导出"), self)
        self.export.setObjectName("exportQueue")
        self.export.setToolTip(self.tr("把当前筛选的队列导出为 Excel 或 CSV 文件"))
        self.export.clicked.connect(lambda: self.exportQueue())
        tools.addWidget(self.export)
        self.new_button = QPushButton(self.tr("新建事件"), self)
        self.new_button.setObjectName("newIncident")
        self.new_button.setToolTip(self.tr("新建事件（Ctrl+N）"))
        self.new_button.clicked.connect(self.openNewIncident)
        tools.addWidget(self.new_button)
        middle_layout.addLayout(tools)
        middle_layout.addWidget(self.table, 1)
        middle_layout.addWidget(self.message)

        self._build_detail()
        splitter = QSplitter(self)
        splitter.setObjectName("incidentsSplitter")
        splitter.addWidget(self.queues)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 0)  # the queue list keeps its width: no gap beside it
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setCollapsible(0, False)
        self.splitter = splitter
        self._fit_queue_list()
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._build_actions()
        self.filter_bar.filterChanged.connect(self._filter_changed)
        self.queues.currentRowChanged.connect(
            lambda _row: self.filter_bar.setQueue(self.currentQueue())
        )
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.search.returnPressed.connect(self.searchNow)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.enableRowActions())
        for changed in (self.model.modelReset, self.model.layoutChanged, self.model.dataChanged):
            changed.connect(lambda *_: self.enableRowActions())
        self.enableRowActions()
        self.queues.setCurrentRow(0)

    # --- building ---------------------------------------------------------------------

    def _build_detail(self) -> None:
        self.detail = QWidget(self)
        self.detail.setObjectName("incidentDetail")
        self.pane = IncidentDetail(self._ctx, self._actor, self.detail)
        self.history = self.pane.history
        self.department = QComboBox(self.detail)
        self.department.setObjectName("departmentChoice")
        with self._ctx.session_factory() as session:
            for dept_id, name in session.execute(
                select(Department.id, Department.name)
                .where(Department.active, Department.kind != DepartmentKind.COUNTY_DEPARTMENT)
                .order_by(Department.kind, Department.name)
            ):
                self.department.addItem(name, dept_id)
        self.department.setPlaceholderText(self.tr("请选择派遣部门"))
        self.department.setCurrentIndex(-1)
        self.note = QLineEdit(self.detail)
        self.note.setObjectName("actionNote")
        self.note.setPlaceholderText(
            self.tr("说明/理由（驳回、核实未通过、上报县级、处置反馈时必填）")
        )
        clear_when_edited(self.message, self.note, self.department)
        self.keys = QLabel(
            self.tr(
                "快捷键：A 受理  X 不予受理  D 派遣  S 开始处置  H 处置反馈  V 核实通过  "
                "F 核实未通过  C 结案  E 上报县级  1/2/3 红/黄/绿  J/K 下一条/上一条"
            ),
            self.detail,
        )
        self.keys.setWordWrap(True)
        self.keys.setObjectName("triageKeys")
        form = QFormLayout()
        form.addRow(self.tr("派遣到"), self.department)
        form.addRow(self.tr("说明"), self.note)
        layout = QVBoxLayout(self.detail)
        layout.addWidget(self.pane, 1)
        layout.addLayout(form)
        layout.addWidget(self.keys)

    def _build_actions(self) -> None:
        """One key per action while the queue has focus (an event filter on the table, so
        the keys work whatever window is active); the actions also sit in a context menu."""
        self.key_map: dict[int, Callable[[], None]] = {}  # Qt key codes of A–Z, 0–9 are ASCII
        self.row_actions: dict[str, QAction] = {}
        for name, key in ACTION_KEYS.items():
            action = QAction(f"{action_text(name)}\t{key}", self.table)
            self.row_actions[name] = action
            action.setToolTip(self.tr("{0}（{1}）").format(action_text(name), key))
            action.triggered.connect(lambda _=False, n=name: self.applyAction(n))
            self.table.addAction(action)
            self.key_map[ord(key)] = partial(self.applyAction, name)
        for colour, key in COLOUR_KEYS.items():
            self.key_map[ord(key)] = partial(self.setColour, colour)
        self.key_map[ord("J")] = partial(self.moveSelection, 1)
        self.key_map[ord("K")] = partial(self.moveSelection, -1)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.installEventFilter(self)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)
        new = QAction(self.tr("新建事件"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.openNewIncident)
        self.addAction(new)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            handler = self.key_map.get(event.key())
            if handler is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                handler()
                return True
        return super().eventFilter(watched, event)

    # --- queue ------------------------------------------------------------------------

    def currentQueue(self) -> Queue:
        item = self.queues.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else Queue.UNTRIAGED

    def refreshQueue(self, *, recount: bool = True) -> None:
        """Read the queue again. Without `recount`, a new sort of the same rows keeps the
        counts (a header click reads one window, not the whole queue again)."""
        selected = self.selectedId()
        self.model.setFilter(self.filter_bar.currentFilter(), recount=recount)
        if not self._sized and self.model.rowCount():
            self._sized = True
            self._size_columns()  # once: later windows keep the widths
        if recount:
            self._refresh_counts()
        self.selectRow(self._row_of(selected) if selected else 0)

    def _changed_elsewhere(self) -> None:
        self.refreshQueue()
        self.red_alert.poll()

    def _show_total(self, total: int) -> None:
        self.count.setText(
            self.tr("前 {0} 件，正在计数…").format(total)
            if self.model.counting
            else self.tr("共 {0} 件").format(total)
        )

    def _filter_changed(self, flt: QueueFilter) -> None:
        shown = self.model.filter
        only_sort = flt != shown and shown.same_rows(flt)
        self.refreshQueue(recount=not only_sort)

    def exportQueue(self, path: Path | None = None) -> ExportRun | None:
        """The queue as filtered now; asks for the file when `path` is None."""
        self._export_run = start_export(
            self, self._ctx.incident_queries, self._actor, self.filter_bar.currentFilter(), path
        )
        return self._export_run

    def openIncident(self, incident_id: str) -> None:
        """Show one case (from the red alert) in the queue it belongs to, selected."""
        incident = self._ctx.incidents.get(self._actor, uuid.UUID(incident_id))
        queue = (
            Queue.UNTRIAGED
            if incident.state is IncidentState.REPORTED
            else Queue.OPEN
            if incident.state in OPEN_STATES
            else Queue.ALL
        )
        self.queues.setCurrentRow(list(Queue).index(queue))
        self.filter_bar.showCase(incident.case_no)
        self.selectRow(self._row_of(incident_id))
        navigator = navigator_of(self)
        if navigator is not None:  # the main window: bring the incidents page up
            navigator.showWorkspace(Workspace.INCIDENTS)
        self.window().activateWindow()
        self.table.setFocus()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        """A header click sorts in SQL by the column's key; other columns keep the sort."""
        header = self.table.horizontalHeader()
        key = SORT_COLUMNS.get(column)
        flt = self.filter_bar.currentFilter()
        if key is None:
            current = next(c for c, k in SORT_COLUMNS.items() if k is flt.sort)
            header.blockSignals(True)
            header.setSortIndicator(
                current,
                Qt.SortOrder.DescendingOrder if flt.descending else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)
            return
        self.filter_bar.setSort(key, order == Qt.SortOrder.DescendingOrder)

    def searchNow(self) -> None:
        """Return in the search box: search at once and go to the results (keyboard triage)."""
        self.filter_bar.applyNow()
        self.table.setFocus()

    def _refresh_counts(self) -> None:
        # On 1M incidents counting every queue takes a while; the page must not wait for it.
        self._count_reads.run(
            partial(self._ctx.incident_queries.counts_by_queue, self._actor), self._show_counts
        )

    def _show_counts(self, counts: dict[Queue, int]) -> None:
        for row in range(self.queues.count()):
            item = self.queues.item(row)
            queue = item.data(Qt.ItemDataRole.UserRole)
            item.setText(f"{queue_text(queue)}  {counts[queue]}")
        self._fit_queue_list()
        self.countsLoaded.emit()

    def _fit_queue_list(self) -> None:
        """As wide as the longest name with its count (English names are longer); the
        splitter gives the table what the list does not use, so no gap opens beside it."""
        frame = 2 * self.queues.frameWidth() + 12
        width = min(max(self.queues.sizeHintForColumn(0) + frame, 120), 280)
        self.queues.setFixedWidth(width)
        splitter = getattr(self, "splitter", None)
        if splitter is not None:
            sizes = splitter.sizes()
            if sizes and sizes[0] != width and sum(sizes):
                sizes[1] += sizes[0] - width
                sizes[0] = width
                splitter.setSizes(sizes)

    def _size_columns(self) -> None:
        """The widths the officer left last time (QSettings); else widths from the first
        rows, capped so colour, case number, title, place and time left fit on screen."""
        self.table.ensurePolished()  # the style sheet's font, not the default one
        header = self.table.horizontalHeader()
        saved = layout_settings().value(HEADER_KEY)
        flt = self.model.filter
        header.blockSignals(True)  # widths only: the sort stays the filter's
        restored = isinstance(saved, QByteArray) and header.restoreState(saved)
        if not restored:
            self.table.resizeColumnsToContents()
            for column, most in COLUMN_CAPS.items():
                header.resizeSection(column, min(header.sectionSize(column), most))
            # The longest time left a row can show, whichever rows came first.
            bold = QFont(self.table.font())
            bold.setBold(True)
            longest = QFontMetrics(bold).horizontalAdvance(deadline_text_sample())
            header.resizeSection(COL_DEADLINE, max(header.sectionSize(COL_DEADLINE), longest + 16))
        current = next(c for c, k in SORT_COLUMNS.items() if k is flt.sort)
        header.setSortIndicator(
            current, Qt.SortOrder.DescendingOrder if flt.descending else Qt.SortOrder.AscendingOrder
        )
        header.blockSignals(False)
        header.sectionResized.connect(self._save_columns)

    def _save_columns(self) -> None:
        """Remember the column widths (and order) for the next time the page opens."""
        layout_settings().setValue(HEADER_KEY, self.table.horizontalHeader().saveState())

    def _row_of(self, incident_id: str) -> int:
        return self.model.row_of(incident_id) or 0

    def selectRow(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._show_row(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        unchanged = self.table.currentIndex().row() == row
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if unchanged:  # a new current row is shown by _show_current; this one may have changed
            self._show_row(row)

    def moveSelection(self, step: int) -> None:
        self.selectRow(self.table.currentIndex().row() + step)

    def selectedId(self) -> str | None:
        row = self.table.currentIndex().row()
        return self.model.row_at(row).id if 0 <= row < self.model.rowCount() else None

    def selectedRows(self) -> list[QueueRow]:
        return [
            self.model.row_at(i.row())
            for i in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        ]

    def _act_on_selection(self, label: str, one: Callable[[QueueRow], object]) -> None:
        """One action on every selected row; the outcome in one message, one refresh."""
        result = bulk.apply_to_rows(self.selectedRows(), one)
        show_info(self.message, bulk.summary(result, label))
        self.note.clear()
        self.refreshQueue()
        self.table.setFocus()

    def _show_current(self, current: object, _previous: object) -> None:
        self._show_row(self.table.currentIndex().row())

    def enableRowActions(self) -> None:
        """The context menu offers what the selected cases' states and the user's role
        allow: every entry was enabled, and most led only to a refusal in words. (The keys
        still answer with that refusal: a key pressed by mistake says why.)"""
        states = {row.state for row in self.selectedRows()}
        for name, action in self.row_actions.items():
            rule = ACTIONS[name]
            action.setEnabled(
                self._actor.can(rule.permission) and not states.isdisjoint(rule.sources)
            )

    def _show_row(self, row: int | None) -> None:
        if row is None or not 0 <= row < self.model.rowCount():
            self.pane.showIncident(None)
            return
        incident = self.pane.showIncident(uuid.UUID(self.model.row_at(row).id))
        assert incident is not None
        # The dispatch preset is the form's 建议承办 (one rule); no suggestion, no preset.
        suggested = self._ctx.incidents.suggested_department(
            incident.category, incident.subcategory
        )
        # findData cannot compare uuid.UUID values held as Python objects.
        rows = (
            [i for i in range(self.department.count()) if self.department.itemData(i) == suggested]
            if suggested
            else []
        )
        self.department.setCurrentIndex(rows[0] if rows else -1)

    # --- actions ----------------------------------------------------------------------

    def applyAction(self, name: str) -> None:
        if len(self.selectedRows()) > 1:
            note, department = self.note.text(), self.department.currentData()
            self._act_on_selection(
                action_text(name),
                lambda r: self._ctx.incidents.act(
                    self._actor,
                    uuid.UUID(r.id),
                    name,
                    seen_state=r.state,
                    note=note,
                    department_id=department,
                ),
            )
            return
        row = self.table.currentIndex().row()
        if not 0 <= row < self.model.rowCount():
            return
        current = self.model.row_at(row)
        try:
            incident = self._ctx.incidents.act(
                self._actor,
                uuid.UUID(current.id),
                name,
                seen_state=current.state,
                note=self.note.text(),
                department_id=self.department.currentData(),
            )
        except DomainError as error:
            show_error(self.message, error)
            return
        show_success(
            self.message,
            QCoreApplication.translate("IncidentsPage", "{0}：{1}").format(
                incident.case_no, action_text(name)
            ),
        )
        self.note.clear()
        self.refreshQueue()
        if self.selectedId() != current.id:  # it left this queue: the next case takes its row
            self.selectRow(row)
        self.table.setFocus()

    def setColour(self, colour: RiskColour) -> None:
        if len(self.selectedRows()) > 1:
            note = self.note.text()
            self._act_on_selection(
                self.tr("设为{0}色").format(COLOUR_TEXT[colour]),
                lambda r: self._ctx.incidents.set_colour(
                    self._actor, uuid.UUID(r.id), colour, note
                ),
            )
            return
        incident_id = self.selectedId()
        if incident_id is None:
            return
        try:
            self._ctx.incidents.set_colour(
                self._actor, uuid.UUID(incident_id), colour, self.note.text()
            )
        except DomainError as error:
            show_error(self.message, error)
            return
        clear_error(self.message)
        self.refreshQueue()
        self.table.setFocus()

    # --- new cases --------------------------------------------------------------------

    def openNewIncident(self) -> IncidentForm:
        """The new-incident form, window-modal but not blocking (open(), not exec())."""
        form = IncidentForm(self._ctx, self._actor, self)
        form.incidentCreated.connect(partial(self._created, form))
        form.finished.connect(lambda _result: self.table.setFocus())  # back to triage
        form.open()
        self.form = form
        return form

    def new_incident_from_evidence(self, evidence_id: uuid.UUID) -> IncidentForm | None:
        """The form pre-filled from a video-wall snapshot or clip (视频巡查): opened at once,
        filled when the evidence has been read off the GUI thread."""
        form = self.openNewIncident()
        form.loadEvidence(evidence_id)
        form.title_edit.setFocus()
        return form

    def _created(self, form: IncidentForm, incident_id: uuid.UUID) -> None:
        show_success(self.message, form.summary())
        self.refreshQueue()
        self.selectRow(self._row_of(str(incident_id)))


def build_incidents_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    return IncidentsPage(ctx, actor, parent)
