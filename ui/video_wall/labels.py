"""The labels of centre_app.video shown by the wall, translated here.

lupdate reads string literals only, so the domain's labels are marked below; a unit test
checks that every state and layout label has a translated entry.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from centre_app.video.layouts import Layout
from centre_app.video.stream_state import STATE_LABELS, TileState

CONTEXT = "VideoWall"

_MARKS = (
    QT_TRANSLATE_NOOP("VideoWall", "空闲"),
    QT_TRANSLATE_NOOP("VideoWall", "连接中"),
    QT_TRANSLATE_NOOP("VideoWall", "播放中"),
    QT_TRANSLATE_NOOP("VideoWall", "画面停滞"),
    QT_TRANSLATE_NOOP("VideoWall", "离线"),
    QT_TRANSLATE_NOOP("VideoWall", "无法播放"),
    QT_TRANSLATE_NOOP("VideoWall", "1 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "4 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "9 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "16 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "25 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "36 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "1+5 分屏"),
    QT_TRANSLATE_NOOP("VideoWall", "1+7 分屏"),
)


def state_text(state: TileState) -> str:
    return QCoreApplication.translate(CONTEXT, STATE_LABELS[state])


def layout_text(layout: Layout) -> str:
    return QCoreApplication.translate(CONTEXT, layout.label)
