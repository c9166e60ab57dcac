"""Centre-wide settings (owned by the centre head), with typed keys and defaults."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import ValidationError, msg
from centre_app.mediation.rules import policy_mode
from centre_app.security import audit
from centre_app.security.actor import SYSTEM_ACTOR, Actor
from centre_app.security.roles import Permission
from db.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str  # a message template (msg), translated by ui/
    default: Any
    validate: Callable[[Any], Any]


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


def _language(value: Any) -> str:
    if value not in ("zh_CN", "en"):
        raise ValidationError("界面语言只能是 zh_CN 或 en。")
    return str(value)


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
    LANGUAGE = SettingSpec("language", msg("界面语言"), "zh_CN", _language)
    MEDIATION_SOFT_RULES = SettingSpec(  # read by MediationService at every check
        "mediation_soft_rules",
        msg("调解预约超出开放时间、节假日或调解员可约时间时（拒绝 / 提醒）"),
        "refuse",
        lambda value: policy_mode(value).value,
    )


SECRET_KEYS = frozenset({Key.COUNTY_TOKEN})


class SettingsService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def get(self, key: Key) -> Any:
        with self._session_factory() as session:
            row = session.get(Setting, key.value.key)
            return key.value.default if row is None else row.value

    def all(self) -> dict[Key, Any]:
        with self._session_factory() as session:
            stored = {row.key: row.value for row in session.scalars(select(Setting))}
        return {key: stored.get(key.value.key, key.value.default) for key in Key}

    def set(self, actor: Actor, key: Key, value: Any) -> Any:
        """Validate and store one setting (needs SETTINGS_MANAGE); returns the stored value."""
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
