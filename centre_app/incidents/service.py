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
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from centre_app import paths
from centre_app.centre.counters import next_number
from centre_app.clock import Clock, to_local
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.files.desk import desk_file_store
from centre_app.files.store import FileStore
from centre_app.incidents import phone, triage, workflow
from centre_app.incidents.attachments import AttachmentCheck, AttachmentInfo
from centre_app.incidents.categories import CATEGORIES, suggested_department_code
from centre_app.incidents.history import rebuild_incident
from centre_app.incidents.triage import DuplicateCandidate
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, AreaLevel, Department
from db.models.incidents import (
    Channel,
    Incident,
    IncidentAttachment,
    IncidentEvent,
    IncidentState,
    RiskColour,
)

MAX_PEOPLE = 100_000
GROUP_EVENT_PEOPLE = triage.GROUP_PEOPLE  # many people involved → red, duty officer alerted


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
    reporter_phone: str = ""  # as typed; normalised and checked by phone.normalise_phone
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One workflow action taken at a known time, for IncidentService.replay."""

    action: str
    at: dt.datetime
    note: str = ""
    department_id: uuid.UUID | None = None


@dataclass(frozen=True)
class GridChoice:
    village_code: str
    village_name: str
    grids: tuple[tuple[str, str], ...]  # (grid code, grid name)


class IncidentService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        township_code: str,
        data_dir: Path | None = None,
        files: FileStore | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code
        root = data_dir or paths.data_dir()
        self._check = AttachmentCheck()
        self.files = files or desk_file_store(session_factory, clock, root)

    # --- intake -----------------------------------------------------------------------

    def report(
        self,
        actor: Actor,
        draft: IncidentDraft,
        *,
        township_code: str | None = None,
        case_no: str | None = None,
        at: dt.datetime | None = None,
    ) -> Incident:
        """Register a report; validates the draft and raises the colour of group events."""
        actor.require(Permission.INCIDENT_CREATE)
        with self._session_factory.begin() as session:
            return self._report(
                session,
                actor,
                draft,
                township_code or self._township_code,
                case_no,
                at or self._clock.now(),
            )

    def _report(
        self,
        session: Session,
        actor: Actor,
        draft: IncidentDraft,
        township: str,
        case_no: str | None,
        at: dt.datetime,
    ) -> Incident:
        _validate(draft)
        reporter_phone = phone.normalise_phone(draft.reporter_phone)
        if at > self._clock.now() + dt.timedelta(minutes=5):
            raise ValidationError("上报时间晚于现在，请核对日期。")
        grid_id = None
        if draft.grid_code:
            grid_id = session.scalar(
                select(Area.id).where(Area.code == draft.grid_code, Area.level == AreaLevel.GRID)
            )
            if grid_id is None:
                raise ValidationError(
                    "网格“{grid}”不存在，请从网格列表中选择。", grid=draft.grid_code
                )
        colour = draft.colour
        incident = Incident(
            township_code=township,
            case_no=case_no or self._next_case_no(session, township, at),
            channel=draft.channel,
            category=draft.category,
            subcategory=draft.subcategory,
            colour=colour,
            grid_id=grid_id,
            place=draft.place.strip(),
            title=draft.title.strip(),
            description=draft.description.strip(),
            people_involved=draft.people_involved,
            reporter=draft.reporter.strip(),
            reporter_phone=reporter_phone,
            reported_at=at,
            state=IncidentState.REPORTED,
            red_at=at if colour is RiskColour.RED else None,
        )
        session.add(incident)
        session.flush()
        self._event(
            session,
            actor,
            incident,
            "report",
            None,
            IncidentState.REPORTED,
            "",
            {"colour": colour.value, **draft.extra},
            at,
        )
        reason = triage.group_warning_reason(session, township, incident)
        if reason is not None:
            # 群体性事件预警: red at once, in the history, and on the tray alert.
            self._event(
                session,
                actor,
                incident,
                "group_warning",
                None,
                None,
                reason,
                {"colour": RiskColour.RED.value, "reason": reason},
                at,
            )
            rebuild_incident(session, incident.id)
        audit.record(
            session,
            self._clock,
            actor,
            "incident.report",
            target_type="incident",
            target_id=incident.id,
            summary=f"{incident.case_no} {incident.title}",
        )
        return incident

    def _next_case_no(self, session: Session, township: str, at: dt.datetime) -> str:
        year = to_local(at).year
        prefix = f"{township}-{year}-"

        def given(session: Session) -> int:  # numbers handed out before the counter existed
            last = session.scalar(
                select(func.max(Incident.case_no)).where(Incident.case_no.startswith(prefix))
            )
            return int(last.rsplit("-", 1)[1]) if last else 0

        # Several desks report at once on the centre's PostgreSQL: one locked counter row.
        return f"{prefix}{next_number(session, 'case:' + prefix, given):06d}"

    # --- workflow ---------------------------------------------------------------------

    def act(
        self,
        actor: Actor,
        incident_id: uuid.UUID,
        action_name: str,
        *,
        seen_state: IncidentState,
        note: str = "",
        department_id: uuid.UUID | None = None,
        merge_into: uuid.UUID | None = None,
        at: dt.datetime | None = None,
    ) -> Incident:
        """Take one workflow action on the case the user saw in `seen_state`."""
        if action_name == "merge":
            actor.require(workflow.check(action_name, seen_state).permission)
            if merge_into is None:
                raise ValidationError("请选择要合并到的另一件事件。")
            return self.merge(
                actor, incident_id, merge_into, note or "重复上报", seen_state=seen_state
            )
        return self.replay(
            actor,
            incident_id,
            seen_state,
            [Step(action_name, at or self._clock.now(), note, department_id)],
        )

    def replay(
        self, actor: Actor, incident_id: uuid.UUID, seen_state: IncidentState, steps: Sequence[Step]
    ) -> Incident:
        """Take a run of actions at known times in one transaction, each checked, recorded
        and audited as a single act() would be; the row is rebuilt once at the end. For a
        history that is already decided (the demo year, an import); a step that the
        workflow refuses refuses the whole run."""
        # Every step is checked before anything is written: (step, action, from, to).
        moves: list[tuple[Step, workflow.Action, IncidentState, IncidentState]] = []
        state = seen_state
        for step in steps:
            action = self._checked(actor, step.action, state, step.note)
            assert action.target is not None
            moves.append((step, action, state, action.target))
            state = action.target
        if not moves:
            raise ValidationError("没有要办理的操作。")
        with self._session_factory.begin() as session:
            incident = self._claim(session, incident_id, seen_state, state, moves[0][1].label)
            for step, action, source, target in moves:
                data: dict[str, Any] = {}
                if action.name == "dispatch":
                    if (
                        step.department_id is None
                        or session.get(Department, step.department_id) is None
                    ):
                        raise ValidationError("请选择派遣的部门或站所。")
                    data["department_id"] = str(step.department_id)
                self._event(
                    session, actor, incident, action.name, source, target, step.note, data, step.at
                )
                audit.record(
                    session,
                    self._clock,
                    actor,
                    f"incident.{action.name}",
                    target_type="incident",
                    target_id=incident.id,
                    summary=f"{incident.case_no} {action.label} {step.note}".strip(),
                    at=step.at,
                )
            rebuild_incident(session, incident.id)
            return incident

    @staticmethod
    def _checked(
        actor: Actor, action_name: str, state: IncidentState, note: str
    ) -> workflow.Action:
        action = workflow.check(action_name, state)
        if action.name == "county_reply":
            raise ValidationError("县级答复请使用“记录县级答复”。")
        if action.name == "merge":
            raise ValidationError("合并请选择要合并到的另一件事件。")
        actor.require(action.permission)
        if action.name in ("reject", "verify_failed", "escalate") and not note.strip():
            raise ValidationError("“{action}”需要填写理由。", action=action.label)
        if action.name == "handle" and not note.strip():
            raise ValidationError("处置反馈需要写明做了什么（处置经过和结果）。")
        return action

    def set_colour(
        self, actor: Actor, incident_id: uuid.UUID, colour: RiskColour, note: str = ""
    ) -> Incident:
        actor.require(Permission.INCIDENT_TRIAGE)
        with self._session_factory.begin() as session:
            incident = self._get(session, incident_id)
            if incident.state not in workflow.OPEN_STATES:
                raise ValidationError("已办结的事件不能再调整风险等级。")
            self._event(
                session,
                actor,
                incident,
                "colour",
                None,
                None,
                note,
                {"colour": colour.value},
                self._clock.now(),
            )
            rebuild_incident(session, incident.id)
            audit.record(
                session,
                self._clock,
                actor,
                "incident.colour",
                target_type="incident",
                target_id=incident.id,
                summary=f"{incident.case_no} → {colour.value}",
            )
            return incident

    def record_county_reply(
        self, actor: Actor, incident_id: uuid.UUID, decision: str, note: str
    ) -> Incident:
        """The county's answer to an escalation; runs on either database."""
        actor.require(Permission.INCIDENT_ESCALATE)
        target = workflow.COUNTY_DECISIONS.get(decision)
        if target is None:
            raise ValidationError(
                "县级答复只能是：{choices}。", choices="、".join(workflow.COUNTY_DECISIONS)
            )
        with self._session_factory.begin() as session:
            incident = self._claim(
                session, incident_id, IncidentState.ESCALATED, target, msg("记录县级答复")
            )
            self._event(
                session,
                actor,
                incident,
                "county_reply",
                IncidentState.ESCALATED,
                target,
                note,
                {"decision": decision},
                self._clock.now(),
            )
            rebuild_incident(session, incident.id)
            audit.record(
                session,
                self._clock,
                actor,
                "incident.county_reply",
                target_type="incident",
                target_id=incident.id,
                summary=f"{incident.case_no} 县级答复：{decision}",
            )
            return incident

    def set_deadline(
        self, actor: Actor, incident_id: uuid.UUID, deadline: dt.datetime, note: str
    ) -> Incident:
        """A deadline set by hand (e.g. agreed with the department); never in the past."""
        actor.require(Permission.INCIDENT_DISPATCH)
        if deadline.tzinfo is None:
            raise ValidationError("处置时限缺少时区，请重新选择日期和时间。")
        if deadline <= self._clock.now():
            raise ValidationError("处置时限不能早于现在，请选择以后的日期和时间。")
        if not note.strip():
            raise ValidationError("调整处置时限需要填写理由。")
        with self._session_factory.begin() as session:
            incident = self._get(session, incident_id)
            if (
                incident.state not in workflow.OPEN_STATES
                or incident.state is IncidentState.REPORTED
            ):
                raise ValidationError(
                    "“{state}”的事件不能调整处置时限。", state=workflow.STATE_LABELS[incident.state]
                )
            self._event(
                session,
                actor,
                incident,
                "deadline",
                None,
                None,
                note,
                {"deadline": deadline.astimezone(dt.UTC).isoformat()},
                self._clock.now(),
            )
            rebuild_incident(session, incident.id)
            audit.record(
                session,
                self._clock,
                actor,
                "incident.deadline",
                target_type="incident",
                target_id=incident.id,
                summary=f"{incident.case_no} 时限 {to_local(deadline):%Y-%m-%d %H:%M}",
            )
            return incident

    # --- triage helpers ---------------------------------------------------------------

    def find_duplicates(
        self,
        actor: Actor,
        draft_or_incident: IncidentDraft | uuid.UUID,
        window: dt.timedelta = triage.DUPLICATE_WINDOW,
    ) -> list[DuplicateCandidate]:
        """Open cases that look like the same event (same grid or place, similar subject,
        within `window`), best first, each with a score and the reason in words."""
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            if isinstance(draft_or_incident, IncidentDraft):
                d = draft_or_incident
                grid_id = (
                    session.scalar(select(Area.id).where(Area.code == d.grid_code))
                    if d.grid_code
                    else None
                )
                subject = triage.Subject(
                    None,
                    grid_id,
                    d.place,
                    d.category,
                    d.subcategory,
                    d.title + d.description,
                    self._clock.now(),
                )
            else:
                i = self._get(session, draft_or_incident)
                subject = triage.Subject(
                    i.id,
                    i.grid_id,
                    i.place,
                    i.category,
                    i.subcategory,
                    i.title + i.description,
                    i.reported_at,
                )
            return triage.find_duplicates(session, self._township_code, subject, window)

    def merge(
        self,
        actor: Actor,
        duplicate_id: uuid.UUID,
        into_id: uuid.UUID,
        reason: str,
        *,
        seen_state: IncidentState | None = None,
    ) -> Incident:
        """The duplicate goes to MERGED pointing at `into_id`; both histories record it and
        the duplicate's attachments and people carry over. Returns the duplicate."""
        actor.require(Permission.INCIDENT_TRIAGE)
        if not reason.strip():
            raise ValidationError("合并需要填写理由。")
        if duplicate_id == into_id:
            raise ValidationError("不能把事件合并到它自己。")
        with self._session_factory.begin() as session:
            duplicate = self._get(session, duplicate_id)
            into = session.get(Incident, into_id)
            if into is None:
                raise ValidationError("要合并到的事件不存在，请重新选择。")
            if into.state not in workflow.OPEN_STATES:
                raise ValidationError(
                    "事件 {case_no} 已“{state}”，只能合并到在办的事件。",
                    case_no=into.case_no,
                    state=workflow.STATE_LABELS[into.state],
                )
            seen = seen_state or duplicate.state
            workflow.check("merge", seen)
            now = self._clock.now()
            dup_case, into_case = duplicate.case_no, into.case_no
            dup_people = duplicate.people_involved
            moved = self._carry_attachments(session, duplicate_id, into_id)
            incident = self._claim(session, duplicate_id, seen, IncidentState.MERGED, msg("合并"))
            self._event(
                session,
                actor,
                incident,
                "merge",
                seen,
                IncidentState.MERGED,
                reason,
                {"into": str(into_id), "into_case_no": into_case},
                now,
            )
            into = self._get(session, into_id)
            into.people_involved = max(into.people_involved, dup_people)
            self._event(
                session,
                actor,
                into,
                "merged_in",
                None,
                None,
                reason,
                {"from": str(duplicate_id), "from_case_no": dup_case, "attachments": moved},
                now,
            )
            rebuild_incident(session, duplicate_id)
            audit.record(
                session,
                self._clock,
                actor,
                "incident.merge",
                target_type="incident",
                target_id=duplicate_id,
                summary=f"{dup_case} 合并到 {into_case}",
            )
            return self._get(session, duplicate_id)

    def _carry_attachments(self, session: Session, source: uuid.UUID, target: uuid.UUID) -> int:
        have = set(
            session.scalars(
                select(IncidentAttachment.sha256).where(IncidentAttachment.incident_id == target)
            )
        )
        moved = 0
        for a in session.scalars(
            select(IncidentAttachment).where(IncidentAttachment.incident_id == source)
        ).all():
            if a.sha256 in have:
                continue
            session.add(
                IncidentAttachment(
                    incident_id=target,
                    sha256=a.sha256,
                    original_name=a.original_name,
                    mime=a.mime,
                    size=a.size,
                    added_by=a.added_by,
                    added_at=a.added_at,
                    note=a.note,
                )
            )
            moved += 1
        return moved

    # --- attachments ------------------------------------------------------------------

    def attach(
        self, actor: Actor, incident_id: uuid.UUID, path: Path | str, note: str = ""
    ) -> AttachmentInfo:
        """Store a photo, snapshot, document or clip with the case (checked by content,
        ≤ 20 MB); the same content twice on one case is stored once."""
        actor.require(Permission.INCIDENT_CREATE)
        source = Path(path)
        size, mime = self._check.check(source)
        with self._session_factory.begin() as session:
            incident = self._get(session, incident_id)
            sha = self.files.put(session, source)
            existing = session.scalar(
                select(IncidentAttachment).where(
                    IncidentAttachment.incident_id == incident_id, IncidentAttachment.sha256 == sha
                )
            )
            if existing is not None:
                return _info(existing)
            row = IncidentAttachment(
                incident_id=incident_id,
                sha256=sha,
                original_name=source.name[:255],
                mime=mime,
                size=size,
                added_by=actor.username,
                added_at=self._clock.now(),
                note=note.strip(),
            )
            session.add(row)
            self._event(
                session,
                actor,
                incident,
                "attach",
                None,
                None,
                note,
                {"sha256": sha, "name": source.name, "mime": mime, "size": size},
                self._clock.now(),
            )
            audit.record(
                session,
                self._clock,
                actor,
                "incident.attach",
                target_type="incident",
                target_id=incident.id,
                summary=f"{incident.case_no} 附件 {source.name}",
            )
            return _info(row)

    def check_attachment(self, path: Path | str) -> tuple[int, str]:
        """(size, mime) of a file `attach` would accept; ValidationError in words otherwise.
        Lets the form refuse a bad file when it is picked, before there is a case."""
        return self._check.check(Path(path))

    def attachments(self, actor: Actor, incident_id: uuid.UUID) -> list[AttachmentInfo]:
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return [
                _info(a)
                for a in session.scalars(
                    select(IncidentAttachment)
                    .where(IncidentAttachment.incident_id == incident_id)
                    .order_by(IncidentAttachment.added_at, IncidentAttachment.id)
                )
            ]

    def attachment_path(self, info: AttachmentInfo) -> Path:
        """A checked local copy of the bytes (read-only; shared by every case with the same
        content), fetched from the centre's file store when this desk has none yet."""
        return self.files.local_path(info.sha256)

    def cached_attachment(self, info: AttachmentInfo) -> Path | None:
        """This desk's copy of the bytes when it has one (no database read: for the GUI
        thread; `attachment_path` fetches the others, on a worker)."""
        path = self.files.cached_path(info.sha256)
        return path if path.is_file() else None

    def _claim(
        self,
        session: Session,
        incident_id: uuid.UUID,
        seen: IncidentState,
        target: IncidentState,
        label: str,
    ) -> Incident:
        changed = session.execute(
            update(Incident)
            .where(Incident.id == incident_id, Incident.state == seen)
            .values(state=target)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            incident = self._get(session, incident_id)
            last = session.scalars(
                select(IncidentEvent)
                .where(IncidentEvent.incident_id == incident_id)
                .order_by(IncidentEvent.at.desc())
            ).first()
            state = workflow.STATE_LABELS[incident.state]
            if last is None:
                raise ConflictError(
                    "事件 {case_no} 已被他人处理为“{state}”，不能再{action}。请刷新后再操作。",
                    case_no=incident.case_no,
                    state=state,
                    action=label,
                )
            raise ConflictError(
                "事件 {case_no} 已被 {name}（{username}） 处理为“{state}”，不能再{action}。"
                "请刷新后再操作。",
                case_no=incident.case_no,
                name=last.actor_name,
                username=last.actor,
                state=state,
                action=label,
            )
        session.expire_all()
        return self._get(session, incident_id)

    def _get(self, session: Session, incident_id: uuid.UUID) -> Incident:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("找不到该事件，可能已被删除或尚未同步。")
        return incident

    def _event(
        self,
        session: Session,
        actor: Actor,
        incident: Incident,
        kind: str,
        source: IncidentState | None,
        target: IncidentState | None,
        note: str,
        data: dict[str, Any],
        at: dt.datetime,
    ) -> None:
        session.add(
            IncidentEvent(
                incident_id=incident.id,
                at=at,
                actor=actor.username,
                actor_name=actor.display_name,
                kind=kind,
                from_state=source.value if source else None,
                to_state=target.value if target else None,
                note=note.strip(),
                data=data,
            )
        )
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
            return sorted(
                session.scalars(
                    select(IncidentEvent).where(IncidentEvent.incident_id == incident_id)
                ),
                key=event_order,
            )

    def grid_choices(self) -> list[GridChoice]:
        """Villages (社区/村) of the township with their grids, in code order, for pickers."""
        with self._session_factory() as session:
            villages = session.execute(
                select(Area.id, Area.code, Area.name)
                .where(Area.level == AreaLevel.VILLAGE)
                .order_by(Area.code)
            ).all()
            grids = session.execute(
                select(Area.parent_id, Area.code, Area.name)
                .where(Area.level == AreaLevel.GRID)
                .order_by(Area.code)
            ).all()
        by_village: dict[uuid.UUID | None, list[tuple[str, str]]] = {}
        for parent_id, code, name in grids:
            by_village.setdefault(parent_id, []).append((code, name))
        return [
            GridChoice(code, name, tuple(by_village.get(vid, ()))) for vid, code, name in villages
        ]

    def names(self, grid_id: uuid.UUID | None, department_id: uuid.UUID | None) -> tuple[str, str]:
        """The grid's and the department's names for display ("" when not set)."""
        with self._session_factory() as session:
            grid = session.get(Area, grid_id) if grid_id else None
            department = session.get(Department, department_id) if department_id else None
            return (
                f"{grid.name}（{grid.code}）" if grid else "",
                department.name if department else "",
            )

    def suggested_department(self, category: str, subcategory: str = "") -> uuid.UUID | None:
        """The usual department for the (sub)category (categories.suggested_department_code):
        the form's suggestion and the dispatch preset both ask here."""
        code = suggested_department_code(category, subcategory)
        if code is None:
            return None
        with self._session_factory() as session:
            return session.scalar(select(Department.id).where(Department.code == code))


def _info(a: IncidentAttachment) -> AttachmentInfo:
    return AttachmentInfo(
        a.id,
        a.incident_id,
        a.sha256,
        a.original_name,
        a.mime,
        a.size,
        a.added_by,
        a.added_at,
        a.note,
    )


def _validate(draft: IncidentDraft) -> None:
    if draft.category not in CATEGORIES or draft.subcategory not in CATEGORIES[draft.category]:
        raise ValidationError(
            "事件类别“{category}/{subcategory}”不存在，请从列表选择。",
            category=draft.category,
            subcategory=draft.subcategory,
        )
    if not draft.title.strip() or len(draft.title) > 128:
        raise ValidationError("请填写事件标题（不超过 128 个字）。")
    if len(draft.description.strip()) < 5:
        raise ValidationError("事件描述太短，请写清时间、地点、人物和经过。")
    if not draft.place.strip():
        raise ValidationError("请填写事发地点。")
    if not draft.reporter.strip():
        raise ValidationError("请填写上报人。")
    if len(draft.reporter.strip()) > 64:
        raise ValidationError("上报人姓名太长（不超过 64 个字）。")
    if not 1 <= draft.people_involved <= MAX_PEOPLE:
        raise ValidationError("涉及人数应在 1 到 {most} 之间。", most=MAX_PEOPLE)
