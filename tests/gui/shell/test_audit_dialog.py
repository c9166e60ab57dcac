"""The audit log reads as sentences: actions in words, objects by name, no codes or ids."""

from __future__ import annotations

import re

import pytest
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.settings import Key
from ui.audit_dialog import AuditDialog

pytestmark = pytest.mark.gui

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def cells(dialog: AuditDialog, column: int) -> list[str]:
    table = dialog.table
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_audit_log_shows_actions_in_words_and_objects_by_name(
    qtbot: QtBot, ctx: AppContext
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    ctx.settings.set(head, Key.DUE_SOON_HOURS, 12)
    dialog = AuditDialog(ctx, head)
    qtbot.addWidget(dialog)
    actions, objects = cells(dialog, 2), cells(dialog, 3)
    assert "登录" in actions and "修改设置" in actions
    assert not [a for a in actions if CODE.match(a)]
    everything = [
        dialog.table.item(r, c).text()
        for r in range(dialog.table.rowCount())
        for c in range(dialog.table.columnCount())
    ]
    assert not [text for text in everything if UUID.search(text)]
    assert "用户 黄志明" in objects
    assert "设置 即将超期提前量（小时）" in objects
    assert any(re.fullmatch(r"事件 \d{9}-\d{4}-\d{6}", o) for o in objects)


def test_choosing_an_action_in_words_filters_the_log(qtbot: QtBot, ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    ctx.settings.set(head, Key.DUE_SOON_HOURS, 12)
    dialog = AuditDialog(ctx, head)
    qtbot.addWidget(dialog)
    dialog.action_filter.setCurrentIndex(dialog.action_filter.findText("修改设置"))
    assert cells(dialog, 2) == ["修改设置"]
    dialog.action_filter.setCurrentIndex(dialog.action_filter.findText("核实通过"))
    assert set(cells(dialog, 2)) <= {"核实通过"}  # not 核实未通过: codes match exactly
