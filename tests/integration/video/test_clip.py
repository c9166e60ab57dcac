"""Clip evidence against a real simulator stream: N seconds copied by ffmpeg with a
first-picture thumbnail; a stream that dies mid-clip keeps what was recorded; no stream
or no ffmpeg is refused in words."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from centre_app.errors import ValidationError
from centre_app.video import evidence
from centre_app.video.evidence import capture_clip, thumbnail_path
from centre_app.video.simulator import Simulator
from tests.support.video import free_ports, requires_video, simulator

pytestmark = [pytest.mark.integration, pytest.mark.video, requires_video]


@pytest.fixture
def sim() -> Iterator[Simulator]:
    yield from simulator(1)


def test_clip_of_n_seconds_has_a_thumbnail_of_its_first_picture(
    sim: Simulator, tmp_path: Path
) -> None:
    clip = capture_clip(sim.url(0, "sub"), 3, tmp_path / "a.ts")
    assert clip.complete and 2.0 <= clip.seconds <= 4.5
    assert clip.path.stat().st_size > 10_000
    thumb = thumbnail_path(clip.path)
    assert thumb.read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_stream_dying_mid_clip_keeps_the_part_recorded(sim: Simulator, tmp_path: Path) -> None:
    timer = threading.Timer(3.0, sim.kill, args=(0,))
    timer.start()
    try:
        clip = capture_clip(sim.url(0, "sub"), 20, tmp_path / "b.ts")
    finally:
        timer.cancel()
    assert not clip.complete and 0.5 <= clip.seconds < 15
    assert thumbnail_path(clip.path).exists()


def test_unreachable_stream_is_refused_in_words_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "c.ts"
    with pytest.raises(ValidationError, match="录像失败"):
        capture_clip(f"http://127.0.0.1:{free_ports(1)}/main.ts", 3, target)
    assert not target.exists()


def test_missing_ffmpeg_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        evidence.shutil, "which", lambda name: None if name == "ffmpeg" else real_which(name)
    )
    with pytest.raises(ValidationError, match="ffmpeg"):
        capture_clip("http://127.0.0.1:1/main.ts", 3, tmp_path / "d.ts")
