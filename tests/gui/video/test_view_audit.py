"""Who watched which camera is personal-data audit: when the write fails it is retried,
logged and shown to the operator, and never dropped (not even when the app closes first).
The database itself refuses the writes (a trigger aborts every audit insert)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.models import AuditEntry
from tests.support.video import requires_video

pytestmark = [
    pytest.mark.gui,
    pytest.mark.video,
    requires_video,
    pytest.mark.skipif(
        os.environ.get("QT_QPA_PLATFORM") == "offscreen",
        reason="libVLC needs an X server (run under Xvfb)",
    ),
]

OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))
REFUSE = (
    "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'disk is read-only'); END"
)


def refuse_audit_writes(ctx: Any, refuse: bool) -> None:
    with ctx.session_factory.begin() as s:
        s.execute(text(REFUSE if refuse else "DROP TRIGGER refuse_audit"))


def views(ctx: Any) -> list[AuditEntry]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "video.view")))


@pytest.fixture
def make_page(qtbot: Any, ctx: Any) -> Iterator[Any]:
    from ui.video_wall.page import VideoWallPage

    pages: list[Any] = []

    def make() -> Any:
        page = VideoWallPage(ctx, OPERATOR, restore=False)
        qtbot.addWidget(page)
        page.resize(1000, 640)
        page.show()
        qtbot.waitExposed(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def test_a_refused_view_audit_is_retried_logged_and_shown_until_it_is_written(
    qtbot: Any, ctx: Any, make_page: Any, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page()
    camera = page.model.cameras()[0]
    before = len(views(ctx))
    refuse_audit_writes(ctx, True)
    watched_at = ctx.clock.now()
    with caplog.at_level(logging.WARNING, logger="centre_app.video.view_audit"):
        page.wall.assign(0, camera)
        qtbot.waitUntil(lambda: page.audit_notice.isVisible(), timeout=5_000)
        assert "1 条记录保留待写" in page.audit_notice.text()
        qtbot.waitUntil(
            lambda: page.view_audit.pending() == 1 and "第 2 次" in page.audit_notice.text(),
            timeout=5_000,
        )
    assert any("camera-view audit write failed" in r.message for r in caplog.records)
    assert len(views(ctx)) == before  # nothing written yet ...
    ctx.clock.advance(dt.timedelta(minutes=5))
    refuse_audit_writes(ctx, False)
    qtbot.waitUntil(lambda: not page.audit_notice.isVisible(), timeout=10_000)
    written = views(ctx)[before:]  # ... and nothing lost: written once, at the time of viewing
    assert [(e.target_id, e.username, e.at.replace(tzinfo=dt.UTC)) for e in written] == [
        (str(camera.id), OPERATOR.username, watched_at)
    ]


# The database refuses every write here: the wall logs that it could not remember itself
# and that the views were spooled — errors the operator must be able to find in the log.
@pytest.mark.allow_log_errors
def test_views_still_unwritten_at_close_are_written_at_the_next_start(
    qtbot: Any, ctx: Any, make_page: Any
) -> None:
    page = make_page()
    cameras = page.model.cameras()[:2]
    before = len(views(ctx))
    refuse_audit_writes(ctx, True)
    page.wall.assign(0, cameras[0])
    page.wall.assign(1, cameras[1])
    qtbot.waitUntil(lambda: page.audit_notice.isVisible(), timeout=5_000)
    page.shutdown()  # the app closes while the database still refuses
    spool = ctx.video.view_audit_spool
    assert spool.exists() and len(spool.read_text(encoding="utf-8").splitlines()) == 2
    refuse_audit_writes(ctx, False)
    make_page()  # the next start
    qtbot.waitUntil(lambda: len(views(ctx)) == before + 2, timeout=10_000)
    assert {e.target_id for e in views(ctx)[before:]} == {str(c.id) for c in cameras}
    assert not spool.exists()
