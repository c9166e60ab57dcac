"""The calendar grid, painted by hand on a scroll area's viewport.

Columns are (day, resource) pairs: rooms for one day (day view), every room of every day of
the week (week view) or mediators (by-mediator view). A block is a session; dragging it moves
it (to another room too), dragging its bottom edge resizes it. While dragging, `clashFor`
(asked of the page) says what the new place would clash with and the ghost turns red with
that sentence; on drop the page asks the service, which refuses a clash in words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Property, QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from centre_app.clock import LOCAL_TZ
from centre_app.mediation.rules import WEEKDAY_NAMES
from centre_app.mediation.service import SessionView
from db.models.mediation import SessionStatus
from ui.messages import translate_template

DAY_START = dt.time(8, 0)
DAY_END = dt.time(18, 0)
SNAP_MINUTES = 15
HEADER = 46  # px: day and resource names
GUTTER = 52  # px: the hours on the left
EDGE = 6  # px: the bottom edge that resizes


@dataclass(frozen=True)
class Column:
    day: dt.date
    key: uuid.UUID  # room id (day and week views) or mediator id (by-mediator view)
    label: str


@dataclass(frozen=True)
class Proposal:
    """Where a dragged block would go."""

    session_id: uuid.UUID
    column: Column
    starts_at: dt.datetime
    ends_at: dt.datetime


ClashFor = Callable[[Proposal], str]


class CalendarGrid(QAbstractScrollArea):
    sessionActivated = Signal(object)  # session id (double-click or Enter)
    moveRequested = Signal(object)  # Proposal, on drop
    clashChanged = Signal(str)  # while dragging: the clash sentence, "" when free
    dayStepped = Signal(int)  # arrows: -1 / +1 day
    todayRequested = Signal()
    newRequested = Signal(object)  # (day, start time) of the selected cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediationGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self._columns: list[Column] = []
        self._sessions: list[SessionView] = []
        self._by_mediator = False
        # Which day is drawn as today: the page sets the app's clock (a manual clock in
        # tests and the demo), the wall clock otherwise.
        self.today: Callable[[], dt.date] = lambda: dt.datetime.now(LOCAL_TZ).date()
        self.clash_for: ClashFor = lambda _p: ""
        self._drag: tuple[SessionView, str, QPoint] | None = None  # session, move/resize, at
        self.proposal: Proposal | None = None
        self.clash = ""
        self.selected_day: dt.date | None = None
        self._colours = {
            "planned": QColor("#3b7dd8"),
            "held": QColor("#2e9d5b"),
            "no_show": QColor("#d9891c"),
            "cancelled": QColor("#9aa0a6"),
            "duty": QColor("#7e57c2"),
            "clash": QColor("#d93025"),
            "grid": QColor("#dadce0"),
            "header": QColor("#f1f3f4"),
        }

    # --- colours from the style sheet (qproperty-plannedColor: #...) -------------------

    def _get(self, key: str) -> QColor:
        return self._colours[key]

    def _setter(key: str) -> Callable[[CalendarGrid, QColor], None]:  # type: ignore[misc]
        def set_(self: CalendarGrid, colour: QColor) -> None:
            self._colours[key] = QColor(colour)
            self.viewport().update()

        return set_

    plannedColor = Property(QColor, lambda s: s._get("planned"), _setter("planned"))
    heldColor = Property(QColor, lambda s: s._get("held"), _setter("held"))
    noShowColor = Property(QColor, lambda s: s._get("no_show"), _setter("no_show"))
    dutyColor = Property(QColor, lambda s: s._get("duty"), _setter("duty"))
    clashColor = Property(QColor, lambda s: s._get("clash"), _setter("clash"))
    gridColor = Property(QColor, lambda s: s._get("grid"), _setter("grid"))
    headerColor = Property(QColor, lambda s: s._get("header"), _setter("header"))

    # --- content ------------------------------------------------------------------------

    def set_content(
        self,
        columns: Sequence[Column],
        sessions: Sequence[SessionView],
        *,
        by_mediator: bool = False,
    ) -> None:
        self._columns = list(columns)
        self._sessions = list(sessions)
        self._by_mediator = by_mediator
        self._drag, self.proposal, self.clash = None, None, ""
        self.viewport().update()

    @property
    def dragging(self) -> bool:
        """A block is being moved or resized (setting sessions now would drop the drag)."""
        return self._drag is not None

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    # --- geometry -----------------------------------------------------------------------

    def _minutes(self) -> int:
        return (DAY_END.hour - DAY_START.hour) * 60

    def _px_per_minute(self) -> float:
        return max(0.9, (self.viewport().height() - HEADER - 12) / self._minutes())

    def _column_width(self) -> float:
        return max(24.0, (self.viewport().width() - GUTTER) / max(1, len(self._columns)))

    def column_rect(self, index: int) -> QRectF:
        w = self._column_width()
        return QRectF(GUTTER + index * w, HEADER, w, 6 + self._minutes() * self._px_per_minute())

    def y_for(self, local: dt.time) -> float:
        minutes = (local.hour - DAY_START.hour) * 60 + local.minute
        return HEADER + 6 + minutes * self._px_per_minute()

    def point_for(self, column: int, local: dt.time) -> QPoint:
        """Where a time in a column is on the viewport (tests drag to it)."""
        rect = self.column_rect(column)
        return QPoint(int(rect.center().x()), int(self.y_for(local)))

    def _columns_of(self, view: SessionView) -> list[int]:
        day = view.starts_at.astimezone(LOCAL_TZ).date()
        keys = view.mediator_ids if self._by_mediator else (view.room_id,)
        return [i for i, c in enumerate(self._columns) if c.day == day and c.key in keys]

    def block_rects(self, view: SessionView) -> list[QRectF]:
        result = []
        start = view.starts_at.astimezone(LOCAL_TZ).time()
        end = view.ends_at.astimezone(LOCAL_TZ).time()
        for index in self._columns_of(view):
            col = self.column_rect(index)
            top, bottom = self.y_for(start), self.y_for(end)
            result.append(QRectF(col.left() + 2, top, col.width() - 4, max(6.0, bottom - top)))
        return result

    def block_at(self, pos: QPoint) -> tuple[SessionView, QRectF] | None:
        for view in reversed(self._sessions):
            for rect in self.block_rects(view):
                if rect.contains(pos.toPointF()):
                    return view, rect
        return None

    def tip_at(self, pos: QPoint) -> str:
        """The whole text of what is under `pos`: a session's lines, or a column's name.
        The week view's columns are ~30 px wide at 1366 px, where both are cut to a
        character or two."""
        found = self.block_at(pos)
        if found is not None:
            return "\n".join(self._block_lines(found[0]))
        if pos.x() >= GUTTER and pos.y() < HEADER and self._columns:
            index = int((pos.x() - GUTTER) // self._column_width())
            if index < len(self._columns):
                return self._columns[index].label
        return ""

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _cell(self, pos: QPoint) -> tuple[int, dt.time] | None:
        if pos.x() < GUTTER or pos.y() < HEADER or not self._columns:
            return None
        index = int((pos.x() - GUTTER) // self._column_width())
        if index >= len(self._columns):
            return None
        minutes = (pos.y() - HEADER - 6) / self._px_per_minute()
        minutes = int(round(minutes / SNAP_MINUTES) * SNAP_MINUTES)
        minutes = max(0, min(self._minutes(), minutes))
        total = DAY_START.hour * 60 + minutes
        return index, dt.time(total // 60, total % 60) if total < 24 * 60 else dt.time(23, 59)

    # --- mouse --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.block_at(event.position().toPoint())
        cell = self._cell(event.position().toPoint())
        if cell is not None:
            self.selected_day = self._columns[cell[0]].day
        if hit is None:
            self.viewport().update()
            return
        view, rect = hit
        if view.status is not SessionStatus.PLANNED:
            return
        mode = "resize" if rect.bottom() - event.position().y() <= EDGE else "move"
        self._drag = (view, mode, event.position().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is None:
            hit = self.block_at(pos)
            near_edge = hit is not None and hit[1].bottom() - pos.y() <= EDGE
            self.viewport().setCursor(
                Qt.CursorShape.SizeVerCursor if near_edge else Qt.CursorShape.ArrowCursor
            )
            return
        view, mode, origin = self._drag
        proposal = self._propose(view, mode, origin, pos)
        if proposal != self.proposal:
            self.proposal = proposal
            self.clash = self.clash_for(proposal) if proposal is not None else ""
            self.clashChanged.emit(self.clash)
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        view, mode, origin = self._drag
        proposal = self._propose(view, mode, origin, event.position().toPoint())
        self._drag, self.proposal, self.clash = None, None, ""
        self.clashChanged.emit("")
        self.viewport().update()
        if proposal is not None and (proposal.starts_at, proposal.ends_at, proposal.column.key) != (
            view.starts_at,
            view.ends_at,
            self._key_of(view),
        ):
            self.moveRequested.emit(proposal)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.block_at(event.position().toPoint())
        if hit is not None:
            self.sessionActivated.emit(hit[0].id)

    def _key_of(self, view: SessionView) -> uuid.UUID:
        return view.mediator_ids[0] if self._by_mediator and view.mediator_ids else view.room_id

    def _propose(
        self, view: SessionView, mode: str, origin: QPoint, pos: QPoint
    ) -> Proposal | None:
        """The dragged block's new place, snapped to 15 minutes; None off the grid."""
        length = view.ends_at - view.starts_at
        start_local = view.starts_at.astimezone(LOCAL_TZ)
        if mode == "resize":
            cell = self._cell(QPoint(origin.x(), pos.y()))
            if cell is None:
                return None
            index = self._columns_of(view)[0]
            end = dt.datetime.combine(start_local.date(), cell[1], LOCAL_TZ)
            if end <= start_local:
                end = start_local + dt.timedelta(minutes=SNAP_MINUTES)
            return Proposal(view.id, self._columns[index], view.starts_at, end)
        delta_minutes = (pos.y() - origin.y()) / self._px_per_minute()
        cell = self._cell(pos)
        if cell is None or pos.x() > self.viewport().width() or pos.y() > self.viewport().height():
            return None
        column = self._columns[cell[0]]
        moved = start_local + dt.timedelta(minutes=delta_minutes)
        snapped = round((moved.hour * 60 + moved.minute) / SNAP_MINUTES) * SNAP_MINUTES
        start = dt.datetime.combine(column.day, dt.time(0), LOCAL_TZ) + dt.timedelta(
            minutes=snapped
        )
        return Proposal(view.id, column, start, start + length)

    # --- keyboard -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Left:
            self.dayStepped.emit(-1)
        elif key == Qt.Key.Key_Right:
            self.dayStepped.emit(1)
        elif key == Qt.Key.Key_T:
            self.todayRequested.emit()
        elif key == Qt.Key.Key_N:
            self.newRequested.emit(self.selected_day)
        else:
            super().keyPressEvent(event)

    # --- painting -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        vp = self.viewport().rect()
        painter.fillRect(vp, QColor("white"))
        self._paint_grid(painter, vp)
        for view in self._sessions:
            if self.proposal is not None and view.id == self.proposal.session_id:
                self._paint_block(painter, view, ghost=True)
            else:
                self._paint_block(painter, view)
        if self.proposal is not None:
            self._paint_proposal(painter)
        painter.end()

    def _paint_grid(self, painter: QPainter, vp: QRect) -> None:
        grid = self._colours["grid"]
        painter.fillRect(QRect(0, 0, vp.width(), HEADER), self._colours["header"])
        painter.setPen(QPen(grid, 1))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        for hour in range(DAY_START.hour, DAY_END.hour + 1):
            y = int(self.y_for(dt.time(hour, 0)))
            painter.setPen(QPen(grid, 1))
            painter.drawLine(GUTTER, y, vp.width(), y)
            painter.setPen(QColor("#5f6368"))
            painter.drawText(
                QRect(0, y - 8, GUTTER - 6, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{hour:02d}:00",
            )
        today = self.today()
        previous_day: dt.date | None = None
        for index, column in enumerate(self._columns):
            rect = self.column_rect(index)
            if column.day == self.selected_day:
                painter.fillRect(rect, QColor(66, 133, 244, 18))
            new_day = column.day != previous_day
            painter.setPen(QPen(QColor("#80868b") if new_day else grid, 2 if new_day else 1))
            painter.drawLine(
                int(rect.left()), 0 if new_day else 22, int(rect.left()), int(rect.bottom())
            )
            if new_day:  # the day's name across its columns, over the lines below it
                same = sum(1 for c in self._columns if c.day == column.day)
                span = QRectF(rect.left() + 1, 1, rect.width() * same - 2, 20)
                painter.fillRect(span, self._colours["header"])
                label = self.tr("{0} {1}").format(
                    column.day.strftime("%m-%d"),
                    translate_template(WEEKDAY_NAMES[column.day.weekday()]),
                )
                bold = QFont(small)
                bold.setBold(column.day == today)
                painter.setFont(bold)
                painter.setPen(QColor("#202124"))
                painter.drawText(span, int(Qt.AlignmentFlag.AlignCenter), label)
                painter.setFont(small)
            painter.setPen(QColor("#202124"))
            painter.drawText(
                QRectF(rect.left() + 2, 22, rect.width() - 4, 22),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                painter.fontMetrics().elidedText(
                    column.label, Qt.TextElideMode.ElideRight, int(rect.width() - 4)
                ),
            )
            previous_day = column.day

    def _colour(self, view: SessionView) -> QColor:
        if view.case_id is None and view.status is SessionStatus.PLANNED:
            return self._colours["duty"]
        return self._colours[view.status.value]

    def _block_lines(self, view: SessionView) -> list[str]:
        start = view.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M")
        end = view.ends_at.astimezone(LOCAL_TZ).strftime("%H:%M")
        lines = [f"{start}–{end}", view.title]
        if view.party_names:
            lines.append("、".join(view.party_names))
        lines.append("、".join(view.mediator_names) if not self._by_mediator else view.room_name)
        return lines

    def _paint_block(self, painter: QPainter, view: SessionView, ghost: bool = False) -> None:
        colour = QColor(self._colour(view))
        for rect in self.block_rects(view):
            if ghost:
                colour.setAlpha(70)
            painter.setPen(QPen(colour.darker(130), 1))
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor("white") if not ghost else QColor("#3c4043"))
            lines = self._block_lines(view)
            painter.drawText(
                rect.adjusted(4, 2, -3, -2),
                int(
                    Qt.AlignmentFlag.AlignLeft
                    | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWordWrap
                ),
                "\n".join(lines),
            )

    def _paint_proposal(self, painter: QPainter) -> None:
        assert self.proposal is not None
        index = self._columns.index(self.proposal.column)
        col = self.column_rect(index)
        top = self.y_for(self.proposal.starts_at.astimezone(LOCAL_TZ).time())
        bottom = self.y_for(self.proposal.ends_at.astimezone(LOCAL_TZ).time())
        rect = QRectF(col.left() + 2, top, col.width() - 4, max(6.0, bottom - top))
        colour = self._colours["clash"] if self.clash else self._colours["planned"]
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        fill = QColor(colour)
        fill.setAlpha(60)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        if self.clash:
            painter.setPen(colour.darker(120))
            painter.drawText(
                rect.adjusted(4, 2, -3, -2),
                int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                self.clash,
            )
