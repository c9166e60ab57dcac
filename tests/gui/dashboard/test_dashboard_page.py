"""The dashboard shows the same figures the stats service computes."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied
from ui.dashboard.page import DashboardPage

pytestmark = pytest.mark.gui


def test_dashboard_cards_and_charts_match_the_visit_figures(qtbot: QtBot, ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    page = DashboardPage(ctx, head)
    qtbot.addWidget(page)
    page.show()
    figures = ctx.visit_stats.figures(head)
    assert page.cards["year"].value.text() == f"{figures.last_12_months:,}"
    assert page.by_month.values == [n for _, n in figures.by_month]
    assert sum(page.by_purpose.values) == figures.last_12_months
    incidents = ctx.incident_stats.figures(head)
    assert page.incident_cards["received"].value.text() == f"{incidents.received:,}"
    assert sum(page.incidents_by_category.values) == incidents.received


def test_visit_figures_need_the_statistics_permission(ctx: AppContext) -> None:
    operator = ctx.auth.login("jiedai", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.visit_stats.figures(operator)
