"""Figures the hall reports (the dashboard charts them): visitors per day and hour, waiting
and serving times (median, p90), tickets per service, repeat visitors, petitions met on
time or late.

The arithmetic is in plain functions over plain values, tested on hand-computed
fixtures; `HallStats.figures` reads one period from the database and feeds them.
Percentiles use the nearest-rank method: p90 of n values is the ceil(0.9·n)-th smallest.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, Clock, to_local
from centre_app.mediation.working_days import WorkingDays
from centre_app.reception.petitions import TIME_LIMITS, deadlines
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.reception import HallService, Petition, QueueTicket, TicketState, Visit


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None  # minutes
    p90: float | None


@dataclass(frozen=True)
class PetitionTimeliness:
    on_time: int  # steps done within their limit
    late: int  # steps done after their limit
    overdue_open: int  # limits running now and already past


@dataclass(frozen=True)
class HallFigures:
    per_day: dict[dt.date, int]
    per_hour: dict[int, int]  # local hour 0–23 → visits
    waiting: Spread
    serving: Spread
    per_service: dict[str, int]  # "A 咨询" → tickets
    visitors_with_id: int
    repeat_visitors: int  # people (by ID number) with two or more visits in the period
    petitions: PetitionTimeliness


def nearest_rank(values: Sequence[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def spread(minutes: Iterable[float]) -> Spread:
    values = list(minutes)
    return Spread(
        len(values), statistics.median(values) if values else None, nearest_rank(values, 0.9)
    )


def per_day_and_hour(visited: Iterable[dt.datetime]) -> tuple[dict[dt.date, int], dict[int, int]]:
    days: Counter[dt.date] = Counter()
    hours: Counter[int] = Counter()
    for at in visited:
        local = to_local(at)
        days[local.date()] += 1
        hours[local.hour] += 1
    return dict(sorted(days.items())), dict(sorted(hours.items()))


def repeat_visitors(id_numbers: Iterable[str | None]) -> tuple[int, int]:
    """(people with an ID number, those among them who came twice or more)."""
    counts = Counter(n for n in id_numbers if n)
    return len(counts), sum(1 for c in counts.values() if c >= 2)


def petition_timeliness(
    petitions: Iterable[Petition], today: dt.date, calendar: WorkingDays | None = None
) -> PetitionTimeliness:
    on_time = late = overdue = 0
    for petition in petitions:
        for deadline in deadlines(petition, calendar):
            if TIME_LIMITS[deadline.limit].binds_petitioner:
                continue  # the petitioner's own period is not the authorities' timeliness
            if deadline.met_on is not None:
                if deadline.met_on <= deadline.due_on:
                    on_time += 1
                else:
                    late += 1
            elif today > deadline.due_on and petition.closed_on is None:
                overdue += 1
    return PetitionTimeliness(on_time, late, overdue)


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 60


class HallStats:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def figures(self, actor: Actor, first_day: dt.date, last_day: dt.date) -> HallFigures:
        """The hall's figures for the local days first_day … last_day (inclusive)."""
        actor.require(Permission.STATS_VIEW)
        start = dt.datetime.combine(first_day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), LOCAL_TZ).astimezone(
            dt.UTC
        )
        with self._session_factory() as session:
            visits = session.execute(
                select(Visit.visited_at, Visit.id_number).where(
                    Visit.township_code == self._township_code,
                    Visit.visited_at >= start,
                    Visit.visited_at < end,
                )
            ).all()
            tickets = session.execute(
                select(
                    QueueTicket.issued_at,
                    QueueTicket.first_called_at,
                    QueueTicket.serving_at,
                    QueueTicket.finished_at,
                    QueueTicket.state,
                    HallService.letter,
                    HallService.name,
                )
                .join(HallService, HallService.id == QueueTicket.issued_service_id)
                .where(
                    QueueTicket.township_code == self._township_code,
                    QueueTicket.day >= first_day,
                    QueueTicket.day <= last_day,
                )
            ).all()
            petitions = list(
                session.scalars(
                    select(Petition).where(
                        Petition.township_code == self._township_code,
                        Petition.received_on <= last_day,
                    )
                )
            )
            calendar = WorkingDays.of_centre(session)
        days, hours = per_day_and_hour(at for at, _ in visits)
        with_id, repeat = repeat_visitors(number for _, number in visits)
        waits = [
            m
            for issued, called, *_ in tickets
            if (m := minutes_between(issued, called)) is not None
        ]
        serves = [
            m
            for _, _, serving, finished, state, _, _ in tickets
            if state is TicketState.SERVED and (m := minutes_between(serving, finished)) is not None
        ]
        services = Counter(f"{letter} {name}" for *_, letter, name in tickets)
        return HallFigures(
            days,
            hours,
            spread(waits),
            spread(serves),
            dict(sorted(services.items())),
            with_id,
            repeat,
            petition_timeliness(petitions, to_local(self._clock.now()).date(), calendar),
        )
