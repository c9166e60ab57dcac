"""How the township's sync reads the county's refusals: a busy county (too many files at
once, a body cut off) is retried in words that say so, not reported as a refusal."""

from __future__ import annotations

import pytest

from centre_app.app_context import AppContext
from centre_app.replication.sync import CountyLink, SyncClient, SyncFailure


@pytest.mark.parametrize("status", [408, 429, 503])
def test_a_busy_county_is_retried_and_said_to_be_busy(ctx: AppContext, status: int) -> None:
    client = SyncClient(ctx.session_factory, ctx.capture, CountyLink("http://127.0.0.1:9", "t"))
    body = {"error": "too_many_uploads", "message": "文件上传过多，请稍后再试"}
    with pytest.raises(SyncFailure) as busy:
        client._refusal(status, body)
    assert "繁忙" in busy.value.message and not busy.value.permanent


def test_a_refusal_that_needs_someone_to_act_stays_permanent(ctx: AppContext) -> None:
    client = SyncClient(ctx.session_factory, ctx.capture, CountyLink("http://127.0.0.1:9", "t"))
    with pytest.raises(SyncFailure) as refused:
        client._refusal(422, {"error": "invalid", "message": "字段 title 不合法"})
    assert refused.value.permanent and "title" in refused.value.message
