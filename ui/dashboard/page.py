"""统计: key figures on top, charts below; refreshed when the page is shown and on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
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
from ui.messages import translate_template

# Month names of the bars (context "Dashboard"), January first.
MONTHS = (
    QT_TRANSLATE_NOOP("Dashboard", "1月"),
    QT_TRANSLATE_NOOP("Dashboard", "2月"),
    QT_TRANSLATE_NOOP("Dashboard", "3月"),
    QT_TRANSLATE_NOOP("Dashboard", "4月"),
    QT_TRANSLATE_NOOP("Dashboard", "5月"),
    QT_TRANSLATE_NOOP("Dashboard", "6月"),
    QT_TRANSLATE_NOOP("Dashboard", "7月"),
    QT_TRANSLATE_NOOP("Dashboard", "8月"),
    QT_TRANSLATE_NOOP("Dashboard", "9月"),
    QT_TRANSLATE_NOOP("Dashboard", "10月"),
    QT_TRANSLATE_NOOP("Dashboard", "11月"),
    QT_TRANSLATE_NOOP("Dashboard", "12月"),
)


def month_label(month: str) -> str:
    """ "2026-01" as the bar's label: 1月 / Jan."""
    return QCoreApplication.translate("Dashboard", str(MONTHS[int(month[5:7]) - 1]))


if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class FigureCard(QFrame):
    """One key figure: a big number and what it counts."""

    def __init__(self, caption: str, definition: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setToolTip(definition)  # what exactly is counted, over which period
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
        self.title = QLabel(self.tr("事件与来访（近 12 个月）"), self)
        self.title.setObjectName("dashboardSection")
        title = self.title
        refresh = QPushButton(self.tr("刷新"), self)
        refresh.setToolTip(self.tr("重新统计（F5）"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refreshFigures)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(refresh)

        # Every figure counts the same period (centre_app.incidents.stats: definitions).
        self.incident_cards = {
            "received": FigureCard(
                self.tr("受理事件"),
                self.tr("统计期内上报的事件，不含不予受理和被合并的重复上报"),
                self,
            ),
            "handled": FigureCard(
                self.tr("办结事件"), self.tr("统计期内受理的事件中，现已结案的件数"), self
            ),
            "rate": FigureCard(
                self.tr("处置成功率"),
                self.tr("办结事件 ÷ 受理事件（统计期内受理的事件中已结案的比例）"),
                self,
            ),
            "open": FigureCard(
                self.tr("在办事件"),
                self.tr("统计期内受理的事件中，现仍在办（含已上报县级）的件数"),
                self,
            ),
            "overdue": FigureCard(
                self.tr("已超期"),
                self.tr("在办事件中现已超过处置时限的件数（县级办理中、暂停计时的不计）"),
                self,
            ),
        }
        incident_cards = QHBoxLayout()
        for card in self.incident_cards.values():
            incident_cards.addWidget(card)
        self.incidents_by_month = BarChart(self.tr("每月受理事件"), self)
        self.incidents_by_month.setToolTip(
            self.tr("受理事件按上报月份（北京时间）计；各月之和等于受理事件")
        )
        self.incidents_by_category = BarChart(self.tr("事件类别"), self)
        self.incidents_by_category.setToolTip(self.tr("受理事件按类别计；各类之和等于受理事件"))
        self.cards = {
            "today": FigureCard(self.tr("今日来访"), self.tr("今天（北京时间）登记的来访"), self),
            "month": FigureCard(self.tr("本月来访"), self.tr("本月（北京时间）登记的来访"), self),
            "year": FigureCard(
                self.tr("近 12 个月来访"), self.tr("统计期内登记的来访；与事件统计同一期间"), self
            ),
            "collective": FigureCard(
                self.tr("集体访（5 人以上）"), self.tr("统计期内 5 人以上一同来访的登记数"), self
            ),
        }
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        self.by_month = BarChart(self.tr("每月来访量"), self)
        self.by_month.setToolTip(self.tr("来访按登记月份计；各月之和等于近 12 个月来访"))
        self.by_purpose = BarChart(self.tr("来访事由"), self)
        self.by_purpose.setToolTip(self.tr("统计期内的来访按事由计"))
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
        period = self._ctx.incident_stats.period()  # one period for every figure here
        incidents = self._ctx.incident_stats.figures(self._actor, period)
        first, last = period.label(period.months[0]), period.label(period.months[-1])
        self.title.setText(self.tr("事件与来访（近 12 个月：{0} 至 {1}）").format(first, last))
        self.incident_cards["received"].set_value(f"{incidents.received:,}")
        self.incident_cards["handled"].set_value(f"{incidents.handled:,}")
        self.incident_cards["rate"].set_value(f"{incidents.success_rate:.1%}")
        self.incident_cards["open"].set_value(str(incidents.open_now))
        self.incident_cards["overdue"].set_value(str(incidents.overdue_now))
        self.incidents_by_month.show_values(
            [month_label(m) for m, _ in incidents.by_month], [n for _, n in incidents.by_month]
        )
        self.incidents_by_category.show_values(
            [c[:4] for c in incidents.by_category], list(incidents.by_category.values())
        )
        figures = self._ctx.visit_stats.figures(self._actor, period)
        self.cards["today"].set_value(str(figures.today))
        self.cards["month"].set_value(str(figures.this_month))
        self.cards["year"].set_value(f"{figures.last_12_months:,}")
        self.cards["collective"].set_value(str(figures.collective_last_12_months))
        self.by_month.show_values(
            [month_label(m) for m, _ in figures.by_month], [n for _, n in figures.by_month]
        )
        self.by_purpose.show_values(
            [translate_template(PURPOSE_LABELS[p]) for p in figures.by_purpose],
            list(figures.by_purpose.values()),
        )


def build_dashboard_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    return DashboardPage(ctx, actor, parent)
