"""Print and share from the calendar: day sheets (a room's for its door, the centre's day
programme) to a printer through Qt's print dialog or to a PDF; iCalendar export per room or
mediator, optionally kept as a subscription file that is rewritten whenever a session
changes (here or at another desk); and the import of a law firm's duty rota, previewed
with every clash before the free events are saved.

File choosers are Qt's own dialogs (the same on every desktop), opened window-modal."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app import paths
from centre_app.clock import LOCAL_TZ, to_local
from centre_app.errors import DomainError
from centre_app.mediation.ical import (
    ImportedEvent,
    export_calendar,
    preview_import,
    save_import,
    write_subscription,
)
from centre_app.mediation.service import SessionView
from ui.change_notice import RefreshOn
from ui.mediation.print_sheet import paint_sheet, write_pdf
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead, run_in_pool

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

log = logging.getLogger(__name__)

# What a subscription file holds: the last month and the year ahead.
SUBSCRIPTION_PAST = dt.timedelta(days=31)
SUBSCRIPTION_AHEAD = dt.timedelta(days=366)
MAX_IMPORT_READ = 2_000_001  # one byte over the domain's limit, so it refuses in words


def _file_dialog(parent: QWidget, title: str, pattern: str, *, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(Path.home()), pattern)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setObjectName("mediationFileDialog")
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), LOCAL_TZ)


def _date_edit(parent: QWidget, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


# --- day sheets -------------------------------------------------------------------------


class DaySheetDialog(QDialog):
    """Which sheet (the centre's programme or one room's), which day; then print or PDF."""

    written = Signal(str, int)  # where, pages

    def __init__(
        self, ctx: AppContext, actor: Actor, day: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("daySheetDialog")
        self.setWindowTitle(self.tr("打印日程单"))
        self._ctx, self._actor = ctx, actor
        self.printer: QPrinter | None = None  # the last printer used (kept for its settings)
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self.what = QComboBox(self)
        self.what.addItem(self.tr("全中心日程"), None)
        for room in ctx.mediation.rooms():
            self.what.addItem(self.tr("{0} 门口日程单").format(room.name), (room.id, room.name))
        self.day = _date_edit(self, day)
        self.status = QLabel(self)
        self.status.setObjectName("mediationStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("日程单"), self.what)
        form.addRow(self.tr("日期"), self.day)
        self.print_button = QPushButton(self.tr("打印…"), self)
        self.print_button.setToolTip(self.tr("选择打印机打印"))
        self.print_button.clicked.connect(self.printSheet)
        self.pdf_button = QPushButton(self.tr("导出 PDF…"), self)
        self.pdf_button.setToolTip(self.tr("保存为 A4 PDF 文件"))
        self.pdf_button.clicked.connect(self.exportPdf)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(row)

    def sheet(self) -> tuple[str, dt.date, list[SessionView], bool]:
        """(title, day, sessions, by room) of the sheet chosen: one day's sessions."""
        day = _day_of(self.day)
        chosen = self.what.currentData()
        start = _local_start(day)
        sessions = self._ctx.mediation.sessions_between(
            self._actor,
            start,
            start + dt.timedelta(days=1),
            room_ids=[chosen[0]] if chosen else None,
        )
        if chosen:
            return chosen[1], day, sessions, True
        return self.tr("调解中心日程"), day, sessions, False

    def printSheet(self) -> None:
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(self.printer, self)
        dialog.setObjectName("daySheetPrintDialog")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._print)
        self.print_dialog = dialog
        dialog.show()

    def _print(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted.value or self.printer is None:
            return
        try:
            title, day, sessions, by_room = self.sheet()
        except DomainError as exc:
            self.status.setText(error_text(exc))
            return
        pages = paint_sheet(self.printer, title, day, sessions, by_room=by_room)
        where = self.printer.outputFileName() or self.printer.printerName()
        self.status.setText(self.tr("已送打印：{0}，共 {1} 页").format(where, pages))
        self.written.emit(where, pages)

    def exportPdf(self) -> None:
        dialog = _file_dialog(
            self, self.tr("导出日程单 PDF"), self.tr("PDF 文件 (*.pdf)"), save=True
        )
        dialog.setDefaultSuffix("pdf")
        title, day = self.what.currentText(), _day_of(self.day)
        dialog.selectFile(f"{title} {day:%Y-%m-%d}.pdf".replace("/", "-"))
        dialog.fileSelected.connect(self._write_pdf)
        self.file_dialog = dialog
        dialog.open()

    def _write_pdf(self, name: str) -> None:
        path = Path(name)
        try:
            title, day, sessions, by_room = self.sheet()
        except DomainError as exc:
            self.status.setText(error_text(exc))
            return
        pages = write_pdf(path, title, day, sessions, by_room=by_room)
        if not path.exists():
            self.status.setText(self.tr("无法写入 {0}，请换一个文件夹").format(name))
            return
        self.status.setText(self.tr("已保存 {0}，共 {1} 页").format(name, pages))
        self.written.emit(name, pages)


# --- iCalendar subscriptions ------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    kind: str  # "room" or "mediator"
    target: uuid.UUID
    name: str
    path: Path


def subscription_settings() -> QSettings:
    return QSettings(str(paths.data_dir() / "mediation.ini"), QSettings.Format.IniFormat)


def ics_bytes(
    ctx: AppContext, actor: Actor, kind: str, target: uuid.UUID, name: str, now: dt.datetime
) -> bytes:
    """The subscription window (the last month and the year ahead) of a room or mediator."""
    return export_calendar(
        ctx.mediation,
        actor,
        now - SUBSCRIPTION_PAST,
        now + SUBSCRIPTION_AHEAD,
        room_id=target if kind == "room" else None,
        mediator_id=target if kind == "mediator" else None,
        name=name,
    )


class Subscriptions(QObject):
    """The subscribed .ics files of this desk (kept in mediation.ini beside the user's
    data), rewritten on the thread pool after every change notice touching sessions."""

    rewritten = Signal(int)  # how many files were written
    failed = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QObject) -> None:
        super().__init__(parent)
        self._ctx, self._actor = ctx, actor
        self.entries: list[Subscription] = self._load()
        self.running, self._again = False, False
        self._live = RefreshOn(ctx, ("mediation_session",), self.rewrite, self)

    def _load(self) -> list[Subscription]:
        settings = subscription_settings()
        entries = []
        for i in range(settings.beginReadArray("subscriptions")):
            settings.setArrayIndex(i)
            try:
                entries.append(
                    Subscription(
                        str(settings.value("kind")),
                        uuid.UUID(str(settings.value("target"))),
                        str(settings.value("name")),
                        Path(str(settings.value("path"))),
                    )
                )
            except ValueError:
                log.warning("a subscription entry of mediation.ini is unreadable; skipped")
        settings.endArray()
        return entries

    def _save(self) -> None:
        settings = subscription_settings()
        settings.remove("subscriptions")
        settings.beginWriteArray("subscriptions", len(self.entries))
        for i, entry in enumerate(self.entries):
            settings.setArrayIndex(i)
            settings.setValue("kind", entry.kind)
            settings.setValue("target", str(entry.target))
            settings.setValue("name", entry.name)
            settings.setValue("path", str(entry.path))
        settings.endArray()
        settings.sync()

    def add(self, entry: Subscription) -> None:
        self.entries = [e for e in self.entries if e.path != entry.path] + [entry]
        self._save()

    def remove(self, path: Path) -> None:
        self.entries = [e for e in self.entries if e.path != path]
        self._save()

    def rewrite(self) -> None:
        """Rewrite every subscribed file on the pool; one rewrite at a time (two would
        share the files' temporary names), a request meanwhile runs once after it."""
        if not self.entries:
            return
        if self.running:
            self._again = True
            return
        self.running, self._again = True, False
        ctx, actor, entries = self._ctx, self._actor, list(self.entries)

        def work() -> tuple[int, list[Path]]:
            now = ctx.clock.now()
            written, failed = 0, []
            for e in entries:
                try:
                    write_subscription(e.path, ics_bytes(ctx, actor, e.kind, e.target, e.name, now))
                    written += 1
                except OSError as exc:  # the folder was removed or is read-only now
                    log.warning("cannot rewrite the subscription %s: %s", e.path, exc)
                    failed.append(e.path)
            return written, failed

        def done(result: tuple[int, list[Path]]) -> None:
            written, failed = result
            self._finished()
            if failed:
                self.failed.emit(
                    self.tr("订阅文件无法更新：{0}，请检查文件夹或停止这个订阅").format(
                        "、".join(str(p) for p in failed)
                    )
                )
            self.rewritten.emit(written)

        def error(exc: Exception) -> None:
            self._finished()
            self.failed.emit(error_text(exc) if isinstance(exc, DomainError) else str(exc))

        run_in_pool(QThreadPool.globalInstance(), work, done, error, owner=self)

    def _finished(self) -> None:
        self.running = False
        if self._again:
            QTimer.singleShot(0, self.rewrite)


