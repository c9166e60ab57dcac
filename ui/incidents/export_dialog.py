"""导出: the queue as filtered now, to CSV or XLSX, written on a pool thread behind a
progress dialog with a cancel button. centre_app/incidents/export.py writes to a hidden
partial file and renames it only when complete, so a cancelled or failed export leaves
nothing behind (and never touches an existing file of that name)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from centre_app.errors import DomainError
from centre_app.incidents.export import export_queue
from centre_app.incidents.queries import IncidentQueries, QueueFilter
from centre_app.security.actor import Actor
from ui.messages import error_text

log = logging.getLogger(__name__)


class _Signals(QObject):
    progressed = Signal(int, int)  # done, total
    finished = Signal(object, str)  # rows written or None, message on failure


class _ExportTask(QRunnable):
    def __init__(
        self,
        queries: IncidentQueries,
        actor: Actor,
        flt: QueueFilter,
        path: Path,
        cancelled: threading.Event,
    ) -> None:
        super().__init__()
        self.signals = _Signals()
        self._args = (queries, actor, flt, path)
        self._cancelled = cancelled

    def _progress(self, done: int, total: int) -> bool:
        self.signals.progressed.emit(done, total)
        return not self._cancelled.is_set()

    def run(self) -> None:
        queries, actor, flt, path = self._args
        try:
            rows = export_queue(queries, actor, flt, path, progress=self._progress)
        except DomainError as error:  # cancelled, bad path, no permission: said in words
            self.signals.finished.emit(None, error_text(error))
        except OSError as error:
            log.exception("export to %s failed", path)
            self.signals.finished.emit(
                None,
                QCoreApplication.translate(
                    "ExportRun", "无法写入文件：{0}。请换一个保存位置再试。"
                ).format(error.strerror or error),
            )
        else:
            self.signals.finished.emit(rows, "")


class ExportRun(QObject):
    """One export in progress; `finished(rows or None, message)` when it is over."""

    finished = Signal(object, str)
    progressed = Signal(int, int)

    def __init__(
        self, parent: QWidget, queries: IncidentQueries, actor: Actor, flt: QueueFilter, path: Path
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.message = ""
        self.message_box: QMessageBox | None = None
        self._cancelled = threading.Event()
        self.progress = QProgressDialog(
            self.tr("正在导出到 {0} …").format(path.name), self.tr("取消"), 0, 0, parent
        )
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(self.tr("导出事件"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a small queue finishes before it would show
        self.progress.setAutoReset(False)
        self.progress.setAutoClose(False)
        self.progress.canceled.connect(self.cancel)
        # A pool of our own: its destructor waits, so the export never outlives the page.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._task = _ExportTask(queries, actor, flt, path, self._cancelled)
        self._task.signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._task.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._pool.start(self._task)

    def cancel(self) -> None:
        self._cancelled.set()
        self.progress.setLabelText(self.tr("正在取消…"))

    def _progressed(self, done: int, total: int) -> None:
        if not self._cancelled.is_set():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))
        self.progressed.emit(done, total)

    def _finished(self, rows: int | None, error: str) -> None:
        self.progress.close()
        parent = self.progress.parentWidget()
        if rows is not None:
            self.message = self.tr("已导出 {0} 件事件到 {1}").format(rows, self.path)
            box = QMessageBox(
                QMessageBox.Icon.Information,
                self.tr("导出完成"),
                self.message,
                QMessageBox.StandardButton.Ok,
                parent,
            )
        else:
            self.message = error
            box = QMessageBox(
                QMessageBox.Icon.Information
                if self._cancelled.is_set()
                else QMessageBox.Icon.Warning,
                self.tr("导出未完成"),
                error,
                QMessageBox.StandardButton.Ok,
                parent,
            )
        box.setObjectName("exportResult")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()
        self.finished.emit(rows, self.message)


def choose_path(parent: QWidget) -> Path | None:
    """Ask where to save; the file type follows the chosen filter when no suffix is typed."""
    xlsx = QCoreApplication.translate("ExportRun", "Excel 工作簿 (*.xlsx)")
    csv = QCoreApplication.translate("ExportRun", "CSV 文件，UTF-8 (*.csv)")
    name, chosen = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ExportRun", "导出当前队列"),
        str(Path.home() / "事件导出.xlsx"),
        f"{xlsx};;{csv}",
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_name(path.name + (".csv" if chosen == csv else ".xlsx"))
    return path


def start_export(
    parent: QWidget,
    queries: IncidentQueries,
    actor: Actor,
    flt: QueueFilter,
    path: Path | None = None,
) -> ExportRun | None:
    """Export `flt` to `path` (asked for when None); None when the user chose no file."""
    target = path if path is not None else choose_path(parent)
    if target is None:
        return None
    run = ExportRun(parent, queries, actor, flt, target)
    run.start()
    return run
