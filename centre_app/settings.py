"""Settings with typed keys and defaults, each with its scope (one table: `Key`).

- The centre's (`Scope.CENTRE`): what every desk of the centre must agree on (township
  code and name, the county's address and credential, sync interval, deadlines). Stored in
  the centre database (`app_setting`), changed only with SETTINGS_MANAGE (the centre head),
  every change audited. Windows, rooms, mediators and cameras are the centre's too; they
  are rows of their own workspaces.
- The workstation's (`Scope.DESK`): what belongs to this computer and its user (interface
  language, the database URL it opens, the ticket printer beside it). Stored in a per-user
  file under the user's config directory (`DeskSettings`), changed by whoever sits there,
  never written to the centre database. Column widths are kept by `ui/` in the same spirit
  (QSettings in the data directory).
"""

from __future__ import annotations

import enum
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import ValidationError, msg
from centre_app.security import audit
from centre_app.security.actor import SYSTEM_ACTOR, Actor
from centre_app.security.roles import Permission
from db.models import Setting

log = logging.getLogger(__name__)


class Scope(enum.Enum):
    CENTRE = "centre"  # the centre database, the centre head changes it
    DESK = "desk"  # this workstation and user, a local file


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str  # a message template (msg), translated by ui/
    default: Any
    validate: Callable[[Any], Any]
    scope: Scope = Scope.CENTRE
    shown: bool = True  # False: kept by the program itself, not a field in 设置


def _township_code(value: Any) -> str:
    text = str(value).strip()
    if len(text) != 9 or not text.isdigit():
        raise ValidationError("乡镇代码应为 9 位数字（区划代码前 9 位），例如 330327102。")
    return text


