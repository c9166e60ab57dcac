"""Two duty desks on the centre's PostgreSQL accepting the same new case at the same
instant: exactly one acceptance is recorded, and the other officer is told who has it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ConflictError
from centre_app.security.actor import Actor
from db.models.incidents import IncidentEvent, IncidentState, RiskColour
from tests.support.incidents import hotline_draft

pytestmark = pytest.mark.integration

ROUNDS = 8


def _race(
    desks: list[AppContext], officers: list[Actor], incident_id: uuid.UUID
) -> tuple[list[str], list[ConflictError], list[BaseException]]:
    """Both desks accept the case at the same instant: who won, who was refused, and
    anything else that went wrong."""
    start = threading.Barrier(2)
    won: list[str] = []
    refused: list[ConflictError] = []
    other: list[BaseException] = []

    def accept(desk: int) -> None:
        start.wait()
        try:
            desks[desk].incidents.act(
                officers[desk], incident_id, "accept", seen_state=IncidentState.REPORTED
            )
            won.append(officers[desk].username)
        except ConflictError as refusal:
            refused.append(refusal)
        except BaseException as exc:  # anything else is the finding
            other.append(exc)

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return won, refused, other


def test_two_desks_accepting_one_case_at_once_one_wins_and_the_other_is_told_who(
    seeded_centre: Callable[[], str],
) -> None:
    url = seeded_centre()
    desks = [AppContext.open(url, seed_demo=False) for _ in range(2)]
    try:
        officers = [
            desks[0].auth.login("zhiban", DEMO_PASSWORD),
            desks[1].auth.login("zhiban2", DEMO_PASSWORD),
        ]
        for round_ in range(ROUNDS):  # the race is lost by either side in some rounds
            incident = desks[0].incidents.report(
                officers[0],
                hotline_draft(
                    f"同时受理 第{round_}件",
                    colour=RiskColour.YELLOW,
                    description="来电反映邻居占道堆放杂物",
                ),
            )
            won, refused, other = _race(desks, officers, incident.id)
            assert other == []
            assert len(won) == 1 and len(refused) == 1
            winner = next(o for o in officers if o.username == won[0])
            message = refused[0].message
            assert winner.display_name in message and winner.username in message, message
            assert "已被" in message
            with desks[1].session_factory() as session:
                accepted = session.scalar(
                    select(func.count())
                    .select_from(IncidentEvent)
                    .where(IncidentEvent.incident_id == incident.id)
                    .where(IncidentEvent.to_state == IncidentState.ACCEPTED.value)
                )
            assert accepted == 1
    finally:
        for ctx in desks:
            ctx.close()
