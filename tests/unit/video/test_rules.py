"""Pure rules of the wall: codes, URLs, layouts, stream states, tours, wall files."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from centre_app.errors import ValidationError
from centre_app.video.codes import camera_code_problem, is_camera_code, make_camera_code
from centre_app.video.layouts import LAYOUTS, layout, layout_for_count
from centre_app.video.stream_state import StreamMonitor, StreamPolicy, TileState
from centre_app.video.streams import UrlVerdict, check_url, choose_stream
from centre_app.video.tours import TourPlan, TourRun, TourStep
from centre_app.video.walls import WallSpec, wall_from_json

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)


def test_camera_codes_need_twenty_digits_and_a_camera_type() -> None:
    code = make_camera_code("33032710", 7)
    assert code == "33032710001320000007" and is_camera_code(code)
    assert camera_code_problem(code) is None
    short = camera_code_problem("3303")
    assert short is not None and "20 位" in short.template and not short.params
    wrong = camera_code_problem("33032710001180000007")
    assert wrong is not None and "131 或 132" in wrong.template
    assert wrong.params == {"kind": "118"} and "118" in wrong.message


@pytest.mark.parametrize(
    ("url", "verdict"),
    [
        ("http://127.0.0.1:18000/main.ts", UrlVerdict.OK),
        ("rtp://@127.0.0.1:5004", UrlVerdict.OK),
        ("rtsp://10.0.0.1/ch1", UrlVerdict.UNSUPPORTED),
        ("gopher://x", UrlVerdict.UNSUPPORTED),
        ("127.0.0.1:18000", UrlVerdict.MALFORMED),
        ("no scheme at all", UrlVerdict.MALFORMED),
        ("http://host:99999999/x", UrlVerdict.MALFORMED),
        ("http:///x.ts", UrlVerdict.MALFORMED),
    ],
)
def test_urls_are_classified_before_libvlc_sees_them(url: str, verdict: UrlVerdict) -> None:
    got, why = check_url(url)
    assert got is verdict
    assert (why is None) == (verdict is UrlVerdict.OK)
    if why is not None:  # a template with arguments, never a finished sentence
        assert why.template.format(**why.params) == why.message
        assert (verdict is UrlVerdict.MALFORMED) == (not why.params)


def test_rtsp_is_explained_in_words() -> None:
    why = check_url("rtsp://10.0.0.1/ch1")[1]
    assert why is not None and why.params == {"protocol": "RTSP"} and "RTSP" in why.message


def test_small_tiles_play_the_sub_stream_and_maximised_ones_the_main() -> None:
    assert choose_stream("m", "s", 320, False) == "s"
    assert choose_stream("m", "s", 320, True) == "m"
    assert choose_stream("m", "s", 1600, False) == "m"
    assert choose_stream("m", None, 320, False) == "m"


def test_layouts_cover_their_grid_exactly_once() -> None:
    for lay in LAYOUTS.values():
        covered = [
            (r, c)
            for cell in lay.cells
            for r in range(cell.row, cell.row + cell.row_span)
            for c in range(cell.col, cell.col + cell.col_span)
        ]
        assert sorted(covered) == [(r, c) for r in range(lay.grid) for c in range(lay.grid)]
    assert {"1", "4", "9", "16", "25", "36", "1+5", "1+7"} <= set(LAYOUTS)
    assert layout("nonsense").key == "16"
    assert layout_for_count(5).key == "9"


def test_stream_goes_playing_then_stalled_then_offline_with_backoff() -> None:
    m = StreamMonitor(StreamPolicy())
    m.start(T0)
    assert m.state is TileState.CONNECTING
    m.on_counters(T0 + S, 5)
    assert m.state is TileState.PLAYING
    m.on_counters(T0 + 2 * S, 30)
    m.on_counters(T0 + 6 * S, 30)
    assert m.state is TileState.STALLED
    m.on_counters(T0 + 11 * S, 30)
    assert m.state is TileState.OFFLINE and m.retry_at == T0 + 12 * S
    assert not m.retry_due(T0 + 11 * S) and m.retry_due(T0 + 12 * S)


def test_backoff_doubles_and_is_capped_and_a_picture_resets_it() -> None:
    m = StreamMonitor(StreamPolicy())
    m.start(T0)
    delays = []
    for i in range(8):
        m.on_failure(T0 + i * S, "x")
        assert m.retry_at is not None
        delays.append((m.retry_at - (T0 + i * S)).total_seconds())
        m.start(T0 + i * S)
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]
    m.on_picture(T0 + 9 * S)
    assert m.failures == 0 and m.state is TileState.PLAYING


def test_connecting_too_long_is_offline_and_unsupported_never_retries() -> None:
    m = StreamMonitor(StreamPolicy())
    m.start(T0)
    m.tick(T0 + 7 * S)
    assert m.state is TileState.OFFLINE
    u = StreamMonitor()
    u.refuse(T0, "RTSP")
    u.on_failure(T0, "ended")
    assert u.state is TileState.UNSUPPORTED and not u.retry_due(T0 + 100 * S)


def test_tour_pages_wrap_pause_and_show_what_comes_next() -> None:
    cams = tuple(uuid.uuid4() for _ in range(6))
    run = TourRun(TourPlan("t", "4", 10, cams), T0)
    assert run.page_count == 2
    assert run.current() == cams[:4]
    assert run.upcoming() == (*cams[4:], None, None)
    assert not run.advance_if_due(T0 + 9 * S)
    run.pause(T0 + 5 * S)
    assert not run.advance_if_due(T0 + 60 * S)
    run.resume(T0 + 60 * S)
    assert run.remaining(T0 + 60 * S) == 5 * S
    assert run.advance_if_due(T0 + 65 * S) and run.page == 1
    assert run.advance_if_due(T0 + 75 * S) and run.page == 0
    with pytest.raises(ValidationError):
        TourRun(TourPlan("t", "4", 10, ()), T0)


def test_tour_groups_start_their_own_pages_and_a_page_lasts_its_longest_dwell() -> None:
    a, b, c = (uuid.uuid4() for _ in range(3))
    village = tuple(uuid.uuid4() for _ in range(5))
    plan = TourPlan(
        "t",
        "4",
        10,
        steps=(
            TourStep.camera(a, 10),
            TourStep.camera(b, 30),
            TourStep.group("金乡村", 15),
            TourStep.group("已删除村", 15),
            TourStep.camera(c, 5),
        ),
    )
    run = TourRun(plan, T0, {"金乡村": village})
    assert run.page_count == 4
    assert run.current() == (a, b, None, None) and run.remaining(T0) == 30 * S
    assert run.upcoming() == village[:4]
    assert run.advance_if_due(T0 + 30 * S) and run.remaining(T0 + 30 * S) == 15 * S
    assert run.cameras_on(2) == (village[4], None, None, None)
    assert run.cameras_on(3) == (c, None, None, None)
    with pytest.raises(ValidationError):
        TourRun(TourPlan("t", "4", 10, steps=(TourStep.group("空村", 10),)), T0, {})


def test_wall_files_of_every_version_load_without_error() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    spec = WallSpec("4", (a, None, b, None))
    assert wall_from_json(spec.to_json()) == spec
    old = {"cameras": ["C1", "C2", "gone"], "count": 3}
    assert wall_from_json(old, {"C1": a, "C2": b}) == WallSpec("4", (a, b, None, None))
    assert wall_from_json("garbage").layout == "16"
    odd = wall_from_json({"version": 2, "layout": "weird", "tiles": ["not-a-uuid", 5]})
    assert odd.layout == "16" and odd.tiles == (None,) * 16
