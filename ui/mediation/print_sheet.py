"""Printed day sheets through Qt's print support: one room's day for its door, and the
centre's day programme (every room). A QPdfWriter or a QPrinter is the paint device; a long
day continues on the next page with the header repeated; long titles wrap, nothing is cut."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter

from centre_app.clock import to_local
from centre_app.mediation.service import STATUS_LABELS, SessionView
from ui.app import chinese_font
from ui.messages import translate_template


def write_pdf(
    path: Path, title: str, day: dt.date, sessions: Sequence[SessionView], *, by_room: bool
) -> int:
    """Write the sheet as an A4 PDF; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    writer.setTitle(title)
    return paint_sheet(writer, title, day, sessions, by_room=by_room)


def paint_sheet(
    device: QPdfWriter | QPrinter,
    title: str,
    day: dt.date,
    sessions: Sequence[SessionView],
    *,
    by_room: bool,
) -> int:
    painter = QPainter(device)
    page = device.pageLayout().paintRectPixels(device.resolution())
    width, height = page.width(), page.height()
    scale = device.resolution() / 72  # points to device pixels
    body = chinese_font(int(10 * scale))
    head = QFont(body)
    head.setPixelSize(int(16 * scale))
    head.setBold(True)
    bold = QFont(body)
    bold.setBold(True)
    columns = [
        (QCoreApplication.translate("DaySheet", "时间"), 0.12),
        (QCoreApplication.translate("DaySheet", "调解室"), 0.18),
        (QCoreApplication.translate("DaySheet", "案件"), 0.28),
        (QCoreApplication.translate("DaySheet", "当事人"), 0.16),
        (QCoreApplication.translate("DaySheet", "调解员"), 0.16),
        (QCoreApplication.translate("DaySheet", "状态"), 0.10),
    ]
    pages = 1
    ordered = sorted(
        sessions,
        key=lambda s: (s.room_name, s.starts_at) if by_room else (s.starts_at, s.room_name),
    )

    def header(y: float) -> float:
        painter.setFont(head)
        painter.drawText(
            QRectF(0, y, width, 30 * scale),
            int(Qt.AlignmentFlag.AlignLeft),
            f"{title}  {day:%Y-%m-%d}",
        )
        y += 30 * scale
        painter.setFont(bold)
        x = 0.0
        for name, share in columns:
            painter.drawText(
                QRectF(x, y, width * share, 16 * scale), int(Qt.AlignmentFlag.AlignLeft), name
            )
            x += width * share
        y += 18 * scale
        painter.drawLine(0, int(y), width, int(y))
        painter.setFont(body)
        return y + 4 * scale

    y = header(0)
    if not ordered:
        painter.drawText(
            QRectF(0, y, width, 20 * scale),
            int(Qt.AlignmentFlag.AlignLeft),
            QCoreApplication.translate("DaySheet", "当天没有调解安排"),
        )
    for view in ordered:
        start, end = to_local(view.starts_at), to_local(view.ends_at)
        cells = [
            f"{start:%H:%M}–{end:%H:%M}",
            view.room_name,
            view.title,
            "、".join(view.party_names) or "—",
            "、".join(view.mediator_names),
            translate_template(STATUS_LABELS[view.status]),
        ]
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        row_height = (
            max(
                painter.boundingRect(
                    QRectF(0, 0, width * share - 6 * scale, 10_000), flags, text
                ).height()
                for text, (_n, share) in zip(cells, columns, strict=True)
            )
            + 6 * scale
        )
        if y + row_height > height:  # the day continues on the next page
            device.newPage()
            pages += 1
            y = header(0)
        x = 0.0
        for text, (_name, share) in zip(cells, columns, strict=True):
            painter.drawText(QRectF(x, y, width * share - 6 * scale, row_height), flags, text)
            x += width * share
        y += row_height
        painter.drawLine(0, int(y - 2 * scale), width, int(y - 2 * scale))
    painter.end()
    return pages
