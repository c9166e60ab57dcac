"""The county server over TLS: a township that trusts the county's certificate (the
COUNTY_CA_FILE setting) syncs; one that does not is told so in words and keeps its data."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from centre_app.app_context import AppContext
from centre_app.replication.sync import SyncFailure
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.settings import Key
from tests.support.county import start_county
from tests.support.postgres import PostgresCluster, free_port

pytestmark = pytest.mark.integration


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "county.crt", directory / "county.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_sync_over_tls_with_the_county_certificate(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    county = start_county(
        postgres.create_database(f"tls_{uuid.uuid4().hex[:8]}"),
        tmp_path,
        port=free_port(),
        running=False,
    )
    county.tls = self_signed(tmp_path)
    county.start()
    try:
        assert county.url.startswith("https://")
        ctx = AppContext.open(f"sqlite:///{tmp_path / 'centre.db'}", demo_scale=0.01)
        ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, county.url)
        ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_TOKEN, county.issue_token(ctx.township_code))

        # Not trusted yet (the system's CAs do not know a self-signed county): refused in
        # words, permanently (retrying will not help), nothing leaves the outbox.
        worker = ctx.sync_worker()
        assert worker is not None
        backlog = worker.client.backlog()
        with pytest.raises(SyncFailure, match="证书无法验证") as refusal:
            worker.client.sync_once()
        assert refusal.value.permanent and worker.client.backlog() == backlog

        ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_CA_FILE, str(county.tls[0]))
        worker = ctx.sync_worker()
        assert worker is not None
        pushed, _pulled = worker.client.sync_once()
        assert pushed >= backlog and worker.client.backlog() == 0
        ctx.close()
    finally:
        county.stop()
