"""Where the client keeps its files (per user, per platform)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

APP_NAME = "zongzhi-centre"


def data_dir() -> Path:
    """Per-user data directory; ZONGZHI_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("ZONGZHI_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Per-user settings of this workstation (language, database URL, ticket printer);
    ZONGZHI_CONFIG_DIR overrides it, else ZONGZHI_DATA_DIR/config (tests, portable)."""
    override = os.environ.get("ZONGZHI_CONFIG_DIR")
    data = os.environ.get("ZONGZHI_DATA_DIR")
    if override:
        path = Path(override)
    elif data:
        path = Path(data) / "config"
    else:
        path = Path(user_config_dir(APP_NAME, appauthor=False))
    return path


def log_dir() -> Path:
    override = os.environ.get("ZONGZHI_DATA_DIR")
    path = Path(override) / "logs" if override else Path(user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "centre.db"


def default_db_url() -> str:
    return f"sqlite:///{default_db_path()}"
