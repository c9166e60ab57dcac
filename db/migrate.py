"""Run Alembic migrations at start-up, refusing databases this program cannot safely use.

Each workspace keeps its own branch of revisions off the foundation revision, so
we always upgrade to "heads".
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from db.errors import DatabaseCorrupt, DatabaseLocked, DatabaseReadOnly, SchemaTooNew

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # ConfigParser treats "%" as interpolation; URLs may hold %-escapes (and passwords).
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def script_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


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
    script = ScriptDirectory.from_config(alembic_config())
    try:
        current = current_revisions(engine)
        known = {rev.revision for rev in script.walk_revisions()}
        unknown = current - known
        if unknown:
            raise SchemaTooNew(unknown)
        was_empty = not current and not inspect(engine).get_table_names()
        if current == set(script.get_heads()):
            return False
        log.info("migrating database from %s to %s", current or "empty", script.get_heads())
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        return was_empty
    except OperationalError as exc:
        raise _translate(exc) from exc
    except SADatabaseError as exc:
        raise _translate(exc) from exc
