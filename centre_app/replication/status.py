"""What the sync worker reports (kept free of HTTP imports: the status bar loads it at start)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass

from centre_app.errors import DomainError


class LinkState(enum.StrEnum):
    UNCONFIGURED = "unconfigured"
    OFFLINE = "offline"
    SYNCING = "syncing"
    ONLINE = "online"
    ERROR = "error"  # the county answered but refused: needs a person (token, version)


@dataclass(frozen=True)
class StatusError:
    """Why the last round failed, as a domain error is: a msg-marked template and its
    arguments, so `ui/` says it in the interface's language (`error_text(e.as_error())`).

    Stored for the other desks as JSON (`stored()`); a value stored by an older version is
    a plain sentence, read back as a template without arguments and shown as it is.
    """

    template: str
    params: tuple[tuple[str, str | int | float], ...] = ()

    @classmethod
    def of(cls, error: DomainError) -> StatusError:
        return cls(error.template, tuple((k, _value(v)) for k, v in sorted(error.params.items())))

    def as_error(self) -> DomainError:
        return DomainError(self.template, **dict(self.params))

    @property
    def message(self) -> str:
        """The sentence in the source language (logs, and older readers)."""
        return self.as_error().message

    def stored(self, limit: int) -> str:
        """JSON of at most `limit` characters: the longest string argument is shortened
        (ending in …) until it fits; if even that cannot fit, the sentence cut at `limit`."""
        params = dict(self.params)
        while len(text := _dump(self.template, params)) > limit:
            strings = [k for k, v in params.items() if isinstance(v, str) and v]
            if not strings:
                return self.message[:limit]
            key = max(strings, key=lambda k: len(str(params[k])))
            value = str(params[key])
            cut = value[: max(0, len(value) - (len(text) - limit) - 1)] + "…"
            params[key] = cut if len(cut) < len(value) else ""
        return text

    @classmethod
    def from_stored(cls, value: str) -> StatusError | None:
        if not value:
            return None
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if (
            isinstance(data, dict)
            and isinstance(data.get("template"), str)
            and isinstance(data.get("params", {}), dict)
        ):
            found = cls(
                data["template"],
                tuple((str(k), _value(v)) for k, v in sorted(data.get("params", {}).items())),
            )
            try:
                found.message  # noqa: B018 - the arguments must fit the template
            except (KeyError, IndexError, ValueError):
                return cls(data["template"])
            return found
        return cls(value)  # a plain sentence stored by an older version


def _value(value: object) -> str | int | float:
    """An argument as it can be stored: a number, or text that encodes as UTF-8 (an
    argument such as the county's reason is remote text: a lone surrogate becomes ?)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _dump(template: str, params: dict[str, str | int | float]) -> str:
    return json.dumps(
        {"template": template, "params": params}, ensure_ascii=False, separators=(",", ":")
    )


@dataclass(frozen=True)
class SyncStatus:
    state: LinkState
    backlog: int = 0
    last_success: dt.datetime | None = None
    error: StatusError | None = None  # why the last round failed
    pushed: int = 0  # totals since start
    pulled: int = 0
    leader: str = ""  # the desk that talks to the county ("host:pid"), "" when unknown

    @property
    def last_error(self) -> str:
        """The failure as a sentence in the source language ("" when none): for logs.
        The interface shows `error` translated."""
        return self.error.message if self.error is not None else ""
