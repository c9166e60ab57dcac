"""Build the Qt translations: `python -m resources.i18n update` extracts the source strings
of `ui/` into the .ts files (pyside6-lupdate); `python -m resources.i18n build` compiles
them into .qm files (pyside6-lrelease). The .qm files are build output, never edited.

Source strings are Chinese (the default UI); the English .ts carries the translations.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from resources import RESOURCES_DIR, TRANSLATIONS_DIR

log = logging.getLogger(__name__)

LANGUAGES = ("en",)
CATALOGUE = "zongzhi"
PROJECT_ROOT = RESOURCES_DIR.parent


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"{CATALOGUE}_{language}.ts"


def qm_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"{CATALOGUE}_{language}.qm"


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise RuntimeError(f"pyside6-{name} not found; install PySide6 (pip install -e .)")
    return found


def source_files() -> list[Path]:
    ui_files = (p for p in (PROJECT_ROOT / "ui").rglob("*.py") if "__pycache__" not in p.parts)
    return [PROJECT_ROOT / "main.py", *sorted(ui_files)]


def update() -> None:
    """Refresh the .ts files from the sources, keeping existing translations."""
    sources = [str(p.relative_to(PROJECT_ROOT)) for p in source_files()]
    for language in LANGUAGES:
        ts = ts_path(language).relative_to(PROJECT_ROOT)
        subprocess.run([_tool("lupdate"), "-no-obsolete", *sources, "-ts", str(ts)],
                       check=True, cwd=PROJECT_ROOT)


def build(*, only_if_stale: bool = False) -> list[Path]:
    """Compile every .ts into its .qm; returns the files written."""
    written = []
    for language in LANGUAGES:
        ts, qm = ts_path(language), qm_path(language)
        if not ts.exists():
            continue
        if only_if_stale and qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resources.i18n", description=__doc__)
    parser.add_argument("command", choices=["update", "build"])
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    else:
        for path in build():
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
