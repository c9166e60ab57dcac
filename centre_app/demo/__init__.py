"""Deterministic demo data: a township of 金乡镇 with villages, grids, departments, users,
rooms, mediators, and whatever each workspace adds through `SEEDERS`.

The same seed gives the same content (names, codes, counts, dates); row ids are
UUIDv7 and differ between runs.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from centre_app.demo.reference import DEMO_PASSWORD, DEMO_USERS, seed_reference
from db.models.settings import Setting

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

log = logging.getLogger(__name__)

# A workspace seeder receives the context, its own random generator and a scale factor
# (1.0 = the full demo; tests pass a small one). Seeders run in this order.
Seeder = Callable[["AppContext", random.Random, float], None]


def _seeders() -> list[tuple[str, Seeder]]:
    from centre_app.reception.demo import seed_visits

    seeders: list[tuple[str, Seeder]] = [("reference", seed_reference), ("visits", seed_visits)]
    from centre_app.video.demo import seed_cameras

    seeders.append(("video", seed_cameras))
    from centre_app.incidents.demo import seed_incidents

    seeders.append(("incidents", seed_incidents))
    from centre_app.mediation.demo import seed_mediation

    seeders.append(("mediation", seed_mediation))
    from centre_app.reception.petition_demo import seed_petitions

    seeders.append(("petitions", seed_petitions))
    # Workspaces append (name, function) here as they land.
    return seeders


DEMO_MARKER = "demo_seed"  # app_setting key: present when the database holds demo data


def seed_all(ctx: AppContext, *, seed: int = 20261122, scale: float = 1.0) -> None:
    for name, seeder in _seeders():
        log.info("seeding demo data: %s", name)
        seeder(ctx, random.Random(f"{seed}:{name}"), scale)
    with ctx.session_factory.begin() as session:
        session.merge(Setting(key=DEMO_MARKER, value={"seed": seed, "scale": scale}))


__all__ = ["DEMO_MARKER", "DEMO_PASSWORD", "DEMO_USERS", "seed_all"]
