"""What the audit trail's codes mean, in words: one label per action code and per kind of
object. The Chinese labels are message templates (`msg`), translated by `ui/`."""

from __future__ import annotations

from centre_app.errors import msg

ACTION_LABELS: dict[str, str] = {
    "auth.login": msg("登录"),
    "auth.logout": msg("退出登录"),
    "auth.login_failed": msg("登录失败"),
    "auth.login_blocked": msg("登录被暂停（失败次数过多）"),
    "user.create": msg("新建用户"),
    "user.activate": msg("启用用户"),
    "user.deactivate": msg("停用用户"),
    "user.password_change": msg("修改密码"),
    "user.password_change_failed": msg("修改密码失败"),
    "settings.change": msg("修改设置"),
    "personal_data.view": msg("查看个人信息"),
    "reception.register": msg("来访登记"),
    "incident.report": msg("事件登记"),
    "incident.accept": msg("立案受理"),
    "incident.reject": msg("不予受理"),
    "incident.merge": msg("合并重复事件"),
    "incident.dispatch": msg("派遣"),
    "incident.start": msg("开始处置"),
    "incident.handle": msg("处置反馈"),
    "incident.verify": msg("核实通过"),
    "incident.verify_failed": msg("核实未通过"),
    "incident.close": msg("结案"),
    "incident.escalate": msg("上报县级"),
    "incident.county_reply": msg("记录县级答复"),
    "incident.colour": msg("调整风险等级"),
    "incident.deadline": msg("调整处置时限"),
    "incident.attach": msg("添加附件"),
    "video.view": msg("查看摄像机画面"),
    "video.camera.add": msg("新增摄像机"),
    "video.camera.update": msg("修改摄像机"),
    "video.wall.save": msg("保存墙面"),
    "video.tour.save": msg("保存轮巡"),
    "video.tour.delete": msg("删除轮巡"),
    "video.evidence.snapshot": msg("截图取证"),
    "video.evidence.clip": msg("录制片段"),
    "video.evidence.attach": msg("取证附加到事件"),
}

TARGET_LABELS: dict[str, str] = {
    "user": msg("用户"),
    "setting": msg("设置"),
    "incident": msg("事件"),
    "visit": msg("来访"),
    "visit_list": msg("来访列表"),
    "camera": msg("摄像机"),
    "video_wall": msg("墙面"),
    "video_tour": msg("轮巡"),
    "video_evidence": msg("取证"),
}


def action_label(code: str) -> str:
    """The label template of an action code; an unknown code (from a newer version) is
    shown as it is rather than hidden."""
    return ACTION_LABELS.get(code, code)


def target_label(target_type: str | None) -> str:
    return TARGET_LABELS.get(target_type or "", target_type or "")
