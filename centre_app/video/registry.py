"""The camera registry (摄像机目录): a tree township → village → site → camera.

Edits need VIDEO_MANAGE; reading needs VIDEO_VIEW. Every change is one transaction with
one audit record.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from centre_app.video.codes import camera_code_problem
from centre_app.video.streams import UrlVerdict, check_url
from db.models import Area, Camera

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraInfo:
    """What the wall needs of a camera, detached from any session."""

    id: uuid.UUID
    national_code: str
    name: str
    village: str
    site: str
    main_url: str
    sub_url: str | None
    location: str
    notes: str
    enabled: bool
    area_id: uuid.UUID | None = None

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.village, self.site) if p)


@dataclass
class CameraDraft:
    """Form or CSV input before validation."""

    national_code: str
    name: str
    main_url: str
    sub_url: str | None = None
    village: str = ""  # area name (a village under the township) or its 12-digit code
    site: str = ""
    location: str = ""
    notes: str = ""
    enabled: bool = True


@dataclass
class TreeNode:
    label: str
    children: list[TreeNode] = field(default_factory=list)
    camera: CameraInfo | None = None


def _info(cam: Camera, village: str) -> CameraInfo:
    return CameraInfo(
        cam.id,
        cam.national_code,
        cam.name,
        village,
        cam.site,
        cam.main_url,
        cam.sub_url,
        cam.location,
        cam.notes,
        cam.enabled,
        cam.area_id,
    )


MAIN_STREAM, SUB_STREAM = msg("主码流"), msg("子码流")


class DraftProblems(ValidationError):
    """Every problem of a camera draft at once. The error's own template is the first
    problem's (what a generic handler shows); `problems` has them all."""

    def __init__(self, problems: list[ValidationError]) -> None:
        first = problems[0]
        super().__init__(first.template, **first.params)
        self.problems = tuple(problems)
        self.message = "；".join(p.message for p in problems)


def draft_problems(draft: CameraDraft) -> list[ValidationError]:
    """Every reason the draft cannot be saved (messages with arguments); empty when valid."""
    problems: list[ValidationError] = []
    code_problem = camera_code_problem(draft.national_code.strip())
    if code_problem:
        problems.append(code_problem)
    if not draft.name.strip():
        problems.append(ValidationError("请填写摄像机名称。"))
    elif len(draft.name) > 64:
        problems.append(ValidationError("摄像机名称不能超过 64 个字。"))
    for label, url in ((MAIN_STREAM, draft.main_url), (SUB_STREAM, draft.sub_url)):
        if url is None or (label == SUB_STREAM and not url.strip()):
            continue
        if not url.strip():
            problems.append(ValidationError("请填写主码流地址。"))
            continue
        verdict, why = check_url(url)
        if verdict is UrlVerdict.MALFORMED and why is not None:
            # `problem` is a marked template without arguments: ui translates it too.
            problems.append(
                ValidationError("{stream}地址有误：{problem}", stream=label, problem=why.template)
            )
    return problems


