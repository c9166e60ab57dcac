"""Re-colouring a case never gives it more time (the rule in centre_app.incidents.sla):
the deadline is the earlier of the current one and the new colour's limit counted from
acceptance, plus the time the county had the case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from centre_app.incidents import sla
from centre_app.incidents.history import apply_events
from db.models.incidents import Incident, IncidentEvent, IncidentState, RiskColour

S = IncidentState
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def event(kind: str, at: dt.datetime, to_state: S | None = None, **data: object) -> IncidentEvent:
    return IncidentEvent(
        kind=kind,
        at=at,
        actor="zhiban",
        actor_name="值班员",
        note="",
        to_state=to_state.value if to_state else None,
        data=dict(data),
    )


def replay(category: str, events: list[IncidentEvent]) -> Incident:
    incident = Incident(
        category=category, subcategory="", colour=RiskColour.GREEN, state=S.REPORTED
    )
    apply_events(incident, events)
    return incident


def test_raising_a_yellow_case_to_red_brings_its_deadline_forward() -> None:
    # The case from the issue: yellow (72 h), 65 h used, 7 h left; red allows 24 h from
    # acceptance, which is already past: the deadline may not move later than it was.
    events = [event("report", T0, S.REPORTED, colour="yellow"), event("accept", T0, S.ACCEPTED)]
    before = replay("环境卫生", events).deadline
    assert before == T0 + dt.timedelta(hours=72)
    events.append(event("colour", T0 + dt.timedelta(hours=65), colour="red"))
    after = replay("环境卫生", events).deadline
    assert after == T0 + dt.timedelta(hours=24)


def test_lowering_the_colour_keeps_the_deadline() -> None:
    events = [
        event("report", T0, S.REPORTED, colour="red"),
        event("accept", T0, S.ACCEPTED),
        event("colour", T0 + dt.timedelta(hours=2), colour="green"),
    ]
    assert replay("环境卫生", events).deadline == T0 + dt.timedelta(hours=24)


def test_time_with_the_county_is_added_before_the_new_limit_applies() -> None:
    hour = dt.timedelta(hours=1)
    events = [
        event("report", T0, S.REPORTED, colour="green"),
        event("accept", T0, S.ACCEPTED),
        event("escalate", T0 + 10 * hour, S.ESCALATED),
        event("county_reply", T0 + 40 * hour, S.ACCEPTED, decision="退回乡镇处置"),
        event("colour", T0 + 41 * hour, colour="red"),
    ]
    # 10 h used before the pause, 30 h paused: red's 24 h end at 24 + 30 h after acceptance.
    assert replay("环境卫生", events).deadline == T0 + 54 * hour


@dataclass
class Model:
    """What the rule says, kept beside the events: the deadline is acceptance + time
    paused + the shortest limit of any colour held since acceptance."""

    category: str
    colour: RiskColour
    now: dt.datetime = T0
    accepted_at: dt.datetime | None = None
    paused: dt.timedelta = field(default_factory=dt.timedelta)
    suspended_at: dt.datetime | None = None
    colours: set[RiskColour] = field(default_factory=set)

    def allowed(self) -> dt.datetime:
        assert self.accepted_at is not None
        return (
            self.accepted_at
            + self.paused
            + min(dt.timedelta(hours=sla.limit_hours(self.category, c)) for c in self.colours)
        )


colours = st.sampled_from(list(RiskColour))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=200)),
        st.tuples(st.just("colour"), colours),
        st.tuples(st.just("accept"), st.none()),
        st.tuples(st.just("escalate"), st.none()),
        st.tuples(st.just("return"), st.none()),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    category=st.sampled_from(["环境卫生", "群体性事件苗头", "安全生产", "信访问题"]),
    reported=colours,
    script=steps,
)
def test_no_colour_change_pause_or_resumption_moves_a_deadline_later_than_the_rule(
    category: str, reported: RiskColour, script: list[tuple[str, object]]
) -> None:
    model = Model(category, reported)
    events = [event("report", T0, S.REPORTED, colour=reported.value)]
    for kind, value in script:
        before = replay(category, events)
        if kind == "wait":
            assert isinstance(value, int)
            model.now += dt.timedelta(hours=value)
            continue
        if kind == "colour":
            assert isinstance(value, RiskColour)
            model.colour = value
            events.append(event("colour", model.now, colour=value.value))
            if model.accepted_at is not None:
                model.colours.add(value)
        elif kind == "accept" and model.accepted_at is None and model.suspended_at is None:
            model.accepted_at, model.colours = model.now, {model.colour}
            events.append(event("accept", model.now, S.ACCEPTED))
        elif kind == "escalate" and model.accepted_at is not None and model.suspended_at is None:
            model.suspended_at = model.now
            events.append(event("escalate", model.now, S.ESCALATED))
        elif kind == "return" and model.suspended_at is not None:
            model.paused += model.now - model.suspended_at
            model.suspended_at = None
            events.append(event("county_reply", model.now, S.ACCEPTED, decision="退回乡镇处置"))
        else:
            continue
        after = replay(category, events)
        if model.accepted_at is None:
            assert after.deadline is None
        elif model.suspended_at is None:
            assert after.deadline == model.allowed()
            if kind == "colour":
                assert before.deadline is not None and after.deadline is not None
                assert after.deadline <= before.deadline
