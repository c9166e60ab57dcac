"""The centre's setting for the soft rules (outside opening hours, on a holiday, outside a
mediator's hours): refused by default; in warn mode the clerk may confirm. Read by the
service at every check, so a change applies at once; overlaps refuse in either mode."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.errors import ConflictError, PermissionDenied, ValidationError
from centre_app.mediation.rules import RuleMode
from centre_app.mediation.service import NeedsConfirmation
from centre_app.settings import Key
from tests.unit.mediation.conftest import MONDAY, Centre

SATURDAY = MONDAY + dt.timedelta(days=5)


def test_outside_the_hours_is_refused_until_the_head_chooses_to_warn(centre: Centre) -> None:
    with pytest.raises(ConflictError) as refused:
        centre.book("劳动争议调解室", "09:00", "10:00", day=SATURDAY)
    assert not isinstance(refused.value, NeedsConfirmation)
    assert refused.value.message == "劳动争议调解室 周六（2026-11-28）不开放"
    assert centre.ctx.settings.set(centre.head, Key.MEDIATION_SOFT_RULES, " 提醒 ") == "warn"
    assert centre.svc.policy.hours is RuleMode.WARN  # the same service, at once
    with pytest.raises(NeedsConfirmation, match="周六（2026-11-28）不开放"):
        centre.book("劳动争议调解室", "09:00", "10:00", day=SATURDAY)
    result = centre.svc.book(
        centre.clerk,
        centre.draft("劳动争议调解室", "09:00", "10:00", day=SATURDAY),
        accept_warnings=True,
    )
    assert [w.message for w in result.warnings] == ["劳动争议调解室 周六（2026-11-28）不开放"]
    # an overlap is never a warning
    with pytest.raises(ConflictError) as overlap:
        centre.svc.book(
            centre.clerk,
            centre.draft("劳动争议调解室", "09:30", "10:30", day=SATURDAY, mediators=("潘丽华",)),
            accept_warnings=True,
        )
    assert not isinstance(overlap.value, NeedsConfirmation)


def test_warn_mode_covers_opening_and_mediators_hours_but_not_capacity(
    centre: Centre,
) -> None:
    centre.ctx.settings.set(centre.head, Key.MEDIATION_SOFT_RULES, "warn")
    policy = centre.svc.policy
    assert (policy.hours, policy.availability, policy.capacity) == (
        RuleMode.WARN,
        RuleMode.WARN,
        RuleMode.REFUSE,
    )


@pytest.mark.parametrize("value", ["maybe", "", "\x00", "refuse\ud800", "１"])
def test_a_bad_value_is_refused_in_words(centre: Centre, value: str) -> None:
    with pytest.raises(ValidationError, match="只能选“拒绝”（refuse）或“提醒”（warn）"):
        centre.ctx.settings.set(centre.head, Key.MEDIATION_SOFT_RULES, value)
    assert centre.ctx.settings.get(Key.MEDIATION_SOFT_RULES) == "refuse"


def test_a_clerk_cannot_change_the_rule(centre: Centre) -> None:
    with pytest.raises(PermissionDenied):
        centre.ctx.settings.set(centre.clerk, Key.MEDIATION_SOFT_RULES, "warn")
