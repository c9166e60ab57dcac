"""Bulk triage on a multi-row selection: every row goes through the service on its own
(each one its own transaction, its own compare-and-set on the state the officer saw), so
one case taken by a colleague meanwhile fails alone and the rest are applied. The outcome
is told in one sentence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from centre_app.errors import DomainError
from centre_app.incidents.queries import QueueRow
from ui.messages import error_text


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)  # case numbers
    failed: list[tuple[str, str]] = field(default_factory=list)  # (case number, message)


def apply_to_rows(rows: Sequence[QueueRow], one: Callable[[QueueRow], object]) -> BulkResult:
    """Run `one` for every row; a refusal (DomainError) is collected, never stops the rest."""
    result = BulkResult()
    for row in rows:
        try:
            one(row)
        except DomainError as error:
            result.failed.append((row.case_no, error_text(error)))
        else:
            result.done.append(row.case_no)
    return result


def summary(result: BulkResult, label: str) -> str:
    """'批量派遣：3 件已处理，1 件未处理：事件 … 已被 张三（zhangsan）处理为“已派遣”…'"""
    head = QCoreApplication.translate("BulkActions", "批量{0}：{1} 件已处理").format(
        label, len(result.done)
    )
    if not result.failed:
        return head + QCoreApplication.translate("BulkActions", "。")
    # The same refusal for many rows (e.g. no department chosen) is said once, with the
    # case numbers it applies to; a conflict already names its case.
    by_message: dict[str, list[str]] = {}
    for case_no, message in result.failed:
        # The queue is refreshed right after, so the advice to refresh is moot here.
        message = message.removesuffix("请刷新后再操作。").rstrip("。")
        by_message.setdefault(message, []).append(case_no)
    reasons = [
        message
        if len(cases) == 1 and cases[0] in message
        else "、".join(cases) + QCoreApplication.translate("BulkActions", "：") + message
        for message, cases in by_message.items()
    ]
    return (
        head
        + QCoreApplication.translate("BulkActions", "，{0} 件未处理：").format(len(result.failed))
        + "；".join(reasons)
        + QCoreApplication.translate("BulkActions", "。")
    )


class BulkButton(QPushButton):
    """The 批量 menu above the table; each entry acts on every selected row (the same as
    its one-key shortcut while several rows are selected)."""

    def __init__(
        self, entries: Sequence[tuple[str, str, Callable[[], None]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkActions")
        self.setText(self.tr("批量"))
        self.setToolTip(self.tr("对选中的多件事件一并操作（Shift/Ctrl 多选）"))
        menu = QMenu(self)
        for text, key, slot in entries:
            action = QAction(f"{text}\t{key}", menu)
            action.setToolTip(self.tr("{0}（选中的全部事件，{1}）").format(text, key))
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)
        self.setMenu(menu)
