"""A mediation service on the demo township's rooms and mediators, and helpers that book
through it (local Shanghai times)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from centre_app.app_context import AppContext
from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.demo.reference import seed_reference
from centre_app.mediation.service import (
    CaseDraft,
    MediationService,
    PartyDraft,
    SessionDraft,
)
from centre_app.security.actor import Actor
from db.models.mediation import Selection
from tests.conftest import DEMO_NOW

MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = hhmm.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes)), LOCAL_TZ)


@dataclass
class Centre:
    ctx: AppContext
    svc: MediationService
    clerk: Actor
    head: Actor
    rooms: dict[str, uuid.UUID]
    mediators: dict[str, uuid.UUID]

    def case(
        self,
        applicant: str = "张三",
        respondent: str = "李四",
        category: str = "劳资纠纷",
        **changes: object,
    ) -> uuid.UUID:
        values: dict[str, object] = dict(
            category=category,
            selection=Selection.APPOINTMENT,
            parties=[PartyDraft(applicant, "申请人"), PartyDraft(respondent, "被申请人")],
        )
        values.update(changes)
        return self.svc.open_case(self.clerk, CaseDraft(**values))  # type: ignore[arg-type]

    def draft(
        self,
        room: str,
        start: str,
        end: str,
        *,
        day: dt.date = MONDAY,
        mediators: tuple[str, ...] = ("黄建平",),
        case_id: uuid.UUID | None = None,
    ) -> SessionDraft:
        return SessionDraft(
            self.rooms[room],
            at(day, start),
            at(day, end),
            [self.mediators[m] for m in mediators],
            case_id,
        )

    def book(self, room: str, start: str, end: str, **kwargs: object) -> uuid.UUID:
        return self.svc.book(self.clerk, self.draft(room, start, end, **kwargs)).session_id  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with reference data only (rooms, mediators, users), built once:
    the other workspaces' demo years are not needed here and take seconds to seed."""
    path = tmp_path_factory.mktemp("mediation") / "reference.db"
    context = AppContext.open(f"sqlite:///{path}", clock=ManualClock(DEMO_NOW), seed_demo=False)
    seed_reference(context, random.Random(7), 1.0)
    context.close()
    return path


@pytest.fixture
def ctx(data_dir: Path, clock: ManualClock, reference_db: Path) -> Iterator[AppContext]:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reference_db, data_dir / "centre.db")
    context = AppContext.open(f"sqlite:///{data_dir / 'centre.db'}", clock=clock, seed_demo=False)
    yield context
    context.close()


@pytest.fixture
def centre(ctx: AppContext) -> Centre:
    svc = ctx.mediation
    return Centre(
        ctx,
        svc,
        ctx.auth.login("jiedai", DEMO_PASSWORD),
        ctx.auth.login("zhuren", DEMO_PASSWORD),
        {r.name: r.id for r in svc.rooms()},
        {m.name: m.id for m in svc.mediators()},
    )
