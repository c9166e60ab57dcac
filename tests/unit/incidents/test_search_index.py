"""Chinese substring search through the local bigram index: 2+ characters in title, place,
description or case number; kept current on every write, including replicated ones, and
never replicated itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueFilter
from centre_app.incidents.service import IncidentDraft
from centre_app.replication.apply import Change, apply_changes
from centre_app.replication.tables import encode_mapping, replicated_tables
from centre_app.security.actor import Actor
from db import search_grams
from db.models.incidents import Channel, Incident, RiskColour
from db.models.replication import OutboxEntry


@pytest.fixture
def duty(ctx: AppContext) -> Actor:
    return ctx.auth.login("zhiban", DEMO_PASSWORD)


def _report(ctx: AppContext, duty: Actor, title: str, place: str, description: str) -> Incident:
    return ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.GRID_WORKER,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.YELLOW,
            grid_code="330327102001002",
            place=place,
            title=title,
            description=description,
            reporter="网格员",
        ),
    )


def _found(ctx: AppContext, duty: Actor, term: str) -> set[str]:
    flt = QueueFilter(queue=Queue.ALL, search=term)
    rows = ctx.incident_queries.rows(duty, flt, offset=0, limit=10_000)
    assert ctx.incident_queries.count(duty, flt) == len(rows)
    return {r.case_no for r in rows}


def _like(ctx: AppContext, term: str) -> set[str]:
    """What a full scan finds (the reference)."""
    like = f"%{term}%"
    with ctx.session_factory() as session:
        return set(
            session.scalars(
                select(Incident.case_no).where(
                    Incident.title.like(like)
                    | Incident.place.like(like)
                    | Incident.description.like(like)
                    | Incident.case_no.like(like)
                )
            )
        )


def test_bigrams_of_text_and_terms() -> None:
    assert search_grams.grams("拖欠工资", None, "AB-12").split() == sorted(
        ["拖欠", "欠工", "工资", "ab", "12"]
    )
    assert search_grams.term_grams("工资") == ["工资"]
    assert search_grams.term_grams("拖欠 工资！") == sorted(["拖欠", "工资"])
    assert search_grams.term_grams("工") == []  # one character: the index cannot help
    assert search_grams.match_expression(["拖欠", "工资"]) == '"拖欠" AND "工资"'


def test_search_finds_two_and_more_characters_in_every_field(ctx: AppContext, duty: Actor) -> None:
    a = _report(
        ctx, duty, "工人反映被拖欠工资", "金乡镇工业区某服装厂", "6 名工人三个月未领到工资。"
    )
    b = _report(ctx, duty, "楼道堆放杂物", "石砰村老街菜市场", "消防通道被占，存在火灾隐患。")
    c = _report(ctx, duty, "噪音扰民", "新城社区广场", "夜间广场舞音响过大，居民投诉。")
    assert a.case_no in _found(ctx, duty, "工资")  # title and description
    assert _found(ctx, duty, "服装") >= {a.case_no}  # place
    assert b.case_no in _found(ctx, duty, "菜市场")
    assert c.case_no in _found(ctx, duty, "广场舞")  # description only
    assert c.case_no in _found(ctx, duty, "居民投诉")
    assert _found(ctx, duty, c.case_no) == {c.case_no}  # case number (ASCII digits)
    assert a.case_no in _found(ctx, duty, a.case_no[-6:])
    # Every bigram of 社区广场舞 is in c's place or description, but the term is in neither.
    assert c.case_no not in _found(ctx, duty, "社区广场舞")
    for term in ("工资", "拖欠工资", "菜市场", "火灾隐患", "纠纷", "社区", "工", "2026-0"):
        assert _found(ctx, duty, term) == _like(ctx, term), term


def test_search_within_a_queue_and_with_filters(ctx: AppContext, duty: Actor) -> None:
    a = _report(ctx, duty, "工人反映被拖欠工资", "金乡镇工业区某服装厂", "三个月未领到工资。")
    ctx.incidents.act(duty, a.id, "accept", seen_state=a.state)
    flt = QueueFilter(queue=Queue.UNTRIAGED, search="拖欠工资")
    assert a.case_no not in {
        r.case_no for r in ctx.incident_queries.rows(duty, flt, offset=0, limit=100)
    }
    flt = QueueFilter(queue=Queue.OPEN, search="拖欠工资", colour=RiskColour.YELLOW)
    assert a.case_no in {
        r.case_no for r in ctx.incident_queries.rows(duty, flt, offset=0, limit=100)
    }


def test_index_follows_edits_of_the_text(ctx: AppContext, duty: Actor) -> None:
    a = _report(ctx, duty, "路灯损坏", "金乡镇老街", "夜间无照明。")
    assert a.case_no in _found(ctx, duty, "路灯")
    with ctx.session_factory.begin() as session:
        session.execute(
            update(Incident)
            .where(Incident.id == a.id)
            .values(title="井盖缺失", description="行人有坠落危险。")
        )
    assert a.case_no not in _found(ctx, duty, "路灯")
    assert a.case_no in _found(ctx, duty, "井盖")
    assert a.case_no in _found(ctx, duty, "老街")  # the place did not change
    with ctx.session_factory.begin() as session:
        incident = session.get(Incident, a.id)
        assert incident is not None
        incident.place = "新城社区东门"  # through the ORM as well
    assert a.case_no not in _found(ctx, duty, "老街")
    assert a.case_no in _found(ctx, duty, "东门")


def test_incidents_arriving_by_replication_are_searchable(ctx: AppContext, duty: Actor) -> None:
    a = _report(ctx, duty, "河道漂浮垃圾", "金乡镇西河", "河面有大量漂浮物。")
    table = replicated_tables()["incident"]
    with ctx.session_factory() as session:
        row = session.execute(select(table).where(table.c.id == a.id)).one()
        data = encode_mapping(row._mapping, table)
    data.update(
        id="0190a0a0-0000-7000-8000-00000000abcd",
        case_no="330327102-2026-999999",
        title="县级转办：企业偷排污水",
        description="群众举报夜间偷排。",
        priority_key=None,
        due_key=None,
    )
    change = Change(
        origin="county",
        hlc="9999999999999-0000-county",
        table_name="incident",
        row_id=data["id"],
        op="insert",
        data=data,
    )
    with ctx.session_factory.begin() as session:
        apply_changes(session, [change])
    assert "330327102-2026-999999" in _found(ctx, duty, "偷排")
    with ctx.session_factory() as session:  # and its sort keys were derived on arrival
        arrived = session.scalar(
            select(Incident).where(Incident.case_no == "330327102-2026-999999")
        )
        assert arrived is not None and arrived.priority_key is not None


def test_the_search_index_is_local(ctx: AppContext, duty: Actor) -> None:
    a = _report(ctx, duty, "路灯损坏", "金乡镇老街", "夜间无照明。")
    assert not search_grams.LOCAL_TABLES & set(replicated_tables())
    with ctx.session_factory() as session:
        tables = set(session.scalars(select(OutboxEntry.table_name)))
        assert "incident" in tables and not tables & search_grams.LOCAL_TABLES
        outgoing = session.scalars(
            select(OutboxEntry.data).where(OutboxEntry.row_id == str(a.id))
        ).all()
        assert outgoing and all("grams" not in (data or {}) for data in outgoing)
        assert (
            session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'incident_search'")
            )
            == 1
        )
