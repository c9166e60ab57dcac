"""Schemathesis against the real county server's OpenAPI schema (a subprocess over a real
PostgreSQL): generated requests — schema-valid and schema-invalid, with each kind of token
and with none — never get a 5xx, and every answer conforms to the schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from centre_app.replication import protocol as p
from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

TOWNSHIP = "330327102"


@pytest.fixture
def county(postgres: PostgresCluster, tmp_path: Path) -> Iterator[CountyServer]:
    server = start_county(postgres.create_database(f"fuzz_{uuid.uuid4().hex[:8]}"), tmp_path)
    yield server
    server.stop()


def test_no_request_gets_a_5xx_and_answers_match_the_schema(county: CountyServer) -> None:
    tokens = {"township": county.issue_token(TOWNSHIP),
              "county": county.issue_token("county-duty", kind="county"),
              "channel": county.issue_token("hotline-12345", kind="channel")}
    schema = schemathesis.openapi.from_url(f"{county.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/push", "/api/v1/pull", "/api/v1/reports",
                                              "/api/v1/county/tasks"}
    for operation in operations:
        token = (tokens["county"] if "/county/" in operation.path
                 else tokens["channel"] if operation.path.endswith("/reports")
                 else tokens["township"])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for headers in ({"Authorization": f"Bearer {token}",
                             p.SCHEMA_HEADER: str(p.SCHEMA_VERSION)}, {}):
                _fuzz(operation, mode, headers)
    # The server is still healthy after the barrage (no worker died).
    assert county.process is not None and county.process.poll() is None


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        # Schema-valid requests may still be refused in words (an unknown grid, a case that
        # is not escalated, another township's node): a documented 4xx, not a failure.
        case.call_and_validate(headers={**(case.headers or {}), **headers},
                               excluded_checks=[positive_data_acceptance])

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body (health) has no schema-invalid input.
        if mode is not GenerationMode.NEGATIVE:
            raise