class IcsExportDialog(QDialog):
    """A room's or a mediator's sessions as an .ics file; kept updated when subscribed."""

    written = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        subscriptions: Subscriptions,
        day: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("icsExportDialog")
        self.setWindowTitle(self.tr("导出 iCalendar 日历"))
        self._ctx, self._actor, self._subscriptions = ctx, actor, subscriptions
        self.file_dialog: QFileDialog | None = None
        self.target = QComboBox(self)
        for room in ctx.mediation.rooms():
            self.target.addItem(
                self.tr("调解室 {0}").format(room.name), ("room", room.id, room.name)
            )
        for m in ctx.mediation.mediators():
            self.target.addItem(self.tr("调解员 {0}").format(m.name), ("mediator", m.id, m.name))
        self.first = _date_edit(self, day - dt.timedelta(days=day.weekday()))
        self.last = _date_edit(self, day + dt.timedelta(days=90))
        self.subscribe = QCheckBox(self.tr("保持更新（订阅文件：安排有变动时自动重写）"), self)
        self.subscribe.setToolTip(
            self.tr("订阅文件包含上月至明年的安排，日历程序订阅这个文件即可随时看到最新安排")
        )
        self.subscribe.toggled.connect(self._subscribe_toggled)
        self.current = QListWidget(self)
        self.current.setObjectName("subscriptionList")
        self.stop = QPushButton(self.tr("停止更新所选订阅"), self)
        self.stop.clicked.connect(self.stopSelected)
        # Offered once a subscription is chosen; it was enabled with none, and as the first
        # button it was the default one: Enter stopped a subscription instead of exporting.
        self.stop.setAutoDefault(False)
        self.current.currentRowChanged.connect(lambda row: self.stop.setEnabled(row >= 0))
        self.status = QLabel(self)
        self.status.setObjectName("mediationStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("导出对象"), self.target)
        form.addRow(self.tr("从"), self.first)
        form.addRow(self.tr("到"), self.last)
        form.addRow("", self.subscribe)
        form.addRow(self.tr("现有订阅文件"), self.current)
        form.addRow("", self.stop)
        self.export_button = QPushButton(self.tr("导出…"), self)
        self.export_button.clicked.connect(self.export)
        self.export_button.setDefault(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._list()

    def _subscribe_toggled(self, on: bool) -> None:
        self.first.setEnabled(not on)
        self.last.setEnabled(not on)

    def _list(self) -> None:
        self.current.clear()
        for entry in self._subscriptions.entries:
            item = QListWidgetItem(f"{entry.name} → {entry.path}", self.current)
            item.setData(256, str(entry.path))
        self.stop.setEnabled(self.current.currentRow() >= 0)

    def stopSelected(self) -> None:
        item = self.current.currentItem()
        if item is not None:
            self._subscriptions.remove(Path(str(item.data(256))))
            self._list()

    def export(self) -> None:
        _kind, _target, name = self.target.currentData()
        dialog = _file_dialog(
            self, self.tr("导出 iCalendar 日历"), self.tr("iCalendar 文件 (*.ics)"), save=True
        )
        dialog.setDefaultSuffix("ics")
        dialog.selectFile(f"{name}.ics")
        dialog.fileSelected.connect(self._write)
        self.file_dialog = dialog
        dialog.open()

    def _write(self, name: str) -> None:
        kind, target, label = self.target.currentData()
        path = Path(name)
        try:
            if self.subscribe.isChecked():
                data = ics_bytes(self._ctx, self._actor, kind, target, label, self._ctx.clock.now())
            else:
                first, last = _day_of(self.first), _day_of(self.last)
                if last < first:
                    self.status.setText(self.tr("结束日期早于开始日期"))
                    return
                data = export_calendar(
                    self._ctx.mediation,
                    self._actor,
                    _local_start(first),
                    _local_start(last + dt.timedelta(days=1)),
                    room_id=target if kind == "room" else None,
                    mediator_id=target if kind == "mediator" else None,
                    name=label,
                )
            write_subscription(path, data)
        except DomainError as exc:
            self.status.setText(error_text(exc))
            return
        except OSError as exc:
            log.warning("cannot write %s: %s", path, exc)
            self.status.setText(self.tr("无法写入 {0}，请换一个文件夹").format(name))
            return
        if self.subscribe.isChecked():
            self._subscriptions.add(Subscription(kind, target, label, path))
            self._list()
            self.status.setText(self.tr("已保存 {0}，安排有变动时会自动更新").format(name))
        else:
            self.status.setText(self.tr("已保存 {0}").format(name))
        self.written.emit(name)


# --- import of a law firm's rota --------------------------------------------------------


class IcsImportDialog(QDialog):
    """The events of the chosen file in the period, each with its clashes; only the free
    ones are saved, and only when the clerk says so."""

    previewed = Signal()
    saved = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        path: Path,
        day: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("icsImportDialog")
        self.setWindowTitle(self.tr("导入律所值班表：{0}").format(path.name))
        self._ctx, self._actor = ctx, actor
        self.events: list[ImportedEvent] = []
        self._previews = NewestRead(self)  # a preview of older choices is dropped
        try:
            with path.open("rb") as f:
                self._data: bytes | None = f.read(MAX_IMPORT_READ)
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc)
            self._data = None
        self.room = QComboBox(self)
        for room in ctx.mediation.rooms():
            self.room.addItem(room.name, room.id)
        self.first = _date_edit(self, day)
        self.last = _date_edit(self, day + dt.timedelta(days=90))
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("事件"), self.tr("调解员"), self.tr("冲突")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.status = QLabel(self)
        self.status.setObjectName("mediationStatus")
        self.status.setWordWrap(True)
        self.summary = QLabel(self)
        self.save_button = QPushButton(self.tr("保存无冲突的事件"), self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("值班的调解室"), self.room)
        form.addRow(self.tr("从"), self.first)
        form.addRow(self.tr("到"), self.last)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.resize(900, 560)
        self.room.currentIndexChanged.connect(self.preview)
        self.first.dateChanged.connect(self.preview)
        self.last.dateChanged.connect(self.preview)
        self.preview()

    def _clear(self, message: str) -> None:
        self.events = []
        self.table.setRowCount(0)
        self.summary.setText("")
        self.save_button.setEnabled(False)
        self.status.setText(message)

    def preview(self) -> None:
        """Read and expand the file against the chosen room and period, on the pool."""
        if self._data is None:  # no preview is ever read
            self._clear(self.tr("无法读取该文件，请检查文件是否存在。"))
            self.previewed.emit()
            return
        first, last = _day_of(self.first), _day_of(self.last)
        if last < first:
            self._previews.cancel()  # the message stays: a preview under way is not shown
            self._clear(self.tr("结束日期早于开始日期"))
            self.previewed.emit()
            return
        ctx, actor, data, room = self._ctx, self._actor, self._data, self.room.currentData()
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("正在检查冲突…"))

        def work() -> list[ImportedEvent] | DomainError:
            try:
                return preview_import(
                    ctx.mediation,
                    actor,
                    data,
                    room,
                    _local_start(first),
                    _local_start(last + dt.timedelta(days=1)),
                )
            except DomainError as exc:  # a bad file is the clerk's news, not a failure
                return exc

        def error(exc: Exception) -> None:
            self._show(exc if isinstance(exc, DomainError) else DomainError(str(exc)))

        self._previews.run(work, self._show, error)

    def _show(self, events: list[ImportedEvent] | DomainError) -> None:
        if isinstance(events, DomainError):
            self._clear(error_text(events))
            self.previewed.emit()
            return
        self.events = events
        names = {m.id: m.name for m in self._ctx.mediation.mediators()}
        self.table.setRowCount(len(events))
        for i, event in enumerate(events):
            start, end = to_local(event.starts_at), to_local(event.ends_at)
            clashes = "；".join(_clash_text(c.template, c.params) for c in event.clashes)
            cells = [
                f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
                event.summary,
                names.get(event.mediator_id, "—") if event.mediator_id else "—",
                clashes or self.tr("无冲突"),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(i, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        free = self.free_count()
        self.summary.setText(
            self.tr("共 {0} 项：{1} 项无冲突，{2} 项有冲突（不保存）").format(
                len(events), free, len(events) - free
            )
        )
        self.save_button.setText(self.tr("保存无冲突的 {0} 项").format(free))
        self.save_button.setEnabled(free > 0)
        self.status.setText("")
        self.previewed.emit()

    def free_count(self) -> int:
        return sum(
            1
            for e in self.events
            if e.mediator_id is not None and not any(c.blocking for c in e.clashes)
        )

    def save(self) -> None:
        try:
            count = save_import(
                self._ctx.mediation, self._actor, self.room.currentData(), self.events
            )
        except DomainError as exc:  # another desk booked meanwhile: preview again
            self.status.setText(error_text(exc))
            self.preview()
            return
        self.status.setText(self.tr("已保存 {0} 项值班安排").format(count))
        self.save_button.setEnabled(False)
        self.saved.emit(count)


def _clash_text(template: str, params: Mapping[str, object]) -> str:
    translated = {k: translate_template(v) if isinstance(v, str) else v for k, v in params.items()}
    try:
        return translate_template(template).format(**translated)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)
