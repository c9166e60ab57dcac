"""GB/T 28181 device ids: 20 digits = 8-digit centre code + 2-digit industry + 3-digit type
+ 7-digit serial. Type 131 (camera) and 132 (IP camera) are what a wall plays."""

from __future__ import annotations

import re

from centre_app.errors import ValidationError

CAMERA_TYPES = frozenset({"131", "132"})
_CODE = re.compile(r"\d{20}")


def is_camera_code(code: str) -> bool:
    return bool(_CODE.fullmatch(code)) and code[10:13] in CAMERA_TYPES


def camera_code_problem(code: str) -> ValidationError | None:
    """What is wrong with `code` (a message with its arguments), or None when usable."""
    if not _CODE.fullmatch(code):
        return ValidationError(
            "国标编码应为 20 位数字（8 位中心编码 + 2 位行业 + 3 位类型 + 7 位序号），请核对后重新输入。"
        )
    if code[10:13] not in CAMERA_TYPES:
        return ValidationError(
            "国标编码第 11–13 位是设备类型 {kind}，摄像机应为 131 或 132，请核对。",
            kind=code[10:13],
        )
    return None


def make_camera_code(centre: str, serial: int, *, industry: str = "00", kind: str = "132") -> str:
    """Build a code from its parts (the demo and the CSV tests use this)."""
    code = f"{centre[:8]:0<8}{industry:0>2}{kind}{serial:07d}"
    if not is_camera_code(code):
        raise ValueError(code)
    return code
