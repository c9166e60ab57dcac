"""Password hashing with Argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from centre_app.errors import ValidationError

# OWASP's first-listed Argon2id setting (46 MiB, one pass, one lane; Password Storage Cheat
# Sheet). argon2-cffi's default (64 MiB, three passes, four lanes) cost a duty officer about
# 0.2 s of CPU at every sign-in on a two-core desk. Hashes made with other parameters are
# verified as stored and rehashed at the next sign-in (`needs_rehash`).
_hasher = PasswordHasher(time_cost=1, memory_cost=46 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("密码至少需要 {length} 位，请重新输入。", length=MIN_PASSWORD_LENGTH)
    if password.isdigit() or password.isalpha():
        raise ValidationError("密码需同时包含字母和数字，请重新输入。")
