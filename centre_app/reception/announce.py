"""The hall's voice: calls said in Mandarin, offline, by espeak-ng's `cmn` voice.

A ticket number is read digit by digit (A012 → “A 零 一 二”), as halls do, so “十二”
is never confused with “一二”. Speaking blocks for a few seconds: callers run it off the
GUI thread. Only the ticket number and window are spoken or logged, never a name.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

DIGITS = "零一二三四五六七八九"
VOICE = "cmn"
SPEED_WPM = 140  # a little slower than espeak's 175: a hall echoes


def spoken_code(code: str) -> str:
    """A012 → 'A 零 一 二'."""
    return " ".join(DIGITS[int(c)] if c.isdigit() else c.upper() for c in code if c.isalnum())


def call_phrase(code: str, window_number: int) -> str:
    """请 A 零 一 二 号到 3 号窗口"""
    return f"请 {spoken_code(code)} 号到 {window_number} 号窗口"


def espeak_program() -> str | None:
    return shutil.which("espeak-ng")


def speak(phrase: str, *, wav_path: Path | None = None, timeout_s: float = 20.0) -> bool:
    """Say `phrase` (or write it to `wav_path`); False, logged, when it cannot be said."""
    program = espeak_program()
    if program is None:
        log.warning("espeak-ng is not installed: calls are shown but not spoken")
        return False
    argv = [program, "-v", VOICE, "-s", str(SPEED_WPM)]
    if wav_path is not None:
        argv += ["-w", str(wav_path)]
    try:
        subprocess.run([*argv, phrase], check=True, timeout=timeout_s, capture_output=True)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("espeak-ng failed: %s", type(error).__name__)
        return False
    return True
