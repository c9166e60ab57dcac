"""Incident services: report, every workflow action, the county's answer, the history.

Each action is one transaction with one event and one audit entry. The state change is a
compare-and-set on the state the user saw, so of two duty officers acting on one case at
once the second is told who acted first, and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.errors import ConflictError, NotFound, ValidationError
from centre_app.incidents import workflow
from centre_app.incidents.categories import CATEGORIES, suggested_department_code
from centre_app.incidents.history import rebuild_incident
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, AreaLevel, Department
from db.models.incidents import Channel, Incident, IncidentEvent, IncidentState, RiskColour

MAX_PEOPLE = 100_000
GROUP_EVENT_PEOPLE = 10  # many people involved → at least yellow, duty officer alerted


@dataclass(frozen=True)
class IncidentDraft:
    channel: Channel
    category: str
    subcategory: str
    colour: RiskColour
    grid_code: str | None
    place: str
    title: str
    description: str
    reporter: str
    people_involved: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


class IncidentService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 township_code: str) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    # --- intake -----------------------------------------------------------------------

    def report(self, actor: Actor, draft: IncidentDraft, *, township_code: str | None = None,
               case_no: str | None = None, at: dt.datetime | None = None) -> Incident:
        """Register a report; validates the draft and raises the colour of group events."""
        actor.require(Permission.INCIDENT_CREATE)
        with self._session_factory.begin() as session:
            return self._report(session, actor, draft, township_code or self._township_code,
                                case_no, at or self._clock.now())

    def _report(self, session: Session, actor: Actor, draft: IncidentDraft, township: str,
                case_no: str | None, at: dt.datetime) -> Incident:
        _validate(draft)
        if at > self._clock.now() + dt.timedelta(minutes=5):
            raise ValidationError("上报时间晚于现在，请核对日期。")
        grid_id = None
        if draft.grid_code:
            grid_id = session.scalar(select(Area.id).where(
                Area.code == draft.grid_code, Area.level == AreaLevel.GRID))
            if grid_id is None:
                raise ValidationError(f"网格“{draft.grid_code}”不存在，请从网格列表中选择。")
        colour = draft.colour
        if draft.people_involved >= GROUP_EVENT_PEOPLE and colour is RiskColour.GREEN:
            colour = RiskColour.YELLOW
        incident = Incident(
            township_code=township, case_no=case_no or self._next_case_no(session, township, at),
            channel=draft.channel, category=draft.category, subcategory=draft.subcategory,
            colour=colour, grid_id=grid_id, place=draft.place.strip(), title=draft.title.strip(),
            description=draft.description.strip(), people_involved=draft.people_involved,
            reporter=draft.reporter.strip(), reported_at=at, state=IncidentState.REPORTED)
        session.add(incident)
        session.flush()
        self._event(session, actor, incident, "report", None, IncidentState.REPORTED,
                    "", {"colour": colour.value, **draft.extra}, at)
        audit.record(session, self._clock, actor, "incident.report", target_type="incident",
                     target_id=incident.id, summary=f"{incident.case_no} {incident.title}")
        return incident

    def _next_case_no(self, session: Session, township: str, at: dt.datetime) -> str:
        year = to_local(at).year
        prefix = f"{township}-{year}-"
        last = session.scalar(select(func.max(Incident.case_no)).where(
            Incident.case_no.startswith(prefix)))
        number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{number:06d}"

    # --- workflow ---------------------------------------------------------------------

    def act(self, actor: Actor, incident_id: uuid.UUID, action_name: str, *,
            seen_state: IncidentState, note: str = "",
            department_id: uuid.UUID | None = None, merge_into: uuid.UUID | None = None,
            at: dt.datetime | None = None) -> Incident:
        """Take one workflow action on the case the user saw in `seen_state`."""
        action = workflow.check(action_name, seen_state)
        if action.name == "county_reply":
            raise ValidationError("县级答复请使用“记录县级答复”。")
        actor.require(action.permission)
        data: dict[str, Any] = {}
        if action.name in ("reject", "verify_failed", "escalate") and not note.strip():
            raise ValidationError(f"“{action.label}”需要填写理由。")
        with self._session_factory.begin() as session:
            if action.name == "dispatch":
                if department_id is None or session.get(Department, department_id) is None:
                    raise ValidationError("请选择派遣的部门或站所。")
                data["department_id"] = str(department_id)
            if action.name == "merge":
                if merge_into is None or merge_into == incident_id or \
                        session.get(Incident, merge_into) is None:
                    raise ValidationError("请选择要合并到的另一件事件。")
                data["into"] = str(merge_into)
            assert action.target is not None
            incident = self._claim(session, incident_id, seen_state, action.target, action.label)
            self._event(session, actor, incident, action.name, seen_state, action.target,
                        note, data, at or self._clock.now())
            rebuild_incident(session, incident.id)
            audit.record(session, self._clock, actor, f"incident.{action.name}",
                         target_type="incident", target_id=incident.id,
                         summary=f"{incident.case_no} {action.label} {note}".strip())
            return incident

    def set_colour(self, actor: Actor, incident_id: uuid.UUID, colour: RiskColour,
                   note: str = "") -> Incident:
        actor.require(Permission.INCIDENT_TRIAGE)
        with self._session_factory.begin() as session:
            incident = self._get(session, incident_id)
            if incident.state not in workflow.OPEN_STATES:
                raise ValidationError("已办结的事件不能再调整风险等级。")
            self._event(session, actor, incident, "colour", None, None, note,
                        {"colour": colour.value}, self._clock.now())
            rebuild_incident(session, incident.id)
            audit.record(session, self._clock, actor, "incident.colour", target_type="incident",
                         target_id=incident.id, summary=f"{incident.case_no} → {colour.value}")
            return incident

    def record_county_reply(self, actor: Actor, incident_id: uuid.UUID, decision: str,
                            note: str) -> Incident:
        """The county's answer to an escalation; runs on either database."""
        actor.require(Permission.INCIDENT_ESCALATE)
        target = workflow.COUNTY_DECISIONS.get(decision)
        if target is None:
            raise ValidationError("县级答复只能是：" + "、".join(workflow.COUNTY_DECISIONS))
        with self._session_factory.begin() as session:
            incident = self._claim(session, incident_id, IncidentState.ESCALATED, target,
                                   "记录县级答复")
            self._event(session, actor, incident, "county_reply", IncidentState.ESCALATED,
                        target, note, {"decision": decision}, self._clock.now())
            rebuild_incident(session, incident.id)
            audit.record(session, self._clock, actor, "incident.county_reply",
                         target_type="incident", target_id=incident.id,
                         summary=f"{incident.case_no} 县级答复：{decision}")
            return incident

    def _claim(self, session: Session, incident_id: uuid.UUID, seen: IncidentState,
               target: IncidentState, label: str) -> Incident:
        changed = session.execute(update(Incident).where(
            Incident.id == incident_id, Incident.state == seen).values(state=target))
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            incident = self._get(session, incident_id)
            last = session.scalars(select(IncidentEvent).where(
                IncidentEvent.incident_id == incident_id).order_by(
                IncidentEvent.at.desc())).first()
            who = f"{last.actor_name}（{last.actor}）" if last else "他人"
            raise ConflictError(
                f"事件 {incident.case_no} 已被 {who} 处理为“"
                f"{workflow.STATE_LABELS[incident.state]}”，不能再{label}。请刷新后再操作。")
        session.expire_all()
        return self._get(session, incident_id)

    def _get(self, session: Session, incident_id: uuid.UUID) -> Incident:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("找不到该事件，可能已被删除或尚未同步。")
        return incident

    def _event(self, session: Session, actor: Actor, incident: Incident, kind: str,
               source: IncidentState | None, target: IncidentState | None, note: str,
               data: dict[str, Any], at: dt.datetime) -> None:
        session.add(IncidentEvent(
            incident_id=incident.id, at=at, actor=actor.username, actor_name=actor.display_name,
            kind=kind, from_state=source.value if source else None,
            to_state=target.value if target else None, note=note.strip(), data=data))
        session.flush()

    # --- reading ----------------------------------------------------------------------

    def get(self, actor: Actor, incident_id: uuid.UUID) -> Incident:
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return self._get(session, incident_id)

    def history(self, actor: Actor, incident_id: uuid.UUID) -> Sequence[IncidentEvent]:
        from centre_app.incidents.history import event_order

        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return sorted(session.scalars(select(IncidentEvent).where(
                IncidentEvent.incident_id == incident_id)), key=event_order)

    def suggested_department(self, category: str) -> uuid.UUID | None:
        code = suggested_department_code(category)
        with self._session_factory() as session:
            return session.scalar(select(Department.id).where(Department.code == code))


def _validate(draft: IncidentDraft) -> None:
    if draft.category not in CATEGORIES or draft.subcategory not in CATEGORIES[draft.category]:
        raise ValidationError(f"事件类别“{draft.category}/{draft.subcategory}”不存在，请从列表选择。")
    if not draft.title.strip() or len(draft.title) > 128:
        raise ValidationError("请填写事件标题（不超过 128 个字）。")
    if len(draft.description.strip()) < 5:
        raise ValidationError("事件描述太短，请写清时间、地点、人物和经过。")
    if not draft.place.strip():
        raise ValidationError("请填写事发地点。")
    if not draft.reporter.strip():
        raise ValidationError("请填写上报人。")
    if not 1 <= draft.people_involved <= MAX_PEOPLE:
        raise ValidationError(f"涉及人数应在 1 到 {MAX_PEOPLE} 之间。")
