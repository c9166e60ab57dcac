"""The figures the centre reports (the seeds quote them): reports received, handled,
处置成功率 (closed ÷ received, excluding rejected and merged), overdue now, and counts by
category, grid, department and month."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.incidents.workflow import OPEN_STATES
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, Department
from db.models.incidents import Incident, IncidentState


@dataclass(frozen=True)
class IncidentFigures:
    received: int
    handled: int  # closed
    success_rate: float  # handled ÷ (received − rejected − merged)
    open_now: int
    overdue_now: int
    by_category: dict[str, int]
    by_grid: dict[str, int]
    by_department: dict[str, int]
    by_month: list[tuple[str, int]]


class IncidentStats:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 township_code: str) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def figures(self, actor: Actor, *, since: dt.datetime | None = None) -> IncidentFigures:
        """Figures over the reports received since `since` (default: the last 365 days)."""
        actor.require(Permission.STATS_VIEW)
        now = self._clock.now()
        start = since or now - dt.timedelta(days=365)
        query = (select(Incident.state, Incident.category, Incident.reported_at,
                        Incident.deadline, Area.name, Department.name)
                 .outerjoin(Area, Area.id == Incident.grid_id)
                 .outerjoin(Department, Department.id == Incident.department_id)
                 .where(Incident.township_code == self._township_code,
                        Incident.reported_at >= start))
        with self._session_factory() as session:
            rows = session.execute(query).all()
        states: Counter[IncidentState] = Counter()
        categories: Counter[str] = Counter()
        grids: Counter[str] = Counter()
        departments: Counter[str] = Counter()
        months: Counter[str] = Counter()
        overdue = 0
        for state, category, reported, deadline, grid, department in rows:
            states[state] += 1
            categories[category] += 1
            grids[grid or "未指定网格"] += 1
            if department:
                departments[department] += 1
            months[f"{to_local(reported):%Y-%m}"] += 1
            if state in OPEN_STATES and state is not IncidentState.ESCALATED and deadline \
                    and deadline < now:
                overdue += 1
        counted = len(rows) - states[IncidentState.REJECTED] - states[IncidentState.MERGED]
        handled = states[IncidentState.CLOSED]
        return IncidentFigures(
            received=len(rows), handled=handled,
            success_rate=handled / counted if counted else 0.0,
            open_now=sum(n for s, n in states.items() if s in OPEN_STATES),
            overdue_now=overdue, by_category=dict(categories.most_common()),
            by_grid=dict(grids.most_common()), by_department=dict(departments.most_common()),
            by_month=sorted(months.items()))