class CameraRegistry:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._sf = session_factory
        self._clock = clock

    # --- reading ---------------------------------------------------------------------

    def cameras(self, actor: Actor, *, include_disabled: bool = True) -> list[CameraInfo]:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            stmt = select(Camera, Area.name).outerjoin(Area, Camera.area_id == Area.id)
            if not include_disabled:
                stmt = stmt.where(Camera.enabled.is_(True))
            rows = s.execute(stmt.order_by(Area.code, Camera.site, Camera.name)).all()
            return [_info(cam, village or "") for cam, village in rows]

    def get(self, actor: Actor, camera_id: uuid.UUID) -> CameraInfo:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            cam = s.get(Camera, camera_id)
            if cam is None:
                raise NotFound("找不到该摄像机，可能已被删除，请刷新目录。")
            area = s.get(Area, cam.area_id) if cam.area_id else None
            return _info(cam, area.name if area else "")

    def tree(self, actor: Actor) -> TreeNode:
        """Village → site → camera, in registry order (what the wall's tree shows)."""
        root = TreeNode("全部摄像机")
        villages: dict[str, TreeNode] = {}
        sites: dict[tuple[str, str], TreeNode] = {}
        for cam in self.cameras(actor):
            village = villages.get(cam.village)
            if village is None:
                village = villages[cam.village] = TreeNode(cam.village or "未分配村")
                root.children.append(village)
            key = (cam.village, cam.site)
            site = sites.get(key)
            if site is None:
                site = sites[key] = TreeNode(cam.site or "其他点位")
                village.children.append(site)
            site.children.append(TreeNode(cam.name, camera=cam))
        return root

    # --- writing ---------------------------------------------------------------------

    def _resolve_area(self, s: Session, village: str) -> uuid.UUID | None:
        text = village.strip()
        if not text:
            return None
        area_id = s.scalar(select(Area.id).where((Area.code == text) | (Area.name == text)))
        if area_id is None:
            raise ValidationError(
                "找不到村（社区）“{village}”，请先在区划中建立或改用已有名称。", village=text[:64]
            )
        return area_id

    def add(self, actor: Actor, draft: CameraDraft) -> CameraInfo:
        actor.require(Permission.VIDEO_MANAGE)
        problems = draft_problems(draft)
        if problems:
            raise DraftProblems(problems)
        with self._sf.begin() as s:
            return self._add(s, actor, draft)

    def _add(self, s: Session, actor: Actor, draft: CameraDraft) -> CameraInfo:
        code = draft.national_code.strip()
        if s.scalar(select(Camera.id).where(Camera.national_code == code)) is not None:
            raise ConflictError("国标编码 {code} 已被其他摄像机使用，请核对。", code=code)
        cam = Camera(
            national_code=code,
            name=draft.name.strip(),
            area_id=self._resolve_area(s, draft.village),
            site=draft.site.strip(),
            main_url=draft.main_url.strip(),
            sub_url=(draft.sub_url or "").strip() or None,
            location=draft.location.strip(),
            notes=draft.notes,
            enabled=draft.enabled,
        )
        s.add(cam)
        s.flush()
        record(
            s,
            self._clock,
            actor,
            "video.camera.add",
            target_type="camera",
            target_id=cam.id,
            summary=f"新增摄像机 {cam.name}（{code}）",
        )
        return _info(cam, draft.village.strip())

    def update(self, actor: Actor, camera_id: uuid.UUID, draft: CameraDraft) -> CameraInfo:
        actor.require(Permission.VIDEO_MANAGE)
        problems = draft_problems(draft)
        if problems:
            raise DraftProblems(problems)
        with self._sf.begin() as s:
            cam = s.get(Camera, camera_id)
            if cam is None:
                raise NotFound("找不到该摄像机，可能已被删除，请刷新目录。")
            code = draft.national_code.strip()
            clash = s.scalar(
                select(Camera.id).where(Camera.national_code == code, Camera.id != camera_id)
            )
            if clash is not None:
                raise ConflictError("国标编码 {code} 已被其他摄像机使用，请核对。", code=code)
            cam.national_code = code
            cam.name = draft.name.strip()
            cam.area_id = self._resolve_area(s, draft.village)
            cam.site = draft.site.strip()
            cam.main_url = draft.main_url.strip()
            cam.sub_url = (draft.sub_url or "").strip() or None
            cam.location = draft.location.strip()
            cam.notes = draft.notes
            cam.enabled = draft.enabled
            record(
                s,
                self._clock,
                actor,
                "video.camera.update",
                target_type="camera",
                target_id=cam.id,
                summary=f"修改摄像机 {cam.name}（{code}）",
            )
            return _info(cam, draft.village.strip())

    def add_many(self, actor: Actor, drafts: Sequence[CameraDraft]) -> list[CameraInfo]:
        """Add valid drafts in one transaction (the caller validated them)."""
        actor.require(Permission.VIDEO_MANAGE)
        with self._sf.begin() as s:
            return [self._add(s, actor, d) for d in drafts]
