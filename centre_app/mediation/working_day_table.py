"""The centre's working-day table: the head's corrections of the official calendar
(holidays and 调休 working days of a year chinese-calendar does not know yet, or a local
change), read a year at a time, removed a day at a time, or imported from the published
schedule in one step (one transaction, one audit entry; one bad line and nothing is saved).
The calendar itself, and the rules for a year nobody knows, are in working_days.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from centre_app.clock import LOCAL_TZ
from centre_app.errors import NotFound, msg
from centre_app.mediation.admin import describe_sessions
from centre_app.mediation.service import MediationService, clean_text
from centre_app.mediation.working_days import TableEntry, parse_schedule
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import MediationSession, SessionStatus, WorkingDayCorrection
from db.models.mediation_ref import Room


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    # Sessions now on a rest day, named (“11-23 09:00–10:00 … ”), for the head to move.
    sessions_on_rest_days: str


class WorkingDayTable:
    """The centre's corrections of the official calendar (holidays and 调休 working days
    of a year the library does not know yet, or a local change), for MEDIATION_MANAGE."""

    def __init__(self, mediation: MediationService) -> None:
        self._m = mediation

    def entries(self, year: int) -> list[TableEntry]:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        with self._m._session_factory() as session:
            rows = session.scalars(
                select(WorkingDayCorrection)
                .where(WorkingDayCorrection.day >= first, WorkingDayCorrection.day <= last)
                .order_by(WorkingDayCorrection.day)
            )
            return [TableEntry(r.day, r.working, r.note) for r in rows]

    def remove(self, actor: Actor, day: dt.date) -> None:
        """Drop the correction of `day`: the official calendar (or the weekday) again."""
        actor.require(Permission.MEDIATION_MANAGE)
        with self._m._writing() as session:
            row = session.scalar(
                select(WorkingDayCorrection).where(WorkingDayCorrection.day == day)
            )
            if row is None:
                raise NotFound("本地工作日表中没有 {day}", day=day.isoformat())
            session.delete(row)
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.working_day_remove",
                summary=f"{day.isoformat()} 恢复官方日历",
            )

    def import_schedule(self, actor: Actor, text: str) -> ImportResult:
        """Enter a published schedule (see `parse_schedule`) in one step: every line read
        first, one bad line and nothing is saved. Sessions that now fall on a rest day are
        named in the result (they are not moved: the head decides)."""
        actor.require(Permission.MEDIATION_MANAGE)
        entries = parse_schedule(text)
        added = changed = 0
        with self._m._writing() as session:
            existing = {
                r.day: r
                for r in session.scalars(
                    select(WorkingDayCorrection).where(
                        WorkingDayCorrection.day.in_([e.day for e in entries])
                    )
                )
            }
            for entry in entries:
                note = clean_text(entry.note, msg("说明"), 64, required=False)
                row = existing.get(entry.day)
                if row is None:
                    session.add(
                        WorkingDayCorrection(day=entry.day, working=entry.working, note=note)
                    )
                    added += 1
                elif (row.working, row.note) != (entry.working, note):
                    row.working, row.note = entry.working, note
                    changed += 1
            rest = [e.day for e in entries if not e.working]
            clashing: list[MediationSession] = []
            if rest:
                start = dt.datetime.combine(min(rest), dt.time(0), LOCAL_TZ)
                end = dt.datetime.combine(max(rest) + dt.timedelta(days=1), dt.time(0), LOCAL_TZ)
                rest_days = set(rest)
                clashing = [
                    r
                    for r in session.scalars(
                        select(MediationSession)
                        .where(
                            MediationSession.status == SessionStatus.PLANNED,
                            MediationSession.starts_at >= start,
                            MediationSession.starts_at < end,
                        )
                        .order_by(MediationSession.starts_at)
                    )
                    if r.starts_at.astimezone(LOCAL_TZ).date() in rest_days
                ]
            rooms = {r.id: r.name for r in session.scalars(select(Room))}
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.working_day_import",
                summary=f"{entries[0].day}–{entries[-1].day} 新增 {added} 天，修改 {changed} 天",
            )
            return ImportResult(added, changed, describe_sessions(clashing, rooms))
