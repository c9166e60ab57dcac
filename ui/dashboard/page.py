"""统计: key figures on top, charts below; refreshed when the page is shown and on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.reception.visits import PURPOSE_LABELS
from ui.dashboard.charts import BarChart

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class FigureCard(QFrame):
    """One key figure: a big number and what it counts."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.value = QLabel("–", self)
        self.value.setObjectName("figureValue")
        label = QLabel(caption, self)
        label.setObjectName("figureCaption")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(label)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class DashboardPage(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setObjectName("dashboardPage")
        title = QLabel(self.tr("事件与来访（近 12 个月）"), self)
        title.setObjectName("dashboardSection")
        refresh = QPushButton(self.tr("刷新"), self)
        refresh.setToolTip(self.tr("重新统计（F5）"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refreshFigures)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(refresh)

        self.incident_cards = {
            "received": FigureCard(self.tr("受理事件"), self),
            "handled": FigureCard(self.tr("办结事件"), self),
            "rate": FigureCard(self.tr("处置成功率"), self),
            "open": FigureCard(self.tr("在办事件"), self),
            "overdue": FigureCard(self.tr("已超期"), self),
        }
        incident_cards = QHBoxLayout()
        for card in self.incident_cards.values():
            incident_cards.addWidget(card)
        self.incidents_by_month = BarChart(self.tr("每月受理事件"), self)
        self.incidents_by_category = BarChart(self.tr("事件类别"), self)
        self.cards = {
            "today": FigureCard(self.tr("今日来访"), self),
            "month": FigureCard(self.tr("本月来访"), self),
            "year": FigureCard(self.tr("近 12 个月来访"), self),
            "collective": FigureCard(self.tr("集体访（5 人以上）"), self),
        }
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        self.by_month = BarChart(self.tr("每月来访量"), self)
        self.by_purpose = BarChart(self.tr("来访事由"), self)
        charts = QGridLayout()
        charts.addWidget(self.incidents_by_month, 0, 0)
        charts.addWidget(self.incidents_by_category, 0, 1)
        charts.addWidget(self.by_month, 1, 0)
        charts.addWidget(self.by_purpose, 1, 1)
        charts.setColumnStretch(0, 3)
        charts.setColumnStretch(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(incident_cards)
        layout.addLayout(cards)
        layout.addLayout(charts, 1)

    def showEvent(self, event: QShowEvent) -> None:
        self.refreshFigures()
        super().showEvent(event)

    def refreshFigures(self) -> None:
        incidents = self._ctx.incident_stats.figures(self._actor)
        self.incident_cards["received"].set_value(f"{incidents.received:,}")
        self.incident_cards["handled"].set_value(f"{incidents.handled:,}")
        self.incident_cards["rate"].set_value(f"{incidents.success_rate:.1%}")
        self.incident_cards["open"].set_value(str(incidents.open_now))
        self.incident_cards["overdue"].set_value(str(incidents.overdue_now))
        months = incidents.by_month[-12:]
        self.incidents_by_month.show_values([m[5:] + self.tr("月") for m, _ in months],
                                            [n for _, n in months])
        self.incidents_by_category.show_values(
            [c[:4] for c in incidents.by_category], list(incidents.by_category.values()))
        figures = self._ctx.visit_stats.figures(self._actor)
        self.cards["today"].set_value(str(figures.today))
        self.cards["month"].set_value(str(figures.this_month))
        self.cards["year"].set_value(f"{figures.last_12_months:,}")
        self.cards["collective"].set_value(str(figures.collective_last_12_months))
        self.by_month.show_values([m[5:] + self.tr("月") for m, _ in figures.by_month],
                                  [n for _, n in figures.by_month])
        self.by_purpose.show_values(
            [QCoreApplication.translate("Reception", PURPOSE_LABELS[p]) for p in figures.by_purpose],
            list(figures.by_purpose.values()))


def build_dashboard_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    return DashboardPage(ctx, actor, parent)
