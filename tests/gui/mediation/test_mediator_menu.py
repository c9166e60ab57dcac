"""调解菜单: a party picks a mediator from cards with the success rate and the next free
slots; the pick books the case's session (自选制) in one service call; a slot taken by
another desk meanwhile is refused in words and the menu is read again."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from centre_app.errors import ValidationError
from centre_app.mediation.menu import mediator_menu
from centre_app.mediation.service import SessionDraft
from db.models.mediation import CaseState, Selection, SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.cases_page import CasesPage
from ui.mediation.menu_dialog import MediatorMenu


def a_year_of_one_success_and_one_failure(centre: Centre, clock: ManualClock) -> None:
    """黄建平 sat in two cases this year: one resolved, one not (化解率 50 %)."""
    won = centre.case("甲", "乙", "劳资纠纷")
    lost = centre.case("丙", "丁", "劳资纠纷")
    first = centre.book("劳动争议调解室", "09:00", "10:00", case_id=won)
    second = centre.book("劳动争议调解室", "14:00", "15:00", case_id=lost)
    clock.set(at(MONDAY, "16:00"))
    centre.svc.set_status(centre.clerk, first, SessionStatus.HELD)
    centre.svc.set_status(centre.clerk, second, SessionStatus.HELD)
    centre.svc.record_outcome(centre.clerk, won, CaseState.SUCCEEDED, agreement_text="付清")
    centre.svc.record_outcome(centre.clerk, lost, CaseState.FAILED)


def open_menu(qtbot: QtBot, centre: Centre, case_title_part: str) -> tuple[CasesPage, MediatorMenu]:
    page = CasesPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.state.setCurrentIndex(page.state.findData(CaseState.ACCEPTED))
    page.table.selectRow(0)
    assert case_title_part in page.detail.text()
    assert page.menu_button.isEnabled()
    QTest.mouseClick(page.menu_button, Qt.MouseButton.LeftButton)
    menu = page.mediator_menu
    assert menu is not None
    # New cards are shown by the event loop after they join the layout: wait until they are.
    qtbot.waitUntil(
        lambda: bool(menu.slot_buttons) and all(b.isVisible() for b in menu.slot_buttons.values()),
        timeout=10_000,
    )
    return page, menu


def test_a_party_picks_a_mediator_from_the_menu_and_the_case_is_booked_self_chosen(
    qtbot: QtBot, centre: Centre, clock: ManualClock, screenshots: Path
) -> None:
    a_year_of_one_success_and_one_failure(centre, clock)
    case = centre.case("张三", "李四", "劳资纠纷")
    page, menu = open_menu(qtbot, centre, "张三诉李四")
    huang = next(e for e in menu.entries if e.name == "黄建平")
    assert menu.entries[0].specialities.count("劳资纠纷") == 1  # the case's category first
    assert huang.accepted == 2 and huang.resolved == 1
    card_text = " ".join(
        label.text() for label in menu.findChildren(type(menu.heading)) if "黄建平" in label.text()
    )
    assert "律师" in card_text and "浙江明镜律师事务所" in card_text
    assert any(
        "化解率 50%（1/2 件）" in label.text() for label in menu.findChildren(type(menu.heading))
    )
    slots = huang.next_slots
    assert len(slots) == 3
    assert all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(slots))
    assert slots[0].starts_at >= clock.now()
    menu.grab().save(str(screenshots / "mediation-menu.png"))
    button = menu.slot_buttons[(huang.mediator_id, 1)]
    with qtbot.waitSignal(menu.booked, timeout=5000) as booked:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    view = centre.svc.case(centre.clerk, case)
    assert view.selection is Selection.MENU and view.state is CaseState.IN_MEDIATION
    (session,) = view.sessions
    assert session.id == booked.args[0]
    assert session.mediator_names == ("黄建平",)
    assert (session.starts_at, session.ends_at) == (slots[1].starts_at, slots[1].ends_at)
    assert page.sessions.count() == 1 and "黄建平" in page.sessions.item(0).text()
    assert not menu.isVisible()


def test_a_slot_taken_by_another_desk_meanwhile_is_refused_in_words_and_the_menu_reread(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    case = centre.case("张三", "李四", "劳资纠纷")
    _page, menu = open_menu(qtbot, centre, "张三诉李四")
    huang = next(e for e in menu.entries if e.name == "黄建平")
    taken = huang.next_slots[0]
    other = centre.case("王五", "赵六", "邻里纠纷")
    centre.svc.book(  # another desk books 黄建平 for that hour first
        centre.clerk,
        SessionDraft(taken.room_id, taken.starts_at, taken.ends_at, [taken.mediator_id], other),
    )
    with qtbot.waitSignal(menu.loaded, timeout=10_000):
        QTest.mouseClick(menu.slot_buttons[(huang.mediator_id, 0)], Qt.MouseButton.LeftButton)
    assert "已有安排" in menu.status.text()
    assert "王五诉赵六（邻里纠纷）" in menu.status.text()
    fresh = next(e for e in menu.entries if e.name == "黄建平")
    assert fresh.next_slots[0].starts_at >= taken.ends_at
    assert centre.svc.case(centre.clerk, case).sessions == ()
    assert menu.isVisible()


def test_the_menu_refuses_a_silly_number_of_slots(centre: Centre) -> None:
    with pytest.raises(ValidationError, match="最多列出 10 个"):
        mediator_menu(centre.svc, centre.ctx.mediation_stats, centre.clerk, slots=500)


def test_picking_from_the_menu_without_a_case_is_refused(centre: Centre) -> None:
    draft = centre.draft("劳动争议调解室", "09:00", "10:00")
    with pytest.raises(ValidationError, match="须先选定调解案件"):
        centre.svc.book(centre.clerk, draft, selection=Selection.MENU)
    assert centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59")) == []
