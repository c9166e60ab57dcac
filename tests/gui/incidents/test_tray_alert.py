"""The red alert: a case that turns red after the app started is announced once (banner
where there is no tray, tray message where there is), polled off the GUI thread, and a
click opens it selected in its queue."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueRow
from centre_app.incidents.service import IncidentDraft
from db.models.incidents import Channel, Incident, RiskColour
from ui.incidents.page import IncidentsPage
from ui.incidents.tray_alert import AlertBanner, RedAlert

pytestmark = pytest.mark.gui


def report(ctx: AppContext, colour: RiskColour, title: str) -> Incident:
    # A place per title: three reports about one place would be a group event (red).
    return ctx.incidents.report(
        ctx.auth.login("zhiban", DEMO_PASSWORD),
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="安全生产",
            subcategory="危化品",
            colour=colour,
            grid_code=None,
            place=f"工业区东路 {len(title)}{title[:2]}",
            title=title,
            description="来电反映厂区内有刺鼻气味，疑似危化品泄漏。",
            reporter="来电人李某",
        ),
    )


class Polls:
    """The real query, counted, and run where the test can see which thread it ran on."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.actor = ctx.auth.login("zhiban", DEMO_PASSWORD)
        self.count = 0
        self.threads: set[threading.Thread] = set()
        self.before_query: list[object] = []  # callables run once, inside the next poll

    def __call__(self, since: dt.datetime) -> list[QueueRow]:
        self.threads.add(threading.current_thread())
        while self.before_query:
            self.before_query.pop(0)()  # type: ignore[operator]
        rows = self.ctx.incident_queries.new_red_since(self.actor, since)
        self.count += 1
        return rows


def start_alert(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> tuple[Polls, AlertBanner, RedAlert, list[list[QueueRow]]]:
    """A red alert polling every 20 ms into a banner; the alerts it raised."""
    polls = Polls(ctx)
    banner = AlertBanner()
    qtbot.addWidget(banner)
    alert = RedAlert(polls, clock, banner, interval_ms=20, use_tray=False)
    alerts: list[list[QueueRow]] = []
    alert.alerted.connect(alerts.append)
    return polls, banner, alert, alerts


def test_a_new_red_case_is_announced_once_from_a_pool_thread(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    report(ctx, RiskColour.RED, "启动前的红色事件")  # before the app started: not news
    clock.advance(dt.timedelta(minutes=1))
    polls, banner, alert, alerts = start_alert(qtbot, ctx, clock)
    qtbot.waitUntil(lambda: polls.count >= 2, timeout=5000)
    assert alerts == []

    clock.advance(dt.timedelta(minutes=1))
    red = report(ctx, RiskColour.RED, "化工厂疑似泄漏")
    green = report(ctx, RiskColour.GREEN, "化工厂门口堆放空桶")
    with qtbot.waitSignal(alert.alerted, timeout=5000):
        pass
    assert [r.case_no for r in alerts[0]] == [red.case_no]
    assert not banner.isHidden()
    assert banner.text.text() == f"新红色事件：{red.case_no} 化工厂疑似泄漏"

    # Raised to red later: news again, for that case only.
    clock.advance(dt.timedelta(minutes=1))
    ctx.incidents.set_colour(polls.actor, green.id, RiskColour.RED, "现场确认有泄漏")
    qtbot.waitUntil(lambda: len(alerts) == 2, timeout=5000)
    assert [r.case_no for r in alerts[1]] == [green.case_no]
    seen = polls.count
    qtbot.waitUntil(lambda: polls.count >= seen + 3, timeout=5000)
    assert len(alerts) == 2  # nothing shown twice
    assert threading.main_thread() not in polls.threads
    alert.stop()


def test_a_case_turning_red_during_a_poll_is_shown_once(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    polls, _banner, alert, alerts = start_alert(qtbot, ctx, clock)
    qtbot.waitUntil(lambda: polls.count >= 1, timeout=5000)

    def red_while_polling() -> None:  # after this poll began, before its query
        clock.advance(dt.timedelta(seconds=1))
        report(ctx, RiskColour.RED, "轮询中变红的事件")

    polls.before_query.append(red_while_polling)
    qtbot.waitUntil(lambda: len(alerts) == 1, timeout=5000)
    seen = polls.count
    qtbot.waitUntil(lambda: polls.count >= seen + 3, timeout=5000)
    assert len(alerts) == 1
    alert.stop()


def test_clicking_the_alert_opens_the_case_in_its_queue(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    page = IncidentsPage(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.queues.setCurrentRow(list(Queue).index(Queue.VERIFY))
    page.red_alert.setInterval(20)
    clock.advance(dt.timedelta(minutes=1))
    red = report(ctx, RiskColour.RED, "学校门口聚集")
    with qtbot.waitSignal(page.red_alert.alerted, timeout=5000):
        pass
    assert page.alert_banner.isVisible()
    page.alert_banner.open.click()
    assert not page.alert_banner.isVisible()
    assert page.currentQueue() is Queue.UNTRIAGED
    assert page.selectedId() == str(red.id)
    assert page.pane.case_no.text() == red.case_no


def test_with_a_system_tray_the_message_click_opens_the_case(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    polls = Polls(ctx)
    banner = AlertBanner()
    qtbot.addWidget(banner)
    alert = RedAlert(polls, clock, banner, interval_ms=20, use_tray=True)
    assert alert.tray is not None
    clock.advance(dt.timedelta(minutes=1))
    red = report(ctx, RiskColour.RED, "河道漂浮异物")
    with qtbot.waitSignal(alert.alerted, timeout=5000):
        pass
    assert banner.isHidden()  # the tray tells it, not the banner
    with qtbot.waitSignal(alert.openIncident, timeout=1000) as opened:
        alert.tray.messageClicked.emit()
    assert opened.args == [str(red.id)]
    alert.stop()
