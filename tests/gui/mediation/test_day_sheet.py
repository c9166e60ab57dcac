"""The printed day sheet: a long day continues on a second page, Chinese renders; the PDF
is turned into pictures with pdftoppm (and looked at)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.print_sheet import write_pdf


def pdf_text(path: Path) -> str:
    """The PDF's text as a reader sees it: the CJK font maps some characters to their
    compatibility forms (Kangxi radicals, a figure dash), folded back here."""
    raw = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFKC", raw).replace("\u2012", "–")


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_a_long_centre_day_continues_on_the_next_page(
    qtbot: QtBot, centre: Centre, tmp_path: Path, screenshots: Path
) -> None:
    rooms, mediators = list(centre.rooms), list(centre.mediators)
    case = centre.case("张三", "李四", "劳资纠纷")
    for slot in range(16):  # every room, every half hour: a day too long for one page
        start = at(MONDAY, "08:30") + dt.timedelta(minutes=30 * slot)
        for i in range(4):
            centre.book(
                rooms[(slot + i) % len(rooms)],
                f"{start:%H:%M}",
                f"{start + dt.timedelta(minutes=20):%H:%M}",
                mediators=(mediators[(slot * 4 + i) % len(mediators)],),
                case_id=case if slot == 0 and i == 0 else None,
            )
    sessions = centre.svc.sessions_between(
        centre.clerk, at(MONDAY, "00:00"), at(MONDAY + dt.timedelta(days=1), "00:00")
    )
    assert len(sessions) == 64
    out = tmp_path / "programme.pdf"
    pages = write_pdf(out, "金乡镇矛盾纠纷调解中心 日程", MONDAY, sessions, by_room=False)
    assert pages >= 2 and pdf_pages(out) == pages
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "page")], check=True)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == pages
    text = pdf_text(out)
    assert unicodedata.normalize("NFKC", "张三诉李四（劳资纠纷）") in text
    assert "16:00–16:20" in text
    shutil.copy(pictures[0], screenshots / "mediation-day-programme.png")


def test_a_rooms_sheet_for_its_door(qtbot: QtBot, centre: Centre, tmp_path: Path) -> None:
    centre.book("老娘舅调解室", "09:00", "10:00", mediators=("林阿土",))
    sessions = centre.svc.sessions_between(
        centre.clerk,
        at(MONDAY, "00:00"),
        at(MONDAY, "23:59"),
        room_ids=[centre.rooms["老娘舅调解室"]],
    )
    out = tmp_path / "door.pdf"
    assert write_pdf(out, "老娘舅调解室", MONDAY, sessions, by_room=True) == 1
    text = pdf_text(out)
    assert "林阿土" in text and "09:00–10:00" in text
