"""Command line of the county server.

python -m centre_app.county serve --db postgresql+psycopg://…  [--port 8600] [--workers 4]
    [--certfile … --keyfile …] [--max-clock-skew-minutes 10]
python -m centre_app.county issue-token --db … --kind township --subject 330327102
python -m centre_app.county revoke --db … --subject 330327102
python -m centre_app.county answer --db … --incident ID --decision 县级已办结 --comment …
python -m centre_app.county assign-task --db … --grid 330327102001001 --category … --title …
"""

from __future__ import annotations

import argparse
import json
import sys

from centre_app.clock import SystemClock

DEFAULT_DB = "sqlite:///county.db"


def _store(db_url: str):  # type: ignore[no-untyped-def]
    from centre_app.county.store import CountyStore
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head

    engine = make_engine(db_url)
    upgrade_to_head(engine)
    return CountyStore(make_session_factory(engine), SystemClock())


def _county_credential(name: str):  # type: ignore[no-untyped-def]
    from centre_app.county.store import Credential

    return Credential("county", name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m centre_app.county",
        description="县级中心同步服务 (county replication server)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--certfile")
    serve.add_argument("--keyfile")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (all state is in the database; PostgreSQL for >1)",
    )
    serve.add_argument(
        "--max-clock-skew-minutes",
        type=float,
        default=None,
        help="refuse stamps this far ahead of the county's clock (default 10)",
    )
    sub.add_parser("migrate", help="create or upgrade the county database")
    token = sub.add_parser("issue-token", help="issue a credential (printed once)")
    token.add_argument("--kind", choices=("township", "county", "channel"), default="township")
    token.add_argument("--subject", required=True, help="township code, county user or channel")
    revoke = sub.add_parser("revoke", help="revoke every credential of a subject")
    revoke.add_argument("--subject", required=True)
    answer = sub.add_parser("answer", help="answer an escalated incident")
    answer.add_argument("--incident", required=True)
    answer.add_argument("--decision", required=True)
    answer.add_argument("--comment", required=True)
    answer.add_argument("--by", default="county-cli")
    task = sub.add_parser("assign-task", help="assign a task to the township owning a grid")
    task.add_argument("--grid")
    task.add_argument("--township")
    task.add_argument("--category", required=True)
    task.add_argument("--subcategory", required=True)
    task.add_argument("--title", required=True)
    task.add_argument("--description", required=True)
    task.add_argument("--by", default="county-cli")
    for command in sub.choices.values():
        command.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL of the county DB")
    args = parser.parse_args(argv)

    from centre_app.county.store import CountyError

    try:
        if args.command == "serve":
            import os

            import uvicorn

            from centre_app.county.app import DB_ENV, create_app
            from centre_app.replication.hlc import SKEW_ENV

            if args.max_clock_skew_minutes is not None:
                os.environ[SKEW_ENV] = str(args.max_clock_skew_minutes)
            if args.workers > 1:  # each worker builds its app; the parent migrates once
                _store(args.db)
                os.environ[DB_ENV] = args.db
                uvicorn.run(
                    "centre_app.county.app:app_from_env",
                    factory=True,
                    workers=args.workers,
                    host=args.host,
                    port=args.port,
                    ssl_certfile=args.certfile,
                    ssl_keyfile=args.keyfile,
                    log_level="warning",
                )
                return 0
            uvicorn.run(
                create_app(args.db),
                host=args.host,
                port=args.port,
                ssl_certfile=args.certfile,
                ssl_keyfile=args.keyfile,
                log_level="warning",
            )
            return 0
        store = _store(args.db)
        if args.command == "migrate":
            print("county database is up to date")
        elif args.command == "issue-token":
            print(store.issue_token(args.kind, args.subject))
        elif args.command == "revoke":
            print(f"revoked {store.revoke_subject(args.subject)} credential(s)")
        elif args.command == "answer":
            print(
                json.dumps(
                    store.answer_escalation(
                        _county_credential(args.by), args.incident, args.decision, args.comment
                    ),
                    ensure_ascii=False,
                )
            )
        elif args.command == "assign-task":
            print(
                json.dumps(
                    store.create_incident(
                        _county_credential(args.by),
                        grid_code=args.grid,
                        township=args.township,
                        channel="department",
                        category=args.category,
                        subcategory=args.subcategory,
                        title=args.title,
                        description=args.description,
                        reporter=args.by,
                    ),
                    ensure_ascii=False,
                )
            )
    except CountyError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
