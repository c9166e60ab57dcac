"""Domain errors. `message` is a Chinese sentence a user can act on; the UI shows it as is."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input that does not make sense (empty, malformed, impossible)."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class InvalidTransition(DomainError):
    """A workflow step that is not allowed from the current state."""


class ConflictError(DomainError):
    """Somebody else changed the thing first, or it overlaps with something existing."""


class AuthenticationError(DomainError):
    pass
