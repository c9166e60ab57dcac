"""The incident domain's labels (centre_app has no Qt), marked for lupdate and translated.

lupdate reads string literals only, so every label of the workflow's states, the queues
and the actions is listed here once; a unit test checks that each has a translation.
Each use has a context of its own because English needs different words where Chinese
has one: "不予受理" is a command on a button (Reject), a line of the history (Rejected)
and a state (Rejected); "待核实" is a state and a queue.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from centre_app.incidents.choices import CHANNEL_LABELS
from centre_app.incidents.queries import QUEUE_LABELS, Queue
from centre_app.incidents.workflow import ACTIONS, STATE_LABELS
from db.models.incidents import Channel, IncidentState

STATE_CONTEXT = "IncidentState"
QUEUE_CONTEXT = "IncidentQueue"
ACTION_CONTEXT = "IncidentAction"  # menus and buttons: what the user is about to do
HISTORY_CONTEXT = "IncidentDetail"  # the case's history: what was done

_MARKS = (
    QT_TRANSLATE_NOOP("IncidentState", "待分流"),
    QT_TRANSLATE_NOOP("IncidentState", "已立案"),
    QT_TRANSLATE_NOOP("IncidentState", "不予受理"),
    QT_TRANSLATE_NOOP("IncidentState", "已合并"),
    QT_TRANSLATE_NOOP("IncidentState", "已派遣"),
    QT_TRANSLATE_NOOP("IncidentState", "处置中"),
    QT_TRANSLATE_NOOP("IncidentState", "待核实"),
    QT_TRANSLATE_NOOP("IncidentState", "已核实"),
    QT_TRANSLATE_NOOP("IncidentState", "已结案"),
    QT_TRANSLATE_NOOP("IncidentState", "已上报县级"),
    QT_TRANSLATE_NOOP("IncidentQueue", "待分流"),
    QT_TRANSLATE_NOOP("IncidentQueue", "我的"),
    QT_TRANSLATE_NOOP("IncidentQueue", "即将超期/已超期"),
    QT_TRANSLATE_NOOP("IncidentQueue", "待核实"),
    QT_TRANSLATE_NOOP("IncidentQueue", "已上报县级"),
    QT_TRANSLATE_NOOP("IncidentQueue", "全部在办"),
    QT_TRANSLATE_NOOP("IncidentQueue", "全部事件"),
    QT_TRANSLATE_NOOP("IncidentQueue", "按部门"),
    QT_TRANSLATE_NOOP("IncidentAction", "立案受理"),
    QT_TRANSLATE_NOOP("IncidentAction", "不予受理"),
    QT_TRANSLATE_NOOP("IncidentAction", "合并重复"),
    QT_TRANSLATE_NOOP("IncidentAction", "派遣"),
    QT_TRANSLATE_NOOP("IncidentAction", "开始处置"),
    QT_TRANSLATE_NOOP("IncidentAction", "处置反馈"),
    QT_TRANSLATE_NOOP("IncidentAction", "核实通过"),
    QT_TRANSLATE_NOOP("IncidentAction", "核实未通过"),
    QT_TRANSLATE_NOOP("IncidentAction", "结案"),
    QT_TRANSLATE_NOOP("IncidentAction", "上报县级"),
    QT_TRANSLATE_NOOP("IncidentAction", "县级答复"),
    QT_TRANSLATE_NOOP("IncidentDetail", "立案受理"),
    QT_TRANSLATE_NOOP("IncidentDetail", "不予受理"),
    QT_TRANSLATE_NOOP("IncidentDetail", "合并重复"),
    QT_TRANSLATE_NOOP("IncidentDetail", "派遣"),
    QT_TRANSLATE_NOOP("IncidentDetail", "开始处置"),
    QT_TRANSLATE_NOOP("IncidentDetail", "处置反馈"),
    QT_TRANSLATE_NOOP("IncidentDetail", "核实通过"),
    QT_TRANSLATE_NOOP("IncidentDetail", "核实未通过"),
    QT_TRANSLATE_NOOP("IncidentDetail", "结案"),
    QT_TRANSLATE_NOOP("IncidentDetail", "上报县级"),
)


def state_text(state: IncidentState) -> str:
    return QCoreApplication.translate(STATE_CONTEXT, STATE_LABELS[state])


def queue_text(queue: Queue) -> str:
    return QCoreApplication.translate(QUEUE_CONTEXT, QUEUE_LABELS[queue])


def action_text(name: str) -> str:
    """The action as a command (menus, buttons)."""
    return QCoreApplication.translate(ACTION_CONTEXT, ACTIONS[name].label)


def action_done_text(name: str) -> str:
    """The action as an entry of the case's history."""
    return QCoreApplication.translate(HISTORY_CONTEXT, ACTIONS[name].label)


# Channel names live in centre_app (no Qt there); listed here so lupdate offers them.
_CHANNEL_TEXTS = (
    QT_TRANSLATE_NOOP("Channel", "网格员上报"),
    QT_TRANSLATE_NOOP("Channel", "电话/热线"),
    QT_TRANSLATE_NOOP("Channel", "来访"),
    QT_TRANSLATE_NOOP("Channel", "视频巡查"),
    QT_TRANSLATE_NOOP("Channel", "群众APP"),
    QT_TRANSLATE_NOOP("Channel", "部门转办"),
)


def channel_text(channel: Channel) -> str:
    return QCoreApplication.translate("Channel", CHANNEL_LABELS[channel])
