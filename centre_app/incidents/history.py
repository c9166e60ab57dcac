"""The incident row is derived from its events: replaying them in HLC order gives the
state, department, colour and deadline. Histories from township and county merge by union;
replaying the union gives the same row on every node."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from centre_app.incidents import sla
from db.models.incidents import Incident, IncidentEvent, IncidentState, RiskColour


def event_order(event: IncidentEvent) -> tuple[str, str, str]:
    """Replication stamps `hlc`; before it does, the event time orders the log."""
    return (event.hlc or event.at.astimezone(dt.UTC).isoformat(), event.origin or "", str(event.id))


def rebuild_incident(session: Session, incident_id: uuid.UUID) -> None:
    incident = session.get(Incident, incident_id)
    if incident is None:
        return
    events = sorted(
        session.scalars(select(IncidentEvent).where(IncidentEvent.incident_id == incident_id)),
        key=event_order,
    )
    apply_events(incident, events, sla.load_limits(session))


def apply_events(
    incident: Incident, events: list[IncidentEvent], limits: sla.Limits | None = None
) -> None:
    """Replay `events` onto the row, deriving the deadline by the rules in `sla`: the
    clock stops while the county has the case (escalated) and runs on with the time that
    was left when the county sends it back; a change of colour never moves it later."""
    remaining: dt.timedelta | None = None  # time left while the county has the case
    accepted_at: dt.datetime | None = None  # when the clock started
    paused = dt.timedelta()  # time the clock stood still since then
    suspended_at: dt.datetime | None = None
    incident.red_at = None
    incident.group_warning = None
    for event in events:
        data = event.data or {}
        if event.kind in ("colour", "group_warning"):
            colour = RiskColour(data["colour"])
            if colour is RiskColour.RED and incident.colour is not RiskColour.RED:
                incident.red_at = event.at
            incident.colour = colour
            if event.kind == "group_warning":
                incident.group_warning = data.get("reason") or event.note
            if accepted_at is None:
                continue
            if suspended_at is not None:
                if remaining is not None:  # the same cap, on the time left at the pause
                    remaining = (
                        sla.recoloured_deadline(
                            suspended_at + remaining,
                            accepted_at,
                            paused,
                            incident.category,
                            colour,
                            limits,
                        )
                        - suspended_at
                    )
            elif incident.deadline is not None:
                incident.deadline = sla.recoloured_deadline(
                    incident.deadline, accepted_at, paused, incident.category, colour, limits
                )
            continue
        if event.kind == "deadline":
            incident.deadline = dt.datetime.fromisoformat(data["deadline"])
            continue
        if event.to_state is None:
            continue
        incident.state = IncidentState(event.to_state)
        if event.kind == "report":
            incident.deadline = None
            accepted_at, paused, suspended_at, remaining = None, dt.timedelta(), None, None
            if "colour" in data:  # replay from the reported colour, not the cached one
                incident.colour = RiskColour(data["colour"])
            if incident.colour is RiskColour.RED:
                incident.red_at = event.at
        elif event.kind == "accept":
            accepted_at, paused = event.at, dt.timedelta()
            incident.deadline = sla.deadline_for(
                incident.category, incident.colour, event.at, limits
            )
        elif event.kind == "dispatch":
            incident.department_id = uuid.UUID(data["department_id"])
        elif event.kind == "escalate":
            # The clock stops while the county has the case; keep what was left.
            suspended_at = event.at
            remaining = (incident.deadline - event.at) if incident.deadline else None
        elif (
            event.kind == "county_reply"
            and suspended_at is not None
            and incident.state is IncidentState.ACCEPTED
        ):
            if accepted_at is None or remaining is None:  # escalated before acceptance
                accepted_at, paused = event.at, dt.timedelta()
                remaining = dt.timedelta(
                    hours=sla.limit_hours(incident.category, incident.colour, limits)
                )
            else:
                paused += event.at - suspended_at
            incident.deadline = event.at + remaining
            suspended_at, remaining = None, None
        elif event.kind == "merge":
            incident.merged_into_id = uuid.UUID(data["into"])
        if incident.state is IncidentState.CLOSED:
            incident.closed_at = event.at
        if event.kind in ("accept", "dispatch"):
            incident.assignee = event.actor
    incident.refresh_sort_keys()  # also for rows that arrived by replication without them
