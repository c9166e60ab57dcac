"""The life of one tile's stream, without libVLC: states, stall detection, reconnect backoff.

The ui's player feeds this machine with what libVLC reports (playing, first picture,
end/error, periodic picture counters) and a clock reading; the machine answers with the
state to show and whether it is time to reconnect. Keeping it here makes every rule
testable without a screen or a stream.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from centre_app.errors import DomainError, msg


class TileState(enum.Enum):
    EMPTY = "empty"
    CONNECTING = "connecting"  # 连接中
    PLAYING = "playing"  # 播放中
    STALLED = "stalled"  # 画面停滞
    OFFLINE = "offline"  # 离线（将自动重连）
    UNSUPPORTED = "unsupported"  # 协议不支持 / 地址错误: never retried


# Why a tile is not playing: message templates (ui translates them, context DomainMessages).
CONNECT_TIMEOUT = msg("连接超时，稍后自动重连。")
STALLED_REASON = msg("画面停滞，正在等待恢复。")
STALLED_TOO_LONG = msg("画面长时间停滞，已断开并将自动重连。")
STREAM_ENDED = msg("视频流已结束（摄像机或网络中断），稍后自动重连。")
STREAM_FAILED = msg("无法打开视频流（地址不可达或格式不支持），稍后自动重连。")

STATE_LABELS: dict[TileState, str] = {
    TileState.EMPTY: "空闲",
    TileState.CONNECTING: "连接中",
    TileState.PLAYING: "播放中",
    TileState.STALLED: "画面停滞",
    TileState.OFFLINE: "离线",
    TileState.UNSUPPORTED: "无法播放",
}


@dataclass(frozen=True)
class StreamPolicy:
    connect_timeout: dt.timedelta = dt.timedelta(seconds=6)
    stall_after: dt.timedelta = dt.timedelta(seconds=3)  # no new picture → stalled
    offline_after: dt.timedelta = dt.timedelta(seconds=8)  # stalled this long → reconnect
    first_retry: dt.timedelta = dt.timedelta(seconds=1)
    max_retry: dt.timedelta = dt.timedelta(seconds=30)

    def backoff(self, failures: int) -> dt.timedelta:
        """1 s, 2 s, 4 s … capped: a dead camera costs little, a revived one returns fast."""
        delay: dt.timedelta = self.first_retry * int(2 ** max(0, failures - 1))
        return min(delay, self.max_retry)


@dataclass
class StreamMonitor:
    policy: StreamPolicy = field(default_factory=StreamPolicy)
    state: TileState = TileState.EMPTY
    reason: DomainError | None = None  # why it is not playing (a message with arguments)
    failures: int = 0
    retry_at: dt.datetime | None = None
    since: dt.datetime | None = None  # when the current state began
    _last_count: int = -1
    _last_progress: dt.datetime | None = None

    def _enter(self, state: TileState, now: dt.datetime, reason: DomainError | None = None) -> None:
        if state is not self.state:
            self.since = now
        self.state = state
        self.reason = reason

    def start(self, now: dt.datetime) -> None:
        """A play request went out (first play or a reconnect)."""
        self._enter(TileState.CONNECTING, now)
        self.retry_at = None
        self._last_count = -1
        self._last_progress = now

    def refuse(self, now: dt.datetime, reason: DomainError) -> None:
        """The URL can never play here (scheme, malformed): no retry."""
        self._enter(TileState.UNSUPPORTED, now, reason)
        self.retry_at = None

    def clear(self, now: dt.datetime) -> None:
        self._enter(TileState.EMPTY, now)
        self.failures = 0
        self.retry_at = None

    def on_picture(self, now: dt.datetime) -> None:
        """A picture reached the screen (first vout, or the displayed counter moved)."""
        self._last_progress = now
        if self.state in (TileState.CONNECTING, TileState.STALLED, TileState.OFFLINE):
            self._enter(TileState.PLAYING, now)
        self.failures = 0

    def on_failure(self, now: dt.datetime, reason: DomainError) -> None:
        """The stream ended or failed: offline now, retry after the backoff."""
        if self.state in (TileState.EMPTY, TileState.UNSUPPORTED):
            return
        self.failures += 1
        self._enter(TileState.OFFLINE, now, reason)
        self.retry_at = now + self.policy.backoff(self.failures)

    def on_counters(self, now: dt.datetime, displayed: int) -> None:
        """Periodic sample of libVLC's displayed-pictures counter."""
        if displayed > self._last_count:
            if self._last_count >= 0 or displayed > 0:
                self.on_picture(now)
            self._last_count = displayed
        self.tick(now)

    def tick(self, now: dt.datetime) -> None:
        """Time passes: connect timeouts, stalls and stalls long enough to reconnect."""
        last = self._last_progress or now
        quiet = now - last
        if self.state is TileState.CONNECTING and quiet >= self.policy.connect_timeout:
            self.on_failure(now, DomainError(CONNECT_TIMEOUT))
        elif self.state is TileState.PLAYING and quiet >= self.policy.stall_after:
            self._enter(TileState.STALLED, now, DomainError(STALLED_REASON))
        elif self.state is TileState.STALLED and quiet >= self.policy.offline_after:
            self.on_failure(now, DomainError(STALLED_TOO_LONG))

    def retry_due(self, now: dt.datetime) -> bool:
        return (
            self.state is TileState.OFFLINE and self.retry_at is not None and now >= self.retry_at
        )
