"""The ctx fixture copies a template seeded once per process: each copy must hold what a
database seeded for the test itself would hold, and be the test's own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import Engine, inspect, select, table, text

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from tests.conftest import DEMO_NOW
from tests.support.demo_db import DemoTemplates

_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)


_SALTED = re.compile(r"\$argon2[^']*")
_HLC = re.compile(r"\b[0-9]{13}-[0-9]{6}\b")  # the counter depends on the order of a flush


def _blank(today: re.Pattern[str], text: str) -> str:
    for pattern, blank in ((_UUID, "<id>"), (_SALTED, "<hash>"), (_HLC, "<hlc>"), (today, "<now>")):
        text = pattern.sub(blank, text)
    return text


def _content(engine: Engine) -> dict[str, list[str]]:
    """Every table's rows, with what differs between any two seedings blanked out: ids
    (UUIDv7), salted password hashes and times taken from the wall clock today."""
    today = re.compile(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d") + r"[ T][0-9:.+]+")
    content: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for name in sorted(inspect(engine).get_table_names()):
            keys = set(inspect(engine).get_pk_constraint(name)["constrained_columns"])
            columns = [c["name"] for c in inspect(engine).get_columns(name)]
            kept = [c for c in columns if c not in keys] or columns
            rows = connection.execute(
                select(*(text(f'"{c}"') for c in kept)).select_from(table(name))
            ).all()
            content[name] = sorted(_blank(today, repr(tuple(row))) for row in rows)
    return content


def test_a_copied_template_holds_what_a_fresh_seed_holds(
    tmp_path: Path, demo_templates: DemoTemplates
) -> None:
    fresh = AppContext.open(
        f"sqlite:///{tmp_path / 'fresh' / 'centre.db'}",
        clock=ManualClock(DEMO_NOW),
        demo_scale=0.02,
    )
    copied = demo_templates.open_copy(tmp_path / "copy", ManualClock(DEMO_NOW), scale=0.02)
    try:
        expected, got = _content(fresh.engine), _content(copied.engine)
        assert sum(map(len, expected.values())) > 1000  # the demo data is really there
        assert got.keys() == expected.keys()
        for name in expected:
            assert len(got[name]) == len(expected[name]), name
            assert got[name] == expected[name], name
        assert copied.created_fresh == fresh.created_fresh
    finally:
        fresh.close()
        copied.close()


def test_each_copy_is_its_own_database(tmp_path: Path, demo_templates: DemoTemplates) -> None:
    first = demo_templates.open_copy(tmp_path / "a", ManualClock(DEMO_NOW), scale=0.02)
    second = demo_templates.open_copy(tmp_path / "b", ManualClock(DEMO_NOW), scale=0.02)
    try:
        with first.engine.begin() as connection:
            connection.execute(text("DELETE FROM repl_outbox"))
        with second.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM repl_outbox")) > 0
        third = demo_templates.open_copy(tmp_path / "c", ManualClock(DEMO_NOW), scale=0.02)
        with third.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM repl_outbox")) > 0
        third.close()
    finally:
        first.close()
        second.close()
