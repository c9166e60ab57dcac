"""The incident state machine: which action leads from which state to which, and who may
take it. Every change of state is one of these actions; anything else is refused."""

from __future__ import annotations

from dataclasses import dataclass

from centre_app.errors import InvalidTransition, msg
from centre_app.security.roles import Permission
from db.models.incidents import IncidentState as S

STATE_LABELS = {
    S.REPORTED: msg("待分流"),
    S.ACCEPTED: msg("已立案"),
    S.REJECTED: msg("不予受理"),
    S.MERGED: msg("已合并"),
    S.DISPATCHED: msg("已派遣"),
    S.IN_PROGRESS: msg("处置中"),
    S.HANDLED: msg("待核实"),
    S.VERIFIED: msg("已核实"),
    S.CLOSED: msg("已结案"),
    S.ESCALATED: msg("已上报县级"),
}
OPEN_STATES = frozenset(
    {S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED, S.VERIFIED, S.ESCALATED}
)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    permission: Permission
    sources: frozenset[S]
    target: S | None  # None: the county decides the target (county_reply)


def _a(name: str, label: str, permission: Permission, sources: set[S], target: S | None) -> Action:
    return Action(name, label, permission, frozenset(sources), target)


P = Permission
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _a("accept", msg("立案受理"), P.INCIDENT_TRIAGE, {S.REPORTED}, S.ACCEPTED),
        _a("reject", msg("不予受理"), P.INCIDENT_TRIAGE, {S.REPORTED}, S.REJECTED),
        _a("merge", msg("合并重复"), P.INCIDENT_TRIAGE, {S.REPORTED, S.ACCEPTED}, S.MERGED),
        _a("dispatch", msg("派遣"), P.INCIDENT_DISPATCH, {S.ACCEPTED}, S.DISPATCHED),
        _a("start", msg("开始处置"), P.INCIDENT_HANDLE, {S.DISPATCHED}, S.IN_PROGRESS),
        _a("handle", msg("处置反馈"), P.INCIDENT_HANDLE, {S.DISPATCHED, S.IN_PROGRESS}, S.HANDLED),
        _a("verify", msg("核实通过"), P.INCIDENT_VERIFY, {S.HANDLED}, S.VERIFIED),
        _a("verify_failed", msg("核实未通过"), P.INCIDENT_VERIFY, {S.HANDLED}, S.DISPATCHED),
        _a("close", msg("结案"), P.INCIDENT_CLOSE, {S.VERIFIED}, S.CLOSED),
        _a(
            "escalate",
            msg("上报县级"),
            P.INCIDENT_ESCALATE,
            {S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED},
            S.ESCALATED,
        ),
        _a("county_reply", msg("县级答复"), P.INCIDENT_ESCALATE, {S.ESCALATED}, None),
    )
}

# What the county may decide when it answers an escalation, and where the case goes.
COUNTY_DECISIONS = {
    "退回乡镇处置": S.ACCEPTED,
    "县级部门承办": S.ESCALATED,
    "县级已办结": S.CLOSED,
}


def check(action_name: str, current: S) -> Action:
    """The action if it is legal from `current`; InvalidTransition with a reason otherwise."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidTransition("未知的操作“{action}”。", action=action_name)
    if current not in action.sources:
        # The allowed states are listed one per argument so each is translated as a label.
        allowed = sorted(action.sources, key=lambda s: s.value)
        if len(allowed) == 1:
            raise InvalidTransition(
                "事件当前为“{state}”，不能“{action}”（只有“{allowed}”的事件可以{action}）。",
                state=STATE_LABELS[current],
                action=action.label,
                allowed=STATE_LABELS[allowed[0]],
            )
        raise InvalidTransition(
            "事件当前为“{state}”，不能“{action}”（只有处于这些状态的事件可以{action}：{allowed}）。",
            state=STATE_LABELS[current],
            action=action.label,
            allowed="、".join(STATE_LABELS[s] for s in allowed),
        )
    return action


def actions_from(state: S) -> list[Action]:
    return [a for a in ACTIONS.values() if state in a.sources]
