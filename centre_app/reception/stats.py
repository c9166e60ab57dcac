"""Reception figures for the dashboard: visits per month and per purpose, collective visits."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.reception import Visit, VisitPurpose


@dataclass(frozen=True)
class VisitFigures:
    today: int
    this_month: int
    last_12_months: int
    collective_last_12_months: int
    by_month: list[tuple[str, int]]  # ("2026-01", n), oldest first, 12 entries
    by_purpose: dict[VisitPurpose, int]


class VisitStats:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 township_code: str) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def figures(self, actor: Actor) -> VisitFigures:
        """The last twelve months (local calendar) of this township's visits."""
        actor.require(Permission.STATS_VIEW)
        now = to_local(self._clock.now())
        months = _last_months(now.date(), 12)
        start = dt.datetime(months[0][0], months[0][1], 1, tzinfo=now.tzinfo).astimezone(dt.UTC)
        query = select(Visit.visited_at, Visit.purpose, Visit.is_group_visit).where(
            Visit.township_code == self._township_code, Visit.visited_at >= start)
        with self._session_factory() as session:
            rows = session.execute(query).all()
        per_month: Counter[tuple[int, int]] = Counter()
        per_purpose: Counter[VisitPurpose] = Counter()
        today = collective = 0
        for at, purpose, group in rows:
            local = to_local(at)
            per_month[(local.year, local.month)] += 1
            per_purpose[purpose] += 1
            today += local.date() == now.date()
            collective += bool(group)
        return VisitFigures(
            today=today, this_month=per_month[(now.year, now.month)], last_12_months=len(rows),
            collective_last_12_months=collective,
            by_month=[(f"{y}-{m:02d}", per_month[(y, m)]) for y, m in months],
            by_purpose={p: per_purpose[p] for p in VisitPurpose},
        )


def _last_months(today: dt.date, count: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]
