"""One county server per test module of the county's attacks (a real server over a real
PostgreSQL), and the tokens the attackers hold."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster

A, B = "330327102", "330327103"


@pytest.fixture(scope="module")
def county(
    postgres: PostgresCluster,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[CountyServer]:
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:20]
    server = start_county(
        postgres.create_database(f"{name}_{uuid.uuid4().hex[:8]}"),
        tmp_path_factory.mktemp("county"),
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tokens(county: CountyServer) -> dict[str, str]:
    return {
        "a": county.issue_token(A),
        "b": county.issue_token(B),
        "county": county.issue_token("county-duty", kind="county"),
        "channel": county.issue_token("hotline-12345", kind="channel"),
    }
