"""A hurried clerk at the registration form: numbers pasted from documents and chat, and a
thermal printer that never answers (the screen must not freeze while it is tried)."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from centre_app.app_context import AppContext
from tests.gui.reception.test_reception_page import page_for

pytestmark = pytest.mark.gui

NUMBER = "33032719800315001" + ric.calc_check_digit("330327198003150010")


@pytest.fixture
def silent_printer() -> Iterator[str]:
    """host:port of a printer that never answers: its listen queue is full, so a new
    connection's SYN is dropped and the connect waits until it times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    address = f"127.0.0.1:{server.getsockname()[1]}"
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(server.getsockname())
        fillers.append(filler)
    yield address
    for filler in fillers:
        filler.close()
    server.close()


def test_a_printer_that_never_answers_leaves_the_screen_working_and_then_says_so(
    qtbot: QtBot, ctx: AppContext, silent_printer: str
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    page.ticket_target = f"escpos:{silent_printer}"
    page.name.setText("郑美玲")
    page.registerVisit()  # returns at once: the ticket goes out on its own thread
    assert page.ticket.text() == "A001"
    assert page.printing() and "正在打印小票 A001" in page.print_note.text()
    page.name.setText("李建华")  # the clerk goes on with the next visitor meanwhile
    QApplication.processEvents()
    assert page.printing()
    with qtbot.waitSignal(page.printed, timeout=10_000):
        pass
    assert "没有响应" in page.print_note.text() and "A001" in page.print_note.text()
    assert not page.printing()


def test_a_pdf_ticket_in_a_folder_that_cannot_be_written_names_the_file(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    page.ticket_target = f"pdf:{blocked / 'ticket.pdf'}"
    page.name.setText("郑美玲")
    page.registerVisit()
    assert page.ticket.text() == "A001"
    assert "无法写入" in page.print_note.text() and "ticket.pdf" in page.print_note.text()


@pytest.mark.parametrize(
    "pasted",
    [
        NUMBER + "\r\n",  # a cell copied from a spreadsheet
        " ".join(NUMBER),  # a number spaced out digit by digit (35 characters)
        NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "\u3000",
    ],
)
def test_an_id_number_pasted_into_the_form_is_taken_whole(
    qtbot: QtBot, ctx: AppContext, pasted: str
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    page.ticket_target = "没有这台打印机"
    page.name.setText("郑美玲")
    QApplication.clipboard().setText(pasted)
    page.id_number.setFocus()
    page.id_number.paste()
    page.registerVisit()
    assert page.ticket.text() == "A001", page.message.text()
    qtbot.waitUntil(page.settled)
    assert page.model.row_at(0).id_number == NUMBER[:4] + "*" * 10 + NUMBER[-4:]


@pytest.mark.parametrize("step", ["left", "recall", "transfer"])
def test_a_window_still_showing_a_ticket_another_desk_moved_does_not_act_on_it(
    qtbot: QtBot, ctx: AppContext, step: str
) -> None:
    from centre_app.demo import DEMO_PASSWORD
    from db.models.reception import TicketState

    page = page_for(qtbot, ctx, "jiedai")
    page.ticket_target = "没有这台打印机"
    page.name.setText("郑美玲")
    page.registerVisit()
    panel = page.window_panel
    panel.window_choice.setCurrentIndex(
        panel.window_choice.findText("1 号窗口", Qt.MatchFlag.MatchStartsWith)
    )
    qtbot.mouseClick(panel.buttons["callNext"], Qt.MouseButton.LeftButton)
    assert panel.current is not None and panel.current.code == "A001"
    ticket_id = panel.current.id
    # Desk 2 sends A001 to the petitions service; window 1 has not refreshed yet.
    other = ctx.auth.login("jiedai", DEMO_PASSWORD)
    petitions = next(s.id for s in ctx.hall.services() if s.letter == "B")
    ctx.hall.transfer(other, ticket_id, service_id=petitions)
    if step == "transfer":
        panel.transfer("C")
    else:
        qtbot.mouseClick(panel.buttons[step], Qt.MouseButton.LeftButton)
    moved = ctx.hall.ticket(ticket_id)
    assert (moved.state, moved.service_letter, moved.recalls) == (TicketState.WAITING, "B", 0)
    assert "已不在 1 号窗口" in panel.status.text()
    assert panel.current is None and panel.number.text() == "—"
