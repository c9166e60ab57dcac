"""Composition root: builds the engine, the session factory and every service exactly once.

Widgets receive the AppContext (or the single service they need); nothing here is global.
Each workspace adds its service as a cached property below, so a service that is never
used is never built (start-up stays fast).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from centre_app import paths
from centre_app.clock import Clock, SystemClock
from centre_app.security.audit import AuditLog
from centre_app.security.auth import AuthService
from centre_app.settings import Key, SettingsService
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade_to_head

if TYPE_CHECKING:
    from collections.abc import Callable

    from centre_app.centre.connection import CentreConnection
    from centre_app.centre.listener import DeskListener
    from centre_app.centre.notice import NoticeHub
    from centre_app.files.store import FileStore
    from centre_app.incidents.queries import IncidentQueries
    from centre_app.incidents.service import IncidentService
    from centre_app.incidents.stats import IncidentStats
    from centre_app.mediation.cases import CaseList
    from centre_app.mediation.rota import RotaService
    from centre_app.mediation.service import MediationService
    from centre_app.mediation.stats import MediationStats
    from centre_app.reception.hall import HallQueue
    from centre_app.reception.petitions import PetitionService
    from centre_app.reception.stats import VisitStats
    from centre_app.reception.visits import VisitService
    from centre_app.replication.capture import ChangeCapture
    from centre_app.replication.status import SyncStatus
    from centre_app.replication.sync import CountyLink, SyncWorker
    from centre_app.security.desk_sessions import DeskSessions
    from centre_app.video.service import VideoServices

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    data_dir: Path
    created_fresh: bool = False
    # This workstation's name as the other desks see it (main.py: --desk or the host name);
    # empty for scripts and tests, which open no desk sessions.
    desk: str = ""
    _closed: bool = field(default=False, repr=False)
    _listener: DeskListener | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        db_url: str | None = None,
        *,
        clock: Clock | None = None,
        seed_demo: bool = True,
        demo_seed: int = 20261122,
        demo_scale: float = 1.0,
        township_code: str | None = None,
    ) -> AppContext:
        """Open (creating and migrating when needed) the database at `db_url`.

        An empty database is filled with demo data when `seed_demo` is true.
        Raises db.errors.DatabaseError subclasses when the database cannot be used.
        """
        url = db_url or paths.default_db_url()
        engine = make_engine(url)
        was_empty = upgrade_to_head(engine)
        ctx = cls(
            engine,
            make_session_factory(engine),
            clock or SystemClock(),
            paths.data_dir(),
            created_fresh=was_empty,
        )
        if engine.dialect.name == "postgresql":  # a server on the LAN: it may go away
            from centre_app.centre.connection import watch_engine

            watch_engine(engine, ctx.connection)
        if was_empty and township_code:  # a new centre's own code, before anything is written
            from centre_app.security.actor import SYSTEM_ACTOR

            ctx.settings.set(SYSTEM_ACTOR, Key.TOWNSHIP_CODE, township_code)
        _ = ctx.capture  # every write from here on (demo data included) goes to the county
        if not was_empty:
            ctx.adopt_legacy_files()
        if was_empty and seed_demo:
            from centre_app.demo import seed_all

            seed_all(ctx, seed=demo_seed, scale=demo_scale)
        return ctx

    def close(self) -> None:
        if not self._closed:
            if self._listener is not None:
                self._listener.stop()
            self.engine.dispose()
            self._closed = True

    def adopt_legacy_files(self) -> int:
        """Move files older versions kept on this desk's disk into the centre's file store
        (once per database), so every desk can open them."""
        from centre_app.files.legacy import adopt_legacy_files

        database = self.engine.url.render_as_string(hide_password=True)
        return adopt_legacy_files(
            self.session_factory, self.incidents.files, self.data_dir, database
        )

    # --- replication --------------------------------------------------------------------

    @cached_property
    def capture(self) -> ChangeCapture:
        """Change capture on this database's sessions; rows older than replication are
        queued once (baseline) so the county receives what later changes refer to."""
        from centre_app.replication.capture import enqueue_baseline, install_change_capture

        capture = install_change_capture(self.session_factory, self.township_code, self.clock)
        queued = enqueue_baseline(self.session_factory, capture)
        if queued:
            log.info("queued %d existing rows for the county", queued)
        return capture

    @cached_property
    def connection(self) -> CentreConnection:
        """Whether this desk reaches the centre's database server (always up on SQLite)."""
        from centre_app.centre.connection import CentreConnection

        return CentreConnection()

    @cached_property
    def notices(self) -> NoticeHub:
        """Every committed change as one typed notice: this desk's writes, the county's
        pulls and, on PostgreSQL, the other desks' writes (a listener thread)."""
        from centre_app.centre.listener import start_listening

        hub = self.capture.notices
        self._listener = start_listening(self.engine, hub, self.capture.sender, self.connection)
        return hub

    def county_link(self) -> CountyLink | None:
        """The county server as the settings describe it, or None when not configured."""
        from centre_app.replication.sync import CountyLink

        url = str(self.settings.get(Key.COUNTY_URL))
        token = str(self.settings.get(Key.COUNTY_TOKEN))
        if not url or not token:
            return None
        ca_file = str(self.settings.get(Key.COUNTY_CA_FILE))
        return CountyLink(url, token, ca_file or True)

    def sync_worker(
        self, on_status: Callable[[SyncStatus], None] | None = None
    ) -> SyncWorker | None:
        """A (not yet started) sync worker for the configured county, or None."""
        from centre_app.centre.leader import leader_lock_for
        from centre_app.replication.sync import SyncClient, SyncWorker

        link = self.county_link()
        if link is None:
            return None
        client = SyncClient(
            self.session_factory, self.capture, link, data_dir=self.data_dir, files=self.files
        )
        return SyncWorker(
            client,
            self.clock,
            interval_s=float(self.settings.get(Key.SYNC_INTERVAL_S)),
            on_status=on_status,
            leader=leader_lock_for(self.engine),
        )

    # --- services ---------------------------------------------------------------------

    @cached_property
    def files(self) -> FileStore:
        """The centre's file store as this desk reads it: one read cache, limited by this
        workstation's 本机文件缓存上限."""
        from centre_app.files.desk import MB, desk_file_store

        limit = int(self.settings.get(Key.FILE_CACHE_MB)) * MB
        return desk_file_store(self.session_factory, self.clock, self.data_dir, limit)

    @cached_property
    def settings(self) -> SettingsService:
        return SettingsService(self.session_factory, self.clock)

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self.session_factory, self.clock)

    @cached_property
    def desk_sessions(self) -> DeskSessions:
        from centre_app.security.desk_sessions import DeskSessions

        return DeskSessions(self.session_factory, self.clock)

    @cached_property
    def audit_log(self) -> AuditLog:
        return AuditLog(self.session_factory)

    @cached_property
    def visits(self) -> VisitService:
        from centre_app.reception.visits import VisitService

        return VisitService(self.session_factory, self.clock, self.township_code)

    @cached_property
    def hall(self) -> HallQueue:
        from centre_app.reception.hall import HallQueue

        return HallQueue(self.session_factory, self.clock, self.township_code)

    @cached_property
    def petitions(self) -> PetitionService:
        from centre_app.reception.petitions import PetitionService

        return PetitionService(self.session_factory, self.clock, self.township_code)

    @cached_property
    def incidents(self) -> IncidentService:
        from centre_app.incidents.service import IncidentService

        return IncidentService(
            self.session_factory, self.clock, self.township_code, self.data_dir, self.files
        )

    @cached_property
    def incident_queries(self) -> IncidentQueries:
        from centre_app.incidents.queries import IncidentQueries

        return IncidentQueries(
            self.session_factory,
            self.clock,
            self.township_code,
            int(self.settings.get(Key.DUE_SOON_HOURS)),
        )

    @cached_property
    def incident_stats(self) -> IncidentStats:
        from centre_app.incidents.stats import IncidentStats

        return IncidentStats(self.session_factory, self.clock, self.township_code)

    @cached_property
    def visit_stats(self) -> VisitStats:
        from centre_app.reception.stats import VisitStats

        return VisitStats(self.session_factory, self.clock, self.township_code)

    @cached_property
    def mediation(self) -> MediationService:
        from centre_app.mediation.service import MediationService

        return MediationService(self.session_factory, self.clock, self.township_code)

    @cached_property
    def mediation_cases(self) -> CaseList:
        from centre_app.mediation.cases import CaseList

        return CaseList(self.session_factory, self.township_code)

    @cached_property
    def mediation_rota(self) -> RotaService:
        from centre_app.mediation.rota import RotaService

        return RotaService(self.mediation)

    @cached_property
    def mediation_stats(self) -> MediationStats:
        from centre_app.mediation.stats import MediationStats

        return MediationStats(self.session_factory, self.clock, self.township_code)

    @cached_property
    def video(self) -> VideoServices:
        from centre_app.video.service import VideoServices

        return VideoServices(self.session_factory, self.clock, self.data_dir, self.files)

    @property
    def township_code(self) -> str:
        return str(self.settings.get(Key.TOWNSHIP_CODE))

    @property
    def is_demo(self) -> bool:
        """True when the database was filled by the demo generator (the login hints at it)."""
        from centre_app.demo import DEMO_MARKER
        from db.models.settings import Setting

        with self.session_factory() as session:
            return session.get(Setting, DEMO_MARKER) is not None
