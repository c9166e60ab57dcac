"""Child processes that end with the app, however the app ends.

The app starts helpers (the demo county server, the camera simulator's ffmpeg encoders,
clip recorders, snapshot grabs, probes). `atexit` and `finally` cover a normal quit only;
after SIGKILL, or a crash, they would run on forever (the next start then launched a second
county server on the same database). On Linux each child asks the kernel for a signal when
its parent dies (`prctl(PR_SET_PDEATHSIG)`, set between fork and exec).

The kernel sends that signal when the *thread* that forked the child ends, not the process.
Helpers are started from short-lived threads (an HTTP handler starts an encoder), so every
child is forked by one spawner thread that lives as long as the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

PR_SET_PDEATHSIG = 1

_libc: Any = None
if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:  # pragma: no cover - no libc: children are stopped by the app only
        _libc = None


def _die_with_parent(parent_pid: int, sig: int) -> Callable[[], None]:
    def preexec() -> None:  # runs in the child between fork and exec: keep it tiny
        if _libc is not None:
            _libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


_Job = tuple[Callable[[], "subprocess.Popen[bytes]"], "queue.Queue[tuple[bool, Any]]"]
_jobs: queue.Queue[_Job] = queue.Queue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _serve() -> None:
    while True:
        make, reply = _jobs.get()
        try:
            reply.put((True, make()))
        except BaseException as exc:  # handed back to the caller, who raises it
            reply.put((False, exc))


def _on_spawner(make: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_serve, name="child-spawner", daemon=True)
            _spawner.start()
    reply: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    _jobs.put((make, reply))
    ok, value = reply.get()
    if not ok:
        raise value
    proc: subprocess.Popen[bytes] = value
    return proc


def spawn(
    args: Sequence[str], *, death_signal: int = signal.SIGTERM, **popen: Any
) -> subprocess.Popen[bytes]:
    """`subprocess.Popen(args, **popen)` for a child that gets `death_signal` when this
    process ends (SIGTERM lets a server shut down cleanly; SIGKILL for a child that would
    linger)."""
    preexec = _die_with_parent(os.getpid(), int(death_signal))
    return _on_spawner(lambda: subprocess.Popen(list(args), preexec_fn=preexec, **popen))


def run(
    args: Sequence[str], *, timeout: float | None = None, **popen: Any
) -> subprocess.CompletedProcess[bytes]:
    """`subprocess.run` for a short job (a probe, a thumbnail) with the same guarantee."""
    proc = spawn(args, **popen)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
