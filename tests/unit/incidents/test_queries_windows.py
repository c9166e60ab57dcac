"""Queue order and windows over the stored sort keys: the same order as the ORDER BY the
queues had before (colour rank, deadline, report time), read in keyset windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import case, select

from bench.incidents import generate
from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueFilter, SortKey
from centre_app.incidents.service import IncidentDraft
from centre_app.security.actor import Actor
from db.models.incidents import Channel, Incident, RiskColour, sort_keys


@pytest.fixture
def duty(ctx: AppContext, clock: ManualClock) -> Actor:
    generate(ctx, 700, now=clock.now())  # plus the demo's cases taken through the workflow
    return ctx.auth.login("zhiban", DEMO_PASSWORD)


def _old_order(key: SortKey) -> list[Any]:
    """The ORDER BY the queues used before the stored keys (the reference)."""
    if key is SortKey.PRIORITY:
        rank = case(
            (Incident.colour == RiskColour.RED, 0),
            (Incident.colour == RiskColour.YELLOW, 1),
            else_=2,
        )
        return [
            rank,
            Incident.deadline.is_(None),
            Incident.deadline,
            Incident.reported_at,
            Incident.id,
        ]
    if key is SortKey.REPORTED:
        return [Incident.reported_at, Incident.id]
    if key is SortKey.DEADLINE:
        return [Incident.deadline.is_(None), Incident.deadline, Incident.id]
    return [Incident.case_no, Incident.id]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_orders_like_the_old_order_by(
    ctx: AppContext, duty: Actor, key: SortKey, descending: bool
) -> None:
    flt = QueueFilter(queue=Queue.ALL, sort=key, descending=descending)
    order = _old_order(key)
    with ctx.session_factory() as session:
        expected = [
            str(i)
            for i in session.scalars(
                select(Incident.id)
                .where(*ctx.incident_queries._conditions(duty, flt))
                .order_by(*[c.desc() for c in order] if descending else order)
            )
        ]
    assert len(expected) > 700
    got = [r.id for r in ctx.incident_queries.rows(duty, flt, offset=0, limit=10_000)]
    assert got == expected


@pytest.mark.parametrize("key", list(SortKey))
def test_keyset_windows_forwards_backwards_and_from_the_end_tile_the_queue(
    ctx: AppContext, duty: Actor, key: SortKey
) -> None:
    queries = ctx.incident_queries
    flt = QueueFilter(queue=Queue.OPEN, sort=key, descending=key is SortKey.REPORTED)
    whole = [r.id for r in queries.rows(duty, flt, offset=0, limit=10_000)]
    total = queries.count(duty, flt)
    assert total == len(whole) > 100
    forwards: list[str] = []
    window = queries.window(duty, flt, limit=37, total=total)
    while window:
        forwards += [r.id for r in window]
        window = queries.window(duty, flt, limit=37, after=window[-1].position, total=total)
    assert forwards == whole
    backwards: list[str] = []
    window = queries.window(duty, flt, limit=37, from_end=True, total=total)
    while window:
        backwards = [r.id for r in window] + backwards
        window = queries.window(duty, flt, limit=37, before=window[0].position, total=total)
    assert backwards == whole
    assert [r.id for r in queries.window(duty, flt, limit=10, from_end=True, offset=5)] == whole[
        -15:-5
    ]


def test_the_plan_chosen_by_the_count_does_not_change_the_rows(
    ctx: AppContext, duty: Actor
) -> None:
    queries = ctx.incident_queries
    for flt in (
        QueueFilter(queue=Queue.OPEN),
        QueueFilter(queue=Queue.ALL, search="纠纷"),
        QueueFilter(queue=Queue.MINE),
        QueueFilter(queue=Queue.ALL, colour=RiskColour.RED),
        QueueFilter(queue=Queue.DEPARTMENT),
    ):
        plain = queries.window(duty, flt, limit=50)
        for total in (1, 10**6):  # "few" (filter, then sort) and "many" (sort index)
            assert [r.id for r in queries.window(duty, flt, limit=50, total=total)] == [
                r.id for r in plain
            ]


def test_colour_filter_is_the_colour(ctx: AppContext, duty: Actor) -> None:
    for colour in RiskColour:
        flt = QueueFilter(queue=Queue.ALL, colour=colour)
        rows = ctx.incident_queries.rows(duty, flt, offset=0, limit=10_000)
        assert rows and {r.colour for r in rows} == {colour}
        with ctx.session_factory() as session:
            assert len(rows) == len(
                list(session.scalars(select(Incident.id).where(Incident.colour == colour)))
            )


def _keys(ctx: AppContext, incident: Incident) -> tuple[int | None, int | None]:
    with ctx.session_factory() as session:
        row = session.get(Incident, incident.id)
        assert row is not None
        return row.priority_key, row.due_key


def test_priority_key_follows_colour_and_deadline_changes(
    ctx: AppContext, clock: ManualClock
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="治安隐患",
            subcategory="寻衅滋事",
            colour=RiskColour.GREEN,
            grid_code="330327102001002",
            place="金乡镇老街",
            title="老街路灯损坏",
            description="夜间无照明。",
            reporter="来电人",
        ),
    )
    assert _keys(ctx, incident) == sort_keys(RiskColour.GREEN, None)
    incident = ctx.incidents.act(duty, incident.id, "accept", seen_state=incident.state)
    assert incident.deadline is not None
    assert _keys(ctx, incident) == sort_keys(RiskColour.GREEN, incident.deadline)
    incident = ctx.incidents.set_colour(duty, incident.id, RiskColour.RED, "夜间有人摔伤")
    assert incident.deadline is not None
    assert _keys(ctx, incident) == sort_keys(RiskColour.RED, incident.deadline)
    later = clock.now() + dt.timedelta(days=3)
    incident = ctx.incidents.set_deadline(duty, incident.id, later, "等待配件")
    assert _keys(ctx, incident) == sort_keys(RiskColour.RED, later)
    # And the queue puts it where the old ORDER BY would: among the red cases.
    first = ctx.incident_queries.rows(duty, QueueFilter(queue=Queue.OPEN), offset=0, limit=500)
    assert [r.colour for r in first][:1] == [RiskColour.RED]
    assert incident.case_no in {r.case_no for r in first if r.colour is RiskColour.RED}


def test_sort_keys_order_colour_first_then_deadline_none_last() -> None:
    t = dt.datetime(2026, 5, 1, 8, 0, 0, 1, tzinfo=dt.UTC)
    keys = [
        sort_keys(RiskColour.RED, t),
        sort_keys(RiskColour.RED, t + dt.timedelta(microseconds=1)),
        sort_keys(RiskColour.RED, None),
        sort_keys(RiskColour.YELLOW, t),
        sort_keys(RiskColour.GREEN, dt.datetime(1999, 1, 1, tzinfo=dt.UTC)),
    ]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert sort_keys(RiskColour.RED, None)[1] > sort_keys(RiskColour.GREEN, t)[1]
    naive = t.replace(tzinfo=None)  # as SQLite hands it back before the type decorator
    assert sort_keys("red", naive) == sort_keys(RiskColour.RED, t)
