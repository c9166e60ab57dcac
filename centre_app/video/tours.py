"""Tours (轮巡): an ordered list of steps — single cameras or groups (a village or one
site of a village) — each with its own dwell time, shown page by page.

Pages are built from the steps: consecutive camera steps share pages of the layout's size;
a group starts a page of its own (its cameras together, over several pages when they do
not fit). A page stays up for the longest dwell of the steps on it.
`TourRun` is the pure schedule (what is on screen now, what comes next, pause/resume);
the ui drives it with a timer and the clock.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import NotFound, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from centre_app.video.layouts import LAYOUTS, layout
from centre_app.video.registry import CameraInfo
from db.models import Camera, Tour

MIN_DWELL, MAX_DWELL = 5, 3600
NAME_MAX = 64


class StepKind(enum.Enum):
    CAMERA = "camera"
    GROUP = "group"  # a village ("金乡村") or one site of it ("金乡村/菜市场")


@dataclass(frozen=True)
class TourStep:
    kind: StepKind
    ref: str  # camera id, or the group key
    dwell_seconds: int

    @staticmethod
    def camera(camera_id: uuid.UUID, dwell_seconds: int) -> TourStep:
        return TourStep(StepKind.CAMERA, str(camera_id), dwell_seconds)

    @staticmethod
    def group(key: str, dwell_seconds: int) -> TourStep:
        return TourStep(StepKind.GROUP, key, dwell_seconds)


def group_key(village: str, site: str = "") -> str:
    return f"{village}/{site}" if site else village


@dataclass(frozen=True)
class TourPlan:
    """`cameras` + `dwell_seconds` is the plain form (and what tours saved before steps
    existed load as); `steps`, when given, takes precedence."""

    name: str
    layout: str
    dwell_seconds: int
    cameras: tuple[uuid.UUID, ...] = ()
    steps: tuple[TourStep, ...] = ()

    def effective_steps(self) -> tuple[TourStep, ...]:
        if self.steps:
            return self.steps
        return tuple(TourStep.camera(c, self.dwell_seconds) for c in self.cameras)


def tour_groups(cameras: Iterable[CameraInfo]) -> dict[str, list[uuid.UUID]]:
    """Group key → enabled cameras, for every village and every village/site."""
    groups: dict[str, list[uuid.UUID]] = {}
    for cam in cameras:
        if cam.enabled and cam.village:
            groups.setdefault(group_key(cam.village), []).append(cam.id)
            if cam.site:
                groups.setdefault(group_key(cam.village, cam.site), []).append(cam.id)
    return groups


Page = tuple[tuple[uuid.UUID | None, ...], int]  # cameras (padded), dwell seconds


def build_pages(plan: TourPlan, groups: Mapping[str, Sequence[uuid.UUID]]) -> list[Page]:
    """Pages of the plan; a group missing from `groups` (renamed, emptied) is skipped."""
    size = layout(plan.layout).size
    pages: list[Page] = []
    pending: list[tuple[uuid.UUID, int]] = []

    def flush() -> None:
        for i in range(0, len(pending), size):
            chunk = pending[i : i + size]
            cams = tuple(c for c, _ in chunk)
            pages.append((cams + (None,) * (size - len(cams)), max(d for _, d in chunk)))
        pending.clear()

    for step in plan.effective_steps():
        if step.kind is StepKind.CAMERA:
            pending.append((uuid.UUID(step.ref), step.dwell_seconds))
            continue
        flush()
        pending.extend((c, step.dwell_seconds) for c in groups.get(step.ref, ()))
        flush()
    flush()
    return pages


class TourRun:
    def __init__(
        self,
        plan: TourPlan,
        now: dt.datetime,
        groups: Mapping[str, Sequence[uuid.UUID]] | None = None,
    ) -> None:
        self._pages = build_pages(plan, groups or {})
        if not self._pages:
            raise ValidationError("轮巡列表为空，请先加入摄像机。")
        self.plan = plan
        self.page_size = layout(plan.layout).size
        self.page = 0
        self.paused = False
        self._page_started = now
        self._paused_left: dt.timedelta | None = None

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def cameras_on(self, page: int) -> tuple[uuid.UUID | None, ...]:
        return self._pages[page % self.page_count][0]

    def current(self) -> tuple[uuid.UUID | None, ...]:
        return self.cameras_on(self.page)

    def upcoming(self) -> tuple[uuid.UUID | None, ...]:
        return self.cameras_on(self.page + 1)

    @property
    def dwell(self) -> dt.timedelta:
        return dt.timedelta(seconds=self._pages[self.page][1])

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

    @staticmethod
    def _plan(t: Tour) -> TourPlan:
        steps = tuple(
            TourStep(StepKind(d["kind"]), str(d["ref"]), int(d["dwell"])) for d in (t.steps or [])
        )
        return TourPlan(
            t.name, t.layout, t.dwell_seconds, tuple(uuid.UUID(c) for c in t.camera_ids), steps
        )

    def plans(self, actor: Actor) -> list[TourPlan]:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            return [self._plan(t) for t in s.scalars(select(Tour).order_by(Tour.name))]

    def get(self, actor: Actor, name: str) -> TourPlan:
        for plan in self.plans(actor):
            if plan.name == name:
                return plan
        raise NotFound("找不到轮巡方案“{name}”。", name=name)

    def _validate(self, s: Session, plan: TourPlan) -> None:
        name = plan.name.strip()
        if not name:
            raise ValidationError("请为轮巡方案起个名称。")
        if len(name) > NAME_MAX:
            raise ValidationError("轮巡方案名称最多 {limit} 个字。", limit=NAME_MAX)
        if plan.layout not in LAYOUTS:
            raise ValidationError("未知的分屏方式，请重新选择。")
        steps = plan.effective_steps()
        if not steps:
            raise ValidationError("轮巡列表为空，请先加入摄像机或村/点位。")
        cameras = set(map(str, s.scalars(select(Camera.id))))
        for n, step in enumerate(steps, 1):
            if not MIN_DWELL <= step.dwell_seconds <= MAX_DWELL:
                raise ValidationError(
                    "第 {n} 项的停留时间应在 {low} 秒到 1 小时（{high} 秒）之间。",
                    n=n,
                    low=MIN_DWELL,
                    high=MAX_DWELL,
                )
            if step.kind is StepKind.CAMERA and step.ref not in cameras:
                raise ValidationError("第 {n} 项的摄像机已不在目录中，请删除该项。", n=n)
            if step.kind is StepKind.GROUP and not step.ref.strip():
                raise ValidationError("第 {n} 项的村/点位为空，请重新选择。", n=n)

    def save(self, actor: Actor, plan: TourPlan, *, old_name: str | None = None) -> None:
        """Create or update a tour; with `old_name` the tour is renamed (names stay unique)."""
        actor.require(Permission.VIDEO_MANAGE)
        name = plan.name.strip()
        steps = plan.effective_steps()
        with self._sf.begin() as s:
            self._validate(s, plan)
            tour = s.scalar(select(Tour).where(Tour.name == (old_name or name)))
            if old_name is not None and tour is None:
                raise NotFound("找不到轮巡方案“{name}”，可能已被删除。", name=old_name)
            clash = s.scalar(select(Tour).where(Tour.name == name))
            if clash is not None and clash is not tour:
                raise ValidationError("已有名为“{name}”的轮巡方案，请换一个名称。", name=name)
            if tour is None:
                tour = Tour(name=name, camera_ids=[])
                s.add(tour)
            tour.name = name
            tour.layout = plan.layout
            tour.dwell_seconds = steps[0].dwell_seconds
            # camera_ids keeps the single cameras for readers that predate steps.
            tour.camera_ids = [st.ref for st in steps if st.kind is StepKind.CAMERA]
            tour.steps = [
                {"kind": st.kind.value, "ref": st.ref, "dwell": st.dwell_seconds} for st in steps
            ]
            s.flush()
            record(
                s,
                self._clock,
                actor,
                "video.tour.save",
                target_type="video_tour",
                target_id=tour.id,
                summary=f"保存轮巡方案“{name}”",
                detail={"renamed_from": old_name} if old_name and old_name != name else None,
            )

    def delete(self, actor: Actor, name: str) -> None:
        actor.require(Permission.VIDEO_MANAGE)
        with self._sf.begin() as s:
            tour = s.scalar(select(Tour).where(Tour.name == name))
            if tour is None:
                raise NotFound("找不到轮巡方案“{name}”，可能已被删除。", name=name)
            record(
                s,
                self._clock,
                actor,
                "video.tour.delete",
                target_type="video_tour",
                target_id=tour.id,
                summary=f"删除轮巡方案“{name}”",
            )
            s.delete(tour)
