"""The figures the centre reports: accepted, resolved (调解成功 and 申请司法确认), the
success rate (化解率 = resolved / accepted), average days from acceptance to outcome and
no-shows — for a period, and by room, mediator, category and month.

A case counts in the period it was accepted. Its room is the room of its first held session
(else its first booked one); it counts for every mediator who sat in one of its sessions
that was not cancelled. A no-show is a session marked 未到场 that started in the period.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.mediation.workflow import RESOLVED
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import MediationCase, MediationSession, SessionStatus
from db.models.mediation_ref import Mediator, Room

NO_ROOM = "未安排"


@dataclass(frozen=True)
class Figures:
    key: str
    accepted: int
    resolved: int
    no_shows: int
    days_to_outcome: float | None  # mean, over the cases with an outcome

    @property
    def success_rate(self) -> float | None:
        return self.resolved / self.accepted if self.accepted else None


@dataclass
class _Case:
    category: str
    month: str
    resolved: bool
    days: float | None
    rooms: list[str]
    mediators: set[str]


class MediationStats:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def total(self, actor: Actor, start: dt.datetime, end: dt.datetime) -> Figures:
        return self._grouped(actor, start, end, lambda c: ["合计"])[0]

    def by_room(self, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[Figures]:
        return self._grouped(actor, start, end, lambda c: c.rooms[:1] or [NO_ROOM])

    def by_mediator(self, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[Figures]:
        return self._grouped(actor, start, end, lambda c: sorted(c.mediators))

    def by_category(self, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[Figures]:
        return self._grouped(actor, start, end, lambda c: [c.category])

    def by_month(self, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[Figures]:
        return self._grouped(actor, start, end, lambda c: [c.month])

    def _grouped(
        self,
        actor: Actor,
        start: dt.datetime,
        end: dt.datetime,
        keys: Callable[[_Case], Iterable[str]],
    ) -> list[Figures]:
        actor.require(Permission.MEDIATION_VIEW)
        cases, no_shows = self._load(start, end, keys)
        groups: dict[str, list[_Case]] = defaultdict(list)
        for case in cases:
            for key in keys(case):
                groups[key].append(case)
        if not groups and not no_shows:
            groups["合计"] = []
        result = []
        for key in sorted(set(groups) | set(no_shows)):
            members = groups.get(key, [])
            days = [c.days for c in members if c.days is not None]
            result.append(
                Figures(
                    key,
                    len(members),
                    sum(c.resolved for c in members),
                    no_shows.get(key, 0),
                    round(sum(days) / len(days), 2) if days else None,
                )
            )
        return result

    def _load(
        self, start: dt.datetime, end: dt.datetime, keys: Callable[[_Case], Iterable[str]]
    ) -> tuple[list[_Case], dict[str, int]]:
        with self._session_factory() as session:
            rooms = {r.id: r.name for r in session.scalars(select(Room))}
            mediators = {str(m.id): m.name for m in session.scalars(select(Mediator))}
            rows = session.scalars(
                select(MediationCase).where(
                    MediationCase.township_code == self._township_code,
                    MediationCase.accepted_at >= start,
                    MediationCase.accepted_at < end,
                )
            ).all()
            by_case: dict[uuid.UUID, list[MediationSession]] = defaultdict(list)
            ids = [r.id for r in rows]
            for chunk in range(0, len(ids), 500):
                for s in session.scalars(
                    select(MediationSession)
                    .where(
                        MediationSession.case_id.in_(ids[chunk : chunk + 500]),
                        MediationSession.status != SessionStatus.CANCELLED,
                    )
                    .order_by(MediationSession.starts_at)
                ):
                    assert s.case_id is not None
                    by_case[s.case_id].append(s)
            cases = []
            for row in rows:
                sessions = by_case.get(row.id, [])
                held = [s for s in sessions if s.status is SessionStatus.HELD]
                days = (
                    (row.outcome_at - row.accepted_at).total_seconds() / 86400
                    if row.outcome_at
                    else None
                )
                cases.append(
                    _Case(
                        row.category,
                        to_local(row.accepted_at).strftime("%Y-%m"),
                        row.state in RESOLVED,
                        days,
                        [rooms.get(s.room_id, "?") for s in held + sessions],
                        {mediators.get(m, "?") for s in sessions for m in s.mediator_ids},
                    )
                )
            no_shows: dict[str, int] = defaultdict(int)
            for s in session.scalars(
                select(MediationSession).where(
                    MediationSession.status == SessionStatus.NO_SHOW,
                    MediationSession.starts_at >= start,
                    MediationSession.starts_at < end,
                )
            ):
                case = session.get(MediationCase, s.case_id) if s.case_id else None
                probe = _Case(
                    case.category if case else "",
                    to_local(s.starts_at).strftime("%Y-%m"),
                    False,
                    None,
                    [rooms.get(s.room_id, "?")],
                    {mediators.get(m, "?") for m in s.mediator_ids},
                )
                for key in keys(probe):
                    no_shows[key] += 1
            return cases, no_shows
