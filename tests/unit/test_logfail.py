"""An error logged where a test did not expect it fails the test; a test that expects it
says so (marker, or caplog checked and cleared); a Qt warning fails it too."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = 'pytest_plugins = ["tests.support.logfail"]\n'


@pytest.fixture(autouse=True)
def _project_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the inner pytest imports tests.support


def _run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_it="import logging\nimport pytest\n\n" + body)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_an_unexpected_logged_error_fails_the_test_unless_it_says_it_expects_it(
    pytester: pytest.Pytester,
) -> None:
    result = _run(
        pytester,
        """
def test_unexpected():
    logging.getLogger("centre_app.x").error("写入审计失败")

@pytest.fixture
def broken():
    yield
    logging.getLogger("x").exception("清理失败")

def test_fixture_logs_in_teardown(broken):
    logging.getLogger("x").warning("只是提醒")

@pytest.mark.allow_log_errors
def test_marked():
    logging.getLogger("x").critical("预期的")

def test_checked_and_cleared(caplog):
    logging.getLogger("x").error("预期的")
    assert caplog.records[0].message == "预期的"
    caplog.clear()

def test_checked_but_kept(caplog):
    logging.getLogger("x").error("预期的")
    assert caplog.records
""",
        "-rA",
    )
    result.assert_outcomes(passed=3, failed=2, errors=1)
    result.stdout.fnmatch_lines_random(
        [
            "*unexpected error logged during the test*",
            "*ERROR centre_app.x: 写入审计失败*",
            "*unexpected error logged during tear-down*",
            "PASSED test_it.py::test_fixture_logs_in_teardown",
            "ERROR test_it.py::test_fixture_logs_in_teardown*",
            "FAILED test_it.py::test_unexpected*",
            "PASSED test_it.py::test_marked",
            "PASSED test_it.py::test_checked_and_cleared",
            "FAILED test_it.py::test_checked_but_kept*",
        ]
    )


def test_a_qt_warning_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nqt_api = pyside6\nqt_log_level_fail = WARNING\n")
    result = _run(
        pytester,
        """
from PySide6.QtCore import qWarning

def test_it(qtbot):
    qWarning("QFont::setPointSize: Point size <= 0")

@pytest.mark.qt_log_ignore("Point size")
def test_ignored(qtbot):
    qWarning("QFont::setPointSize: Point size <= 0")
""",
    )
    result.assert_outcomes(passed=1, failed=1)
