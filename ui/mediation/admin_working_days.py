"""工作日: the centre head keeps the working-day calendar right. For a year it shows whether
the official calendar (chinese-calendar) knows it, the official holidays and make-up days,
and the centre's own corrections; a day is set or removed, and a published schedule is
pasted or read from a text file and imported in one step. The rota and the rooms' opening
hours follow it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.mediation.rules import WEEKDAY_NAMES
from centre_app.mediation.working_day_table import WorkingDayTable
from centre_app.mediation.working_days import library_covers, official_days
from ui.messages import translate_template
from ui.status_message import show_error, show_info, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

MAX_FILE_BYTES = 200_000


class WorkingDaysDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workingDaysDialog")
        self.setWindowTitle(self.tr("工作日"))
        self._ctx, self._actor = ctx, actor
        self._table = WorkingDayTable(ctx.mediation)
        today = to_local(ctx.clock.now()).date()

        self.year = QSpinBox(self)
        self.year.setObjectName("workingYear")
        self.year.setRange(2004, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.state = QLabel(self)
        self.state.setObjectName("workingYearState")
        self.state.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份"), self))
        top.addWidget(self.year)
        top.addWidget(self.state, 1)

        self.days = QTableWidget(0, 4, self)
        self.days.setObjectName("workingDayTable")
        self.days.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("休息/上班"), self.tr("说明"), self.tr("来源")]
        )
        header = self.days.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.days.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.days.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        one = QGroupBox(self.tr("改一天"), self)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), one)
        self.day.setObjectName("workingDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox(one)
        self.kind.setObjectName("workingKind")
        self.kind.addItem(self.tr("休息（放假）"), False)
        self.kind.addItem(self.tr("上班（调休）"), True)
        self.note = QLineEdit(one)
        self.note.setObjectName("workingNote")
        self.note.setPlaceholderText(self.tr("说明，例如：春节"))
        save = QPushButton(self.tr("保存这一天"), one)
        save.setObjectName("saveWorkingDay")
        save.clicked.connect(self.saveDay)
        remove = QPushButton(self.tr("删除所选更正"), one)
        remove.setObjectName("removeWorkingDay")
        remove.setToolTip(self.tr("这一天恢复按官方日历（或按星期）计算"))
        remove.clicked.connect(self.removeDay)
        row = QHBoxLayout(one)
        for w in (self.day, self.kind, self.note, save, remove):
            row.addWidget(w)

        bulk = QGroupBox(self.tr("导入国务院办公厅公布的安排"), self)
        self.schedule = QPlainTextEdit(bulk)
        self.schedule.setObjectName("workingSchedule")
        self.schedule.setPlaceholderText(
            self.tr(
                "每行一条：日期 休/班 说明，例如\n2027-01-01 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节调休"
            )
        )
        self.schedule.setMaximumHeight(120)
        load = QPushButton(self.tr("从文本文件读入…"), bulk)
        load.setObjectName("loadSchedule")
        load.clicked.connect(self.chooseFile)
        run = QPushButton(self.tr("导入"), bulk)
        run.setObjectName("importSchedule")
        run.clicked.connect(self.importSchedule)
        buttons = QHBoxLayout()
        buttons.addWidget(load)
        buttons.addStretch(1)
        buttons.addWidget(run)
        box = QVBoxLayout(bulk)
        box.addWidget(self.schedule)
        box.addLayout(buttons)

        self.message = QLabel(self)
        self.message.setObjectName("workingMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.days, 1)
        layout.addWidget(one)
        layout.addWidget(bulk)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        local = self._table.entries(year)
        official = official_days(year)
        mine = {e.day for e in local}
        rows = [
            (d, w, translate_template(n), self.tr("官方日历"))
            for d, w, n in official
            if d not in mine
        ]
        rows += [(e.day, e.working, e.note, self.tr("本中心更正")) for e in local]
        rows.sort()
        self.days.setRowCount(len(rows))
        for r, (day, working, note, source) in enumerate(rows):
            weekday = translate_template(WEEKDAY_NAMES[day.weekday()])
            cells = (
                f"{day.isoformat()} {weekday}",
                self.tr("上班") if working else self.tr("休息"),
                note,
                source,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, day)
                self.days.setItem(r, c, item)
        if library_covers(year):
            show_info(
                self.state,
                self.tr("{0} 年：官方日历已收录；本中心更正 {1} 天").format(year, len(local)),
            )
        elif local:
            show_info(
                self.state,
                self.tr("{0} 年：官方日历未收录，按本中心录入的 {1} 天安排，其余按星期").format(
                    year, len(local)
                ),
            )
        else:
            show_error(
                self.state,
                self.tr(
                    "{0} 年：官方日历未收录，本中心也未录入——暂按星期计算（周一至周五上班），"
                    "节假日不会自动关闭调解室。请录入国务院办公厅公布的安排。"
                ).format(year),
            )

    def saveDay(self) -> None:
        day: dt.date = self.day.date().toPython()  # type: ignore[assignment]
        try:
            self._ctx.mediation.set_working_day(
                self._actor, day, bool(self.kind.currentData()), self.note.text()
            )
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.year.setValue(day.year)
        self.reload()
        show_success(self.message, self.tr("已保存 {0}").format(day.isoformat()))

    def removeDay(self) -> None:
        row = self.days.currentRow()
        item = self.days.item(row, 0) if row >= 0 else None
        if item is None:
            show_error(self.message, self.tr("请先在表中选择一条本中心更正"))
            return
        day: dt.date = item.data(Qt.ItemDataRole.UserRole)
        try:
            self._table.remove(self._actor, day)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload()
        show_success(self.message, self.tr("{0} 已恢复按官方日历计算").format(day.isoformat()))

    def chooseFile(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择节假日安排文本文件"), "", self.tr("文本文件 (*.txt *.csv)")
        )
        if path:
            self.loadFile(Path(path))

    def loadFile(self, path: Path) -> None:
        """Read a schedule file (UTF-8, or GB18030 as saved by Chinese Windows) into the
        box for a look before importing."""
        try:
            data = path.read_bytes()[: MAX_FILE_BYTES + 1]
        except OSError:
            show_error(self.message, self.tr("无法读取文件 {0}").format(path.name))
            return
        if len(data) > MAX_FILE_BYTES:
            show_error(self.message, self.tr("文件太大（超过 200 KB），这不像节假日安排"))
            return
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            show_error(self.message, self.tr("文件不是文本（UTF-8 或 GB18030）"))
            return
        self.schedule.setPlainText(text)
        show_info(self.message, self.tr("已读入 {0}，检查后点“导入”").format(path.name))

    def importSchedule(self) -> None:
        try:
            result = self._table.import_schedule(self._actor, self.schedule.toPlainText())
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reload()
        text = self.tr("已导入：新增 {0} 天，修改 {1} 天").format(result.added, result.changed)
        if result.sessions_on_rest_days:
            show_error(
                self.message,
                text
                + self.tr("。这些调解现在落在休息日，请改期：{0}").format(
                    result.sessions_on_rest_days
                ),
            )
        else:
            show_success(self.message, text)
