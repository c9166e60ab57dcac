"""Login, throttling, accounts and the audit trail of authentication."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import AuthenticationError, ConflictError, PermissionDenied, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.auth import BASE_DELAY, MAX_DELAY, THROTTLE_AFTER, throttle_delay
from centre_app.security.roles import Permission, Role


def admin(ctx: AppContext) -> Actor:
    return ctx.auth.login("admin", DEMO_PASSWORD)


def test_demo_duty_officer_logs_in_with_the_duty_role(ctx: AppContext) -> None:
    actor = ctx.auth.login("zhiban", DEMO_PASSWORD)
    assert actor.display_name == "王晓燕"
    assert actor.roles == (Role.DUTY,)
    assert actor.can(Permission.INCIDENT_DISPATCH)
    assert not actor.can(Permission.USERS_MANAGE)


def test_wrong_password_is_refused_in_chinese_and_audited(ctx: AppContext) -> None:
    with pytest.raises(AuthenticationError, match="用户名或密码错误"):
        ctx.auth.login("zhiban", "Demo2025")
    entries = ctx.audit_log.recent(admin(ctx), action_prefix="auth.login_failed")
    assert [e.username for e in entries] == ["zhiban"]


def test_unknown_user_gets_the_same_message_as_a_wrong_password(ctx: AppContext) -> None:
    with pytest.raises(AuthenticationError, match="用户名或密码错误"):
        ctx.auth.login("nobody", "whatever1")


def test_empty_credentials_are_a_validation_error(ctx: AppContext) -> None:
    with pytest.raises(ValidationError, match="请输入用户名和密码"):
        ctx.auth.login("  ", "")


def test_repeated_failures_block_even_the_right_password_until_the_delay_passes(
    ctx: AppContext, clock: ManualClock
) -> None:
    for _ in range(THROTTLE_AFTER):
        with pytest.raises(AuthenticationError):
            ctx.auth.login("zhiban2", "wrong-pass1")
    with pytest.raises(AuthenticationError, match=r"请 .* 秒后再试"):
        ctx.auth.login("zhiban2", DEMO_PASSWORD)
    clock.advance(BASE_DELAY + dt.timedelta(seconds=1))
    assert ctx.auth.login("zhiban2", DEMO_PASSWORD).username == "zhiban2"
    blocked = ctx.audit_log.recent(admin(ctx), action_prefix="auth.login_blocked")
    assert len(blocked) == 1


def test_throttle_delay_doubles_and_is_capped() -> None:
    assert throttle_delay(THROTTLE_AFTER - 1) == dt.timedelta(0)
    assert throttle_delay(THROTTLE_AFTER) == BASE_DELAY
    assert throttle_delay(THROTTLE_AFTER + 1) == BASE_DELAY * 2
    assert throttle_delay(THROTTLE_AFTER + 30) == MAX_DELAY


def test_a_successful_login_resets_the_failure_count(ctx: AppContext, clock: ManualClock) -> None:
    for _ in range(THROTTLE_AFTER - 1):
        with pytest.raises(AuthenticationError):
            ctx.auth.login("jiedai", "wrong-pass1")
    ctx.auth.login("jiedai", DEMO_PASSWORD)
    for _ in range(THROTTLE_AFTER - 1):
        with pytest.raises(AuthenticationError):
            ctx.auth.login("jiedai", "wrong-pass1")
    assert ctx.auth.login("jiedai", DEMO_PASSWORD).username == "jiedai"


def test_deactivated_account_cannot_log_in(ctx: AppContext) -> None:
    boss = admin(ctx)
    user_id = ctx.auth.create_user(boss, "temp_clerk", "临时接待员", "Temp2026x", (Role.RECEPTION,))
    ctx.auth.set_active(boss, user_id, False)
    with pytest.raises(AuthenticationError, match="已停用"):
        ctx.auth.login("temp_clerk", "Temp2026x")


def test_only_user_managers_may_create_users(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied, match=r"没有“.*”的权限"):
        ctx.auth.create_user(duty, "sneaky", "某人", "Sneaky2026", (Role.ADMIN,))


def test_usernames_are_unique_and_plain(ctx: AppContext) -> None:
    boss = admin(ctx)
    with pytest.raises(ConflictError, match="已被使用"):
        ctx.auth.create_user(boss, "zhiban", "重名", "Another2026", (Role.DUTY,))
    with pytest.raises(ValidationError, match="字母、数字和下划线"):
        ctx.auth.create_user(boss, "王 五", "王五", "Another2026", (Role.DUTY,))


def test_stored_passwords_are_argon2_hashes_not_the_password(ctx: AppContext) -> None:
    user = next(u for u in ctx.auth.list_users() if u.username == "zhiban")
    assert user.password_hash.startswith("$argon2")
    assert DEMO_PASSWORD not in user.password_hash


def test_a_hash_made_with_older_parameters_still_signs_in_and_is_rehashed(
    ctx: AppContext,
) -> None:
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from db.models import User

    older = PasswordHasher().hash(DEMO_PASSWORD)  # argon2-cffi's default: m=65536,t=3,p=4
    with ctx.session_factory.begin() as session:
        session.scalars(select(User).where(User.username == "zhiban")).one().password_hash = older
    assert ctx.auth.login("zhiban", DEMO_PASSWORD).username == "zhiban"
    user = next(u for u in ctx.auth.list_users() if u.username == "zhiban")
    assert user.password_hash != older
    assert "$m=47104,t=1,p=1$" in user.password_hash


def test_change_password_needs_the_old_one(ctx: AppContext) -> None:
    actor = ctx.auth.login("shipin", DEMO_PASSWORD)
    with pytest.raises(AuthenticationError, match="原密码错误"):
        ctx.auth.change_password(actor, "not-it-123", "NewPass2026")
    ctx.auth.change_password(actor, DEMO_PASSWORD, "NewPass2026")
    assert ctx.auth.login("shipin", "NewPass2026").username == "shipin"
