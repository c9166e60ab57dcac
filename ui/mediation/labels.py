"""The mediation case's labels (centre_app has no Qt), marked for lupdate and translated.

Each use has a context of its own because English needs different words where Chinese has
one: “撤回” is a state (Withdrawn) and a button (Withdraw), “转诉讼” a state (Referred to
court) and a button (Refer to court), “调解成功” a state (Agreement reached) and the button
that records it (Record agreement). A unit test checks that every label has a translation
in each context.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from centre_app.mediation.workflow import STATE_LABELS
from db.models.mediation import CaseState

STATE_CONTEXT = "MediationCaseState"  # lists, filters, the case page: what the case is
OUTCOME_CONTEXT = "MediationOutcome"  # the outcome buttons: what the clerk is about to do

# The outcome buttons in their order on the case page (each records that state).
OUTCOMES = (
    CaseState.SUCCEEDED,
    CaseState.FAILED,
    CaseState.LITIGATION,
    CaseState.JUDICIAL_CONFIRMATION,
    CaseState.WITHDRAWN,
)

_MARKS = (
    QT_TRANSLATE_NOOP("MediationCaseState", "已受理"),
    QT_TRANSLATE_NOOP("MediationCaseState", "调解中"),
    QT_TRANSLATE_NOOP("MediationCaseState", "调解成功"),
    QT_TRANSLATE_NOOP("MediationCaseState", "调解不成"),
    QT_TRANSLATE_NOOP("MediationCaseState", "转诉讼"),
    QT_TRANSLATE_NOOP("MediationCaseState", "申请司法确认"),
    QT_TRANSLATE_NOOP("MediationCaseState", "撤回"),
    QT_TRANSLATE_NOOP("MediationOutcome", "调解成功"),
    QT_TRANSLATE_NOOP("MediationOutcome", "调解不成"),
    QT_TRANSLATE_NOOP("MediationOutcome", "转诉讼"),
    QT_TRANSLATE_NOOP("MediationOutcome", "申请司法确认"),
    QT_TRANSLATE_NOOP("MediationOutcome", "撤回"),
)


def state_text(state: CaseState) -> str:
    """The case's state as a word for lists and the case page."""
    return QCoreApplication.translate(STATE_CONTEXT, STATE_LABELS[state])


def outcome_button_text(state: CaseState) -> str:
    """The button that records `state` as the case's outcome (a command)."""
    return QCoreApplication.translate(OUTCOME_CONTEXT, STATE_LABELS[state])
