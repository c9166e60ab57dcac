"""Tours (轮巡): an ordered camera list shown page by page with a dwell time per page.

`TourRun` is the pure schedule (what is on screen now, what comes next, pause/resume);
the ui drives it with a timer and the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import NotFound, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from centre_app.video.layouts import LAYOUTS, layout
from db.models import Tour


@dataclass(frozen=True)
class TourPlan:
    name: str
    layout: str
    dwell_seconds: int
    cameras: tuple[uuid.UUID, ...]


class TourRun:
    def __init__(self, plan: TourPlan, now: dt.datetime) -> None:
        if not plan.cameras:
            raise ValidationError("轮巡列表为空，请先加入摄像机。")
        self.plan = plan
        self.page_size = layout(plan.layout).size
        self.page = 0
        self.paused = False
        self._page_started = now
        self._paused_left: dt.timedelta | None = None

    @property
    def page_count(self) -> int:
        return -(-len(self.plan.cameras) // self.page_size)

    def cameras_on(self, page: int) -> tuple[uuid.UUID | None, ...]:
        start = (page % self.page_count) * self.page_size
        chunk = self.plan.cameras[start:start + self.page_size]
        return tuple(chunk) + (None,) * (self.page_size - len(chunk))

    def current(self) -> tuple[uuid.UUID | None, ...]:
        return self.cameras_on(self.page)

    def upcoming(self) -> tuple[uuid.UUID | None, ...]:
        return self.cameras_on(self.page + 1)

    @property
    def dwell(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.plan.dwell_seconds)

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        if self._paused_left is not None:
            return self._paused_left
        return max(dt.timedelta(0), self._page_started + self.dwell - now)

    def pause(self, now: dt.datetime) -> None:
        if not self.paused:
            self._paused_left = self.remaining(now)
            self.paused = True

    def resume(self, now: dt.datetime) -> None:
        if self.paused:
            left = self._paused_left or dt.timedelta(0)
            self._page_started = now - (self.dwell - left)
            self._paused_left = None
            self.paused = False

    def advance_if_due(self, now: dt.datetime) -> bool:
        """Turn the page when the dwell time is over; True when it turned."""
        if self.paused or self.remaining(now) > dt.timedelta(0):
            return False
        self.next_page(now)
        return True

    def next_page(self, now: dt.datetime) -> None:
        self.page = (self.page + 1) % self.page_count
        self._page_started = now
        if self.paused:
            self._paused_left = self.dwell


class TourService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._sf = session_factory
        self._clock = clock

    def plans(self, actor: Actor) -> list[TourPlan]:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            return [TourPlan(t.name, t.layout, t.dwell_seconds,
                             tuple(uuid.UUID(c) for c in t.camera_ids))
                    for t in s.scalars(select(Tour).order_by(Tour.name))]

    def get(self, actor: Actor, name: str) -> TourPlan:
        for plan in self.plans(actor):
            if plan.name == name:
                return plan
        raise NotFound(f"找不到轮巡方案“{name}”。")

    def save(self, actor: Actor, plan: TourPlan) -> None:
        actor.require(Permission.VIDEO_MANAGE)
        if not plan.name.strip():
            raise ValidationError("请为轮巡方案起个名称。")
        if plan.layout not in LAYOUTS:
            raise ValidationError("未知的分屏方式，请重新选择。")
        if not 5 <= plan.dwell_seconds <= 3600:
            raise ValidationError("每页停留时间应在 5 秒到 1 小时之间。")
        if not plan.cameras:
            raise ValidationError("轮巡列表为空，请先加入摄像机。")
        with self._sf.begin() as s:
            tour = s.scalar(select(Tour).where(Tour.name == plan.name))
            if tour is None:
                tour = Tour(name=plan.name, camera_ids=[])
                s.add(tour)
            tour.layout = plan.layout
            tour.dwell_seconds = plan.dwell_seconds
            tour.camera_ids = [str(c) for c in plan.cameras]
            s.flush()
            record(s, self._clock, actor, "video.tour.save", target_type="video_tour",
                   target_id=tour.id, summary=f"保存轮巡方案“{plan.name}”")
