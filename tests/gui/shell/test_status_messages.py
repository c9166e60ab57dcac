"""A success is not drawn in the red of an error, and an error goes away once the user
starts fixing it (an edit) or the next action succeeds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.settings import Key
from ui.app import load_style_sheet
from ui.login_dialog import LoginDialog
from ui.reception.page import ReceptionPage
from ui.settings_dialog import SettingsDialog
from ui.status_message import MessageKind, message_kind

pytestmark = pytest.mark.gui

RED, GREEN = QColor("#b91c1c"), QColor("#15803d")


@pytest.fixture(autouse=True)
def app_style_sheet(qapp: QApplication) -> None:
    qapp.setStyleSheet(load_style_sheet())


def drawn_colour(label: QLabel) -> QColor:
    label.ensurePolished()
    return label.palette().color(label.foregroundRole())


def test_a_registered_visit_is_confirmed_in_green_and_a_refusal_in_red(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    page.name.setText("张三")
    body = "33032719750412123"
    right = ric.calc_check_digit(body + "0")
    qtbot.keyClicks(page.id_number, body + ("1" if right != "1" else "2"))
    page.registerVisit()
    assert message_kind(page.message) is MessageKind.ERROR
    assert drawn_colour(page.message) == RED

    page.id_number.clear()
    qtbot.keyClicks(page.id_number, body + right)
    page.registerVisit()
    assert "已登记" in page.message.text()
    assert message_kind(page.message) is MessageKind.SUCCESS
    assert drawn_colour(page.message) == GREEN


def test_typing_in_the_form_clears_a_stale_error(qtbot: QtBot, ctx: AppContext) -> None:
    page = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    page.registerVisit()  # nothing filled in
    assert message_kind(page.message) is MessageKind.ERROR and page.message.text()
    qtbot.keyClicks(page.phone, "1")
    assert page.message.text() == ""
    assert message_kind(page.message) is None


def test_a_refused_setting_is_explained_and_the_explanation_goes_when_corrected(
    qtbot: QtBot, ctx: AppContext
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    dialog = SettingsDialog(ctx, head)
    qtbot.addWidget(dialog)
    code = dialog.fields[Key.TOWNSHIP_CODE]
    assert isinstance(code, QLineEdit)
    code.setText("12")
    dialog.saveSettings()
    assert "乡镇代码" in dialog.error.text() and "9 位数字" in dialog.error.text()
    assert message_kind(dialog.error) is MessageKind.ERROR
    assert drawn_colour(dialog.error) == RED
    qtbot.keyClicks(code, "3")
    assert dialog.error.text() == ""
    assert ctx.settings.get(Key.TOWNSHIP_CODE) == "330327102"  # nothing was saved


def test_a_duty_officer_reads_that_settings_are_read_only_as_a_note_not_an_error(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = SettingsDialog(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(dialog)
    assert message_kind(dialog.error) is MessageKind.INFO
    assert drawn_colour(dialog.error) != RED


def test_a_wrong_password_message_goes_when_the_password_is_typed_again(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "zhiban")
    qtbot.keyClicks(dialog.password, "Demo2025")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "用户名或密码错误" in dialog.message.text()
    assert drawn_colour(dialog.message) == RED
    qtbot.keyClicks(dialog.password, "x")
    assert dialog.message.text() == ""
