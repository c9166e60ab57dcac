"""Helpers started by the app end with it, however it ends; two county servers never share
one database file. Real processes: the app's launcher code runs in a child Python, which is
then killed with SIGKILL (no `finally`, no atexit)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.video import free_ports, requires_video

pytestmark = [pytest.mark.integration, pytest.mark.video, requires_video]

ROOT = Path(__file__).resolve().parents[3]

LAUNCHER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    import main
    from centre_app.app_context import AppContext
    from centre_app.video.evidence import record_clip
    from centre_app.video.simulator import ensure_running

    data, port = Path(sys.argv[1]), int(sys.argv[2])
    ctx = AppContext.open(f"sqlite:///{data / 'centre.db'}", demo_scale=0.01)
    county = main._start_demo_county(ctx)           # what main.py starts
    sim = ensure_running([("测试摄像机", f"http://127.0.0.1:{port}/main.ts")])
    clip = record_clip(f"http://127.0.0.1:{port}/main.ts", 600, data / "clip.ts")

    def children():
        out = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = open(f"/proc/{entry}/stat").read()
                    cmd = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\\0")
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                    out[int(entry)] = b" ".join(cmd[:4]).decode(errors="replace")
        return out

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:   # county server, clip recorder, the encoder
        kids = children()
        if len(kids) >= 3 and county.process.poll() is None:
            break
        time.sleep(0.2)
    print(json.dumps(kids), flush=True)
    time.sleep(3600)
""")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_county_server_encoders_and_recorders_die_when_the_app_is_killed(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "ZONGZHI_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    app = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(tmp_path), str(free_ports(1))],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None
        line = app.stdout.readline()
        assert line, app.stderr.read() if app.stderr else ""
        children = {int(pid): cmd for pid, cmd in json.loads(line).items()}
        kinds = " | ".join(children.values())
        assert "centre_app.county.demo" in kinds and kinds.count("ffmpeg") >= 2, kinds
        assert all(_alive(pid) for pid in children)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {pid: cmd for pid, cmd in children.items() if _alive(pid)}
    for pid in left:  # do not leave them behind for the next test
        os.kill(pid, signal.SIGKILL)
    assert left == {}


# While the first server is still coming up, a second start logs (as an error) that the
# file is held by a server that does not answer yet, and does not start: that is the rule.
@pytest.mark.allow_log_errors
def test_two_county_servers_never_share_one_database_file(tmp_path: Path) -> None:
    from centre_app.app_context import AppContext
    from centre_app.county.demo import DB_FILE, REFUSED, serving_pid, start_demo_county

    ctx = AppContext.open(f"sqlite:///{tmp_path / 'centre.db'}", demo_scale=0.01)
    first = start_demo_county(ctx, tmp_path)
    assert first is not None and first.process is not None
    try:
        db_file = tmp_path / DB_FILE
        deadline = time.monotonic() + 30
        while serving_pid(db_file) != first.process.pid:
            assert time.monotonic() < deadline and first.process.poll() is None
            time.sleep(0.1)
        # A second server on the same file refuses, in words, and serves nothing.
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "centre_app.county.demo",
                "--db-file",
                str(db_file),
                "--port",
                str(free_ports(1)),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == REFUSED
        assert "不能由两个服务器同时使用" in second.stderr
        assert str(first.process.pid) in second.stderr
        # A second start of the app on this data directory reuses the running server.
        deadline = time.monotonic() + 30
        while True:
            again = start_demo_county(ctx, tmp_path)
            if again is not None or time.monotonic() > deadline:
                break
            time.sleep(0.3)  # the first server is still coming up
        assert again is not None and again.process is None and again.url == first.url
        again.stop()  # not ours: stopping it leaves the first one serving
        assert first.process.poll() is None
    finally:
        first.stop()
        ctx.close()
    assert serving_pid(tmp_path / DB_FILE) is None  # the lock went with the server
