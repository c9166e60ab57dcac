"""Printing the queue ticket through Qt's print support (a printer or a PDF), or raw
ESC/POS to a thermal printer. A printer that is missing or fails never loses anything:
the visit is already saved, the number stays large on screen and the clerk is told."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from centre_app.reception.ticket import (
    PrinterAddressError,
    PrinterError,
    TicketSlip,
    escpos_bytes,
    qr_matrix,
    send_to_thermal,
)
from ui.app import chinese_font

log = logging.getLogger(__name__)
TICKET_MM = QSizeF(80, 110)


def tr(text: str) -> str:
    return QCoreApplication.translate("TicketPrint", text)


def print_ticket(slip: TicketSlip, target: str) -> str | None:
    """Print to `target`: 'escpos:host:port', 'pdf:/path/file.pdf', a printer name, or ''
    for the default printer. None when printed, else what the clerk is told."""
    if target.startswith("escpos:"):
        address = target.removeprefix("escpos:")
        try:
            send_to_thermal(address, escpos_bytes(slip))
        except PrinterAddressError:
            return tr(
                "小票打印机地址“{0}”不对，应为“主机:端口”（如 192.168.1.50:9100）；"
                "号码 {1} 已显示在屏幕上，请告诉来访人。"
            ).format(address[:40], slip.code)
        except PrinterError as error:
            log.warning("thermal printer failed: %s", error)
            return tr("小票打印机没有响应，号码 {0} 已显示在屏幕上，请告诉来访人。").format(
                slip.code
            )
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if target.startswith("pdf:"):
        path = Path(target.removeprefix("pdf:"))
        try:  # Qt only says "false": find out here, and say which file and why
            with path.open("wb"):
                pass
        except OSError:
            return tr(
                "小票文件“{0}”无法写入（文件夹不存在或没有写入权限），"
                "号码 {1} 已显示在屏幕上，请告诉来访人。"
            ).format(str(path), slip.code)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
    else:
        name = target or QPrinterInfo.defaultPrinterName()
        if not name or name not in QPrinterInfo.availablePrinterNames():
            return tr("没有找到打印机，号码 {0} 已显示在屏幕上，请告诉来访人。").format(slip.code)
        printer.setPrinterName(name)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(TICKET_MM, QPageSize.Unit.Millimeter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(4, 4, 4, 4),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        return tr("打印机无法打印，号码 {0} 已显示在屏幕上，请告诉来访人。").format(slip.code)
    try:
        draw_ticket(painter, QRectF(printer.pageRect(QPrinter.Unit.DevicePixel)), slip)
    finally:
        painter.end()
    return None


def draw_ticket(painter: QPainter, page: QRectF, slip: TicketSlip) -> None:
    width, top = page.width(), page.top()
    unit = width / 72  # about one millimetre on an 80 mm ticket

    def line(text: str, points_mm: float, bold: bool = False, gap: float = 1.6) -> None:
        nonlocal top
        painter.setFont(chinese_font(round(points_mm * unit), bold=bold))
        height = points_mm * unit * gap
        painter.drawText(
            QRectF(page.left(), top, width, height), int(Qt.AlignmentFlag.AlignCenter), text
        )
        top += height

    painter.setPen(QColor("black"))
    line(slip.centre_name, 4, bold=True)
    line(slip.service_name, 5)
    line(slip.code, 16, bold=True, gap=1.3)
    line(tr("取号时间 {0}").format(slip.local_time), 3.4)
    line(tr("您前面还有 {0} 人").format(slip.people_ahead), 4, bold=True)
    matrix = qr_matrix(slip.visit_id)
    size = 30 * unit
    cell = size / len(matrix)
    left = page.left() + (width - size) / 2
    top += 2 * unit
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(
                    QRectF(left + x * cell, top + y * cell, cell, cell), QColor("black")
                )
    top += size + 2 * unit
    line(tr("请留意叫号屏和语音叫号"), 3.4)
