"""The line the clerk reads after registering says where the visitor goes, in a sentence
that reads naturally in Chinese and in English, for every route."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from db.models.reception import VisitRoute
from ui.app import install_translations
from ui.reception.page import ReceptionPage

pytestmark = pytest.mark.gui


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "en")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def register(qtbot: QtBot, ctx: AppContext, name: str, route: VisitRoute) -> ReceptionPage:
    page = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    page.ticket_target = "escpos:127.0.0.1:9"  # nothing listens: the number stays on screen
    page.name.setText(name)
    page.summary.setPlainText("咨询宅基地审批手续")
    page.route.setCurrentIndex(page.route.findData(route))
    page.registerVisit()
    return page


def test_a_window_visit_is_told_its_number_service_and_people_ahead(
    qtbot: QtBot, ctx: AppContext
) -> None:
    register(qtbot, ctx, "林一", VisitRoute.WINDOW)
    page = register(qtbot, ctx, "金小军", VisitRoute.WINDOW)
    number = page.ticket.text()
    service = page.service.currentText().split(" ", 1)[1]
    assert page.message.text() == (
        f"已登记：金小军，{number} 号（{service}），前面还有 1 人，请在大厅等候叫号"
    )
    assert "请到 " + service not in page.message.text()


def test_a_first_visitor_is_told_no_one_is_ahead(qtbot: QtBot, ctx: AppContext) -> None:
    page = register(qtbot, ctx, "金小军", VisitRoute.WINDOW)
    assert page.message.text().endswith("前面没有人，请留意叫号")


def test_a_mediation_room_and_a_department_visit_are_sent_to_the_place_by_name(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = register(qtbot, ctx, "金小军", VisitRoute.MEDIATION_ROOM)
    room = page.target.currentText()
    assert page.message.text() == (
        f"已登记：金小军，请到调解室“{room}”，排队号 {page.ticket.text()}"
    )
    page = register(qtbot, ctx, "郑美玲", VisitRoute.DEPARTMENT)
    body = page.target.currentText()
    assert page.message.text() == f"已登记：郑美玲，请到“{body}”办理，排队号 {page.ticket.text()}"


def test_the_registration_line_reads_in_english_on_every_route(
    qtbot: QtBot, ctx: AppContext, english: None
) -> None:
    page = register(qtbot, ctx, "金小军", VisitRoute.WINDOW)
    number = page.ticket.text()
    service = page.service.currentText().split(" ", 1)[1]
    assert page.message.text() == (
        f"Registered: 金小军, ticket {number} ({service}); no one ahead, please watch "
        "for the number to be called"
    )
    page = register(qtbot, ctx, "林一", VisitRoute.WINDOW)
    assert page.message.text().endswith("1 ahead; please wait in the hall to be called")
    page = register(qtbot, ctx, "郑美玲", VisitRoute.MEDIATION_ROOM)
    assert page.message.text() == (
        f"Registered: 郑美玲; please go to the mediation room “{page.target.currentText()}”, "
        f"queue number {page.ticket.text()}"
    )
    page = register(qtbot, ctx, "王五", VisitRoute.DEPARTMENT)
    assert page.message.text() == (
        f"Registered: 王五; please go to “{page.target.currentText()}”, "
        f"queue number {page.ticket.text()}"
    )
