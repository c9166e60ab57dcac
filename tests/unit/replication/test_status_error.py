"""The link's last failure is kept for the other desks as a template with its arguments
(JSON in one repl_state row of 256 characters); values stored by older versions, hostile
or cut values still read back as something that can be shown."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from centre_app.errors import msg
from centre_app.replication.status import StatusError
from centre_app.replication.sync import SyncFailure

REFUSED = msg("县级中心拒绝了同步（HTTP {status}）：{reason}")


def test_a_failure_is_stored_and_read_back_as_its_template_and_arguments() -> None:
    error = StatusError.of(SyncFailure(REFUSED, status=403, reason="令牌已吊销"))
    assert error == StatusError(REFUSED, (("reason", "令牌已吊销"), ("status", 403)))
    assert error.message == "县级中心拒绝了同步（HTTP 403）：令牌已吊销"
    stored = error.stored(256)
    assert json.loads(stored)["template"] == REFUSED
    assert StatusError.from_stored(stored) == error


def test_a_plain_sentence_stored_by_an_older_version_is_shown_as_it_is() -> None:
    for old in ("凭据无效", "{not json", '{"template": 5}', "[1, 2]", "含 {占位} 的旧句子"):
        error = StatusError.from_stored(old)
        assert error is not None and error.message == old and error.as_error().message == old
    assert StatusError.from_stored("") is None


def test_stored_arguments_that_do_not_fit_the_template_are_dropped() -> None:
    error = StatusError.from_stored('{"template":"HTTP {status}","params":{"other":1}}')
    assert error == StatusError("HTTP {status}")
    assert error.message == "HTTP {status}"


@given(st.text(max_size=2000))
def test_a_long_reason_is_shortened_to_fit_the_row_and_keeps_the_template(reason: str) -> None:
    error = StatusError.of(SyncFailure(REFUSED, status=422, reason=reason))
    stored = error.stored(256)
    assert len(stored) <= 256
    back = StatusError.from_stored(stored)
    assert back is not None and back.template == REFUSED
    kept = dict(back.params)["reason"]
    assert isinstance(kept, str) and (kept == reason or reason.startswith(kept.rstrip("…")))


def test_hostile_characters_in_an_argument_are_stored_as_valid_utf8_without_nul() -> None:
    error = StatusError.of(SyncFailure(REFUSED, status=400, reason="坏\x00\ud800\u202e理由"))
    stored = error.stored(256)
    stored.encode("utf-8")  # PostgreSQL text: valid UTF-8 …
    assert "\x00" not in stored  # … and no NUL
    back = StatusError.from_stored(stored)
    assert back is not None and dict(back.params)["reason"] == "坏\x00?\u202e理由"
