"""Issue 15, defect 1: the hybrid logical clock never follows a stamp far in the future and
never outgrows its fixed-width format."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.clock import ManualClock
from centre_app.replication.hlc import ClockSkew, HybridLogicalClock, format_hlc, parse_hlc

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
T0_MS = int(T0.timestamp() * 1000)


def test_a_stamp_far_in_the_future_is_refused_and_not_observed() -> None:
    hlc = HybridLogicalClock(ManualClock(T0), max_skew=dt.timedelta(minutes=5))
    before = hlc.now()
    with pytest.raises(ClockSkew) as refused:
        hlc.observe("9999999999999-999990")
    assert refused.value.ahead_ms > 10**12
    after = hlc.now()
    assert parse_hlc(after)[0] == T0_MS and after > before


def test_a_stamp_within_the_tolerance_is_observed() -> None:
    hlc = HybridLogicalClock(ManualClock(T0), max_skew=dt.timedelta(minutes=5))
    hlc.observe(format_hlc(T0_MS + 4 * 60_000, 7))
    assert hlc.now() == format_hlc(T0_MS + 4 * 60_000, 8)
    with pytest.raises(ClockSkew) as refused:
        hlc.observe(format_hlc(T0_MS + 6 * 60_000, 0))
    assert refused.value.ahead_minutes == 6


def test_the_counter_carries_into_the_next_millisecond_instead_of_growing_a_digit() -> None:
    clock = ManualClock(T0)
    hlc = HybridLogicalClock(clock, last=format_hlc(T0_MS, 999_998))
    stamps = [hlc.now() for _ in range(3)]
    assert stamps == [
        format_hlc(T0_MS, 999_999),
        format_hlc(T0_MS + 1, 0),
        format_hlc(T0_MS + 1, 1),
    ]
    assert all(len(s) == 20 for s in stamps) and stamps == sorted(stamps)


def test_the_format_refuses_values_that_would_not_fit() -> None:
    with pytest.raises(ValueError):
        format_hlc(10**13, 0)
    with pytest.raises(ValueError):
        format_hlc(0, 10**6)
    for bad in ("999999999999²-000000", "0000000000001-00000١", "1-1", "0000000000001-0000001"):
        with pytest.raises(ValueError):
            parse_hlc(bad)
