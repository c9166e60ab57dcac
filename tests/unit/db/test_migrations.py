"""Migrations run at start, on SQLite and PostgreSQL, and refuse databases they cannot use
without changing them."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

import db.models  # noqa: F401 - every table registered on Base.metadata
from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from db.base import Base
from db.engine import make_engine
from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseReadOnly, SchemaTooNew
from db.migrate import current_revisions, script_heads, upgrade_to_head
from db.search_grams import include_name
from tests.support.postgres import PostgresCluster


def file_digest(path: Path) -> bytes:
    return path.read_bytes()


def test_fresh_sqlite_database_is_migrated_to_every_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert upgrade_to_head(engine) is True
    assert current_revisions(engine) == script_heads()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_second_start_finds_nothing_to_migrate(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade_to_head(engine)
    assert upgrade_to_head(engine) is False


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """What the revisions create is what the models declare (no forgotten revision)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'compare.db'}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata
        )
    assert diff == []


@pytest.mark.integration
def test_fresh_postgresql_database_is_migrated_and_seeded(
    postgres: PostgresCluster, clock: ManualClock, data_dir: Path
) -> None:
    url = postgres.create_database("foundation_migrations")
    ctx = AppContext.open(url, clock=clock, demo_scale=0.02)
    try:
        assert ctx.created_fresh
        assert current_revisions(ctx.engine) == script_heads()
        with ctx.engine.connect() as conn:
            grids = conn.execute(text("select count(*) from area where level = 'grid'")).scalar()
            assert grids == 60
            with pytest.raises(Exception, match="append-only"):
                conn.execute(text("delete from audit_entry"))
    finally:
        ctx.close()
    reopened = AppContext.open(url, clock=clock)
    assert not reopened.created_fresh
    reopened.close()


def test_database_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("insert into alembic_version values ('9999_from_the_future')"))
    engine.dispose()
    before = file_digest(path)
    with pytest.raises(SchemaTooNew) as refused:
        upgrade_to_head(make_engine(f"sqlite:///{path}"))
    assert "9999_from_the_future" in refused.value.unknown_revisions
    assert file_digest(path) == before


def test_read_only_database_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions; covered by the sqlite read-only URI below")
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "centre.db"
    sqlite3.connect(path).close()
    path.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(DatabaseReadOnly):
            upgrade_to_head(make_engine(f"sqlite:///{path}"))
    finally:
        folder.chmod(stat.S_IRWXU)


def test_database_opened_read_only_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "readonly.db"
    sqlite3.connect(path).close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(DatabaseReadOnly):
        upgrade_to_head(engine)
    assert path.stat().st_size == 0


def test_locked_database_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    try:
        with pytest.raises(DatabaseLocked):
            upgrade_to_head(engine)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # Refused, not half-done: once the lock is gone the file holds no table at all.
    with contextlib.closing(sqlite3.connect(path)) as check:
        assert check.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are meeting notes, not a database" * 100)
    before = file_digest(path)
    with pytest.raises(DatabaseCorrupt):
        upgrade_to_head(make_engine(f"sqlite:///{path}"))
    assert file_digest(path) == before


def test_the_quick_start_check_reads_the_same_heads_as_alembic() -> None:
    from db.migrate import _declared_revisions

    revisions, heads = _declared_revisions()
    assert heads == script_heads()
    assert "0001_foundation" in revisions
