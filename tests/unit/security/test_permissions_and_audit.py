"""Permissions are enforced by the services; the audit trail cannot be rewritten."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text, update

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.audit import AuditTamperError
from centre_app.security.roles import ROLE_PERMISSIONS, Permission, Role, parse_roles, store_roles
from centre_app.settings import Key
from db.models import AuditEntry


def test_every_role_has_a_label_and_permissions() -> None:
    for role in Role:
        assert ROLE_PERMISSIONS[role], role


def test_roles_round_trip_through_storage() -> None:
    roles = (Role.DUTY, Role.VIDEO)
    assert parse_roles(store_roles(roles)) == roles


def test_centre_head_changes_settings_and_the_change_is_audited(ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    ctx.settings.set(head, Key.DUE_SOON_HOURS, 12)
    assert ctx.settings.get(Key.DUE_SOON_HOURS) == 12
    entry = ctx.audit_log.recent(head, action_prefix="settings.change")[0]
    assert entry.username == "zhuren"
    assert entry.detail == {"old": None, "new": 12}


def test_duty_officer_cannot_change_settings_even_without_the_ui(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.settings.set(duty, Key.TOWNSHIP_NAME, "别的镇")
    assert ctx.settings.get(Key.TOWNSHIP_NAME) == "金乡镇"


def test_invalid_setting_values_are_refused_in_chinese(ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    refusals = [
        (Key.TOWNSHIP_CODE, "33032", "乡镇代码应为 9 位数字"),
        (Key.COUNTY_URL, "ftp://county", "县级服务器地址应以 http:// 或 https:// 开头"),
        (Key.SYNC_INTERVAL_S, 0, "请输入 1 到 "),
    ]
    for key, value, words in refusals:
        before = ctx.settings.get(key)
        with pytest.raises(ValidationError) as refused:
            ctx.settings.set(head, key, value)
        assert words in refused.value.message, (key, refused.value.message)
        assert ctx.settings.get(key) == before, key  # refused, not half-saved


def test_reading_the_audit_trail_needs_the_audit_permission(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.audit_log.recent(clerk)


def test_orm_refuses_to_change_or_delete_audit_entries(ctx: AppContext) -> None:
    head: Actor = ctx.auth.login("zhuren", DEMO_PASSWORD)
    entry_id = ctx.audit_log.recent(head, limit=1)[0].id
    with ctx.session_factory() as session:
        entry = session.get(AuditEntry, entry_id)
        assert entry is not None
        entry.summary = "改过了"
        with pytest.raises(AuditTamperError):
            session.flush()
        session.rollback()
        session.delete(session.get(AuditEntry, entry_id))
        with pytest.raises(AuditTamperError):
            session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEntry).values(summary="改过了"),
        delete(AuditEntry),
    ],
)
def test_database_triggers_refuse_bulk_changes_to_the_audit_trail(
    ctx: AppContext, statement: object
) -> None:
    with ctx.engine.connect() as conn:
        before = conn.execute(text("select count(*), min(summary) from audit_entry")).one()
        with pytest.raises(Exception, match=r"append-only|audit"):
            conn.execute(statement)  # type: ignore[call-overload]
        conn.rollback()
        assert conn.execute(text("select count(*), min(summary) from audit_entry")).one() == before


def test_permission_message_names_the_person_and_the_permission() -> None:
    actor = Actor.for_roles(None, "jiedai", "林小红", (Role.RECEPTION,))
    with pytest.raises(PermissionDenied) as refused:
        actor.require(Permission.SETTINGS_MANAGE)
    assert "林小红" in refused.value.message
