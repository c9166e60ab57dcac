"""The video workspace's services, built once per AppContext (`ctx.video`)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.files.store import FileStore
from centre_app.video.evidence import EvidenceService
from centre_app.video.health import HealthService
from centre_app.video.registry import CameraRegistry
from centre_app.video.tours import TourService
from centre_app.video.walls import WallService


class VideoServices:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        data_dir: Path,
        files: FileStore | None = None,
    ) -> None:
        self._sf = session_factory
        self._clock = clock
        self._data_dir = data_dir
        self._files = files

    @cached_property
    def cameras(self) -> CameraRegistry:
        return CameraRegistry(self._sf, self._clock)

    @cached_property
    def walls(self) -> WallService:
        return WallService(self._sf, self._clock)

    @cached_property
    def tours(self) -> TourService:
        return TourService(self._sf, self._clock)

    @cached_property
    def health(self) -> HealthService:
        return HealthService(self._sf, self._clock)

    @property
    def view_audit_spool(self) -> Path:
        """Camera-view audit entries not yet written when the app last closed."""
        return self._data_dir / "pending-view-audit.jsonl"

    @cached_property
    def evidence(self) -> EvidenceService:
        return EvidenceService(self._sf, self._clock, self._data_dir / "evidence", self._files)