def _non_empty(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValidationError("该项不能为空。")
    return text


def _url_or_empty(value: Any) -> str:
    text = str(value).strip()
    if text and not text.startswith(("http://", "https://")):
        raise ValidationError("县级服务器地址应以 http:// 或 https:// 开头。")
    return text


def _token(value: Any) -> str:
    text = str(value).strip()
    if text and (len(text) < 16 or any(c.isspace() for c in text)):
        raise ValidationError("同步凭据格式不对，请完整粘贴县级中心签发的凭据。")
    return text


def _file_or_empty(value: Any) -> str:
    from pathlib import Path

    text = str(value).strip()
    if text and not Path(text).is_file():
        raise ValidationError("找不到证书文件“{path}”。", path=text)
    return text


def _positive_int(maximum: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError("请输入整数。") from None
        if not 1 <= number <= maximum:
            raise ValidationError("请输入 1 到 {maximum} 之间的整数。", maximum=maximum)
        return number

    return check


def _soft_rules(value: Any) -> str:
    from centre_app.mediation.rules import policy_mode  # not at start: it loads the holidays

    return policy_mode(value).value


def _language(value: Any) -> str:
    if value not in ("zh_CN", "en"):
        raise ValidationError("界面语言只能是 zh_CN 或 en。")
    return str(value)


def _printable(value: Any, limit: int) -> str:
    text = str(value).strip()
    if len(text) > limit or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError("该项含有控制字符或过长（最多 {limit} 个字符）。", limit=limit)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("该项含有无法识别的字符。") from None
    return text


DATABASE_DRIVERS = ("sqlite", "postgresql", "postgresql+psycopg")


def database_url(value: Any) -> str:
    """ "" (the embedded SQLite file in the data directory) or a URL this program can open:
    sqlite:///path, or postgresql+psycopg://user:password@host:port/database."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = _printable(value, 1000)
    if not text:
        return text
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ValidationError(
            "数据库地址格式不对，应形如 postgresql+psycopg://用户:密码@服务器:5432/数据库。"
        ) from None
    if url.drivername not in DATABASE_DRIVERS:
        raise ValidationError(
            "不支持数据库类型“{driver}”，只能是 PostgreSQL（postgresql+psycopg://…）或 SQLite。",
            driver=url.drivername,
        )
    if url.drivername.startswith("postgresql") and not (url.host and url.database):
        raise ValidationError("数据库地址缺少服务器或数据库名，例如 …@192.168.1.10:5432/zongzhi。")
    if url.drivername == "sqlite" and not url.database:
        raise ValidationError(
            "SQLite 数据库地址缺少文件路径，例如 sqlite:////home/user/centre.db。"
        )
    return text


def _wall(value: Any) -> dict[str, Any]:
    """The wall this desk showed when it closed (centre_app.video.walls JSON, read leniently
    there); only its shape and size are checked here."""
    if not isinstance(value, dict) or len(json.dumps(value, default=str)) > 64_000:
        raise ValidationError("墙面数据无法识别。")
    return value


def _ticket_printer(value: Any) -> str:
    text = _printable(value, 200)
    if text.startswith("escpos:"):
        host, _, port = text.removeprefix("escpos:").rpartition(":")
        if not host or not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValidationError(
                "小票打印机应写作 escpos:主机:端口，例如 escpos:192.168.1.50:9100。"
            )
    elif text.startswith("pdf:") and not text.removeprefix("pdf:").strip():
        raise ValidationError("pdf: 之后应写 PDF 文件的路径。")
    return text


class Key(enum.Enum):
    TOWNSHIP_CODE = SettingSpec("township_code", msg("乡镇代码"), "330327102", _township_code)
    TOWNSHIP_NAME = SettingSpec("township_name", msg("乡镇名称"), "金乡镇", _non_empty)
    CENTRE_NAME = SettingSpec(
        "centre_name", msg("中心名称"), "金乡镇社会治理综合指挥中心", _non_empty
    )
    COUNTY_URL = SettingSpec("county_url", msg("县级服务器地址"), "", _url_or_empty)
    COUNTY_TOKEN = SettingSpec("county_token", msg("县级同步凭据"), "", _token)
    COUNTY_CA_FILE = SettingSpec(
        "county_ca_file", msg("县级证书（CA 文件，可空）"), "", _file_or_empty
    )
    SYNC_INTERVAL_S = SettingSpec("sync_interval_s", msg("同步间隔（秒）"), 1, _positive_int(3600))
    DUE_SOON_HOURS = SettingSpec(
        "due_soon_hours", msg("即将超期提前量（小时）"), 24, _positive_int(240)
    )
    # What a mediation booking outside opening hours, on a holiday or outside the
    # mediator's hours meets: a refusal, or a warning the clerk confirms.
    MEDIATION_SOFT_RULES = SettingSpec(  # read by MediationService at every check
        "mediation_soft_rules",
        msg("调解预约超出开放时间、节假日或调解员可约时间时（拒绝 / 提醒）"),
        "refuse",
        _soft_rules,
    )
    # This workstation and its user (a local file, never the centre database):
    LANGUAGE = SettingSpec("language", msg("界面语言"), "zh_CN", _language, Scope.DESK)
    DATABASE_URL = SettingSpec(
        "database_url", msg("中心数据库地址（空：本机数据库）"), "", database_url, Scope.DESK
    )
    TICKET_PRINTER = SettingSpec(
        "ticket_printer", msg("小票打印机（空：默认打印机）"), "", _ticket_printer, Scope.DESK
    )
    # This desk's read cache of the centre's stored files (attachments, snapshots, clips):
    # a desk with a small disk keeps less; used from the next start.
    FILE_CACHE_MB = SettingSpec(
        "file_cache_mb",
        msg("本机文件缓存上限（MB，下次启动生效）"),
        2048,
        _positive_int(1 << 20),
        Scope.DESK,
    )
    # The wall on this desk's screens when it last closed (上次墙面): each monitoring desk
    # comes back to its own, whatever the other desks showed.
    LAST_WALL = SettingSpec("last_wall", msg("上次墙面"), {}, _wall, Scope.DESK, shown=False)


DESK_KEYS = tuple(key for key in Key if key.value.scope is Scope.DESK)
CENTRE_KEYS = tuple(key for key in Key if key.value.scope is Scope.CENTRE)


SECRET_KEYS = frozenset({Key.COUNTY_TOKEN})


class DeskSettings:
    """This workstation's settings for its user: a JSON file, written whole by rename so a
    crash never leaves half a file; an unreadable file counts as empty (defaults)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("desk settings %s unreadable; using defaults", self.path)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: Key) -> Any:
        """The stored value when it is still valid, else the default."""
        stored = self.load()
        if key.value.key not in stored:
            return key.value.default
        try:
            return key.value.validate(stored[key.value.key])
        except ValidationError:
            return key.value.default

    def has(self, key: Key) -> bool:
        return key.value.key in self.load()

    def set(self, key: Key, value: Any) -> Any:
        clean = key.value.validate(value)
        data = self.load()
        data[key.value.key] = clean
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".desk-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return clean


def desk_settings() -> DeskSettings:
    """The signed-in user's settings for this workstation (under the user's config dir)."""
    from centre_app import paths

    return DeskSettings(paths.config_dir() / "desk-settings.json")


def chosen_database_url(command_line: str | None, desk: DeskSettings) -> str | None:
    """The database a desk opens: `--db` first, else the centre server named in this
    workstation's settings, else None (the embedded SQLite file in the data directory)."""
    return command_line or str(desk.get(Key.DATABASE_URL)) or None


class SettingsService:
    """Reads and writes each setting where its scope says (`Key`'s table)."""

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, desk: DeskSettings | None = None
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self.desk = desk or desk_settings()

    def get(self, key: Key) -> Any:
        if key.value.scope is Scope.DESK and self.desk.has(key):
            return self.desk.get(key)
        with self._session_factory() as session:  # a desk key: what older versions kept here
            row = session.get(Setting, key.value.key)
            return key.value.default if row is None else row.value

    def all(self) -> dict[Key, Any]:
        with self._session_factory() as session:
            stored = {row.key: row.value for row in session.scalars(select(Setting))}
        values = {key: stored.get(key.value.key, key.value.default) for key in Key}
        for key in DESK_KEYS:
            if self.desk.has(key):
                values[key] = self.desk.get(key)
        return values

    def set(self, actor: Actor, key: Key, value: Any) -> Any:
        """Validate and store one setting; returns the stored value. The centre's need
        SETTINGS_MANAGE and are audited; a workstation's are the user's own (this file only,
        nothing in the centre database changes, so nothing is audited there)."""
        if key.value.scope is Scope.DESK:
            return self.desk.set(key, value)
        if actor is not SYSTEM_ACTOR:
            actor.require(Permission.SETTINGS_MANAGE)
        clean = key.value.validate(value)
        with self._session_factory.begin() as session:
            row = session.get(Setting, key.value.key)
            old = None if row is None else row.value
            if row is None:
                session.add(Setting(key=key.value.key, value=clean))
            else:
                row.value = clean
            if key in SECRET_KEYS:  # never write a credential into the audit trail
                summary, detail = f"{key.value.label}: 已更换", {}
            else:
                summary, detail = f"{key.value.label}: {old} → {clean}", {"old": old, "new": clean}
            audit.record(
                session,
                self._clock,
                actor,
                "settings.change",
                target_type="setting",
                target_id=key.value.key,
                summary=summary,
                detail=detail,
            )
        return clean
