"""incidents_0004 moves the phone out of the reporter field where the value clearly ends
in one, on SQLite and PostgreSQL, and puts it back going down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from db.engine import make_engine
from db.ids import new_id
from db.migrate import alembic_config
from tests.support.postgres import PostgresCluster

REPORTERS = {
    "王晓燕 13857712345": ("王晓燕", "13857712345"),
    "张三，0577-64281234": ("张三", "0577-64281234"),
    "网格员李明": ("网格员李明", ""),
    "110 报警": ("110 报警", ""),
    "李四13857712345": ("李四13857712345", ""),
}


def migrate_with_reporters(engine: Engine) -> dict[str, tuple[str, str]]:
    cfg = alembic_config(engine)
    command.upgrade(cfg, "incidents_0003")
    ids = {}
    now = dt.datetime(2026, 5, 1, 8, 0)
    with engine.begin() as conn:
        for number, reporter in enumerate(REPORTERS):
            ids[reporter] = new_id()
            conn.execute(
                text(
                    "INSERT INTO incident (id, created_at, updated_at, township_code, case_no,"
                    " channel, category, subcategory, colour, place, title, description,"
                    " people_involved, reporter, reported_at, state)"
                    " VALUES (:id, :now, :now, '330327102', :case_no, 'hotline', '矛盾纠纷',"
                    " '劳资纠纷', 'green', '某厂', '欠薪', '工人反映欠薪。', 1, :reporter, :now,"
                    " 'reported')"
                ),
                {
                    "id": ids[reporter]
                    if engine.dialect.name == "postgresql"
                    else ids[reporter].hex,
                    "now": now,
                    "case_no": f"330327102-2026-{number:06d}",
                    "reporter": reporter,
                },
            )
    command.upgrade(cfg, "incidents_0004")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT reporter, reporter_phone FROM incident ORDER BY case_no"))
        after = {old: tuple(row) for old, row in zip(REPORTERS, rows, strict=True)}
    command.downgrade(cfg, "incidents_0003")
    with engine.connect() as conn:
        back = set(conn.execute(text("SELECT reporter FROM incident")).scalars())
    # Going down, the phone is put back after the name: nothing is lost.
    assert back == {f"{name} {phone}".strip() for name, phone in REPORTERS.values()}
    return after


def test_sqlite_reporters_ending_in_a_phone_are_split(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'split.db'}")
    assert migrate_with_reporters(engine) == REPORTERS


@pytest.mark.integration
def test_postgresql_reporters_ending_in_a_phone_are_split(postgres: PostgresCluster) -> None:
    engine = make_engine(postgres.create_database("reporter_phone"))
    assert migrate_with_reporters(engine) == REPORTERS
