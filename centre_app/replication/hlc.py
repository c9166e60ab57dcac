"""Hybrid logical clock: physical milliseconds from the injectable Clock plus a counter.

Stamps are fixed-width strings (`PPPPPPPPPPPPP-CCCCCC`) so that string order is time order
in both SQLite and PostgreSQL without parsing.
"""

from __future__ import annotations

import threading

from centre_app.clock import Clock

_MS_WIDTH = 13
_COUNTER_WIDTH = 6


def format_hlc(ms: int, counter: int) -> str:
    return f"{ms:0{_MS_WIDTH}d}-{counter:0{_COUNTER_WIDTH}d}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    ms, _, counter = stamp.partition("-")
    if len(ms) != _MS_WIDTH or len(counter) != _COUNTER_WIDTH:
        raise ValueError(f"not an HLC stamp: {stamp!r}")
    return int(ms), int(counter)


class HybridLogicalClock:
    """Monotonic stamps even if the wall clock steps back; `observe` merges remote stamps."""

    def __init__(self, clock: Clock, last: str | None = None) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._ms, self._counter = parse_hlc(last) if last else (0, 0)

    def _physical_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)

    def now(self) -> str:
        with self._lock:
            physical = self._physical_ms()
            if physical > self._ms:
                self._ms, self._counter = physical, 0
            else:
                self._counter += 1
            return format_hlc(self._ms, self._counter)

    def observe(self, stamp: str) -> None:
        """Move past a stamp received from another node so our next stamp sorts after it."""
        ms, counter = parse_hlc(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter

    @property
    def last(self) -> str:
        with self._lock:
            return format_hlc(self._ms, self._counter)
