"""The figures the centre reports on the dashboard, all over ONE period: the twelve local
calendar months up to and including the current one (`Period.last_months`). Every figure
counts the cases reported in the period, so the month bars add up to the total beside
them and the incident and visit figures cover the same days.

Definitions (also shown as tooltips on the dashboard):

- 受理事件 (received): reports in the period, less those not accepted (不予受理) and those
  merged into another case (duplicates).
- 办结事件 (handled): of the received, those closed (已结案) now.
- 处置成功率 (success rate): handled ÷ received.
- 在办事件 (open): of the received, those still open now (escalated ones included).
- 已超期 (overdue): of the open, those past their deadline now (the county's cases,
  whose clock is paused, are not counted).
- by month / by category: the received, per local month of the report / per category.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, Clock, to_local
from centre_app.incidents.workflow import OPEN_STATES
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, Department
from db.models.incidents import Incident, IncidentState

NOT_RECEIVED = (IncidentState.REJECTED, IncidentState.MERGED)


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, and its local calendar months (year, month), oldest first."""

    start: dt.datetime
    end: dt.datetime
    months: tuple[tuple[int, int], ...]

    @classmethod
    def last_months(cls, now: dt.datetime, count: int = 12) -> Period:
        """The `count` local calendar months ending with the one `now` is in."""
        local = to_local(now)
        year, month = local.year, local.month
        months = []
        for _ in range(count):
            months.append((year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.reverse()
        first_year, first_month = months[0]
        last_year, last_month = months[-1]
        after = (last_year + 1, 1) if last_month == 12 else (last_year, last_month + 1)
        return cls(_month_start(first_year, first_month), _month_start(*after), tuple(months))

    @staticmethod
    def label(month: tuple[int, int]) -> str:
        """ "2026-01": how the figures name a month."""
        return f"{month[0]}-{month[1]:02d}"

    def month_of(self, moment: dt.datetime) -> tuple[int, int]:
        local = to_local(moment)
        return local.year, local.month


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=LOCAL_TZ).astimezone(dt.UTC)


@dataclass(frozen=True)
class IncidentFigures:
    period: Period
    received: int  # reported in the period, less rejected and merged
    handled: int  # of the received, closed now
    success_rate: float  # handled ÷ received
    open_now: int  # of the received, open now
    overdue_now: int  # of the open, past the deadline now (escalated ones excluded)
    by_category: dict[str, int]  # the received per category, most first
    by_grid: dict[str, int]
    by_department: dict[str, int]
    by_month: list[tuple[str, int]]  # the received per month of the period ("2026-01", n)


class IncidentStats:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def period(self) -> Period:
        """The dashboard's period now: the last twelve calendar months, this one included."""
        return Period.last_months(self._clock.now())

    def figures(self, actor: Actor, period: Period | None = None) -> IncidentFigures:
        """The figures over `period` (default: `self.period()`); see the module docstring."""
        actor.require(Permission.STATS_VIEW)
        now = self._clock.now()
        period = period or self.period()
        query = (
            select(
                Incident.state,
                Incident.category,
                Incident.reported_at,
                Incident.deadline,
                Area.name,
                Department.name,
            )
            .outerjoin(Area, Area.id == Incident.grid_id)
            .outerjoin(Department, Department.id == Incident.department_id)
            .where(
                Incident.township_code == self._township_code,
                Incident.reported_at >= period.start,
                Incident.reported_at < period.end,
                Incident.state.not_in(NOT_RECEIVED),
            )
        )
        with self._session_factory() as session:
            rows = session.execute(query).all()
        states: Counter[IncidentState] = Counter()
        categories: Counter[str] = Counter()
        grids: Counter[str] = Counter()
        departments: Counter[str] = Counter()
        months: Counter[tuple[int, int]] = Counter()
        overdue = 0
        for state, category, reported, deadline, grid, department in rows:
            states[state] += 1
            categories[category] += 1
            grids[grid or "未指定网格"] += 1
            if department:
                departments[department] += 1
            months[period.month_of(reported)] += 1
            if (
                state in OPEN_STATES
                and state is not IncidentState.ESCALATED
                and deadline
                and deadline < now
            ):
                overdue += 1
        received = len(rows)
        handled = states[IncidentState.CLOSED]
        return IncidentFigures(
            period=period,
            received=received,
            handled=handled,
            success_rate=handled / received if received else 0.0,
            open_now=sum(n for s, n in states.items() if s in OPEN_STATES),
            overdue_now=overdue,
            by_category=dict(categories.most_common()),
            by_grid=dict(grids.most_common()),
            by_department=dict(departments.most_common()),
            by_month=[(period.label(m), months[m]) for m in period.months],
        )
