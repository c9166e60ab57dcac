"""libVLC control jobs run off the caller's thread, in order per player, never two at once."""

from __future__ import annotations

import threading
import time

import pytest

from ui.video_wall.vlc_engine import SerialPool


def test_jobs_of_one_key_run_in_order_and_never_overlap() -> None:
    pool = SerialPool(workers=4)
    seen: dict[int, list[int]] = {1: [], 2: []}
    running = {1: 0, 2: 0}
    overlap = []
    caller = threading.get_ident()
    threads = set()
    done = threading.Event()

    def job(key: int, n: int) -> None:
        running[key] += 1
        overlap.append(running[key] > 1)
        threads.add(threading.get_ident())
        time.sleep(0.001)
        seen[key].append(n)
        running[key] -= 1
        if key == 2 and n == 19:
            done.set()

    for n in range(20):
        pool.submit(1, lambda n=n: job(1, n))
        pool.submit(2, lambda n=n: job(2, n))
    assert done.wait(10)
    pool.shutdown()
    assert seen[1] == list(range(20)) and seen[2] == list(range(20))
    assert not any(overlap)
    assert caller not in threads


def test_a_failing_job_does_not_stop_the_next(caplog: pytest.LogCaptureFixture) -> None:
    pool = SerialPool(workers=1)
    ran = threading.Event()

    def boom() -> None:
        raise RuntimeError("libVLC said no")

    pool.submit(7, boom)
    pool.submit(7, ran.set)
    assert ran.wait(5)
    pool.shutdown()
    failed = [r for r in caplog.records if r.message == "libVLC control job failed"]
    assert len(failed) == 1 and "libVLC said no" in str(failed[0].exc_info)  # logged, once
    caplog.clear()
