"""Hybrid logical clock: physical milliseconds from the injectable Clock plus a counter.

Stamps are fixed-width strings (`PPPPPPPPPPPPP-CCCCCC`) so that string order is time order
in both SQLite and PostgreSQL without parsing. The format can never overflow: the physical
part is bounded (`MAX_MS`, the year 2286) and a counter that would outgrow its six digits
carries into the next millisecond instead.

A stamp from another node is observed only if it lies at most `max_skew` ahead of our own
wall clock (`ClockSkew` otherwise): one node with a clock years ahead must not drag every
other node's clock along with it (issue 15, defect 1).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading

from centre_app.clock import Clock

_MS_WIDTH = 13
_COUNTER_WIDTH = 6
MAX_MS = 10**_MS_WIDTH - 1
MAX_COUNTER = 10**_COUNTER_WIDTH - 1
HLC_PATTERN = r"^[0-9]{13}-[0-9]{6}$"
_STAMP = re.compile(HLC_PATTERN)
SKEW_ENV = "ZONGZHI_MAX_CLOCK_SKEW_MINUTES"


def default_max_skew() -> dt.timedelta:
    """How far ahead of our wall clock a received stamp may be (env: minutes, default 10)."""
    try:
        minutes = float(os.environ.get(SKEW_ENV, "10"))
    except ValueError:
        minutes = 10.0
    return dt.timedelta(minutes=max(minutes, 0.0) if minutes == minutes else 10.0)


class ClockSkew(ValueError):
    """A stamp too far ahead of this node's wall clock; `ahead_ms` says by how much."""

    def __init__(self, stamp: str, ahead_ms: int) -> None:
        super().__init__(f"HLC stamp {stamp} is {ahead_ms} ms ahead of the wall clock")
        self.stamp, self.ahead_ms = stamp, ahead_ms

    @property
    def ahead_minutes(self) -> int:
        return max(1, round(self.ahead_ms / 60000))


def format_hlc(ms: int, counter: int) -> str:
    if not (0 <= ms <= MAX_MS and 0 <= counter <= MAX_COUNTER):
        raise ValueError(f"HLC out of range: {ms}, {counter}")
    return f"{ms:0{_MS_WIDTH}d}-{counter:0{_COUNTER_WIDTH}d}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    if not _STAMP.match(stamp) or len(stamp) != _MS_WIDTH + 1 + _COUNTER_WIDTH:
        raise ValueError(f"not an HLC stamp: {stamp!r}")
    ms, _, counter = stamp.partition("-")
    return int(ms), int(counter)


class HybridLogicalClock:
    """Monotonic stamps even if the wall clock steps back; `observe` merges remote stamps."""

    def __init__(
        self, clock: Clock, last: str | None = None, max_skew: dt.timedelta | None = None
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._ms, self._counter = parse_hlc(last) if last else (0, 0)
        self.max_skew = default_max_skew() if max_skew is None else max_skew

    def _physical_ms(self) -> int:
        return int(min(int(self._clock.now().timestamp() * 1000), MAX_MS))

    def now(self) -> str:
        with self._lock:
            physical = self._physical_ms()
            if physical > self._ms:
                self._ms, self._counter = physical, 0
            elif self._counter < MAX_COUNTER:
                self._counter += 1
            elif self._ms < MAX_MS:  # the counter is full: carry into the next millisecond
                self._ms, self._counter = self._ms + 1, 0
            else:
                raise OverflowError("the hybrid logical clock reached the end of its format")
            return format_hlc(self._ms, self._counter)

    def check(self, stamp: str) -> tuple[int, int]:
        """The stamp parsed, or ClockSkew if it lies more than max_skew ahead of our clock."""
        ms, counter = parse_hlc(stamp)
        ahead = ms - int(self._clock.now().timestamp() * 1000)
        if ahead > self.max_skew.total_seconds() * 1000:
            raise ClockSkew(stamp, ahead)
        return ms, counter

    def observe(self, stamp: str) -> None:
        """Move past a stamp received from another node so our next stamp sorts after it;
        a stamp too far ahead of our wall clock raises ClockSkew and is not observed."""
        ms, counter = self.check(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter

    @property
    def last(self) -> str:
        with self._lock:
            return format_hlc(self._ms, self._counter)
