"""设置 in two groups: the centre's (read-only without the permission) and this workstation's
(language, the centre database's URL, the ticket printer), typed and saved with the keyboard
and mouse as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.settings import CENTRE_KEYS, DESK_KEYS, Key
from db.models import Setting
from ui.reception.page import ReceptionPage
from ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui

PG = "postgresql+psycopg://zongzhi:s3cret@192.168.1.10:5432/zongzhi"


def open_dialog(qtbot: QtBot, ctx: AppContext, username: str) -> SettingsDialog:
    dialog = SettingsDialog(ctx, ctx.auth.login(username, DEMO_PASSWORD))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def click_save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def test_the_centre_head_points_this_desk_at_the_centre_server_for_the_next_start(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, ctx, "zhuren")
    assert dialog.centre_group.isVisible() and dialog.desk_group.isVisible()
    in_desk_group = {k for k in dialog.fields if dialog.desk_group.isAncestorOf(dialog.fields[k])}
    assert (
        in_desk_group
        == {k for k in DESK_KEYS if k.value.shown}
        == {
            Key.LANGUAGE,
            Key.DATABASE_URL,
            Key.TICKET_PRINTER,
            Key.FILE_CACHE_MB,
        }
    )
    assert all(dialog.fields[k].isEnabled() for k in CENTRE_KEYS)
    note = dialog.database_note.text()
    assert "重新启动" in note and "--db" in note and "centre.db" in note  # what it uses now
    url = dialog.fields[Key.DATABASE_URL]
    assert isinstance(url, QLineEdit) and url.echoMode() is QLineEdit.EchoMode.PasswordEchoOnEdit

    type_into(qtbot, url, "mysql://u:p@host/db")
    click_save(qtbot, dialog)
    assert dialog.isVisible() and "中心数据库地址" in dialog.error.text()
    assert "不支持数据库类型" in dialog.error.text()
    assert not ctx.settings.desk.path.exists()  # nothing saved

    type_into(qtbot, url, PG)
    assert dialog.error.text() == ""  # the explanation goes once the user edits
    dialog.grab().save(str(tmp_path / "settings.png"))
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.restart_needed
    assert json.loads(ctx.settings.desk.path.read_text(encoding="utf-8")) == {"database_url": PG}
    with ctx.session_factory() as session:  # the password never reaches the centre database
        assert "database_url" not in set(session.scalars(select(Setting.key)))
    assert str(ctx.engine.url).startswith("sqlite")  # still this database until the restart


def test_a_clerk_sets_the_ticket_printer_of_their_window_but_cannot_change_the_centre(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZONGZHI_TICKET_PRINTER", raising=False)
    page = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))  # open all along
    qtbot.addWidget(page)
    assert page.ticket_target == ""  # the default printer until set
    dialog = open_dialog(qtbot, ctx, "jiedai")
    assert not dialog.editable and "只有中心主任" in dialog.error.text()
    assert not any(dialog.fields[k].isEnabled() for k in CENTRE_KEYS)
    name = dialog.fields[Key.TOWNSHIP_NAME]
    assert isinstance(name, QLineEdit)
    name.setText("灵溪镇")  # even a value forced into a disabled field is not saved
    printer = dialog.fields[Key.TICKET_PRINTER]
    assert isinstance(printer, QLineEdit)
    pdf = tmp_path / "ticket.pdf"
    type_into(qtbot, printer, "escpos:192.168.1.50:99999")
    click_save(qtbot, dialog)
    assert "小票打印机" in dialog.error.text() and "escpos:主机:端口" in dialog.error.text()
    type_into(qtbot, printer, f"pdf:{pdf}")
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.restart_needed
    assert ctx.settings.get(Key.TOWNSHIP_NAME) == "金乡镇"

    assert page.ticket_target == f"pdf:{pdf}"  # the next ticket goes there
    page.name.setText("郑美玲")
    page.registerVisit()
    assert pdf.read_bytes().startswith(b"%PDF-") and "已打印" in page.print_note.text()

    monkeypatch.setenv("ZONGZHI_TICKET_PRINTER", "pdf:/tmp/override.pdf")
    overridden = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(overridden)
    assert overridden.ticket_target == "pdf:/tmp/override.pdf"  # the environment still wins


def test_the_mediation_rule_is_chosen_in_words_not_typed_as_a_stored_code(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """It showed a line edit holding "refuse" (English in the Chinese interface, and a
    code the head had to know); it is a choice of two sentences, saved as the code."""
    from PySide6.QtWidgets import QComboBox

    dialog = open_dialog(qtbot, ctx, "zhuren")
    field = dialog.fields[Key.MEDIATION_SOFT_RULES]
    assert isinstance(field, QComboBox)
    assert field.currentText() == "拒绝预约"
    assert [field.itemText(i) for i in range(field.count())] == [
        "拒绝预约",
        "提醒，由接待员确认",
    ]
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.view(), Qt.Key.Key_Down)
    qtbot.keyClick(field.view(), Qt.Key.Key_Return)
    assert field.currentData() == "warn"
    with qtbot.waitSignal(dialog.accepted):
        click_save(qtbot, dialog)
    assert ctx.settings.get(Key.MEDIATION_SOFT_RULES) == "warn"
