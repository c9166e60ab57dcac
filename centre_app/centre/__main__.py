"""Commands for a centre with several desks.

python -m centre_app.centre setup-server [--database zongzhi] [--role zongzhi]
    On the centre server (Debian, `postgresql` package installed, run as root): create
    the role with a new password and the database, migrate it, print the URL desks use.
python -m centre_app.centre desk-sync --db URL [--county URL --token T]
    A desk's sync worker without the window (e.g. on the server itself): it leads when no
    other desk does, else follows; prints each change of leadership.
python -m centre_app.centre remove-unused-files --db URL [--grace-days 7]
    Remove stored files (attachments, snapshots, clips) no row names any more and stored
    more than the grace period ago; one transaction per file, safe beside working desks.
"""

from __future__ import annotations

import argparse
import sys
import time


def _desk_sync(args: argparse.Namespace) -> int:
    from centre_app.app_context import AppContext
    from centre_app.centre.leader import leader_lock_for
    from centre_app.replication.status import SyncStatus
    from centre_app.replication.sync import CountyLink, SyncClient, SyncWorker

    ctx = AppContext.open(args.db, seed_demo=False)
    link = CountyLink(args.county, args.token) if args.county and args.token else ctx.county_link()
    if link is None:
        print("未配置县级服务器地址或同步凭据。", file=sys.stderr)
        return 1
    client = SyncClient(ctx.session_factory, ctx.capture, link, batch=args.batch)
    last: list[bool | None] = [None]

    def report(status: SyncStatus) -> None:
        leading = worker.leading
        if leading != last[0]:
            print(("leading" if leading else "following") + f" {status.leader}", flush=True)
            last[0] = leading

    worker = SyncWorker(
        client,
        ctx.clock,
        interval_s=args.interval,
        on_status=report,
        leader=leader_lock_for(ctx.engine),
        follow_interval_s=args.interval,
    )
    worker.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        worker.stop()
        ctx.close()


def _remove_unused_files(args: argparse.Namespace) -> int:
    import datetime as dt

    from centre_app.app_context import AppContext
    from centre_app.files.maintenance import remove_unreferenced_files

    if not 0 <= args.grace_days <= 36500:
        print("--grace-days 应在 0–36500 之间。", file=sys.stderr)
        return 2
    ctx = AppContext.open(args.db, seed_demo=False)
    try:
        removed = remove_unreferenced_files(
            ctx.session_factory, ctx.clock, dt.timedelta(days=args.grace_days)
        )
    finally:
        ctx.close()
    print(f"removed {removed.files} files, {removed.bytes} bytes", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m centre_app.centre",
        description="综治中心多工作站 (a centre with several desks)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("desk-sync", help="run a desk's sync worker without the window")
    sync.add_argument("--db", required=True, help="SQLAlchemy URL of the centre database")
    sync.add_argument("--county", help="county server URL (default: from the settings)")
    sync.add_argument("--token", help="township credential (default: from the settings)")
    sync.add_argument("--batch", type=int, default=500)
    sync.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
    setup = commands.add_parser("setup-server", help="create the centre database on this machine")
    setup.add_argument("--database", default="zongzhi")
    setup.add_argument("--role", default="zongzhi")
    setup.add_argument("--host", default="", help="address desks use (default: this host's)")
    setup.add_argument("--port", type=int, default=5432)
    setup.add_argument("--lan", default="", help="let this network in, e.g. 192.168.1.0/24")
    setup.add_argument(
        "--admin-url",
        default="",
        help="superuser URL (default: the local `postgres` user by socket)",
    )
    unused = commands.add_parser(
        "remove-unused-files", help="remove stored files no row names any more"
    )
    unused.add_argument("--db", required=True, help="SQLAlchemy URL of the centre database")
    unused.add_argument(
        "--grace-days", type=float, default=7.0, help="keep files stored more recently"
    )
    args = parser.parse_args(argv)
    if args.command == "desk-sync":
        return _desk_sync(args)
    if args.command == "remove-unused-files":
        return _remove_unused_files(args)
    from centre_app.centre.server import setup_server

    return int(setup_server(args))


if __name__ == "__main__":
    sys.exit(main())
