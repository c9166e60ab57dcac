"""Run Alembic migrations at start-up, refusing databases this program cannot safely use.

Each workspace keeps its own branch of revisions off the foundation revision, so
we always upgrade to "heads".
"""

from __future__ import annotations

import ast
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from db.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnreachable,
    SchemaTooNew,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # ConfigParser treats "%" as interpolation; URLs may hold %-escapes (and passwords).
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def script_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def _parse_revision_files() -> dict[str, tuple[str, tuple[str, ...]]]:
    """{file name: (revision, down revisions)} read from the revision files with `ast`
    (Alembic itself is not imported: it costs ~0.4 s)."""
    graph: dict[str, tuple[str, tuple[str, ...]]] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        revision, parents = "", ()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, expr = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, expr = node.targets[0], node.value
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            if target.id == "revision":
                revision = str(ast.literal_eval(expr))
            elif target.id == "down_revision":
                value = ast.literal_eval(expr)
                parents = (value,) if isinstance(value, str) else tuple(value or ())
        if revision:
            graph[path.name] = (revision, parents)
    return graph


def revision_graph() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The revision graph: the cached copy in db/migrations/revision_cache.py while it lists
    exactly the files in versions/ (one directory listing), else read from the files.

    A revision added without refreshing the cache still migrates correctly, only the start
    pays for reading the files; tests/unit/shell/test_schema_check.py says to refresh it
    (`python -m db.migrate --write-cache`).
    """
    from db.migrations.revision_cache import REVISIONS

    names = {
        entry.name
        for entry in os.scandir(VERSIONS_DIR)
        if entry.name.endswith(".py") and entry.is_file()
    }
    if names == set(REVISIONS):
        return REVISIONS
    log.info("revision cache is stale; reading the revision files")
    return _parse_revision_files()


def _declared_revisions() -> tuple[set[str], set[str]]:
    """(all revisions, heads) of the revision graph."""
    graph = revision_graph()
    revisions = {revision for revision, _ in graph.values()}
    parents = {parent for _, down in graph.values() for parent in down}
    return revisions, revisions - parents


def _quoted(text: str) -> str:
    return json.dumps(text)  # double quotes, as ruff format writes them


def write_revision_cache() -> Path:
    """Rewrite db/migrations/revision_cache.py from the revision files."""
    graph = _parse_revision_files()
    lines = [
        '"""The revision graph of versions/ ({file: (revision, down revisions)}), so a start',
        "with a current schema reads no revision file. Written by",
        "`python -m db.migrate --write-cache`; db.migrate ignores it when the files differ.",
        '"""',
        "",
        "REVISIONS: dict[str, tuple[str, tuple[str, ...]]] = {",
        *(
            f"    {_quoted(name)}: ({_quoted(revision)}, ({''.join(_quoted(p) + ', ' for p in parents).rstrip(' ')})),"
            for name, (revision, parents) in sorted(graph.items())
        ),
        "}",
        "",
    ]
    path = MIGRATIONS_DIR / "revision_cache.py"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # one query instead of the inspector's machinery
            found = conn.execute(
                text(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                )
            ).first()
            if found is None:
                return set()
        elif not inspect(conn).has_table("alembic_version"):
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def _unreachable(orig: BaseException | None) -> bool:
    """A server that refused, dropped or is still starting (not a wrong statement)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    if not isinstance(orig, psycopg.OperationalError):
        return False
    state = orig.sqlstate
    return state is None or state.startswith(("08", "57P01", "57P02", "57P03"))


def _translate(exc: SADatabaseError) -> Exception:
    if _unreachable(exc.orig):
        return DatabaseUnreachable(str(exc.orig))
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(str(exc.orig))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseReadOnly(str(exc.orig))
    if "not a database" in text or "malformed" in text:
        return DatabaseCorrupt(str(exc.orig))
    return exc


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the schema up to date. Returns True when the database was empty before.

    Raises SchemaTooNew, DatabaseUnreachable, DatabaseLocked, DatabaseReadOnly or DatabaseCorrupt
    without touching the data when the database cannot be used.
    """
    known, heads = _declared_revisions()
    try:
        current = current_revisions(engine)
        unknown = current - known
        if unknown:
            raise SchemaTooNew(unknown)
        if current == heads:
            return False
        was_empty = not current and not inspect(engine).get_table_names()
        log.info("migrating database from %s to %s", current or "empty", sorted(heads))
        from alembic import command

        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Desks of a centre started together after an upgrade: one migrates, the
                # others wait here and then find nothing left to do.
                conn.execute(text("SELECT pg_advisory_xact_lock(7383230203)"))
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        return was_empty
    except OperationalError as exc:
        raise _translate(exc) from exc
    except SADatabaseError as exc:
        raise _translate(exc) from exc


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-cache"]:
        sys.exit("usage: python -m db.migrate --write-cache")
    print(write_revision_cache())
