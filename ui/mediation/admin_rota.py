"""值班轮值: the duty rota as series. A new series is a weekly rule (weekdays, first day, time,
length, until a day or a number of times) previewed date by date with each date's clashes;
with clashes it is booked only when the clerk ticks that the clashing dates are skipped.
A booked series lists its dates; one of them is edited alone, with the following ones, or
with the whole series (dates edited alone and removed dates stay as they are), removed,
or a date is added — each a single service call checked by the booking rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.mediation.rota import (
    EditScope,
    Occurrence,
    RotaBook,
    SeriesDraft,
    SeriesView,
    rule_parts,
    weekly_rule,
)
from centre_app.mediation.rules import WEEKDAY_NAMES, Clash
from centre_app.mediation.service import STATUS_LABELS, NeedsConfirmation
from ui.mediation.combo import index_of
from ui.messages import translate_template
from ui.pool_task import NewestRead
from ui.status_message import show_error, show_info, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


def clash_text(clash: Clash) -> str:
    params = {
        k: translate_template(v) if isinstance(v, str) else v for k, v in clash.params.items()
    }
    try:
        return translate_template(clash.template).format(**params)
    except (KeyError, IndexError, ValueError):
        return clash.message


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RotaDialog(QDialog):
    previewed = Signal()  # the occurrences of the drafted series are in the table

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rotaDialog")
        self.setWindowTitle(self.tr("值班轮值"))
        self._ctx, self._actor = ctx, actor
        self._rota = ctx.mediation_rota
        self._book = RotaBook(ctx.mediation)
        self._preview_read = NewestRead(self)  # a series edited again outdates its preview
        self.preview_rows: list[Occurrence] = []
        self.unknown_years: list[int] = []
        self._previewed_draft: SeriesDraft | None = None
        self._pending_date: dt.datetime | None = None  # an added date awaiting confirmation
        today = to_local(ctx.clock.now()).date()
        rooms = ctx.mediation.rooms()

        # --- a new series ---------------------------------------------------------------
        new_box = QGroupBox(self.tr("新建轮值"), self)
        self.title = QLineEdit(new_box)
        self.title.setObjectName("rotaTitle")
        self.title.setPlaceholderText(self.tr("可空，默认“调解员 值班”"))
        self.room = QComboBox(new_box)
        self.room.setObjectName("rotaRoom")
        for room in rooms:
            self.room.addItem(room.name, room.id)
        self.mediators = QListWidget(new_box)
        self.mediators.setObjectName("rotaMediators")
        self.mediators.setMaximumHeight(110)
        for m in ctx.mediation.mediators():
            item = QListWidgetItem(m.name, self.mediators)
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.first_day = QDateEdit(_qdate(today), new_box)
        self.first_day.setObjectName("rotaFirstDay")
        self.first_day.setCalendarPopup(True)
        self.first_day.setDisplayFormat("yyyy-MM-dd")
        self.start = QTimeEdit(QTime(9, 0), new_box)
        self.start.setObjectName("rotaStart")
        self.start.setDisplayFormat("HH:mm")
        self.duration = QSpinBox(new_box)
        self.duration.setObjectName("rotaDuration")
        self.duration.setRange(5, 12 * 60)
        self.duration.setSingleStep(15)
        self.duration.setValue(180)
        self.duration.setSuffix(self.tr(" 分钟"))
        days = QHBoxLayout()
        self.weekdays: list[QCheckBox] = []
        for i, label in enumerate(WEEKDAY_NAMES):
            box = QCheckBox(translate_template(label), new_box)
            box.setObjectName(f"rotaDay_{i + 1}")
            days.addWidget(box)
            self.weekdays.append(box)
        self.by_until = QRadioButton(self.tr("截止日期"), new_box)
        self.by_until.setObjectName("rotaByUntil")
        self.by_until.setChecked(True)
        self.until = QDateEdit(_qdate(today + dt.timedelta(days=90)), new_box)
        self.until.setObjectName("rotaUntil")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.by_count = QRadioButton(self.tr("次数"), new_box)
        self.by_count.setObjectName("rotaByCount")
        self.count = QLineEdit(new_box)
        self.count.setObjectName("rotaCount")
        self.count.setMaximumWidth(80)
        end = QHBoxLayout()
        for part in (self.by_until, self.until, self.by_count, self.count):
            end.addWidget(part)
        end.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("调解室"), self.room)
        form.addRow(self.tr("调解员"), self.mediators)
        form.addRow(self.tr("第一天"), self.first_day)
        form.addRow(self.tr("开始时间"), self.start)
        form.addRow(self.tr("时长"), self.duration)
        form.addRow(self.tr("每周"), days)
        form.addRow(self.tr("结束"), end)
        self.preview_button = QPushButton(self.tr("预览"), new_box)
        self.preview_button.setObjectName("rotaPreview")
        self.preview_button.setToolTip(self.tr("逐日检查冲突，不保存"))
        self.preview_button.clicked.connect(self.previewSeries)
        self.agree = QCheckBox(new_box)
        self.agree.setObjectName("rotaAgree")
        self.agree.setVisible(False)
        self.book_button = QPushButton(self.tr("预约"), new_box)
        self.book_button.setObjectName("rotaBook")
        self.book_button.clicked.connect(self.bookSeries)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.agree, 1)
        actions.addWidget(self.book_button)
        self.preview = QTableWidget(0, 3, new_box)
        self.preview.setObjectName("rotaPreviewTable")
        self.preview.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("时间"), self.tr("检查结果")]
        )
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        new_layout = QVBoxLayout(new_box)
        new_layout.addLayout(form)
        new_layout.addLayout(actions)
        new_layout.addWidget(self.preview, 1)

        # --- booked series --------------------------------------------------------------
        old_box = QGroupBox(self.tr("已排轮值"), self)
        self.series = QListWidget(old_box)
        self.series.setObjectName("rotaSeriesList")
        self.series.setMaximumHeight(120)
        self.series.currentItemChanged.connect(lambda *_: self.showOccurrences())
        self.occurrences = QTableWidget(0, 4, old_box)
        self.occurrences.setObjectName("rotaOccurrences")
        self.occurrences.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("时间"), self.tr("调解室"), self.tr("状态")]
        )
        self.occurrences.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.occurrences.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.occurrences.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.occurrences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scope = QComboBox(old_box)
        self.scope.setObjectName("rotaScope")
        for scope, text in (
            (EditScope.THIS, self.tr("仅此一次")),
            (EditScope.FOLLOWING, self.tr("此次及以后")),
            (EditScope.ALL, self.tr("整个轮值")),
        ):
            self.scope.addItem(text, scope)
        self.edit_start = QTimeEdit(QTime(9, 0), old_box)
        self.edit_start.setObjectName("rotaEditStart")
        self.edit_start.setDisplayFormat("HH:mm")
        self.edit_duration = QSpinBox(old_box)
        self.edit_duration.setObjectName("rotaEditDuration")
        self.edit_duration.setRange(5, 12 * 60)
        self.edit_duration.setSingleStep(15)
        self.edit_duration.setSuffix(self.tr(" 分钟"))
        self.edit_duration.setValue(60)
        self.edit_room = QComboBox(old_box)
        self.edit_room.setObjectName("rotaEditRoom")
        for room in rooms:
            self.edit_room.addItem(room.name, room.id)
        change = QPushButton(self.tr("修改"), old_box)
        change.setObjectName("rotaChange")
        change.clicked.connect(self.changeOccurrences)
        edit_row = QHBoxLayout()
        for w in (self.scope, self.edit_start, self.edit_duration, self.edit_room, change):
            edit_row.addWidget(w)
        self.reason = QLineEdit(old_box)
        self.reason.setObjectName("rotaRemoveReason")
        self.reason.setPlaceholderText(self.tr("删除原因，例如：律师出庭"))
        remove = QPushButton(self.tr("删除所选日期"), old_box)
        remove.setObjectName("rotaRemoveDate")
        remove.clicked.connect(self.removeDate)
        self.add_day = QDateEdit(_qdate(today), old_box)
        self.add_day.setObjectName("rotaAddDay")
        self.add_day.setCalendarPopup(True)
        self.add_day.setDisplayFormat("yyyy-MM-dd")
        self.add_time = QTimeEdit(QTime(9, 0), old_box)
        self.add_time.setObjectName("rotaAddTime")
        self.add_time.setDisplayFormat("HH:mm")
        self.add_button = QPushButton(self.tr("添加日期"), old_box)
        self.add_button.setObjectName("rotaAddDate")
        self.add_button.clicked.connect(self.addDate)
        dates_row = QHBoxLayout()
        for widget in (self.reason, remove, self.add_day, self.add_time, self.add_button):
            dates_row.addWidget(widget)
        old_layout = QVBoxLayout(old_box)
        old_layout.addWidget(self.series)
        old_layout.addWidget(self.occurrences, 1)
        old_layout.addLayout(edit_row)
        old_layout.addLayout(dates_row)

        self.message = QLabel(self)
        self.message.setObjectName("rotaMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        columns = QHBoxLayout()
        columns.addWidget(new_box, 1)
        columns.addWidget(old_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        self.room.currentIndexChanged.connect(self._draft_changed)
        self.first_day.dateChanged.connect(self._draft_changed)
        self.until.dateChanged.connect(self._draft_changed)
        self.start.timeChanged.connect(self._draft_changed)
        self.duration.valueChanged.connect(self._draft_changed)
        self.count.textChanged.connect(self._draft_changed)
        self.by_until.toggled.connect(self._draft_changed)
        for box in self.weekdays:
            box.toggled.connect(self._draft_changed)
        self.mediators.itemChanged.connect(self._draft_changed)
        self.reloadSeries()

    # --- a new series -------------------------------------------------------------------

    def draft(self) -> SeriesDraft:
        weekdays = [i + 1 for i, box in enumerate(self.weekdays) if box.isChecked()]
        if self.by_until.isChecked():
            rule = weekly_rule(weekdays, until=self.until.date().toPython())  # type: ignore[arg-type]
        else:
            rule = weekly_rule(weekdays, count=self.count.text())
        chosen = [
            self.mediators.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.mediators.count())
            if self.mediators.item(i).checkState() is Qt.CheckState.Checked
        ]
        first = dt.datetime.combine(
            self.first_day.date().toPython(),  # type: ignore[arg-type]
            self.start.time().toPython(),  # type: ignore[arg-type]
        )
        return SeriesDraft(
            self.room.currentData(), chosen, rule, first, self.duration.value(), self.title.text()
        )

    def _draft_changed(self, *_args: object) -> None:
        """The form no longer matches the preview: preview again before booking."""
        self._previewed_draft = None
        self.agree.setChecked(False)
        self.agree.setVisible(False)

    def previewSeries(self) -> None:
        try:
            draft = self.draft()
        except DomainError as exc:
            self._failed(exc)
            return
        rota = self._rota
        show_info(self.message, self.tr("正在逐日检查…"))
        self._preview_read.run(
            lambda: rota.preview(draft), lambda rows: self._previewed(draft, rows), self._failed
        )

    def _failed(self, exc: Exception) -> None:
        show_error(self.message, exc if isinstance(exc, DomainError) else str(exc))
        self.previewed.emit()

    def _previewed(self, draft: SeriesDraft, rows: list[Occurrence]) -> None:
        self.preview_rows = rows
        self._previewed_draft = draft
        calendar = self._ctx.mediation.working_days()
        self.preview.setRowCount(len(rows))
        end = dt.timedelta(minutes=draft.duration_minutes)
        for r, occurrence in enumerate(rows):
            start = occurrence.local_start
            weekday = translate_template(WEEKDAY_NAMES[start.weekday()])
            texts = [clash_text(c) for c in occurrence.clashes if c.blocking]
            texts += [
                self.tr("提醒：{0}").format(clash_text(c))
                for c in occurrence.clashes
                if not c.blocking
            ]
            result = self.tr("；").join(texts) or self.tr("可预约")
            if not calendar.known(start.date()):  # neither the library nor the table knows
                result += self.tr("（{0} 年节假日未录入，按星期计算）").format(start.year)
            cells = (f"{start:%Y-%m-%d} {weekday}", f"{start:%H:%M}–{start + end:%H:%M}", result)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if texts:
                    item.setData(Qt.ItemDataRole.UserRole, "clash")
                self.preview.setItem(r, c, item)
        years = calendar.unknown_years(o.local_start.date() for o in rows)
        self.unknown_years = years
        blocked = sum(1 for o in rows if any(c.blocking for c in o.clashes))
        warned = sum(1 for o in rows if o.clashes and not any(c.blocking for c in o.clashes))
        free = len(rows) - blocked
        if blocked or warned:
            self.agree.setText(
                self.tr("跳过 {0} 次冲突，预约其余 {1} 次（其中 {2} 次有提醒）").format(
                    blocked, free, warned
                )
            )
            self.agree.setChecked(False)
            self.agree.setVisible(True)
            show_error(
                self.message,
                self.tr("{0} 次中有 {1} 次冲突、{2} 次提醒，见上表；同意后才预约其余日期").format(
                    len(rows), blocked, warned
                ),
            )
        else:
            self.agree.setVisible(False)
            show_success(self.message, self.tr("{0} 次都可预约").format(len(rows)))
        if years:  # said in words, never an error: those days count by their weekday
            notes = []
            for year in years:
                notes.append(
                    self.tr(
                        "{0} 年的法定节假日和调休安排还没有录入，暂按星期计算，请中心主任在“工作日”中录入"
                    ).format(year)
                )
            show_error(
                self.message, self.message.text() + self.tr("。") + self.tr("；").join(notes)
            )
        self.previewed.emit()

    def bookSeries(self) -> None:
        draft = self._previewed_draft
        if draft is None:
            show_error(self.message, self.tr("请先预览，看过每一次的检查结果再预约"))
            return
        if self.agree.isVisible() and not self.agree.isChecked():
            show_error(
                self.message, self.tr("有冲突或提醒：请勾选“{0}”后再预约").format(self.agree.text())
            )
            return
        try:
            result = self._rota.book_series(self._actor, draft, skip_clashes=True)
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self._draft_changed()
        self.preview.setRowCount(0)
        self.reloadSeries(result.series_id)
        show_success(
            self.message,
            self.tr("已预约 {0} 次，跳过 {1} 次").format(result.booked, len(result.skipped)),
        )

    # --- booked series ------------------------------------------------------------------

    def describe(self, view: SeriesView) -> str:
        parts = rule_parts(view.rule)
        days = self.tr("、").join(translate_template(WEEKDAY_NAMES[d - 1]) for d in parts.weekdays)
        end = view.first_local + dt.timedelta(minutes=view.duration_minutes)
        until = (
            self.tr("至 {0}").format(parts.until.isoformat())
            if parts.until
            else self.tr("共 {0} 次").format(parts.count)
        )
        return self.tr("{0} · {1} · 每{2} {3}–{4} · {5} · 待举行 {6} 次").format(
            view.title,
            view.room_name,
            days,
            f"{view.first_local:%H:%M}",
            f"{end:%H:%M}",
            until,
            view.planned,
        )

    def reloadSeries(self, select: uuid.UUID | None = None) -> None:
        keep = select or self.current_series()
        self.series.blockSignals(True)
        self.series.clear()
        for view in self._book.series(self._actor):
            item = QListWidgetItem(self.describe(view), self.series)
            item.setData(Qt.ItemDataRole.UserRole, view.id)
            if view.id == keep:
                self.series.setCurrentItem(item)
        self.series.blockSignals(False)
        if self.series.currentItem() is None and self.series.count():
            self.series.setCurrentRow(0)
        self.showOccurrences()

    def current_series(self) -> uuid.UUID | None:
        item = self.series.currentItem() if hasattr(self, "series") else None
        found: uuid.UUID | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        return found

    def showOccurrences(self) -> None:
        series_id = self.current_series()
        rows = self._book.occurrences(self._actor, series_id) if series_id else []
        self.occurrences.setRowCount(len(rows))
        for r, view in enumerate(rows):
            start, end = to_local(view.starts_at), to_local(view.ends_at)
            status = translate_template(STATUS_LABELS[view.status])
            if view.detached and view.status.value == "planned":
                status = self.tr("{0}（单独修改过）").format(status)
            cells = (
                f"{start:%Y-%m-%d} {translate_template(WEEKDAY_NAMES[start.weekday()])}",
                f"{start:%H:%M}–{end:%H:%M}",
                view.room_name,
                status,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, view.id)
                self.occurrences.setItem(r, c, item)
        if rows:
            first = to_local(rows[0].starts_at)
            self.edit_start.setTime(QTime(first.hour, first.minute))
            length = (rows[0].ends_at - rows[0].starts_at).total_seconds() // 60
            self.edit_duration.setValue(int(length))
            self.edit_room.setCurrentIndex(max(index_of(self.edit_room, rows[0].room_id), 0))

    def selected_session(self) -> uuid.UUID | None:
        row = self.occurrences.currentRow()
        item = self.occurrences.item(row, 0) if row >= 0 else None
        found: uuid.UUID | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        return found

    def changeOccurrences(self) -> None:
        session_id = self.selected_session()
        if session_id is None:
            show_error(self.message, self.tr("请先在表中选择一次值班"))
            return
        scope: EditScope = self.scope.currentData()
        try:
            moved = self._rota.edit_series(
                self._actor,
                session_id,
                scope,
                start_time=self.edit_start.time().toPython(),  # type: ignore[arg-type]
                duration_minutes=self.edit_duration.value(),
                room_id=self.edit_room.currentData(),
            )
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reloadSeries()
        show_success(self.message, self.tr("已修改 {0} 次").format(moved))

    def removeDate(self) -> None:
        session_id = self.selected_session()
        if session_id is None:
            show_error(self.message, self.tr("请先在表中选择一次值班"))
            return
        try:
            self._book.remove_date(self._actor, session_id, self.reason.text())
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reason.clear()
        self.reloadSeries()
        show_success(self.message, self.tr("已删除这一天，其他日期不变"))

    def addDate(self) -> None:
        series_id = self.current_series()
        if series_id is None:
            show_error(self.message, self.tr("请先选择一个轮值"))
            return
        local = dt.datetime.combine(
            self.add_day.date().toPython(),  # type: ignore[arg-type]
            self.add_time.time().toPython(),  # type: ignore[arg-type]
        )
        confirmed = self._pending_date == local  # a second click on the same date
        self._pending_date = None
        self.add_button.setText(self.tr("添加日期"))
        try:
            self._book.add_date(self._actor, series_id, local, accept_warnings=confirmed)
        except NeedsConfirmation as exc:
            self._pending_date = local
            self.add_button.setText(self.tr("仍然添加"))
            show_error(
                self.message,
                self.tr("提醒：{0}。确实要添加，请再点“仍然添加”").format(
                    self.tr("；").join(clash_text(c) for c in exc.warnings)
                ),
            )
            return
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.reloadSeries()
        show_success(self.message, self.tr("已添加 {0}").format(f"{local:%Y-%m-%d %H:%M}"))
