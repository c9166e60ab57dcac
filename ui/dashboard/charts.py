"""Bar charts on pyqtgraph with category labels (months, purposes) on the axis."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

BAR_COLOUR = QColor("#3b82f6")
AXIS_COLOUR = QColor("#415466")


class BarChart(pg.PlotWidget):  # type: ignore[misc]
    """Vertical bars, one per labelled category; `show_values` redraws the whole chart."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w")
        self.setTitle(title, color=AXIS_COLOUR.name(), size="12pt")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.showGrid(y=True, alpha=0.2)
        font = QFont(self.font())
        for name in ("bottom", "left"):
            axis = self.getAxis(name)
            axis.setTextPen(AXIS_COLOUR)
            axis.setPen(AXIS_COLOUR)
            axis.setStyle(tickFont=font)
        self.values: list[float] = []

    def show_values(self, labels: Sequence[str], values: Sequence[float]) -> None:
        self.clear()
        self.values = list(values)
        xs = list(range(len(values)))
        self.addItem(
            pg.BarGraphItem(
                x=xs, height=self.values, width=0.6, brush=BAR_COLOUR, pen=pg.mkPen(None)
            )
        )
        self.getAxis("bottom").setTicks([list(zip(xs, labels, strict=True))])
        # Auto-range (the bars start at 0). Explicit setXRange/setYRange here made PySide6
        # 6.12 abort at interpreter exit once four plots existed.
        self.enableAutoRange()
