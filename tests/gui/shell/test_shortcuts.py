"""F1 lists every keyboard shortcut, read from the actions themselves, grouped by workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from ui.main_window import MainWindow
from ui.shortcuts import ShortcutsDialog

pytestmark = pytest.mark.gui


def open_window(qtbot: QtBot, ctx: AppContext, username: str) -> MainWindow:
    window = MainWindow(ctx, ctx.auth.login(username, DEMO_PASSWORD))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.startedUp, timeout=10_000):
        window.show()
    return window


def press_f1(qtbot: QtBot, window: MainWindow) -> ShortcutsDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def keys_the_widgets_carry(window: MainWindow) -> set[str]:
    """Every key a visible-text action or button in the window answers to, found by walking
    the widgets directly (not through ui.shortcuts)."""
    native = QKeySequence.SequenceFormat.NativeText
    keys = set()
    for action in window.findChildren(QAction):
        text, _, written = action.text().partition("\t")
        if not text.strip():
            continue
        if not action.shortcut().isEmpty():
            keys.add(action.shortcut().toString(native))
        elif written:
            keys.add(written.strip())
    for button in window.findChildren(QAbstractButton):
        if button.text() and not button.shortcut().isEmpty():
            keys.add(button.shortcut().toString(native))
    return keys


def test_f1_lists_every_key_of_the_menus_and_the_opened_workspaces(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = open_window(qtbot, ctx, "zhuren")
    for spec in window.specs:
        if spec.key != "video_wall":  # the wall is covered by its own suite; it plays
            window.showWorkspace(spec.key)
    dialog = press_f1(qtbot, window)
    listed = dialog.listed()
    assert {keys for _, keys, _ in listed} >= keys_the_widgets_carry(window)
    assert len(listed) >= 20
    assert dialog.groupTitles()[-len(window.specs) :] == [s.label for s in window.specs]
    incidents = {keys: text for group, keys, text in listed if group == "事件分流"}
    assert incidents["A"] == "立案受理" and incidents["E"] == "上报县级"
    assert incidents["Ctrl+N"] == "新建事件"
    assert ("帮助", "F1", "快捷键") in listed


def test_a_workspace_not_opened_yet_is_named_without_being_built(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = open_window(qtbot, ctx, "zhiban")
    dialog = press_f1(qtbot, window)
    titles = dialog.groupTitles()
    assert "视频墙" in titles
    wall = dialog.tree.topLevelItem(titles.index("视频墙"))
    assert wall.childCount() == 1 and "打开该工作区后" in wall.child(0).text(1)
    assert "video_wall" not in window.pages


def test_every_description_can_be_read_whole_even_where_its_column_cuts_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """The descriptions of the workspaces were cut with … at 640 px and could not be read."""
    window = open_window(qtbot, ctx, "zhuren")
    dialog = press_f1(qtbot, window)
    tree = dialog.tree
    assert dialog.width() >= 880
    metrics = tree.fontMetrics()
    for top in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount())):
        assert top is not None
        for row in (top.child(j) for j in range(top.childCount())):
            text = row.text(2)
            if text and metrics.horizontalAdvance(text) > tree.columnWidth(2) - 8:
                assert row.toolTip(2) == text
