"""Run Alembic migrations at start-up, refusing databases this program cannot safely use.

Each workspace keeps its own branch of revisions off the foundation revision, so
we always upgrade to "heads".
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseReadOnly, SchemaTooNew

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


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


def _declared_revisions() -> tuple[set[str], set[str]]:
    """(all revisions, heads) read from the revision files without importing Alembic.

    Importing Alembic costs ~0.4 s; at a normal start the schema is current and this
    cheap reading of the `revision`/`down_revision` assignments is all that is needed.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, expr = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, expr = node.targets[0], node.value
            else:
                continue
            if not isinstance(target, ast.Name) or target.id not in ("revision", "down_revision"):
                continue
            value = ast.literal_eval(expr)
            if target.id == "revision":
                revisions.add(str(value))
            elif target.id == "down_revision" and value:
                parents.update([value] if isinstance(value, str) else value)
    return revisions, revisions - parents


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def _translate(exc: SADatabaseError) -> Exception:
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

    Raises SchemaTooNew, DatabaseLocked, DatabaseReadOnly or DatabaseCorrupt
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
