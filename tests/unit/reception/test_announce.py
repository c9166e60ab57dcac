"""The hall's Mandarin voice: the phrase, and real speech recorded and measured with sox."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from centre_app.reception.announce import call_phrase, speak, spoken_code


def test_numbers_are_read_digit_by_digit() -> None:
    assert spoken_code("A012") == "A 零 一 二"
    assert call_phrase("b120", 3) == "请 B 一 二 零 号到 3 号窗口"


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="espeak-ng and sox are installed by scripts/setup.sh",
)
def test_a_call_is_spoken_in_mandarin_for_a_plausible_length(tmp_path: Path) -> None:
    wav = tmp_path / "call.wav"
    assert speak(call_phrase("A012", 3), wav_path=wav)
    stat = subprocess.run(
        ["sox", str(wav), "-n", "stat"], capture_output=True, text=True, check=True
    ).stderr
    length = float(re.search(r"Length \(seconds\):\s+([\d.]+)", stat).group(1))  # type: ignore[union-attr]
    rms = float(re.search(r"RMS\s+amplitude:\s+([\d.]+)", stat).group(1))  # type: ignore[union-attr]
    # Eleven syllables at 140 words a minute: about 3 s; silence or a beep would not pass.
    assert 1.5 < length < 8.0
    assert rms > 0.02
    short = tmp_path / "short.wav"
    assert speak(call_phrase("A1", 1), wav_path=short)
    short_stat = subprocess.run(
        ["sox", str(short), "-n", "stat"], capture_output=True, text=True, check=True
    ).stderr
    short_length = float(re.search(r"Length \(seconds\):\s+([\d.]+)", short_stat).group(1))  # type: ignore[union-attr]
    assert short_length < length  # fewer digits, shorter speech: it says what it is given
