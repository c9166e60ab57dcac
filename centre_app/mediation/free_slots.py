"""The free-slot finder: “the next free 90 minutes for a labour-dispute mediator in any room
this week”. It reads the bookings of every candidate room and mediator in one query and
applies the same rules as a booking (buffers, opening hours on the working-day calendar,
closures, the mediator's availability, capacity), so what it offers can be booked."""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ValidationError
from centre_app.mediation.rules import (
    MAX_SPAN,
    RuleMode,
    Slot,
    availability_clash,
    opening_hours_on,
)
from centre_app.mediation.service import MediationService
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import Booking, Closure
from db.models.mediation_ref import Mediator, Room


@dataclass(frozen=True)
class FreeSlot:
    room_id: uuid.UUID
    room_name: str
    mediator_id: uuid.UUID
    mediator_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class _Busy:
    """Sorted spans of one resource; `free(a, b)` is true when none overlaps [a, b)."""

    def __init__(self, spans: list[tuple[dt.datetime, dt.datetime]]) -> None:
        spans.sort()
        self._starts = [s for s, _ in spans]
        self._spans = spans
        self._longest = max((e - s for s, e in spans), default=dt.timedelta(0))

    def free(self, a: dt.datetime, b: dt.datetime) -> bool:
        i = bisect.bisect_left(self._starts, b)
        j = bisect.bisect_left(self._starts, a - self._longest)
        return all(not (s < b and e > a) for s, e in self._spans[j:i])


def find_free(
    service: MediationService,
    actor: Actor,
    minutes: int,
    *,
    start: dt.datetime,
    end: dt.datetime,
    speciality: str = "",
    mediator_ids: Sequence[uuid.UUID] = (),
    room_ids: Sequence[uuid.UUID] = (),
    people: int = 3,
    step_minutes: int = 15,
    limit: int = 1,
) -> list[FreeSlot]:
    """The earliest `limit` slots of `minutes` in [start, end), earliest first."""
    actor.require(Permission.MEDIATION_VIEW)
    if not 5 <= minutes <= 12 * 60:
        raise ValidationError("时长应在 5 分钟到 12 小时之间")
    if end <= start or end - start > dt.timedelta(days=62):
        raise ValidationError("查找范围应在两个月以内，且结束晚于开始")
    length = dt.timedelta(minutes=minutes)
    step = dt.timedelta(minutes=step_minutes)
    policy = service.policy
    with service._session_factory() as session:
        rooms = [
            r
            for r in session.scalars(select(Room).where(Room.active).order_by(Room.name))
            if not room_ids or r.id in room_ids
        ]
        mediators = [
            m
            for m in session.scalars(
                select(Mediator).where(Mediator.active).order_by(Mediator.name)
            )
            if (not mediator_ids or m.id in mediator_ids)
            and (not speciality or speciality in m.specialties.split(","))
        ]
        if not rooms or not mediators:
            return []
        resources = [f"room:{r.id}" for r in rooms] + [f"mediator:{m.id}" for m in mediators]
        spans: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for resource, s, e in session.execute(
            select(Booking.resource, Booking.starts_at, Booking.ends_at).where(
                Booking.resource.in_(resources),
                Booking.starts_at < end + MAX_SPAN,
                Booking.starts_at > start - MAX_SPAN,
            )
        ):
            spans[resource].append((s, e))
        busy = {k: _Busy(spans.get(k, [])) for k in resources}
        first_day = start.astimezone(LOCAL_TZ).date()
        last_day = end.astimezone(LOCAL_TZ).date()
        closures = list(
            session.scalars(
                select(Closure).where(
                    Closure.first_day <= last_day,
                    Closure.last_day >= first_day,
                    or_(Closure.room_id.is_(None), Closure.room_id.in_([r.id for r in rooms])),
                )
            )
        )
        calendar = service.working_days(session)
    not_before = max(start, service._clock.now())
    found: list[FreeSlot] = []
    day = first_day
    while day <= last_day and len(found) < limit:
        candidates = []
        for room in rooms:
            if room.capacity < people and policy.capacity is RuleMode.REFUSE:
                continue
            if (
                any(
                    c.first_day <= day <= c.last_day and c.room_id in (None, room.id)
                    for c in closures
                )
                and policy.hours is RuleMode.REFUSE
            ):
                continue
            hours = opening_hours_on(day, room.opening_hours, calendar)
            if hours is None:
                continue
            opens = dt.datetime.combine(day, hours[0], LOCAL_TZ)
            closes = dt.datetime.combine(day, hours[1], LOCAL_TZ)
            candidates.append((room, opens, closes))
        if candidates:
            t = min(c[1] for c in candidates)
            day_end = max(c[2] for c in candidates)
            while t + length <= day_end and len(found) < limit:
                if t >= not_before and t + length <= end:
                    found.extend(
                        _at(t, length, candidates, mediators, busy, policy, limit - len(found))
                    )
                t += step
        day += dt.timedelta(days=1)
    return found


def _at(
    t: dt.datetime,
    length: dt.timedelta,
    candidates: list[tuple[Room, dt.datetime, dt.datetime]],
    mediators: list[Mediator],
    busy: dict[str, _Busy],
    policy: object,
    wanted: int,
) -> list[FreeSlot]:
    from centre_app.mediation.rules import RulePolicy

    assert isinstance(policy, RulePolicy)
    result: list[FreeSlot] = []
    slot = Slot(t.astimezone(dt.UTC), (t + length).astimezone(dt.UTC))
    free_mediators = [
        m
        for m in mediators
        if busy[f"mediator:{m.id}"].free(slot.starts_at, slot.ends_at)
        and availability_clash(m.name, slot, m.availability, policy) is None
    ]
    if not free_mediators:
        return result
    for room, opens, closes in candidates:
        if t < opens or t + length > closes:
            continue
        before = dt.timedelta(minutes=room.buffer_before_minutes)
        after = dt.timedelta(minutes=room.buffer_minutes)
        if not busy[f"room:{room.id}"].free(slot.starts_at - before, slot.ends_at + after):
            continue
        for m in free_mediators:
            result.append(FreeSlot(room.id, room.name, m.id, m.name, slot.starts_at, slot.ends_at))
            return result[:wanted]
    return result
