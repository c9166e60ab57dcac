"""Start the 综治中心 client: `python main.py` opens the app on its embedded default database
(a SQLite file in the user's data directory, created, migrated and filled with demo data on
first start). `python main.py --help` lists the options."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from centre_app.app_context import AppContext

log = logging.getLogger("main")

LANGUAGES = ("zh_CN", "en")


def _desk_arg(text: str) -> str:
    from centre_app.errors import ValidationError
    from centre_app.security.desk_sessions import clean_desk_name

    try:
        return clean_desk_name(text)
    except ValidationError as refusal:
        raise argparse.ArgumentTypeError(refusal.message) from refusal


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py", description="乡镇社会治理综合指挥中心（综治中心）桌面客户端"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址，例如 sqlite:////path/centre.db 或 "
        "postgresql+psycopg://user@host/db（默认：用户数据目录中的 centre.db）",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="重新生成演示数据：原 SQLite 文件先改名备份，再新建并填充演示数据",
    )
    parser.add_argument(
        "--demo-scale",
        type=float,
        default=1.0,
        metavar="F",
        help="演示数据规模（1.0 为完整演示数据）",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="界面语言：zh_CN（默认）或 en；不指定时使用设置中的语言"
    )
    parser.add_argument(
        "--no-simulator", action="store_true", help="不自动启动本机演示摄像机模拟器"
    )
    parser.add_argument(
        "--no-demo-county",
        action="store_true",
        help="不自动启动本机演示县级服务器（已配置真实县级服务器时本来就不会启动）",
    )
    parser.add_argument(
        "--desk",
        metavar="NAME",
        type=_desk_arg,
        help="本工作站名称，其他工作站据此看到谁在哪里登录（默认：本机主机名）",
    )
    parser.add_argument("--verbose", action="store_true", help="日志记录调试信息")
    return parser.parse_args(list(argv))


def backup_sqlite(url: str) -> Path | None:
    """Move an existing SQLite file (and its WAL files) aside; returns the backup path."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise SystemExit("--demo 只能用于 SQLite 数据库文件；其他数据库请先清空后再启动。")
    path = Path(parsed.database)
    if not path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.bak-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.move(source, f"{backup}{suffix}")
    return backup


def _is_new_sqlite_file(url: str) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(str(parsed.database)).exists()
    )


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)

    from centre_app import paths
    from ui.error_reporting import configure_logging, database_error_message, install_excepthook

    log_file = configure_logging(logging.DEBUG if args.verbose else logging.INFO)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from centre_app.app_context import AppContext
    from centre_app.settings import Key, chosen_database_url, desk_settings
    from db.errors import DatabaseError
    from ui.app import create_application, install_translations, show_preparing_notice

    app = create_application(sys.argv[:1], args.lang or "zh_CN")
    install_excepthook(log_file)
    # --db, else the centre server named in 设置 (this workstation's), else the local file
    url = chosen_database_url(args.db, desk_settings()) or paths.default_db_url()
    shown_url = url.split("@")[-1] if "@" in url else url
    notice = None
    try:
        if args.demo:
            backup = backup_sqlite(url)
            if backup:
                log.info("previous database moved to %s", backup)
        if _is_new_sqlite_file(url):
            notice = show_preparing_notice(
                QApplication.translate("Main", "首次启动：正在创建数据库并生成演示数据，请稍候…")
            )
        ctx = AppContext.open(url, demo_scale=args.demo_scale)
    except DatabaseError as error:
        log.exception("cannot open database %s", shown_url)
        QMessageBox.critical(
            None,
            QApplication.translate("Main", "无法打开数据库"),
            database_error_message(error, shown_url),
        )
        return 2
    except SystemExit as refusal:
        QMessageBox.critical(None, QApplication.translate("Main", "无法生成演示数据"), str(refusal))
        return 2
    finally:
        if notice is not None:
            notice.close()

    ctx.desk = _desk_name(args.desk)
    if args.lang is None and ctx.settings.get(Key.LANGUAGE) != "zh_CN":
        install_translations(app, str(ctx.settings.get(Key.LANGUAGE)))

    children: list[_Stoppable] = []

    def start_demo_children() -> None:
        """The loopback camera simulator and demo county, started once the first window is
        on screen (~0.4 s of work nobody should wait for) and before its sync starts."""
        if children:
            return
        simulator = None if args.no_simulator else _start_camera_simulator(ctx)
        county = None if args.no_demo_county else _start_demo_county(ctx)
        children.extend(c for c in (county, simulator) if c is not None)
        children.append(_NOTHING)  # started, even when nothing was

    try:
        return _session_loop(app, ctx, start_demo_children)
    finally:
        for child in children:
            child.stop()
        ctx.close()


class _Stoppable(Protocol):
    def stop(self) -> None: ...


class _Nothing:
    def stop(self) -> None:
        pass


_NOTHING = _Nothing()


def _start_camera_simulator(ctx: AppContext) -> _Stoppable | None:
    """The demo cameras point at a simulator on loopback; serve them unless told not to.

    Only cameras whose URL is a loopback port are served, so real cameras are left alone;
    a port another simulator holds is served once it is released (a quick restart). A
    failure leaves those tiles offline.
    """
    from centre_app.security.actor import SYSTEM_ACTOR
    from centre_app.video.simulator import ensure_running

    try:
        cameras = ctx.video.cameras.cameras(SYSTEM_ACTOR, include_disabled=False)
        handle: _Stoppable = ensure_running((c.name, c.main_url) for c in cameras)
        return handle
    except Exception:
        log.exception("camera simulator did not start")
        return None


def _start_demo_county(ctx: AppContext) -> _Stoppable | None:
    """A county on loopback for the demo, unless a real county is configured; a failure
    only leaves the link offline (the status bar and sync panel say so)."""
    from centre_app import paths
    from centre_app.county.demo import start_demo_county

    try:
        return start_demo_county(ctx, paths.data_dir())
    except Exception:
        log.exception("demo county server did not start")
        return None


def _desk_name(given: str | None) -> str:
    """`--desk` (checked by the parser), or the host name."""
    import socket

    from centre_app.security.desk_sessions import DESK_CHARS

    return given or socket.gethostname()[:DESK_CHARS] or "desk"


def _session_loop(
    app: QApplication, ctx: AppContext, on_started_up: Callable[[], None] = lambda: None
) -> int:
    """Login → main window → (logout → login again) until the user quits; `on_started_up`
    runs when a main window is on screen with its first workspace."""
    from PySide6.QtWidgets import QDialog

    from ui.login_dialog import LoginDialog
    from ui.start_up import preload_main_window

    preload_main_window()  # while the password is typed
    while True:
        login = LoginDialog(ctx)
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return 0
        from ui.main_window import MainWindow

        window = MainWindow(ctx, login.actor, desk_session=login.desk_session)
        window.startedUp.connect(on_started_up)
        window.showMaximized()  # a workstation tool: it owns the screen
        app.exec()
        if not window.logging_out:
            return 0
        window.deleteLater()


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
