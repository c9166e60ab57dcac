"""Fixtures of the reception tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from tests.support.postgres import PostgresCluster


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def any_ctx(request: pytest.FixtureRequest, ctx: AppContext) -> Iterator[AppContext]:
    if request.param == "sqlite":
        yield ctx
        return
    postgres: PostgresCluster = request.getfixturevalue("postgres")
    clock: ManualClock = request.getfixturevalue("clock")
    request.getfixturevalue("data_dir")
    url = postgres.create_database(f"desks_{uuid.uuid4().hex[:12]}")
    context = AppContext.open(url, clock=clock, demo_scale=0.01)
    yield context
    context.close()
