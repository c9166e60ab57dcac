"""The typed change notice from local commits (SQLite), pulls, and what a NOTIFY carries."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.centre.notice import MAX_PAYLOAD, ChangeNotice, NoticeHub, Origin
from centre_app.replication.capture import APPLYING, note_changes
from db.models.mediation_ref import Room


def test_a_local_commit_publishes_one_notice_naming_its_tables_and_rows(ctx: AppContext) -> None:
    heard: list[ChangeNotice] = []
    ctx.notices.subscribe(heard.append)
    with ctx.session_factory.begin() as session:
        room = Room(name="通知室", kind="法律援助")
        session.add(room)
    assert len(heard) == 1
    assert heard[0].origin is Origin.LOCAL and heard[0].ids("mediation_room") == {str(room.id)}
    assert heard[0].touches("visit", "mediation_room") and not heard[0].touches("visit")


def test_a_rolled_back_write_publishes_nothing(ctx: AppContext) -> None:
    heard: list[ChangeNotice] = []
    ctx.notices.subscribe(heard.append)
    with ctx.session_factory() as session:
        session.add(Room(name="回滚通知室", kind="法律援助"))
        session.flush()
        session.rollback()
    with ctx.session_factory() as session:
        session.scalars(select(Room)).first()
        session.commit()  # a read-only commit is no change either
    assert heard == []


def test_a_pulled_batch_is_announced_as_the_countys(ctx: AppContext) -> None:
    heard: list[ChangeNotice] = []
    ctx.notices.subscribe(heard.append)
    with ctx.session_factory.begin() as session:
        session.info[APPLYING] = True
        note_changes(session, [("incident", "a"), ("incident", "b")], Origin.COUNTY)
    assert [(n.origin, n.ids("incident")) for n in heard] == [(Origin.COUNTY, {"a", "b"})]


def test_a_notice_too_big_for_notify_keeps_its_tables_and_drops_the_ids() -> None:
    notice = ChangeNotice.of(Origin.LOCAL, [("incident", f"{i:036d}") for i in range(500)])
    payload = notice.payload("me")
    assert len(payload.encode()) <= MAX_PAYLOAD
    decoded = ChangeNotice.from_payload(payload)
    assert decoded is not None
    sender, heard = decoded
    assert sender == "me" and heard.origin is Origin.DESK
    assert heard.touches("incident") and heard.ids("incident") == frozenset()


def test_hostile_payloads_are_ignored_not_raised() -> None:
    for payload in [
        "",
        "null",
        "[]",
        '{"s":1}',
        json.dumps({"s": "x", "o": "evil", "r": {}}),
        json.dumps({"s": "x", "o": "local", "r": 5}),
        "\x00\ud800",
    ]:
        assert ChangeNotice.from_payload(payload) is None


def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    hub = NoticeHub()
    heard: list[ChangeNotice] = []

    def broken(_notice: ChangeNotice) -> None:
        raise RuntimeError("boom")

    hub.subscribe(broken)
    unsubscribe = hub.subscribe(heard.append)
    hub.publish(ChangeNotice(Origin.LOCAL))
    unsubscribe()
    hub.publish(ChangeNotice(Origin.LOCAL))
    assert len(heard) == 1
    # The broken subscriber is logged (once per notice it failed), never swallowed.
    failures = [r for r in caplog.records if "subscriber failed" in r.getMessage()]
    assert len(failures) == 2
    caplog.clear()
