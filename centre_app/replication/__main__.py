"""Sync a township database with the county from the command line.

    python -m centre_app.replication --db sqlite:///…/centre.db            # one round
    python -m centre_app.replication --db … --county http://… --token …  --loop

Without --county/--token the database's own settings are used. Exit status 0 when the
round succeeded, 1 with the reason (in words) on standard error otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m centre_app.replication", description="与县级中心同步 (sync with the county)"
    )
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of the township database")
    parser.add_argument("--county", help="county server URL (default: from the settings)")
    parser.add_argument("--token", help="township credential (default: from the settings)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--loop", action="store_true", help="keep syncing until interrupted")
    args = parser.parse_args(argv)

    from centre_app.app_context import AppContext
    from centre_app.replication.sync import CountyLink, SyncClient, SyncFailure

    ctx = AppContext.open(args.db, seed_demo=False)
    link = ctx.county_link()
    if args.county and args.token:
        link = CountyLink(args.county, args.token)
    if link is None:
        print("未配置县级服务器地址或同步凭据。", file=sys.stderr)
        return 1
    client = SyncClient(ctx.session_factory, ctx.capture, link, batch=args.batch)
    while True:
        try:
            pushed, pulled = client.sync_once()
            print(f"pushed {pushed}, pulled {pulled}, backlog {client.backlog()}", flush=True)
            if not args.loop:
                return 0
        except SyncFailure as failure:
            print(failure.message, file=sys.stderr, flush=True)
            if not args.loop:
                return 1
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
