"""The centre head's reference data: rooms (kind, capacity, equipment, buffers, opening
hours, closures) and mediators (kind, specialities, organisation, home room,
availability, deactivation). Each save is one service call: one transaction, one audit
record; bad input is refused in words before anything is written.

A room or mediator taken out of use with sessions ahead is refused, the sessions listed;
a mediator's sessions ahead can instead be handed to another mediator in the same call,
every one of them checked by the booking rules first (one clash and nothing changes).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.mediation.rules import (
    MAX_BUFFER_MINUTES,
    RulePolicy,
    Slot,
    availability_clash,
    hm,
    hours_clashes,
    parse_hhmm,
    validate_hours,
)
from centre_app.mediation.service import (
    _PHONE,
    MediationService,
    SessionDraft,
    clean_text,
    write_bookings,
)
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import Booking, Closure, MediationSession, SessionStatus
from db.models.mediation_ref import Mediator, MediatorKind, Room

MAX_CAPACITY = 200
LISTED = 5  # sessions named in a refusal; the rest counted
_SEPARATORS = re.compile(r"[,，、;；\s]+")

MEDIATOR_KIND_LABELS: dict[MediatorKind, str] = {
    MediatorKind.PEOPLES_MEDIATOR: msg("人民调解员"),
    MediatorKind.LAWYER: msg("律师"),
    MediatorKind.EXPERT: msg("专家"),
    MediatorKind.PSYCHOLOGIST: msg("心理咨询师"),
}


@dataclass(frozen=True)
class RoomDraft:
    name: str
    kind: str
    capacity: str | int
    equipment: str = ""
    location: str = ""
    buffer_before_minutes: str | int = 0
    buffer_after_minutes: str | int = 10
    # {"1": ["08:30", "17:30"], ...} by ISO weekday; a missing day is closed.
    # None: the centre's default hours (Monday to Friday, 08:30–17:30).
    opening_hours: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True)
class MediatorDraft:
    name: str
    kind: MediatorKind
    specialties: str = ""  # "劳资纠纷，婚姻家庭" (commas, 、 or spaces)
    organisation: str = ""
    phone: str = ""
    home_room_id: uuid.UUID | None = None
    # {"2": [["09:00", "12:00"]], ...}; None: whenever the room is open.
    availability: Mapping[str, Sequence[Sequence[str]]] | None = None


@dataclass(frozen=True)
class ClosureView:
    id: uuid.UUID
    room_id: uuid.UUID | None
    first_day: dt.date
    last_day: dt.date
    reason: str


def _int_in(raw: str | int, what: str, low: int, high: int) -> int:
    text_ = unicodedata.normalize("NFKC", str(raw)).strip()
    if not re.fullmatch(r"-?\d{1,9}", text_) or not low <= int(text_) <= high:
        raise ValidationError(
            "{what}应为 {low} 到 {high} 的整数，“{raw}”不行",
            what=what,
            low=low,
            high=high,
            raw=str(raw)[:20],
        )
    return int(text_)


def _clean_time(raw: str) -> str:
    return parse_hhmm(unicodedata.normalize("NFKC", str(raw)).strip().replace("：", ":")).strftime(
        "%H:%M"
    )


def parse_spans(text: str) -> list[list[str]]:
    """“09:00-12:00, 14:00-17:30” → [["09:00", "12:00"], ["14:00", "17:30"]]: in order,
    each ending after it starts, none overlapping. Empty text: no span."""
    cleaned = unicodedata.normalize("NFKC", text).replace("：", ":").replace("～", "-")
    spans: list[list[str]] = []
    for part in _SEPARATORS.split(cleaned.strip()):
        if not part:
            continue
        bits = re.split(r"[-–—~至到]", part)
        if len(bits) != 2:
            raise ValidationError("时段“{part}”应写成 开始-结束，例如 09:00-12:00", part=part[:20])
        spans.append([_clean_time(bits[0]), _clean_time(bits[1])])
    return _checked_spans(spans)


def _checked_spans(spans: Sequence[Sequence[str]]) -> list[list[str]]:
    result = sorted([_clean_time(a), _clean_time(b)] for a, b in spans)
    for start, end in result:
        if end <= start:
            raise ValidationError("时段 {span} 的结束不晚于开始", span=f"{start}-{end}")
    for (a_start, a_end), (b_start, b_end) in itertools.pairwise(result):
        if b_start < a_end:
            raise ValidationError(
                "时段 {first} 和 {second} 重叠，请合并",
                first=f"{a_start}-{a_end}",
                second=f"{b_start}-{b_end}",
            )
    return result


def validate_availability(
    availability: Mapping[str, Sequence[Sequence[str]]],
) -> dict[str, list[list[str]]]:
    result: dict[str, list[list[str]]] = {}
    for key, spans in availability.items():
        if key not in {str(d) for d in range(1, 8)}:
            raise ValidationError("星期应为 1 到 7，“{key}”不对", key=str(key)[:8])
        if any(len(span) != 2 for span in spans):
            raise ValidationError("每个时段应为开始和结束两个时间")
        checked = _checked_spans(spans)
        if checked:
            result[key] = checked
    return result


def parse_specialties(text: str) -> str:
    names = [
        clean_text(n, msg("擅长领域"), 32)
        for n in _SEPARATORS.split(unicodedata.normalize("NFKC", text))
        if n
    ]
    if len(names) > 20:
        raise ValidationError("擅长领域不能超过 {limit} 项", limit=20)
    return ",".join(dict.fromkeys(names))


def describe_sessions(rows: Sequence[MediationSession], rooms: Mapping[uuid.UUID, str]) -> str:
    """“12-01 09:00–10:00 法律援助服务室 张三诉李四（劳资纠纷）；…”, the first few named."""
    shown = [
        f"{r.starts_at.astimezone(LOCAL_TZ):%m-%d} {hm(r.starts_at)}–{hm(r.ends_at)} "
        f"{rooms.get(r.room_id, '?')} {r.title}"
        for r in rows[:LISTED]
    ]
    more = f"；… (+{len(rows) - LISTED})" if len(rows) > LISTED else ""
    return "；".join(shown) + more


class MediationAdmin:
    """Rooms, closures and mediators, for holders of MEDIATION_MANAGE."""

    def __init__(self, mediation: MediationService) -> None:
        self._m = mediation

    # --- reads --------------------------------------------------------------------------

    def all_rooms(self) -> list[Room]:
        with self._m._session_factory() as session:
            return list(session.scalars(select(Room).order_by(Room.active.desc(), Room.name)))

    def all_mediators(self) -> list[Mediator]:
        with self._m._session_factory() as session:
            query = select(Mediator).order_by(Mediator.active.desc(), Mediator.name)
            return list(session.scalars(query))

    def closures(self, room_id: uuid.UUID | None) -> list[ClosureView]:
        """The closures of a room and of the whole centre that have not ended yet."""
        today = self._m._clock.now().astimezone(LOCAL_TZ).date()
        with self._m._session_factory() as session:
            query = select(Closure).where(Closure.last_day >= today)
            if room_id is not None:
                query = query.where((Closure.room_id == room_id) | Closure.room_id.is_(None))
            rows = session.scalars(query.order_by(Closure.first_day))
            return [ClosureView(c.id, c.room_id, c.first_day, c.last_day, c.reason) for c in rows]

    def sessions_ahead(self, resource: str) -> list[MediationSession]:
        with self._m._session_factory() as session:
            return self._ahead(session, resource)

    def _ahead(self, session: Session, resource: str) -> list[MediationSession]:
        ids = select(Booking.session_id).where(
            Booking.resource == resource, Booking.ends_at > self._m._clock.now()
        )
        return list(
            session.scalars(
                select(MediationSession)
                .where(
                    MediationSession.id.in_(ids),
                    MediationSession.status == SessionStatus.PLANNED,
                )
                .order_by(MediationSession.starts_at)
            )
        )

    def ahead_outside_hours(
        self, room_id: uuid.UUID | None = None, mediator_id: uuid.UUID | None = None
    ) -> str:
        """Sessions ahead that the room's opening hours (or the mediator's available
        hours) no longer cover, named; "" when none. Saving new hours never moves or
        cancels a booking: the head is told which ones to look at."""
        with self._m._session_factory() as session:
            calendar = self._m.working_days(session)
            rooms = {r.id: r for r in session.scalars(select(Room))}
            names = {r.id: r.name for r in rooms.values()}
            if room_id is not None:
                room = rooms.get(room_id)
                if room is None:
                    return ""
                outside = [
                    row
                    for row in self._ahead(session, f"room:{room_id}")
                    if hours_clashes(
                        room.name,
                        Slot(row.starts_at, row.ends_at),
                        room.opening_hours,
                        calendar,
                        [],
                        RulePolicy(),
                    )
                ]
            elif mediator_id is not None:
                mediator = session.get(Mediator, mediator_id)
                if mediator is None:
                    return ""
                outside = [
                    row
                    for row in self._ahead(session, f"mediator:{mediator_id}")
                    if availability_clash(
                        mediator.name,
                        Slot(row.starts_at, row.ends_at),
                        mediator.availability,
                        RulePolicy(),
                    )
                ]
            else:
                return ""
            return describe_sessions(outside, names)

    # --- rooms --------------------------------------------------------------------------

    def save_room(
        self, actor: Actor, draft: RoomDraft, room_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Create (`room_id` None) or change a room. Changed buffers and hours apply to
        bookings made from now on; sessions already booked keep theirs."""
        actor.require(Permission.MEDIATION_MANAGE)
        name = clean_text(draft.name, msg("调解室名称"), 64)
        kind = clean_text(draft.kind, msg("调解室类型"), 32)
        capacity = _int_in(draft.capacity, msg("容纳人数"), 1, MAX_CAPACITY)
        before = _int_in(draft.buffer_before_minutes, msg("开始前预留"), 0, MAX_BUFFER_MINUTES)
        after = _int_in(draft.buffer_after_minutes, msg("结束后预留"), 0, MAX_BUFFER_MINUTES)
        equipment = clean_text(draft.equipment, msg("设备"), 500, required=False)
        location = clean_text(draft.location, msg("位置"), 64, required=False)
        hours = None
        if draft.opening_hours is not None:
            hours = validate_hours(
                {k: [_clean_time(t) for t in v] for k, v in draft.opening_hours.items()}
            )
        try:
            with self._m._writing() as session:
                same_name = session.scalar(select(Room).where(Room.name == name))
                if same_name is not None and same_name.id != room_id:
                    raise ConflictError("已有名为“{name}”的调解室", name=name)
                if room_id is None:
                    room = Room(name=name, kind=kind)
                    session.add(room)
                    action = "mediation.room_add"
                else:
                    found = session.get(Room, room_id)
                    if found is None:
                        raise NotFound("调解室不存在（可能已被删除）")
                    room, action = found, "mediation.room_change"
                room.name, room.kind, room.capacity = name, kind, capacity
                room.buffer_before_minutes, room.buffer_minutes = before, after
                room.equipment, room.location, room.opening_hours = (
                    equipment,
                    location or None,
                    hours,
                )
                session.flush()
                audit.record(
                    session,
                    self._m._clock,
                    actor,
                    action,
                    target_type="mediation_room",
                    target_id=room.id,
                    summary=f"{name}（{kind}）容纳 {capacity} 人，前 {before} 分钟，后 {after} 分钟",
                )
                return room.id
        except IntegrityError:  # another desk saved a room of that name a moment earlier
            raise ConflictError("已有名为“{name}”的调解室", name=name) from None

    def set_room_active(self, actor: Actor, room_id: uuid.UUID, active: bool) -> None:
        """A room with sessions ahead is not taken out of use; the refusal lists them."""
        actor.require(Permission.MEDIATION_MANAGE)
        with self._m._writing() as session:
            room = session.get(Room, room_id)
            if room is None:
                raise NotFound("调解室不存在（可能已被删除）")
            if not active:
                ahead = self._ahead(session, f"room:{room_id}")
                if ahead:
                    raise ConflictError(
                        "调解室 {name} 还有 {count} 场未开始的调解，请先改到其他调解室或取消：{sessions}",
                        name=room.name,
                        count=len(ahead),
                        sessions=describe_sessions(ahead, {room.id: room.name}),
                    )
            room.active = active
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.room_active",
                target_type="mediation_room",
                target_id=room.id,
                summary=f"{room.name} {'启用' if active else '停用'}",
            )

    def add_closure(
        self,
        actor: Actor,
        first_day: dt.date,
        last_day: dt.date,
        reason: str,
        room_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Close a room (or the whole centre, `room_id` None) for some days; refused while
        sessions are booked in those days, naming them."""
        actor.require(Permission.MEDIATION_MANAGE)
        if last_day < first_day:
            raise ValidationError(
                "暂停结束日期 {last} 早于开始日期 {first}",
                first=first_day.isoformat(),
                last=last_day.isoformat(),
            )
        if (last_day - first_day).days > 366:
            raise ValidationError("暂停使用一次不能超过一年，请分段登记")
        why = clean_text(reason, msg("暂停原因"), 128)
        start = dt.datetime.combine(first_day, dt.time(0), LOCAL_TZ)
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), LOCAL_TZ)
        with self._m._writing() as session:
            query = select(MediationSession).where(
                MediationSession.status == SessionStatus.PLANNED,
                MediationSession.starts_at >= start,
                MediationSession.starts_at < end,
            )
            if room_id is not None:
                if session.get(Room, room_id) is None:
                    raise NotFound("调解室不存在（可能已被删除）")
                query = query.where(MediationSession.room_id == room_id)
            booked = list(session.scalars(query.order_by(MediationSession.starts_at)))
            if booked:
                rooms = {r.id: r.name for r in session.scalars(select(Room))}
                raise ConflictError(
                    "这几天还有 {count} 场调解，请先改期或取消：{sessions}",
                    count=len(booked),
                    sessions=describe_sessions(booked, rooms),
                )
            closure = Closure(room_id=room_id, first_day=first_day, last_day=last_day, reason=why)
            session.add(closure)
            session.flush()
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.closure",
                target_type="mediation_room",
                target_id=room_id,
                summary=f"{first_day}–{last_day} {why}",
            )
            return closure.id

    def remove_closure(self, actor: Actor, closure_id: uuid.UUID) -> None:
        actor.require(Permission.MEDIATION_MANAGE)
        with self._m._writing() as session:
            closure = session.get(Closure, closure_id)
            if closure is None:
                raise NotFound("这条暂停使用记录不存在（可能已被删除）")
            summary = f"{closure.first_day}–{closure.last_day} {closure.reason}"
            session.delete(closure)
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.closure_remove",
                target_type="mediation_room",
                target_id=closure.room_id,
                summary=summary,
            )

    # --- mediators ----------------------------------------------------------------------

    def save_mediator(
        self, actor: Actor, draft: MediatorDraft, mediator_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Create (`mediator_id` None) or change a mediator. New availability applies to
        bookings made from now on."""
        actor.require(Permission.MEDIATION_MANAGE)
        name = clean_text(draft.name, msg("调解员姓名"), 32)
        if not isinstance(draft.kind, MediatorKind):
            raise ValidationError("请选择调解员类别")
        specialties = parse_specialties(draft.specialties)
        organisation = clean_text(draft.organisation, msg("所在单位"), 64, required=False)
        phone = unicodedata.normalize("NFKC", draft.phone).replace(" ", "").replace("-", "")
        if phone and not _PHONE.match(phone):
            raise ValidationError(
                "电话“{phone}”应为 11 位手机号或带区号的固定电话", phone=phone[:20]
            )
        availability = (
            None if draft.availability is None else validate_availability(draft.availability)
        )
        with self._m._writing() as session:
            if draft.home_room_id is not None:
                home = session.get(Room, draft.home_room_id)
                if home is None or not home.active:
                    raise ValidationError("所选调解室不存在或已停用")
            if mediator_id is None:
                mediator = Mediator(name=name, kind=draft.kind)
                session.add(mediator)
                action = "mediation.mediator_add"
            else:
                found = session.get(Mediator, mediator_id)
                if found is None:
                    raise NotFound("调解员不存在")
                mediator, action = found, "mediation.mediator_change"
            mediator.name, mediator.kind, mediator.specialties = name, draft.kind, specialties
            mediator.organisation, mediator.phone = organisation or None, phone or None
            mediator.home_room_id, mediator.availability = draft.home_room_id, availability
            session.flush()
            audit.record(
                session,
                self._m._clock,
                actor,
                action,
                target_type="mediator",
                target_id=mediator.id,
                summary=f"{name}（{draft.kind.value}）{specialties}",
            )
            return mediator.id

    def set_mediator_active(
        self,
        actor: Actor,
        mediator_id: uuid.UUID,
        active: bool,
        *,
        reassign_to: uuid.UUID | None = None,
    ) -> int:
        """Deactivate (or reactivate) a mediator. Sessions ahead refuse the deactivation,
        listed, unless `reassign_to` names who takes them: then every one is checked with
        the new mediator (room, people, availability) and, with no clash, handed over in
        the same transaction. Returns how many sessions were handed over."""
        actor.require(Permission.MEDIATION_MANAGE)
        if active or reassign_to is None:
            if not active:
                with self._m._session_factory() as session:
                    ahead = self._ahead(session, f"mediator:{mediator_id}")
                    rooms = {r.id: r.name for r in session.scalars(select(Room))}
                    mediator = session.get(Mediator, mediator_id)
                if ahead and mediator is not None:
                    raise ConflictError(
                        "调解员 {name} 还有 {count} 场未开始的调解，请先改派或取消：{sessions}",
                        name=mediator.name,
                        count=len(ahead),
                        sessions=describe_sessions(ahead, rooms),
                    )
            self._m.set_mediator_active(actor, mediator_id, active)
            return 0
        if reassign_to == mediator_id:
            raise ValidationError("请选择另一位调解员接手")
        with self._m._writing() as session:
            mediator = session.get(Mediator, mediator_id)
            successor = session.get(Mediator, reassign_to)
            if mediator is None or successor is None:
                raise NotFound("调解员不存在")
            ahead = self._ahead(session, f"mediator:{mediator_id}")
            ids = [row.id for row in ahead]
            session.execute(delete(Booking).where(Booking.session_id.in_(ids)))
            session.flush()
            for row in ahead:
                others = [
                    m for m in row.mediator_ids if m not in (str(mediator_id), str(reassign_to))
                ]
                chosen = [reassign_to, *(uuid.UUID(m) for m in others)]
                draft = SessionDraft(
                    row.room_id,
                    row.starts_at,
                    row.ends_at,
                    chosen,
                    row.case_id,
                    row.title,
                    row.party_keys,
                )
                plan = self._m._plan(session, draft, Slot(row.starts_at, row.ends_at))
                clashes = [c for c in self._m._clashes(session, plan, row.id) if c.blocking]
                if clashes:
                    raise ConflictError(
                        "{session} 改由 {name} 调解不行：{clash}（未作任何修改）",
                        session=describe_sessions([row], {plan.room.id: plan.room.name}),
                        name=successor.name,
                        clash=clashes[0].message,
                    )
                row.mediator_ids = [str(m) for m in chosen]
                session.flush()
                write_bookings(session, row)
            mediator.active = False
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.mediator_active",
                target_type="mediator",
                target_id=mediator.id,
                summary=f"{mediator.name} 停用，{len(ahead)} 场改由 {successor.name} 调解",
            )
            return len(ahead)
