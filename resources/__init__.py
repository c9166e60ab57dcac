"""Style sheets, translations and demo media, located relative to this package."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).parent
STYLES_DIR = RESOURCES_DIR / "styles"
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
