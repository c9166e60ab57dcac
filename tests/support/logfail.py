"""Fail a test that logs an error it did not expect (after qutebrowser's logfail).

A record at logging.ERROR or above, logged during a test's set-up, call or tear-down, fails
that phase. A test that expects errors says so:

- `@pytest.mark.allow_log_errors` — any error is accepted (say why in a comment), or
- it takes `caplog`, checks the records, and `caplog.clear()`s the ones it expected:
  an error still in `caplog.records` at the end of the phase fails it.

Qt's own warnings fail tests through pytest-qt (`qt_log_level_fail` in pyproject.toml;
`@pytest.mark.qt_log_ignore("regex")` accepts one).
"""

from __future__ import annotations

import logging
from collections.abc import Generator

import pytest

MARKER = "allow_log_errors"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}: the test expects errors to be logged (say why beside it)"
    )


def _check(item: pytest.Item, when: str) -> Generator[None, None, None]:
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    if item.get_closest_marker(MARKER) is not None:
        return
    records = collector.records
    caplog = getattr(item, "funcargs", {}).get("caplog")
    if isinstance(caplog, pytest.LogCaptureFixture):  # the test may have accepted some
        kept = {id(r) for r in caplog.records}
        records = [r for r in records if id(r) in kept]
    if records:
        lines = "\n".join(
            f"  {r.levelname} {r.name}: {r.getMessage()}"
            + (f" ({r.exc_info[1]!r})" if r.exc_info else "")
            for r in records
        )
        pytest.fail(
            f"unexpected error logged during {when} (mark the test "
            f"@pytest.mark.{MARKER} or check and clear it with caplog):\n{lines}",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _check(item, "set-up"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _check(item, "the test"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _check(item, "tear-down"))
