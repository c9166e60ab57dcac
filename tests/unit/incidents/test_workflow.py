"""The closed loop: every action legal from its source states and refused from all others,
with who/when/why in the history; concurrency, escalation, failed verification, bad input."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select, text

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from centre_app.incidents import sla, workflow
from centre_app.incidents.queries import Queue, QueueFilter
from centre_app.incidents.service import IncidentDraft, Step
from centre_app.security.actor import Actor
from db.models import Department
from db.models.incidents import Channel, Incident, IncidentState, RiskColour

S = IncidentState


def draft(**changes: object) -> IncidentDraft:
    values: dict[str, object] = dict(
        channel=Channel.GRID_WORKER,
        category="矛盾纠纷",
        subcategory="劳资纠纷",
        colour=RiskColour.GREEN,
        grid_code="330327102001001",
        place="金乡镇工业区某服装厂",
        title="工人反映被拖欠工资",
        description="某服装厂 6 名工人反映被拖欠工资三个月。",
        reporter="网格员李明",
        people_involved=6,
    )
    values.update(changes)
    return IncidentDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def duty(ctx: AppContext) -> Actor:
    return ctx.auth.login("zhiban", DEMO_PASSWORD)


def department(ctx: AppContext, code: str = "ST-LBS") -> uuid.UUID:
    with ctx.session_factory() as session:
        found = session.scalar(select(Department.id).where(Department.code == code))
    assert found is not None
    return found


def new_incident(ctx: AppContext, duty: Actor, **changes: object) -> Incident:
    return ctx.incidents.report(duty, draft(**changes))


def drive_to(ctx: AppContext, duty: Actor, target: S) -> Incident:
    """An incident brought to `target` through legal actions."""
    incident = new_incident(ctx, duty)
    path = {
        S.REPORTED: [],
        S.ACCEPTED: ["accept"],
        S.REJECTED: ["reject"],
        S.MERGED: ["merge"],
        S.DISPATCHED: ["accept", "dispatch"],
        S.IN_PROGRESS: ["accept", "dispatch", "start"],
        S.HANDLED: ["accept", "dispatch", "handle"],
        S.VERIFIED: ["accept", "dispatch", "handle", "verify"],
        S.CLOSED: ["accept", "dispatch", "handle", "verify", "close"],
        S.ESCALATED: ["accept", "escalate"],
    }[target]
    other = new_incident(ctx, duty).id
    for name in path:
        incident = ctx.incidents.act(
            duty,
            incident.id,
            name,
            seen_state=incident.state,
            note="理由",
            department_id=department(ctx),
            merge_into=other,
        )
    assert incident.state is target
    return incident


def test_case_numbers_are_township_year_sequence(ctx: AppContext, duty: Actor) -> None:
    first = new_incident(ctx, duty)
    second = new_incident(ctx, duty)
    prefix, year, number = first.case_no.split("-")
    assert (prefix, year, len(number)) == ("330327102", "2026", 6)
    assert int(second.case_no.rsplit("-", 1)[1]) == int(number) + 1


@pytest.mark.parametrize(
    ("name", "source"),
    [
        (a.name, s)
        for a in workflow.ACTIONS.values()
        if a.name != "county_reply"
        for s in sorted(a.sources, key=lambda s: s.value)
    ],
)
def test_every_action_is_legal_from_its_sources(
    ctx: AppContext, duty: Actor, name: str, source: S
) -> None:
    incident = drive_to(ctx, duty, source)
    other = new_incident(ctx, duty).id
    after = ctx.incidents.act(
        duty,
        incident.id,
        name,
        seen_state=source,
        note="理由",
        department_id=department(ctx),
        merge_into=other,
    )
    assert after.state is workflow.ACTIONS[name].target
    last = ctx.incidents.history(duty, incident.id)[-1]
    assert (last.kind, last.from_state, last.to_state) == (name, source.value, after.state.value)
    assert last.actor == "zhiban" and last.at == ctx.clock.now()


@pytest.mark.parametrize(
    ("name", "source"),
    [(a.name, s) for a in workflow.ACTIONS.values() for s in S if s not in a.sources],
)
def test_every_action_is_refused_from_other_states(name: str, source: S) -> None:
    with pytest.raises(InvalidTransition, match="不能"):
        workflow.check(name, source)


def test_service_refuses_an_illegal_move_and_leaves_no_trace(ctx: AppContext, duty: Actor) -> None:
    incident = new_incident(ctx, duty)
    with pytest.raises(InvalidTransition, match=r"待分流.*不能“结案”"):
        ctx.incidents.act(duty, incident.id, "close", seen_state=S.REPORTED)
    assert [e.kind for e in ctx.incidents.history(duty, incident.id)] == ["report"]


def test_a_replayed_run_is_recorded_step_by_step_at_its_own_times(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = new_incident(ctx, duty)
    start = clock.now()
    times = [start + dt.timedelta(hours=h) for h in (1, 2, 30)]
    clock.set(times[-1] + dt.timedelta(hours=1))
    after = ctx.incidents.replay(
        duty,
        incident.id,
        S.REPORTED,
        [
            Step("accept", times[0]),
            Step("dispatch", times[1], department_id=department(ctx)),
            Step("handle", times[2], "已处置"),
        ],
    )
    assert after.state is S.HANDLED and after.department_id == department(ctx)
    assert after.deadline is not None and after.deadline > times[0]  # from the accept time
    history = ctx.incidents.history(duty, incident.id)
    assert [(e.kind, e.from_state, e.to_state, e.at) for e in history[1:]] == [
        ("accept", "reported", "accepted", times[0]),
        ("dispatch", "accepted", "dispatched", times[1]),
        ("handle", "dispatched", "handled", times[2]),
    ]
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    audit = [(e.action, e.at) for e in ctx.audit_log.recent(head, target_id=str(incident.id))]
    assert sorted(audit)[:3] == [
        ("incident.accept", times[0]),
        ("incident.dispatch", times[1]),
        ("incident.handle", times[2]),
    ]


def test_a_replayed_run_with_one_illegal_step_writes_nothing(ctx: AppContext, duty: Actor) -> None:
    incident = new_incident(ctx, duty)
    with pytest.raises(InvalidTransition, match="不能“结案”"):
        ctx.incidents.replay(
            duty,
            incident.id,
            S.REPORTED,
            [Step("accept", ctx.clock.now()), Step("close", ctx.clock.now())],
        )
    with pytest.raises(ValidationError, match="理由"):
        ctx.incidents.replay(
            duty,
            incident.id,
            S.REPORTED,
            [Step("accept", ctx.clock.now()), Step("escalate", ctx.clock.now())],
        )
    with pytest.raises(ValidationError, match="派遣的部门"):
        ctx.incidents.replay(
            duty,
            incident.id,
            S.REPORTED,
            [Step("accept", ctx.clock.now()), Step("dispatch", ctx.clock.now())],
        )
    with pytest.raises(ValidationError, match="没有要办理的操作"):
        ctx.incidents.replay(duty, incident.id, S.REPORTED, [])
    assert [e.kind for e in ctx.incidents.history(duty, incident.id)] == ["report"]
    assert ctx.incidents.get(duty, incident.id).state is S.REPORTED


def test_failed_verification_sends_the_case_back_to_the_department(
    ctx: AppContext, duty: Actor
) -> None:
    incident = drive_to(ctx, duty, S.HANDLED)
    back = ctx.incidents.act(
        duty, incident.id, "verify_failed", seen_state=S.HANDLED, note="网格员回访：工资仍未发放"
    )
    assert back.state is S.DISPATCHED and back.department_id == department(ctx)
    with pytest.raises(ValidationError, match="理由"):
        ctx.incidents.act(
            duty, drive_to(ctx, duty, S.HANDLED).id, "verify_failed", seen_state=S.HANDLED
        )


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_feedback_without_a_note_is_refused_in_words_and_writes_nothing(
    ctx: AppContext, duty: Actor, note: str
) -> None:
    incident = drive_to(ctx, duty, S.DISPATCHED)
    before = len(ctx.incidents.history(duty, incident.id))
    with pytest.raises(ValidationError, match="处置反馈需要写明做了什么") as refused:
        ctx.incidents.act(duty, incident.id, "handle", seen_state=S.DISPATCHED, note=note)
    assert refused.value.params == {}
    assert ctx.incidents.get(duty, incident.id).state is S.DISPATCHED
    assert len(ctx.incidents.history(duty, incident.id)) == before
    done = ctx.incidents.act(
        duty,
        incident.id,
        "handle",
        seen_state=S.DISPATCHED,
        note="已约谈企业负责人，工资已于当日发放",
    )
    assert done.state is S.HANDLED


def test_raising_a_yellow_case_to_red_never_gives_it_more_time(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = drive_to(ctx, duty, S.ACCEPTED)  # 矛盾纠纷, reported green: 168 h
    ctx.incidents.set_colour(duty, incident.id, RiskColour.YELLOW)
    yellow = ctx.incidents.get(duty, incident.id)
    assert yellow.deadline is not None
    clock.advance(dt.timedelta(hours=65))
    ctx.incidents.set_colour(duty, incident.id, RiskColour.RED)
    red = ctx.incidents.get(duty, incident.id)
    assert red.deadline is not None and red.deadline <= yellow.deadline
    assert red.deadline - clock.now() < dt.timedelta(hours=7)


def test_second_officer_is_told_who_dispatched_first(ctx: AppContext, duty: Actor) -> None:
    other = ctx.auth.login("zhiban2", DEMO_PASSWORD)
    incident = drive_to(ctx, duty, S.ACCEPTED)
    ctx.incidents.act(
        duty, incident.id, "dispatch", seen_state=S.ACCEPTED, department_id=department(ctx)
    )
    with pytest.raises(ConflictError, match="已被 王晓燕（zhiban） 处理为“已派遣”"):
        ctx.incidents.act(
            other,
            incident.id,
            "dispatch",
            seen_state=S.ACCEPTED,
            department_id=department(ctx, "ST-SFS"),
        )
    kept = ctx.incidents.get(duty, incident.id)
    assert kept.department_id == department(ctx)
    assert [e.kind for e in ctx.incidents.history(duty, incident.id)][-1] == "dispatch"


def test_escalation_suspends_the_clock_and_the_county_reply_resumes_it(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = drive_to(ctx, duty, S.ACCEPTED)
    assert incident.deadline is not None
    left = incident.deadline - clock.now()
    escalated = ctx.incidents.act(
        duty, incident.id, "escalate", seen_state=S.ACCEPTED, note="涉及跨区域企业，需县人社局协调"
    )
    assert (
        sla.clock_state(escalated.state, escalated.deadline, clock.now(), 24) is sla.Clock.SUSPENDED
    )
    clock.advance(dt.timedelta(days=5))
    county = ctx.auth.login("zhuren", DEMO_PASSWORD)
    back = ctx.incidents.record_county_reply(
        county, incident.id, "退回乡镇处置", "县人社局已约谈企业，请乡镇跟进"
    )
    assert back.state is S.ACCEPTED and back.deadline == clock.now() + left
    kinds = [(e.kind, e.note) for e in ctx.incidents.history(duty, incident.id)]
    assert kinds[-1] == ("county_reply", "县人社局已约谈企业，请乡镇跟进")
    with pytest.raises(ValidationError, match="县级答复只能是"):
        ctx.incidents.record_county_reply(county, incident.id, "随便", "")


def test_many_people_raise_a_group_warning(ctx: AppContext, duty: Actor) -> None:
    incident = ctx.incidents.get(duty, new_incident(ctx, duty, people_involved=30).id)
    assert incident.colour is RiskColour.RED
    assert incident.group_warning is not None and "30 人" in incident.group_warning
    assert [e.kind for e in ctx.incidents.history(duty, incident.id)] == ["report", "group_warning"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"category": "外星人"}, "类别"),
        ({"grid_code": "999999999999999"}, "网格"),
        ({"title": " "}, "标题"),
        ({"description": "短"}, "描述太短"),
        ({"people_involved": 0}, "涉及人数"),
        ({"place": ""}, "地点"),
    ],
)
def test_bad_reports_are_refused_in_chinese(
    ctx: AppContext, duty: Actor, changes: dict[str, object], words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        new_incident(ctx, duty, **changes)


def test_a_report_dated_in_the_future_is_refused(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    with pytest.raises(ValidationError, match="晚于现在"):
        ctx.incidents.report(duty, draft(), at=clock.now() + dt.timedelta(days=2))


def test_reception_clerk_may_report_but_not_dispatch(ctx: AppContext, duty: Actor) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    incident = ctx.incidents.report(clerk, draft(channel=Channel.WALK_IN))
    ctx.incidents.act(duty, incident.id, "accept", seen_state=S.REPORTED)
    with pytest.raises(PermissionDenied):
        ctx.incidents.act(
            clerk, incident.id, "dispatch", seen_state=S.ACCEPTED, department_id=department(ctx)
        )


def test_deadlines_turn_due_soon_then_overdue(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = drive_to(ctx, duty, S.ACCEPTED)
    ctx.incidents.set_colour(duty, incident.id, RiskColour.RED, "涉及人数增加")
    red = ctx.incidents.get(duty, incident.id)
    assert red.deadline == clock.now() + dt.timedelta(
        hours=sla.limit_hours("矛盾纠纷", RiskColour.RED)
    )
    assert red.deadline is not None
    clock.set(red.deadline - dt.timedelta(hours=2))
    assert sla.clock_state(red.state, red.deadline, clock.now(), 24) is sla.Clock.DUE_SOON
    ids = [
        r.id
        for r in ctx.incident_queries.rows(duty, QueueFilter(queue=Queue.DUE), offset=0, limit=1000)
    ]
    assert str(incident.id) in ids
    clock.set(red.deadline)
    assert sla.clock_state(red.state, red.deadline, clock.now(), 24) is sla.Clock.OVERDUE


def test_the_history_cannot_be_rewritten(ctx: AppContext, duty: Actor) -> None:
    new_incident(ctx, duty)
    with ctx.engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("update incident_event set note = 'x'"))


def test_queues_find_new_reports_and_search_by_substring(ctx: AppContext, duty: Actor) -> None:
    incident = new_incident(
        ctx,
        duty,
        title="菜市场门口电动车充电起火隐患",
        category="消防安全",
        subcategory="电动车违规充电",
    )
    rows = ctx.incident_queries.rows(
        duty, QueueFilter(queue=Queue.UNTRIAGED, search="充电"), offset=0, limit=50
    )
    assert str(incident.id) in [r.id for r in rows]
    assert ctx.incident_queries.count(
        duty, QueueFilter(queue=Queue.UNTRIAGED, search="充电")
    ) == len(rows)
    assert ctx.incidents.suggested_department("消防安全") == department(ctx, "ST-XFZ")
