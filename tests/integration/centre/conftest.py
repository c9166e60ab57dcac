"""A seeded centre database made once per test process and copied for each test.

Migrating and seeding a centre on PostgreSQL takes ~10 s; `CREATE DATABASE … TEMPLATE`
copies the result in well under one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from centre_app.app_context import AppContext
from tests.support.postgres import PostgresCluster

TEMPLATE = "zz_centre_template"


@pytest.fixture(scope="session")
def _centre_template(postgres: PostgresCluster) -> str:
    AppContext.open(postgres.create_database(TEMPLATE), demo_scale=0.01).close()
    return TEMPLATE


@pytest.fixture
def seeded_centre(postgres: PostgresCluster, _centre_template: str) -> Callable[[], str]:
    """Makes a new centre database with demo data (small scale) and returns its URL."""
    import psycopg

    def make() -> str:
        name = f"centre_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={postgres.port} user={postgres.user} dbname=postgres",
            autocommit=True,
        ) as conn:
            # FILE_COPY: a copied sequence logs its next value afresh, so a crash of the
            # cluster later cannot take an identity back below rows already written.
            conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{_centre_template}" STRATEGY FILE_COPY'
            )
        return f"postgresql+psycopg://{postgres.user}@127.0.0.1:{postgres.port}/{name}"

    return make
