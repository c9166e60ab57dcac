"""A virtual X server of one's own: libVLC needs one, and two test processes sharing one
steal each other's window activation."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import time


def start_xvfb(size: str = "1600x900x24") -> subprocess.Popen[bytes] | None:
    """Start Xvfb on a free display and point DISPLAY at it (stopped at exit)."""
    if shutil.which("Xvfb") is None:
        return None
    for number in range(140 + os.getpid() % 300, 1000):
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        proc = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", size, "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{number}"):
                os.environ["DISPLAY"] = f":{number}"
                atexit.register(proc.terminate)
                return proc
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        proc.kill()
    return None
