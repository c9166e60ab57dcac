"""The shell around the workspaces: sign in, navigate, settings, errors, languages."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.settings import CENTRE_KEYS, DESK_KEYS, Key
from db.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnreachable,
    SchemaTooNew,
)
from ui.error_reporting import database_error_message, install_excepthook
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.workspaces import WORKSPACES

pytestmark = pytest.mark.gui


def sign_in(qtbot: QtBot, ctx: AppContext, username: str, password: str) -> LoginDialog:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    return dialog


def open_main_window(qtbot: QtBot, ctx: AppContext, username: str) -> MainWindow:
    dialog = sign_in(qtbot, ctx, username, DEMO_PASSWORD)
    assert dialog.actor is not None
    window = MainWindow(ctx, dialog.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_login_with_a_demo_account_accepts_the_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = sign_in(qtbot, ctx, "zhiban", DEMO_PASSWORD)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.display_name == "王晓燕"


def test_wrong_password_keeps_the_dialog_open_with_a_chinese_message(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = sign_in(qtbot, ctx, "zhiban", "Demo2025")
    assert dialog.isVisible()
    assert dialog.actor is None
    assert "用户名或密码错误" in dialog.message.text()
    assert dialog.password.hasSelectedText()


def test_the_demo_database_tells_the_user_which_accounts_exist(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    hint = dialog.findChild(QLabel, "demoHint")
    assert hint is not None and "zhiban" in hint.text() and DEMO_PASSWORD in hint.text()


def test_duty_officer_switches_workspaces_with_keyboard_shortcuts(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = open_main_window(qtbot, ctx, "zhiban")
    assert window.currentWorkspace() == "incidents"
    for spec in window.specs:
        window.workspace_actions[spec.key].trigger()
        assert window.currentWorkspace() == spec.key
        assert window.stack.currentWidget() is window.pages[spec.key]
    assert "王晓燕" in window.user_label.text()
    assert "未配置" in window.link_label.text()


def test_navigation_list_opens_the_clicked_workspace(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_main_window(qtbot, ctx, "zhuren")
    row = next(i for i, s in enumerate(window.specs) if s.key == "dashboard")
    item = window.navigation.item(row)
    qtbot.mouseClick(
        window.navigation.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.navigation.visualItemRect(item).center(),
    )
    assert window.currentWorkspace() == "dashboard"


def test_each_role_sees_only_the_workspaces_it_may_open(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = open_main_window(qtbot, ctx, "jiedai")
    keys = [s.key for s in clerk.specs]
    assert "reception" in keys and "video_wall" not in keys
    head = open_main_window(qtbot, ctx, "zhuren")
    assert {s.key for s in head.specs} == {s.key for s in WORKSPACES}


def test_settings_dialog_refuses_a_bad_value_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    dialog = SettingsDialog(ctx, head)
    qtbot.addWidget(dialog)
    name = dialog.fields[Key.TOWNSHIP_NAME]
    code = dialog.fields[Key.TOWNSHIP_CODE]
    assert isinstance(name, QLineEdit) and isinstance(code, QLineEdit)
    name.setText("灵溪镇")
    code.setText("12ab")
    dialog.saveSettings()
    assert dialog.isVisible() or dialog.result() == 0
    assert "乡镇代码" in dialog.error.text()
    assert ctx.settings.get(Key.TOWNSHIP_NAME) == "金乡镇"
    code.setText("330327101")
    hours = dialog.fields[Key.DUE_SOON_HOURS]
    assert isinstance(hours, QSpinBox)
    hours.setValue(8)
    dialog.saveSettings()
    assert ctx.settings.get(Key.TOWNSHIP_NAME) == "灵溪镇"
    assert ctx.settings.get(Key.DUE_SOON_HOURS) == 8


def test_settings_are_read_only_for_duty_staff(qtbot: QtBot, ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    dialog = SettingsDialog(ctx, duty)
    qtbot.addWidget(dialog)
    assert not dialog.editable
    assert all(not dialog.fields[key].isEnabled() for key in CENTRE_KEYS)
    assert all(f.isEnabled() for k, f in dialog.fields.items() if k in DESK_KEYS)  # their own desk
    assert "只有中心主任" in dialog.error.text()


def test_unexpected_error_shows_a_chinese_dialog_logs_the_traceback_and_keeps_running(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text))
    )
    log_file = tmp_path / "centre.log"
    previous = sys.excepthook
    install_excepthook(log_file)
    try:

        def broken_slot() -> None:
            raise ZeroDivisionError("boom in a slot")

        with caplog.at_level(logging.ERROR):
            QTimer.singleShot(0, broken_slot)
            qtbot.waitUntil(lambda: bool(shown))
    finally:
        sys.excepthook = previous
    title, text = shown[0]
    assert title == "意外错误"
    assert "意外错误" in text and str(log_file) in text
    assert "ZeroDivisionError: boom in a slot" in caplog.text
    caplog.clear()  # the logged error was the point
    assert QApplication.instance() is not None


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (SchemaTooNew({"9999"}), "更新版本"),
        (DatabaseLocked("locked"), "占用"),
        (DatabaseReadOnly("readonly"), "只读"),
        (DatabaseCorrupt("not a database"), "损坏"),
        (DatabaseUnreachable("connection refused"), "无法连接中心数据库服务器"),
    ],
)
def test_database_problems_read_as_chinese_advice(
    qapp: QApplication, error: Exception, words: str
) -> None:
    message = database_error_message(error, "/data/centre.db")  # type: ignore[arg-type]
    assert words in message and "/data/centre.db" in message and "未作任何修改" in message


def test_english_is_available_through_the_compiled_catalogue(qapp: QApplication) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.app import install_translations

    translators = install_translations(qapp, "en")
    try:
        assert QCoreApplication.translate("Workspaces", "视频墙") == "Video wall"
        assert QCoreApplication.translate("LoginDialog", "登录") == "Sign in"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("Workspaces", "视频墙") == "视频墙"
