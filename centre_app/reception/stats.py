"""Reception figures for the dashboard: visits per month and per purpose, collective visits."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.incidents.stats import Period
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.reception import Visit, VisitPurpose


@dataclass(frozen=True)
class VisitFigures:
    today: int
    this_month: int
    last_12_months: int  # in the period (the dashboard's one period)
    collective_last_12_months: int
    by_month: list[tuple[str, int]]  # ("2026-01", n), the period's months, oldest first
    by_purpose: dict[VisitPurpose, int]


class VisitStats:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def figures(self, actor: Actor, period: Period | None = None) -> VisitFigures:
        """This township's visits over `period` (default: the last twelve local calendar
        months, this one included: the same period as the incident figures)."""
        actor.require(Permission.STATS_VIEW)
        now = to_local(self._clock.now())
        period = period or Period.last_months(self._clock.now())
        query = select(Visit.visited_at, Visit.purpose, Visit.is_group_visit).where(
            Visit.township_code == self._township_code,
            Visit.visited_at >= period.start,
            Visit.visited_at < period.end,
        )
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
            today=today,
            this_month=per_month[(now.year, now.month)],
            last_12_months=len(rows),
            collective_last_12_months=collective,
            by_month=[(period.label(m), per_month[m]) for m in period.months],
            by_purpose={p: per_purpose[p] for p in VisitPurpose},
        )
