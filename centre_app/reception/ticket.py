"""The printed queue ticket (排队小票): what it says, its QR code, and ESC/POS bytes for a
thermal printer (Chinese in GB18030, which such printers take in their Chinese mode).

Drawing on paper or PDF through Qt lives in ui/reception/ticket_print.py; this module has
no Qt so the content and the printer bytes are tested without a screen. A ticket carries
no personal data: centre, number, service, time, people ahead and the visit id.
"""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from dataclasses import dataclass

import segno

from centre_app.clock import to_local

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
PRINTER_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class TicketSlip:
    centre_name: str
    code: str
    service_name: str
    issued_at: dt.datetime
    people_ahead: int
    visit_id: uuid.UUID

    @property
    def local_time(self) -> str:
        return to_local(self.issued_at).strftime("%Y-%m-%d %H:%M")

    def lines(self) -> list[str]:
        """The text lines in print order (the number is printed large between them)."""
        return [
            self.centre_name,
            self.service_name,
            self.code,
            f"取号时间 {self.local_time}",
            f"您前面还有 {self.people_ahead} 人",
            "请留意叫号屏和语音叫号",
        ]


def qr_matrix(visit_id: uuid.UUID) -> list[list[bool]]:
    """The QR code of the visit id as rows of dark (True) modules, no quiet zone."""
    code = segno.make(str(visit_id), error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def escpos_bytes(slip: TicketSlip) -> bytes:
    """ESC/POS for a 58/80 mm thermal printer: Chinese mode, the number at 4× size, the
    QR code by the printer's own QR command, a cut."""

    def text(value: str) -> bytes:
        return value.encode("gb18030") + b"\n"

    qr_data = str(slip.visit_id).encode("ascii")
    store_len = len(qr_data) + 3
    out = bytearray()
    out += ESC + b"@"  # initialise
    out += FS + b"&"  # Chinese character mode
    out += ESC + b"a\x01"  # centred
    out += ESC + b"E\x01" + text(slip.centre_name) + ESC + b"E\x00"
    out += text(slip.service_name)
    out += GS + b"!\x33" + text(slip.code) + GS + b"!\x00"  # 4× wide and high
    out += text(f"取号时间 {slip.local_time}")
    out += text(f"您前面还有 {slip.people_ahead} 人")
    # QR: model 2, module size 6, error level M, store, print.
    out += GS + b"(k\x04\x00\x31\x41\x32\x00"
    out += GS + b"(k\x03\x00\x31\x43\x06"
    out += GS + b"(k\x03\x00\x31\x45\x31"
    out += GS + b"(k" + bytes((store_len % 256, store_len // 256)) + b"\x31\x50\x30" + qr_data
    out += GS + b"(k\x03\x00\x31\x51\x30"
    out += text("请留意叫号屏和语音叫号")
    out += b"\n\n\n" + GS + b"V\x42\x00"  # feed and partial cut
    return bytes(out)


class PrinterError(Exception):
    """The printer could not take the ticket (the reason is for the log, not the visitor)."""


class PrinterAddressError(PrinterError):
    """The configured address is not `host:port` (a setting to correct, not a failure)."""


def printer_address(address: str) -> tuple[str, int]:
    """(host, port) of `host:port`, `[IPv6]:port` too; PrinterAddressError otherwise."""
    host, _, port = address.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise PrinterAddressError("printer address is not host:port")
    return host, int(port)


def send_to_thermal(address: str, data: bytes, timeout_s: float = PRINTER_TIMEOUT_S) -> None:
    """Send raw ESC/POS to a network thermal printer at `host:port` (port 9100 usual).
    Takes up to `timeout_s` (longer while a host name is looked up): never call it on
    the GUI thread."""
    host, port = printer_address(address)
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as conn:
            conn.sendall(data)
    except OSError as error:
        raise PrinterError(type(error).__name__) from error
