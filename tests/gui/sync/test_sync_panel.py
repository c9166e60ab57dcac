"""The status-bar link label and the sync panel follow the real worker against a real
county server: offline with a sentence while the county is down, online once it is up,
and "立即同步" moves a new change up without waiting for the timer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.replication.status import LinkState
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.settings import Key
from tests.support.county import start_county
from ui.link_state import LinkStateLabel
from ui.sync.controller import SyncController
from ui.sync.panel import SyncPanel

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def test_link_label_and_panel_follow_the_worker(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    county = start_county(f"sqlite:///{tmp_path / 'county.db'}", tmp_path, running=False)
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, county.url)
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_TOKEN, county.issue_token(ctx.township_code))
    ctx.settings.set(SYSTEM_ACTOR, Key.SYNC_INTERVAL_S, 1)
    controller = SyncController(ctx)
    label = LinkStateLabel(ctx)
    controller.statusChanged.connect(label.showStatus)
    panel = SyncPanel(ctx, controller)
    qtbot.addWidget(label)
    qtbot.addWidget(panel)
    try:
        controller.start()
        qtbot.waitUntil(
            lambda: label.property("state") == "offline" and "无法连接县级中心" in label.toolTip(),
            timeout=20_000,
        )
        assert "离线" in label.text()
        assert "无法连接县级中心" in panel.errors.item(0).text()

        county.start()
        controller.syncNow()
        qtbot.waitUntil(
            lambda: (
                controller.status.state is LinkState.ONLINE
                and controller.status.backlog == 0
                and label.text() == "县级链路：在线"
                and panel.backlog_label.text() == "0 条"
            ),
            timeout=60_000,
        )
        pushed = controller.status.pushed
        assert pushed > 100  # the demo township's data went up

        ctx.auth.login("zhiban", DEMO_PASSWORD)  # a captured write (audit entry)
        panel.sync_button.click()
        qtbot.waitUntil(lambda: controller.status.pushed > pushed, timeout=20_000)
    finally:
        controller.stop()
        county.stop()
