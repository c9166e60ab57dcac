"""Settings by scope: the centre's in the centre database (the centre head changes them,
audited), the workstation's in the user's own file (language, database URL, ticket
printer), never mixed up between desks; each validated at the edge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from centre_app import paths
from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied, ValidationError
from centre_app.settings import (
    CENTRE_KEYS,
    DESK_KEYS,
    DeskSettings,
    Key,
    Scope,
    SettingsService,
    chosen_database_url,
    database_url,
)
from db.models import AuditEntry, Setting

PG = "postgresql+psycopg://zongzhi:s3cret@192.168.1.10:5432/zongzhi"


def test_the_table_names_the_scope_of_every_setting() -> None:
    assert {k.value.key for k in DESK_KEYS} == {
        "language",
        "database_url",
        "ticket_printer",
        "file_cache_mb",
        "last_wall",
    }
    assert {Key.TOWNSHIP_CODE, Key.COUNTY_URL, Key.COUNTY_TOKEN, Key.SYNC_INTERVAL_S} <= set(
        CENTRE_KEYS
    )
    assert set(DESK_KEYS) | set(CENTRE_KEYS) == set(Key)
    assert all(k.value.scope is Scope.DESK for k in DESK_KEYS)


def test_a_workstation_setting_lives_in_the_users_file_not_in_the_centre_database(
    ctx: AppContext, tmp_path: Path
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)  # no SETTINGS_MANAGE: their own desk only
    ctx.settings.set(duty, Key.TICKET_PRINTER, "escpos:192.168.1.50:9100")
    ctx.settings.set(duty, Key.LANGUAGE, "en")
    assert ctx.settings.get(Key.TICKET_PRINTER) == "escpos:192.168.1.50:9100"
    assert ctx.settings.desk.path.is_relative_to(paths.config_dir())
    stored = json.loads(ctx.settings.desk.path.read_text(encoding="utf-8"))
    assert stored == {"ticket_printer": "escpos:192.168.1.50:9100", "language": "en"}
    with ctx.session_factory() as session:
        keys = set(session.scalars(select(Setting.key)))
        changes = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "settings.change")
        ).all()
    assert not keys & {"ticket_printer", "language"} and changes == []

    other_desk = SettingsService(
        ctx.session_factory, ctx.clock, DeskSettings(tmp_path / "other" / "desk.json")
    )
    assert other_desk.get(Key.TICKET_PRINTER) == ""  # the next desk keeps its own printer
    assert other_desk.get(Key.LANGUAGE) == "zh_CN"


def test_the_centres_settings_need_the_centre_head_and_are_audited(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.settings.set(duty, Key.COUNTY_URL, "https://county.example")
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    ctx.settings.set(head, Key.COUNTY_URL, "https://county.example")
    assert not ctx.settings.desk.path.exists()  # nothing of the centre's in the user's file
    with ctx.session_factory() as session:
        assert session.get(Setting, "county_url") is not None
        assert session.scalars(
            select(AuditEntry.target_id).where(AuditEntry.action == "settings.change")
        ).all() == ["county_url"]


def test_a_language_an_older_version_kept_in_the_centre_database_is_still_read(
    ctx: AppContext,
) -> None:
    with ctx.session_factory.begin() as session:
        session.add(Setting(key="language", value="en"))
    assert ctx.settings.get(Key.LANGUAGE) == "en" and ctx.settings.all()[Key.LANGUAGE] == "en"
    ctx.settings.set(ctx.auth.login("zhiban", DEMO_PASSWORD), Key.LANGUAGE, "zh_CN")
    assert ctx.settings.get(Key.LANGUAGE) == "zh_CN"  # this workstation's choice wins


@pytest.mark.parametrize(
    "good", ["", PG, "postgresql://u@db.centre.lan/zongzhi", "sqlite:////srv/centre.db"]
)
def test_a_database_url_the_program_can_open_is_accepted(good: str) -> None:
    assert database_url(f"  {good} ") == good


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("mysql://u:p@host/db", "不支持数据库类型"),
        ("postgresql+psycopg://", "缺少服务器或数据库名"),
        ("postgresql+psycopg://u@host", "缺少服务器或数据库名"),
        ("192.168.1.10:5432", "格式不对"),
        ("http://192.168.1.10/zongzhi", "不支持数据库类型"),
        ("ｐｏｓｔｇｒｅｓｑｌ://u@host/db", "不支持数据库类型"),
        (PG + "\x00", "控制字符"),
        (PG.replace("zongzhi", "zong\nzhi", 1), "控制字符"),
        ("postgresql://u@host/\udc80", "无法识别的字符"),
        ("sqlite://", "缺少文件路径"),
        ("postgresql://u@host/" + "x" * 2000, "过长"),
    ],
)
def test_a_database_url_that_cannot_work_is_refused_in_words(bad: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        database_url(bad)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("escpos:192.168.1.50:99999", "escpos:主机:端口"),
        ("escpos:192.168.1.50:９１００", "escpos:主机:端口"),
        ("escpos::9100", "escpos:主机:端口"),
        ("pdf:  ", "PDF 文件的路径"),
        ("打印机\x07", "控制字符"),
        ("P" * 201, "过长"),
    ],
)
def test_a_ticket_printer_that_cannot_work_is_refused(
    ctx: AppContext, value: str, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        ctx.settings.set(ctx.auth.login("jiedai", DEMO_PASSWORD), Key.TICKET_PRINTER, value)
    assert ctx.settings.get(Key.TICKET_PRINTER) == ""


def test_the_command_line_database_wins_over_the_workstation_setting(tmp_path: Path) -> None:
    desk = DeskSettings(tmp_path / "desk.json")
    assert chosen_database_url(None, desk) is None  # the embedded SQLite file
    desk.set(Key.DATABASE_URL, PG)
    assert chosen_database_url(None, desk) == PG
    assert chosen_database_url("sqlite:////tmp/x.db", desk) == "sqlite:////tmp/x.db"


def test_a_damaged_workstation_file_falls_back_to_the_defaults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    desk = DeskSettings(tmp_path / "desk.json")
    desk.path.write_bytes(b'{"language": "en", "ticket_printer": "\xff')
    assert desk.get(Key.LANGUAGE) == "zh_CN"
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    desk.path.write_text('{"language": "fr", "database_url": "mysql://x/y"}', encoding="utf-8")
    assert desk.get(Key.LANGUAGE) == "zh_CN" and desk.get(Key.DATABASE_URL) == ""
    desk.set(Key.TICKET_PRINTER, "前台打印机")  # a damaged file is replaced whole
    assert json.loads(desk.path.read_text(encoding="utf-8"))["ticket_printer"] == "前台打印机"
    assert not list(tmp_path.glob(".desk-*"))


def test_the_desks_file_cache_limit_is_its_own_setting_and_one_cache_serves_every_service(
    ctx: AppContext,
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    assert ctx.settings.get(Key.FILE_CACHE_MB) == 2048
    for bad in ("0", "abc", str(1 << 30), "-5"):
        with pytest.raises(ValidationError):
            ctx.settings.set(duty, Key.FILE_CACHE_MB, bad)
    ctx.settings.set(duty, Key.FILE_CACHE_MB, "300")
    again = AppContext.open(str(ctx.engine.url), seed_demo=False)  # the next start
    try:
        assert again.files.cache_limit == 300 << 20
        assert again.incidents.files is again.files
        assert again.video.evidence.files is again.files
    finally:
        again.close()
