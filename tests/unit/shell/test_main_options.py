"""The command line of main.py: options, and --demo moving the old database aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[3]


def test_help_lists_the_options() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for option in ("--db", "--demo", "--lang"):
        assert option in result.stdout


def test_unknown_language_is_refused() -> None:
    with pytest.raises(SystemExit):
        main.parse_args(["--lang", "fr"])


def test_demo_reseed_moves_the_old_database_and_its_wal_aside(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    db.write_bytes(b"old data")
    Path(f"{db}-wal").write_bytes(b"old wal")
    backup = main.backup_sqlite(f"sqlite:///{db}")
    assert backup is not None and backup.read_bytes() == b"old data"
    assert Path(f"{backup}-wal").read_bytes() == b"old wal"
    assert not db.exists()


def test_demo_reseed_refuses_a_server_database() -> None:
    with pytest.raises(SystemExit, match="只能用于 SQLite"):
        main.backup_sqlite("postgresql+psycopg://centre@127.0.0.1/centre")
