"""Domain errors that a user can act on.

An error carries a message template and its arguments, never a finished sentence: the
template is a Chinese sentence with `{name}` placeholders (the source text of the default
interface) and also the key that `ui/` translates (context "DomainMessages"), so the
English interface never shows a Chinese sentence. `centre_app` stays free of Qt:
`python -m resources.i18n update` collects the templates from the source (the literal first
argument of every error raised here, and every `msg("…")`) for lupdate.

    raise ValidationError("身份证号第 {position} 位不是数字", position=7)

Arguments are data (names, numbers, case numbers) and are shown as they are; a label that
itself needs translating is passed as a `msg()`-marked template and translated by `ui/`.
"""

from __future__ import annotations


def msg(template: str) -> str:
    """Mark a message template kept in a table or constant, so the extractor finds it."""
    return template


class DomainError(Exception):
    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params
        self.message = template.format(**params) if params else template
        super().__init__(self.message)


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
