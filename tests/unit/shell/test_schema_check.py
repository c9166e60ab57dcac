"""The schema check at start: a current database is recognised from the cached revision graph
without reading the revision files or importing Alembic; a stale cache is never trusted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import db.migrate as migrate
from db.engine import make_engine
from db.migrations.revision_cache import REVISIONS

ROOT = Path(__file__).resolve().parents[3]


def test_the_revision_cache_matches_the_files_and_alembics_heads() -> None:
    # Fails when a revision was added without `python -m db.migrate --write-cache`.
    assert migrate._parse_revision_files() == REVISIONS
    _, heads = migrate._declared_revisions()
    assert heads == migrate.script_heads()


def test_a_stale_cache_is_ignored_and_the_files_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = tmp_path / "versions"
    shutil.copytree(migrate.VERSIONS_DIR, versions, ignore=shutil.ignore_patterns("__pycache__"))
    (versions / "incidents_0099_later.py").write_text(
        'revision = "incidents_0099"\ndown_revision = "incidents_0003"\n', encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "VERSIONS_DIR", versions)
    revisions, heads = migrate._declared_revisions()
    assert "incidents_0099" in revisions
    assert "incidents_0099" in heads and "incidents_0003" not in heads


def test_a_current_database_starts_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    assert migrate.upgrade_to_head(make_engine(url)) is True
    probe = (
        "import sys\n"
        "from db.engine import make_engine\n"
        "from db.migrate import upgrade_to_head\n"
        f"assert upgrade_to_head(make_engine({url!r})) is False\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert out.strip() == "[]"


def test_a_database_one_revision_behind_is_still_migrated(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    migrate.upgrade_to_head(engine)
    from alembic import command

    with engine.begin() as conn:
        cfg = migrate.alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "incidents_0002")
    assert "incidents_0003" not in migrate.current_revisions(engine)
    assert migrate.upgrade_to_head(engine) is False
    assert migrate.current_revisions(engine) == migrate.script_heads()
