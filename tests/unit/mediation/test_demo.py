"""The demo year of mediation goes in through the service and reads like the county's
figures: most cases resolved, sessions in the rooms of their kind, nothing overlapping."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from centre_app.mediation.demo import seed_mediation
from db.models.mediation import MediationSession, SessionStatus
from tests.unit.mediation.conftest import Centre
from tests.unit.mediation.test_no_overlap_property import overlapping


def test_the_demo_year_is_consistent_with_the_countys_figures(centre: Centre) -> None:
    seed_mediation(centre.ctx, random.Random(3), 0.5)  # 60 cases, then this fortnight's
    now = centre.ctx.clock.now()
    year_end = now - dt.timedelta(days=20)  # the fortnight's cases are accepted after it
    total = centre.ctx.mediation_stats.total(centre.head, now - dt.timedelta(days=400), year_end)
    assert total.accepted == 60
    assert total.success_rate is not None and 0.6 <= total.success_rate <= 0.95
    assert total.days_to_outcome is not None and 3 <= total.days_to_outcome <= 20
    with centre.ctx.session_factory() as s:
        rows = list(
            s.scalars(
                select(MediationSession).where(MediationSession.status != SessionStatus.CANCELLED)
            )
        )
    assert overlapping(rows) == []
    assert sum(1 for r in rows if r.series_id is not None) == 24  # two lawyers' duty rota
