"""A real county server for tests: `python -m centre_app.county serve` in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CountyServer:
    db_url: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    tls: tuple[Path, Path] | None = None  # (certificate, key): serve HTTPS

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def issue_token(self, subject: str, kind: str = "township") -> str:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "centre_app.county",
                "issue-token",
                "--db",
                self.db_url,
                "--kind",
                kind,
                "--subject",
                subject,
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return out.stdout.strip()

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "centre_app.county",
                    "serve",
                    "--db",
                    self.db_url,
                    "--port",
                    str(self.port),
                    *(
                        ["--certfile", str(self.tls[0]), "--keyfile", str(self.tls[1])]
                        if self.tls
                        else []
                    ),
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("county server exited:\n" + self.log_path.read_text())
            try:
                if requests.get(
                    self.url + "/api/v1/health",
                    timeout=1,
                    verify=str(self.tls[0]) if self.tls else True,
                ).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("county server did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


def start_county(
    db_url: str, log_dir: Path, *, port: int | None = None, running: bool = True
) -> CountyServer:
    server = CountyServer(db_url, port or free_port(), log_dir / "county.log")
    subprocess.run(
        [sys.executable, "-m", "centre_app.county", "migrate", "--db", db_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    if running:
        server.start()
    return server
