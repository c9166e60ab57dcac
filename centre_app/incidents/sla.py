"""Time limits (限时处结): how long a case may take by category and colour, and how the
clock stands. Suspended while the county has it (escalated).

The rules (applied by history.apply_events, the only place a deadline is derived):

- Acceptance starts the clock: deadline = accepted + limit(category, colour).
- Escalation pauses it: the time left is kept while the county has the case, and a case
  sent back runs on from the reply with that time left (the pause is added to the
  deadline). A case escalated before acceptance gets the full limit from the reply,
  which then counts as its acceptance.
- Re-colouring never gives more time: the deadline becomes the EARLIER of the current
  one and the new colour's limit counted from acceptance, plus the time paused so far
  (`recoloured_deadline`). Raising the colour can only bring the deadline forward;
  lowering it keeps the deadline it had. During a pause the same rule caps the time left.
  Before acceptance a colour change sets no deadline (acceptance uses the colour then).
- A deadline set by hand (event "deadline", with a reason) replaces the current one; a
  later re-colouring is again the earlier of the two.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.incidents import IncidentSlaLimit, IncidentState, RiskColour

Limits = dict[tuple[str, RiskColour], int]

# Hours allowed from acceptance to closure; a red case must move within a day.
DEFAULT_LIMIT_HOURS = {RiskColour.RED: 24, RiskColour.YELLOW: 72, RiskColour.GREEN: 168}
CATEGORY_LIMIT_HOURS: dict[tuple[str, RiskColour], int] = {
    ("群体性事件苗头", RiskColour.RED): 4,
    ("群体性事件苗头", RiskColour.YELLOW): 24,
    ("安全生产", RiskColour.RED): 8,
    ("消防安全", RiskColour.RED): 8,
    ("信访问题", RiskColour.GREEN): 15 * 24,  # 信访工作条例: decide within 15 days
}


class Clock(enum.Enum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUSPENDED = "suspended"
    STOPPED = "stopped"  # closed, rejected, merged


def load_limits(session: Session) -> Limits:
    """The configured table (incident_sla_limit); category "*" rows are the defaults."""
    return {
        (row.category, row.colour): row.hours for row in session.scalars(select(IncidentSlaLimit))
    }


def limit_hours(category: str, colour: RiskColour, limits: Limits | None = None) -> int:
    """Hours allowed: the category's own row, else the "*" row, else the built-in default."""
    if limits:
        found = limits.get((category, colour), limits.get(("*", colour)))
        if found is not None:
            return found
    return CATEGORY_LIMIT_HOURS.get((category, colour), DEFAULT_LIMIT_HOURS[colour])


def deadline_for(
    category: str, colour: RiskColour, start: dt.datetime, limits: Limits | None = None
) -> dt.datetime:
    return start + dt.timedelta(hours=limit_hours(category, colour, limits))


def recoloured_deadline(
    current: dt.datetime,
    accepted_at: dt.datetime,
    paused: dt.timedelta,
    category: str,
    colour: RiskColour,
    limits: Limits | None = None,
) -> dt.datetime:
    """The deadline after a change to `colour`: the earlier of the `current` one and the
    new colour's limit counted from acceptance (plus the time `paused` for the county).
    Never later than `current`."""
    return min(
        current, accepted_at + paused + dt.timedelta(hours=limit_hours(category, colour, limits))
    )


def clock_state(
    state: IncidentState, deadline: dt.datetime | None, now: dt.datetime, due_soon_hours: int
) -> Clock:
    if state in (IncidentState.CLOSED, IncidentState.REJECTED, IncidentState.MERGED):
        return Clock.STOPPED
    if state is IncidentState.ESCALATED:
        return Clock.SUSPENDED
    if deadline is None:
        return Clock.ON_TIME
    if now >= deadline:
        return Clock.OVERDUE
    if now >= deadline - dt.timedelta(hours=due_soon_hours):
        return Clock.DUE_SOON
    return Clock.ON_TIME
