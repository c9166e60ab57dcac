from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from centre_app.clock import ManualClock
from centre_app.replication.capture import install_change_capture
from centre_app.replication.hlc import HybridLogicalClock, parse_hlc
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade_to_head
from db.models.mediation_ref import Room
from db.models.reception import Visit
from db.models.replication import OutboxEntry, Tombstone

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def _factory(tmp_path, node="330327102"):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    clock = ManualClock(T0)
    install_change_capture(factory, node, clock)
    return factory, clock


def test_hlc_is_monotonic_and_sortable_when_wall_clock_steps_back() -> None:
    clock = ManualClock(T0)
    hlc = HybridLogicalClock(clock)
    a = hlc.now()
    clock.advance(dt.timedelta(seconds=-5))
    b = hlc.now()
    ahead_ms = int(T0.timestamp() * 1000) + 60_000  # within the allowed clock skew
    hlc.observe(f"{ahead_ms:013d}-000003")
    c = hlc.now()
    assert a < b < c
    assert parse_hlc(c) == (ahead_ms, 4)


def test_insert_update_delete_write_outbox_in_same_transaction(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factory, clock = _factory(tmp_path)
    with factory.begin() as s:
        room = Room(name="测试室", kind="法律援助", capacity=4)
        s.add(room)
    assert room.origin == "330327102" and room.hlc
    clock.advance(dt.timedelta(seconds=1))
    with factory.begin() as s:
        r = s.get(Room, room.id)
        assert r is not None
        r.name = "改名室"
    with factory.begin() as s:
        s.delete(s.get(Room, room.id))
    with factory() as s:
        entries = s.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        assert [e.op for e in entries] == ["insert", "update", "delete"]
        assert entries[0].data is not None and entries[0].data["name"] == "测试室"
        assert entries[1].data is not None and entries[1].data["name"] == "改名室"
        assert entries[0].hlc < entries[1].hlc < entries[2].hlc
        assert {e.row_id for e in entries} == {str(room.id)}
        assert s.get(Tombstone, ("mediation_room", str(room.id))) is not None


def test_rolled_back_write_leaves_no_outbox_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factory, _ = _factory(tmp_path)
    with factory() as s:
        s.add(Room(name="回滚室", kind="法律援助", capacity=2))
        s.flush()
        s.rollback()
    with factory() as s:
        assert s.scalar(select(OutboxEntry.seq)) is None


def test_unchanged_object_is_not_captured(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factory, _ = _factory(tmp_path)
    with factory.begin() as s:
        s.add(Room(name="静室", kind="法律援助", capacity=2))
    with factory.begin() as s:
        room = s.scalars(select(Room).where(Room.name == "静室")).one()
        room.name = "静室"  # same value: no change
    with factory() as s:
        assert len(s.scalars(select(OutboxEntry)).all()) == 1
    assert Visit.__tablename__ == "visit"


def test_local_sort_keys_do_not_travel_and_re_deriving_them_is_no_change(ctx) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from centre_app.replication.tables import replicated_columns
    from db.models.incidents import Incident

    names = {c.name for c in replicated_columns(Incident.__table__)}
    assert {"colour", "deadline"} <= names and not {"priority_key", "due_key"} & names
    with ctx.session_factory.begin() as s:
        incident = s.scalars(select(Incident).limit(1)).one()
        incident_id, keys = incident.id, (incident.priority_key, incident.due_key)
        # As a replicated row arrives: written by Core, without the keys.
        s.execute(
            update(Incident)
            .where(Incident.id == incident_id)
            .values(priority_key=None, due_key=None)
        )
    with ctx.session_factory() as s:
        before = s.scalar(select(func.count()).select_from(OutboxEntry))
    with ctx.session_factory.begin() as s:
        incident = s.get(Incident, incident_id)
        incident.refresh_sort_keys()
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == before
        assert (
            s.get(Incident, incident_id).priority_key,
            s.get(Incident, incident_id).due_key,
        ) == keys
    with ctx.session_factory.begin() as s:
        s.get(Incident, incident_id).title = "改过的标题"
    with ctx.session_factory() as s:
        last = s.scalars(select(OutboxEntry).order_by(OutboxEntry.id.desc()).limit(1)).one()
        assert last.data is not None and last.data["title"] == "改过的标题"
        assert "priority_key" not in last.data
