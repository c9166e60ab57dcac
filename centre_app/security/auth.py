"""Sign-in with throttling, and user administration.

Rules: a wrong password is refused with the same words whether or not the user
exists; after THROTTLE_AFTER consecutive failures each further attempt must wait
(doubling, capped); every success and failure is audited. A sign-in at a desk opens that
desk's session (`desk_sessions`): the same user already signed in at another desk may go
on, is told where and since when, and the audit record names both desks.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import AuthenticationError, ConflictError, NotFound, ValidationError
from centre_app.security import audit
from centre_app.security.actor import SYSTEM_ACTOR, Actor
from centre_app.security.desk_sessions import DeskSignIn, close_session, open_session
from centre_app.security.passwords import hash_password, needs_rehash, verify_password
from centre_app.security.roles import Permission, Role, parse_roles, store_roles
from db.models import LoginThrottle, User

log = logging.getLogger(__name__)

THROTTLE_AFTER = 3
BASE_DELAY = dt.timedelta(seconds=5)
MAX_DELAY = dt.timedelta(minutes=5)


def _actor_of(user: User) -> Actor:
    return Actor.for_roles(user.id, user.username, user.display_name, parse_roles(user.roles))


def throttle_delay(failures: int) -> dt.timedelta:
    """How long to wait after `failures` consecutive failures (0 until THROTTLE_AFTER)."""
    if failures < THROTTLE_AFTER:
        return dt.timedelta(0)
    delay: dt.timedelta = BASE_DELAY * 2 ** (failures - THROTTLE_AFTER)
    return min(delay, MAX_DELAY)


class AuthService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def login(self, username: str, password: str) -> Actor:
        return self.sign_in(username, password)[0]

    def sign_in(
        self, username: str, password: str, desk: str = ""
    ) -> tuple[Actor, DeskSignIn | None]:
        """Check the password; at a named `desk`, also open that desk's session."""
        username = username.strip()
        if not username or not password:
            raise ValidationError("请输入用户名和密码。")
        now = self._clock.now()
        # Failures are recorded (throttle + audit) in a committed transaction before the
        # error is raised, so a refused attempt still leaves its trace.
        failure: AuthenticationError | None = None
        with self._session_factory.begin() as session:
            throttle = session.get(LoginThrottle, username)
            if throttle and throttle.blocked_until and throttle.blocked_until > now:
                wait = int((throttle.blocked_until - now).total_seconds()) + 1
                audit.record(
                    session,
                    self._clock,
                    _anonymous(username),
                    "auth.login_blocked",
                    summary=f"登录尝试过于频繁，被要求等待 {wait} 秒",
                )
                failure = AuthenticationError(
                    "登录失败次数过多，请 {seconds} 秒后再试。", seconds=wait
                )
            else:
                user = session.scalar(select(User).where(User.username == username))
                if (
                    user is None
                    or not user.active
                    or not verify_password(user.password_hash, password)
                ):
                    self._note_failure(session, username, throttle, now)
                    inactive = user is not None and not user.active
                    audit.record(
                        session,
                        self._clock,
                        _anonymous(username),
                        "auth.login_failed",
                        target_type="user",
                        target_id=user.id if user else None,
                        summary="账号已停用" if inactive else "用户名或密码错误",
                    )
                    failure = AuthenticationError(
                        "该账号已停用，请联系系统管理员。"
                        if inactive
                        else "用户名或密码错误，请重新输入。"
                    )
                else:
                    if throttle is not None:
                        session.delete(throttle)
                    if needs_rehash(user.password_hash):
                        user.password_hash = hash_password(password)
                    actor = _actor_of(user)
                    signed_in = open_session(session, user.id, desk, now) if desk else None
                    elsewhere = signed_in.elsewhere if signed_in else ()
                    audit.record(
                        session,
                        self._clock,
                        actor,
                        "auth.login",
                        target_type="user",
                        target_id=user.id,
                        summary="登录成功"
                        + (f"（{desk}）" if desk else "")
                        + (
                            "；该账号同时在 " + "、".join(o.desk for o in elsewhere) + " 登录"
                            if elsewhere
                            else ""
                        ),
                        detail={
                            "desk": desk,
                            "also_signed_in_at": [
                                {"desk": o.desk, "since": o.signed_in_at.isoformat()}
                                for o in elsewhere
                            ],
                        }
                        if desk
                        else None,
                    )
        if failure is not None:
            raise failure
        return actor, signed_in

    def logout(self, actor: Actor, desk_session: uuid.UUID | None = None) -> None:
        with self._session_factory.begin() as session:
            if desk_session is not None:
                close_session(session, desk_session, self._clock.now())
            audit.record(
                session,
                self._clock,
                actor,
                "auth.logout",
                target_type="user",
                target_id=actor.user_id,
                summary="退出登录",
            )

    def _note_failure(
        self, session: Session, username: str, throttle: LoginThrottle | None, now: dt.datetime
    ) -> None:
        if throttle is None:
            throttle = LoginThrottle(username=username, failures=0)
            session.add(throttle)
        throttle.failures += 1
        throttle.last_failure_at = now
        delay = throttle_delay(throttle.failures)
        throttle.blocked_until = now + delay if delay else None

    # --- user administration -------------------------------------------------------------

    def create_user(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        password: str,
        roles: tuple[Role, ...],
        department_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        if actor is not SYSTEM_ACTOR:
            actor.require(Permission.USERS_MANAGE)
        username = username.strip()
        if not username or not username.isascii() or not username.replace("_", "").isalnum():
            raise ValidationError("用户名只能由字母、数字和下划线组成，请重新输入。")
        if not display_name.strip():
            raise ValidationError("请填写姓名。")
        if not roles:
            raise ValidationError("请至少选择一个角色。")
        password_hash = hash_password(password)
        with self._session_factory.begin() as session:
            if session.scalar(select(User.id).where(User.username == username)):
                raise ConflictError("用户名“{username}”已被使用，请换一个。", username=username)
            user = User(
                username=username,
                display_name=display_name.strip(),
                password_hash=password_hash,
                roles=store_roles(roles),
                department_id=department_id,
            )
            session.add(user)
            session.flush()
            audit.record(
                session,
                self._clock,
                actor,
                "user.create",
                target_type="user",
                target_id=user.id,
                summary=f"新建用户 {username}",
                detail={"roles": [r.value for r in roles]},
            )
            return user.id

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        if actor.user_id is None:
            raise NotFound("系统账号没有密码。")
        with self._session_factory.begin() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise NotFound("找不到当前用户，请重新登录。")
            if not verify_password(user.password_hash, old_password):
                audit.record(
                    session,
                    self._clock,
                    actor,
                    "user.password_change_failed",
                    target_type="user",
                    target_id=user.id,
                    summary="原密码错误",
                )
                raise AuthenticationError("原密码错误，请重新输入。")
            user.password_hash = hash_password(new_password)
            audit.record(
                session,
                self._clock,
                actor,
                "user.password_change",
                target_type="user",
                target_id=user.id,
                summary="修改密码",
            )

    def set_active(self, actor: Actor, user_id: uuid.UUID, active: bool) -> None:
        actor.require(Permission.USERS_MANAGE)
        with self._session_factory.begin() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("找不到该用户。")
            user.active = active
            audit.record(
                session,
                self._clock,
                actor,
                "user.activate" if active else "user.deactivate",
                target_type="user",
                target_id=user.id,
                summary=user.username,
            )

    def list_users(self) -> list[User]:
        with self._session_factory() as session:
            return list(session.scalars(select(User).order_by(User.username)))


def _anonymous(username: str) -> Actor:
    return Actor(None, username[:32], username[:32], ())
