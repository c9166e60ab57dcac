"""The ticket's content, its QR code, and ESC/POS bytes sent to a (local) thermal printer."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import uuid

import pytest

from centre_app.reception.ticket import (
    PrinterError,
    TicketSlip,
    escpos_bytes,
    qr_matrix,
    send_to_thermal,
)
from tests.support.postgres import free_port

SLIP = TicketSlip(
    "金乡镇社会治理综合指挥中心",
    "B012",
    "信访接待",
    dt.datetime(2026, 11, 20, 2, 5, tzinfo=dt.UTC),
    3,
    uuid.UUID("01937c5e-0000-7000-8000-000000000001"),
)


def test_the_ticket_says_centre_number_service_local_time_and_people_ahead() -> None:
    assert SLIP.lines()[:5] == [
        "金乡镇社会治理综合指挥中心",
        "信访接待",
        "B012",
        "取号时间 2026-11-20 10:05",
        "您前面还有 3 人",
    ]


def test_the_qr_code_is_square_and_holds_the_visit_id() -> None:
    matrix = qr_matrix(SLIP.visit_id)
    assert len(matrix) == len(matrix[0]) >= 21
    assert matrix[0][:7] == [True] * 7  # a finder pattern in the corner


def test_escpos_prints_chinese_in_gb18030_with_the_number_large_and_a_cut() -> None:
    data = escpos_bytes(SLIP)
    assert data.startswith(b"\x1b@\x1c&")
    assert "金乡镇社会治理综合指挥中心".encode("gb18030") in data
    assert b"\x1d!\x33B012\n\x1d!\x00" in data
    assert str(SLIP.visit_id).encode() in data
    assert data.endswith(b"\x1dVB\x00")


def test_a_thermal_printer_on_the_network_receives_the_bytes() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(4096):
                received.extend(chunk)

    thread = threading.Thread(target=accept)
    thread.start()
    send_to_thermal(f"127.0.0.1:{port}", escpos_bytes(SLIP))
    thread.join(5)
    server.close()
    assert bytes(received) == escpos_bytes(SLIP)


def test_a_printer_that_is_not_there_raises_a_printer_error_quickly() -> None:
    with pytest.raises(PrinterError):
        send_to_thermal(f"127.0.0.1:{free_port()}", b"x", timeout_s=1)
    with pytest.raises(PrinterError):
        send_to_thermal("no-port", b"x")
