"""The same user signed in at two desks: allowed, told where and since when, seen by the
first desk, both sign-ins audited with the desks named; a desk gone silent stops counting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ValidationError
from centre_app.security.desk_sessions import STALE, OtherDesk, clean_desk_name
from db.models import AuditEntry, DeskSession


def _logins(ctx: AppContext) -> list[AuditEntry]:
    with ctx.session_factory() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "auth.login", AuditEntry.username == "zhiban")
                .order_by(AuditEntry.at)
            )
        )


def test_a_second_desk_is_told_where_and_since_when_and_both_sign_ins_are_audited(
    ctx: AppContext, clock: ManualClock
) -> None:
    first_at = clock.now()
    actor, first = ctx.auth.sign_in("zhiban", DEMO_PASSWORD, "值班台1")
    assert first is not None and first.elsewhere == ()
    clock.advance(dt.timedelta(minutes=20))
    ctx.desk_sessions.still_here(first.session_id)  # the first desk is alive
    clock.advance(dt.timedelta(seconds=30))
    _, second = ctx.auth.sign_in("zhiban", DEMO_PASSWORD, "接待窗口2")

    assert second is not None
    assert second.elsewhere == (OtherDesk("值班台1", first_at),)
    assert ctx.desk_sessions.still_here(first.session_id) == (
        OtherDesk("接待窗口2", clock.now()),
    )  # what the first desk's window shows
    audits = _logins(ctx)[-2:]
    assert [a.detail["desk"] for a in audits] == ["值班台1", "接待窗口2"]
    assert audits[1].detail["also_signed_in_at"] == [
        {"desk": "值班台1", "since": first_at.isoformat()}
    ]
    assert "值班台1" in audits[1].summary

    ctx.auth.logout(actor, second.session_id)
    assert ctx.desk_sessions.still_here(first.session_id) == ()


def test_a_desk_that_died_without_signing_out_stops_counting(
    ctx: AppContext, clock: ManualClock
) -> None:
    _, first = ctx.auth.sign_in("zhiban", DEMO_PASSWORD, "值班台1")
    clock.advance(STALE + dt.timedelta(seconds=1))  # no heartbeat: its machine is off
    _, second = ctx.auth.sign_in("zhiban", DEMO_PASSWORD, "值班台2")
    assert second is not None and second.elsewhere == ()
    assert first is not None
    with ctx.session_factory() as session:  # the row stays as history
        assert session.get(DeskSession, first.session_id) is not None


def test_another_user_at_the_next_desk_is_not_reported(ctx: AppContext) -> None:
    _, mine = ctx.auth.sign_in("zhiban", DEMO_PASSWORD, "值班台1")
    _, theirs = ctx.auth.sign_in("jiedai", DEMO_PASSWORD, "接待窗口1")
    assert mine is not None and theirs is not None and theirs.elsewhere == ()
    assert ctx.desk_sessions.still_here(mine.session_id) == ()


def test_a_plain_login_without_a_desk_opens_no_desk_session(ctx: AppContext) -> None:
    actor, signed_in = ctx.auth.sign_in("zhiban", DEMO_PASSWORD)
    assert signed_in is None and actor.username == "zhiban"
    with ctx.session_factory() as session:
        assert session.scalars(select(DeskSession)).first() is None


def test_full_width_digits_in_a_desk_name_become_ordinary_ones() -> None:
    assert clean_desk_name("  接待窗口１２ ") == "接待窗口12"


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "窗口\x00一",
        "窗口\ud800",
        "窗口\x1b[31m",
        "第一行\n第二行",
        "窗" * 65,
        "a\u202eb",
    ],
)
def test_a_desk_name_that_cannot_be_shown_is_refused_in_words(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_desk_name(name)
    assert "工作站名称" in refused.value.message
