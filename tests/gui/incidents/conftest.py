from __future__ import annotations

from typing import Any

import pytest

from centre_app.demo import DEMO_PASSWORD
from centre_app.security.actor import Actor


@pytest.fixture
def duty(ctx: Any) -> Actor:
    """The duty officer (值班员) of the demo township."""
    return ctx.auth.login("zhiban", DEMO_PASSWORD)
