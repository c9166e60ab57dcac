"""`python -m centre_app.centre setup-server` against a cluster the test starts: the role,
its password, the database and its schema, and a URL a desk opens."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from centre_app.app_context import AppContext
from db.engine import make_engine
from db.errors import SchemaTooNew
from tests.support.county import ROOT
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration


def _setup(postgres: PostgresCluster, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "centre_app.centre",
            "setup-server",
            "--admin-url",
            postgres.admin_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(postgres.port),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_setup_server_prints_a_url_that_a_desk_opens_and_a_second_run_changes_the_password(
    postgres: PostgresCluster,
) -> None:
    first = _setup(postgres, "--database", "zz_setup", "--role", "zz_desk")
    assert first.returncode == 0, first.stderr
    url = first.stdout.strip().splitlines()[-1]
    assert url.startswith("postgresql+psycopg://zz_desk:") and url.endswith("/zz_setup")
    desk = AppContext.open(url, seed_demo=False)
    try:
        assert desk.engine.dialect.name == "postgresql"
        with desk.engine.connect() as conn:
            assert conn.scalar(text("SELECT current_user")) == "zz_desk"
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) >= 1
    finally:
        desk.close()
    second = _setup(postgres, "--database", "zz_setup", "--role", "zz_desk")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() != url  # a new password; the data stays
    desk = AppContext.open(second.stdout.strip(), seed_demo=False)
    desk.close()


def test_setup_server_refuses_a_hostile_database_name_in_words(postgres: PostgresCluster) -> None:
    answer = _setup(postgres, "--database", 'x"; DROP DATABASE postgres; --')
    assert answer.returncode == 2 and "小写字母" in answer.stderr


def test_a_desk_older_than_the_server_schema_is_refused_in_words(postgres: PostgresCluster) -> None:
    url = postgres.create_database("zz_newer")
    AppContext.open(url, seed_demo=False).close()
    engine = make_engine(url)
    with engine.begin() as conn:  # a newer desk migrated the server further
        conn.execute(text("INSERT INTO alembic_version VALUES ('reception_0099_future')"))
    engine.dispose()
    with pytest.raises(SchemaTooNew) as refused:
        AppContext.open(url, seed_demo=False)
    from ui.error_reporting import database_error_message

    shown = url.split("@")[-1]  # as main.py names it: no role, no password
    words = database_error_message(refused.value, shown)
    assert shown in words and "更新版本" in words and "未作任何修改" in words
