"""Which stream URL a tile opens, and whether this libVLC can open it at all.

Debian's libVLC has no RTSP client (no live555 module): an rtsp:// URL would end at once
with no message, so the wall refuses it up front and says so in the tile.
"""

from __future__ import annotations

import enum
from urllib.parse import urlsplit

from centre_app.errors import ValidationError

# Schemes the platform's libVLC plays (measured: HTTP MPEG-TS/HLS, RTP/UDP, files).
PLAYABLE_SCHEMES = frozenset({"http", "https", "rtp", "udp", "file"})
# Schemes that exist in camera networks but need a module this libVLC lacks.
KNOWN_UNSUPPORTED = {"rtsp": "RTSP", "rtsps": "RTSP", "rtmp": "RTMP", "srt": "SRT"}

# A tile smaller than this (in device pixels) plays the sub stream.
MAIN_STREAM_MIN_WIDTH = 800


class UrlVerdict(enum.Enum):
    OK = "ok"
    UNSUPPORTED = "unsupported"
    MALFORMED = "malformed"


def check_url(url: str) -> tuple[UrlVerdict, ValidationError | None]:
    """(verdict, what is wrong as a message template with its arguments; None when OK).
    The MALFORMED messages take no arguments (the camera form quotes them)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return UrlVerdict.MALFORMED, ValidationError("视频地址格式错误，请在摄像机资料中改正。")
    scheme = parts.scheme.lower()
    if not scheme:
        return UrlVerdict.MALFORMED, ValidationError(
            "视频地址缺少协议（如 http://），请在摄像机资料中改正。"
        )
    if scheme in KNOWN_UNSUPPORTED:
        return UrlVerdict.UNSUPPORTED, ValidationError(
            "本机播放器不支持 {protocol} 协议，请改用 HTTP/HLS 或 RTP 地址（可经流媒体网关转换）。",
            protocol=KNOWN_UNSUPPORTED[scheme],
        )
    if scheme not in PLAYABLE_SCHEMES:
        return UrlVerdict.UNSUPPORTED, ValidationError(
            "不支持的视频协议“{scheme}”，请改用 HTTP 或 RTP 地址。", scheme=scheme[:32]
        )
    if scheme != "file":
        try:
            port = parts.port
        except ValueError:
            return UrlVerdict.MALFORMED, ValidationError(
                "视频地址端口号错误，请在摄像机资料中改正。"
            )
        host = parts.hostname or ""
        if not host and not (scheme in ("rtp", "udp") and port):
            return UrlVerdict.MALFORMED, ValidationError(
                "视频地址缺少主机名，请在摄像机资料中改正。"
            )
    return UrlVerdict.OK, None


def choose_stream(main_url: str, sub_url: str | None, tile_width: int, maximised: bool) -> str:
    """Sub stream on small tiles (saves decoding), main stream when big or maximised."""
    if maximised or not sub_url or tile_width >= MAIN_STREAM_MIN_WIDTH:
        return main_url
    return sub_url
