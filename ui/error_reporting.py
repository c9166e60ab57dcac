"""Unexpected errors: a plain Chinese sentence for the user, the traceback for the log file.

The app keeps running after an unexpected exception in a slot; the user is told what to do
and where the details went.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from centre_app import paths
from centre_app.errors import DomainError
from db.errors import (
    DatabaseCorrupt,
    DatabaseError,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnreachable,
    SchemaTooNew,
)

log = logging.getLogger(__name__)

LOG_FILE_NAME = "centre.log"


def configure_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file in the user's log directory (and warnings to stderr)."""
    log_file = paths.log_dir() / LOG_FILE_NAME
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
        )
        root.addHandler(file_handler)
        stderr = logging.StreamHandler()
        stderr.setLevel(logging.WARNING)
        root.addHandler(stderr)
    root.setLevel(level)
    return log_file


def database_error_message(error: DatabaseError, location: str) -> str:
    """What the user reads when the database cannot be opened, and what to do about it."""
    if isinstance(error, SchemaTooNew):
        return QCoreApplication.translate(
            "ErrorReporting",
            "数据库 {0} 由更新版本的程序创建，本程序无法安全使用它。"
            "请升级本程序后再打开；数据库未作任何修改。",
        ).format(location)
    if isinstance(error, DatabaseUnreachable):
        return QCoreApplication.translate(
            "ErrorReporting",
            "无法连接中心数据库服务器 {0}。请检查本机网络和服务器是否开机，"
            "或请管理员确认 PostgreSQL 正在运行，然后重新启动本程序；数据库未作任何修改。",
        ).format(location)
    if isinstance(error, DatabaseLocked):
        return QCoreApplication.translate(
            "ErrorReporting",
            "数据库 {0} 正被另一个程序占用（已锁定）。"
            "请关闭其他正在使用它的窗口或程序后重试；数据库未作任何修改。",
        ).format(location)
    if isinstance(error, DatabaseReadOnly):
        return QCoreApplication.translate(
            "ErrorReporting",
            "数据库 {0} 或其所在文件夹是只读的，无法写入。"
            "请检查文件权限或磁盘空间，或用 --db 指定其他位置；数据库未作任何修改。",
        ).format(location)
    if isinstance(error, DatabaseCorrupt):
        return QCoreApplication.translate(
            "ErrorReporting",
            "文件 {0} 不是本程序的数据库或已损坏。请从备份恢复，"
            "或用 --db 指定其他文件；该文件未作任何修改。",
        ).format(location)
    return QCoreApplication.translate("ErrorReporting", "无法打开数据库 {0}：{1}").format(
        location, str(error)
    )


def unexpected_error_message(log_file: Path) -> str:
    return QCoreApplication.translate(
        "ErrorReporting",
        "程序遇到了一个意外错误，刚才的操作可能没有完成。您可以继续工作；"
        "如果问题反复出现，请把日志文件 {0} 发给系统管理员。",
    ).format(log_file)


class _Reporter(QObject):
    """Shows the dialog on the GUI thread, whichever thread raised."""

    errorRaised = Signal(str, str)

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self._log_file = log_file
        self._showing = False
        self.errorRaised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, title: str, text: str) -> None:
        if self._showing:  # one dialog at a time; a burst of errors is all in the log
            return
        self._showing = True
        try:
            parent: QWidget | None = QApplication.activeWindow()
            QMessageBox.warning(parent, title, text)
        finally:
            self._showing = False

    def handle(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QTimer.singleShot(0, QApplication.quit)
            return
        if isinstance(value, DomainError):
            # A rule refused the action: the message is already a sentence for the user.
            log.info("refused: %s", value.message)
            self.errorRaised.emit(
                QCoreApplication.translate("ErrorReporting", "无法完成操作"), value.message
            )
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        self.errorRaised.emit(
            QCoreApplication.translate("ErrorReporting", "意外错误"),
            unexpected_error_message(self._log_file),
        )


_reporter: _Reporter | None = None


def install_excepthook(log_file: Path) -> None:
    global _reporter  # the hook itself is process-global, so is its reporter
    _reporter = _Reporter(log_file)
    sys.excepthook = _reporter.handle
