"""A hurried clerk at the registration form: numbers pasted from documents and chat, and a
thermal printer that never answers (the screen must not freeze while it is tried)."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
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
