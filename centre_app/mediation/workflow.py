"""A mediation case's state machine as a table: (state, action) → next state.

Anything not in the table is refused in words naming the case's state and the action.
"""

from __future__ import annotations

import enum

from centre_app.errors import InvalidTransition, msg
from db.models.mediation import CaseState


class CaseAction(enum.Enum):
    BOOK = "book"  # a session booked
    SUCCEED = "succeed"  # 调解成功
    FAIL = "fail"  # 调解不成
    LITIGATE = "litigate"  # 转诉讼
    CONFIRM = "confirm"  # 申请司法确认
    WITHDRAW = "withdraw"  # 撤回


S, A = CaseState, CaseAction

TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (S.ACCEPTED, A.BOOK): S.IN_MEDIATION,
    (S.ACCEPTED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_MEDIATION, A.BOOK): S.IN_MEDIATION,
    (S.IN_MEDIATION, A.SUCCEED): S.SUCCEEDED,
    (S.IN_MEDIATION, A.FAIL): S.FAILED,
    (S.IN_MEDIATION, A.LITIGATE): S.LITIGATION,
    (S.IN_MEDIATION, A.WITHDRAW): S.WITHDRAWN,
    (S.SUCCEEDED, A.CONFIRM): S.JUDICIAL_CONFIRMATION,
    (S.FAILED, A.LITIGATE): S.LITIGATION,
}

# Outcomes recorded on the case (the figures count these).
OUTCOMES = frozenset({S.SUCCEEDED, S.FAILED, S.LITIGATION, S.JUDICIAL_CONFIRMATION, S.WITHDRAWN})
RESOLVED = frozenset({S.SUCCEEDED, S.JUDICIAL_CONFIRMATION})  # 化解
OPEN = frozenset({S.ACCEPTED, S.IN_MEDIATION})
# The action that records each outcome (MediationService.record_outcome).
OUTCOME_ACTIONS: dict[CaseState, CaseAction] = {
    S.SUCCEEDED: A.SUCCEED,
    S.FAILED: A.FAIL,
    S.LITIGATION: A.LITIGATE,
    S.JUDICIAL_CONFIRMATION: A.CONFIRM,
    S.WITHDRAWN: A.WITHDRAW,
}


def can_record(state: CaseState, outcome: CaseState) -> bool:
    """Whether a case in `state` may be given `outcome` (the table's answer, no reasons)."""
    action = OUTCOME_ACTIONS.get(outcome)
    return action is not None and (state, action) in TRANSITIONS


STATE_LABELS: dict[CaseState, str] = {
    S.ACCEPTED: msg("已受理"),
    S.IN_MEDIATION: msg("调解中"),
    S.SUCCEEDED: msg("调解成功"),
    S.FAILED: msg("调解不成"),
    S.LITIGATION: msg("转诉讼"),
    S.JUDICIAL_CONFIRMATION: msg("申请司法确认"),
    S.WITHDRAWN: msg("撤回"),
}

ACTION_LABELS: dict[CaseAction, str] = {
    A.BOOK: msg("安排调解"),
    A.SUCCEED: msg("记录调解成功"),
    A.FAIL: msg("记录调解不成"),
    A.LITIGATE: msg("转诉讼"),
    A.CONFIRM: msg("申请司法确认"),
    A.WITHDRAW: msg("撤回"),
}

# One refusal per action: in Chinese a state and an action may share a word (转诉讼,
# 申请司法确认, 撤回) where English needs two ("Referred to court" / "refer to court"), so
# the action is part of the sentence, not an argument translated like a label.
REFUSALS: dict[CaseAction, str] = {
    A.BOOK: msg("调解案件 {case_no} 当前为“{state}”，不能安排调解"),
    A.SUCCEED: msg("调解案件 {case_no} 当前为“{state}”，不能记录调解成功"),
    A.FAIL: msg("调解案件 {case_no} 当前为“{state}”，不能记录调解不成"),
    A.LITIGATE: msg("调解案件 {case_no} 当前为“{state}”，不能转诉讼"),
    A.CONFIRM: msg("调解案件 {case_no} 当前为“{state}”，不能申请司法确认"),
    A.WITHDRAW: msg("调解案件 {case_no} 当前为“{state}”，不能撤回"),
}


def next_state(case_no: str, state: CaseState, action: CaseAction) -> CaseState:
    """The state after `action`, or InvalidTransition saying why not."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise InvalidTransition(REFUSALS[action], case_no=case_no, state=STATE_LABELS[state])
    return target
