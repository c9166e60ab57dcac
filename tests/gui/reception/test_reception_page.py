"""The reception clerk registers visitors from the keyboard and finds them again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from ui.reception.page import ReceptionPage

pytestmark = pytest.mark.gui


def page_for(qtbot: QtBot, ctx: AppContext, username: str) -> ReceptionPage:
    page = ReceptionPage(ctx, ctx.auth.login(username, DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    return page


def test_clerk_registers_a_collective_visit_and_gets_a_ticket(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    body = "33032719750412123"
    page.name.setText("吴海燕")  # QTest cannot type non-ASCII keys
    qtbot.keyClicks(page.id_number, body + ric.calc_check_digit(body + "0"))
    qtbot.keyClicks(page.phone, "13957700123")
    page.group_size.setValue(12)
    assert "集体访" in page.group_note.text()
    page.summary.setPlainText("某服装厂工人集体反映被拖欠工资")
    qtbot.keyClick(page.register_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.ticket.text() == "A001"
    assert page.name.text() == ""
    first = page.model.row_at(0)
    assert first.visitor_name == "吴海燕" and first.is_group_visit
    assert first.id_number.startswith("3303") and "*" in first.id_number


def test_a_wrong_check_digit_is_explained_and_the_form_keeps_its_text(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    page.name.setText("张三")
    body = "33032719750412123"
    right = ric.calc_check_digit(body + "0")
    qtbot.keyClicks(page.id_number, body + ("1" if right != "1" else "2"))
    page.registerVisit()
    assert "校验位" in page.message.text()
    assert page.name.text() == "张三"
    assert page.ticket.text() == ""


def test_search_by_pinyin_initials_filters_the_register(qtbot: QtBot, ctx: AppContext) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    everyone = page.model.rowCount()
    name = page.model.row_at(0).visitor_name
    from centre_app.reception.visits import name_initials

    qtbot.keyClicks(page.search, name_initials(name))
    qtbot.waitUntil(lambda: page.model.rowCount() < everyone or everyone == 1)
    assert all(name_initials(page.model.row_at(r).visitor_name).startswith(name_initials(name))
               for r in range(page.model.rowCount()))
