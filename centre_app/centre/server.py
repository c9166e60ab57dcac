"""`python -m centre_app.centre setup-server`: the centre's PostgreSQL database in one command.

On the centre server (Debian with the `postgresql` package, run as root): creates the role
with a fresh password (a second run gives the role a new one), the database it owns,
migrates it, and prints the connection URL that desks take in 设置 or with `--db`. With
`--lan 192.168.1.0/24` it also lets that network in (listen on every address, a
scram-sha-256 line in pg_hba.conf) and says that PostgreSQL must be restarted.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _run_admin(
    statements: list[tuple[str, dict[str, str]]], admin_url: str, *, autocommit: bool = True
) -> list[object]:
    """Run statements as the database superuser: through `admin_url`, or as the local
    `postgres` account (peer authentication, the Debian default) when none is given."""
    if admin_url:
        engine = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
        try:
            answers: list[object] = []
            with engine.connect() as conn:
                for sql, params in statements:
                    # Without parameters the statement goes as it is (a password may hold ":").
                    result = (
                        conn.execute(text(sql), params)
                        if params
                        else conn.exec_driver_sql(sql.replace("%", "%%"))
                    )
                    answers.append(result.scalar() if result.returns_rows else None)
            return answers
        finally:
            engine.dispose()
    answers = []
    for sql, params in statements:
        argv = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
        for key, value in params.items():
            argv += ["-v", f"{key}={value}"]
            sql = sql.replace(f":{key}", f":'{key}'")
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        out = subprocess.run(argv, input=sql, capture_output=True, text=True, check=True)
        answers.append(out.stdout.strip() or None)
    return answers


def setup_server(args: argparse.Namespace) -> int:
    from db.engine import make_engine
    from db.errors import DatabaseError
    from db.migrate import upgrade_to_head

    database, role = str(args.database), str(args.role)
    if not NAME.match(database) or not NAME.match(role):
        print("数据库名和角色名只能用小写字母、数字和下划线，且不能以数字开头。", file=sys.stderr)
        return 2
    password = secrets.token_urlsafe(18)
    try:
        exists = _run_admin(
            [("SELECT 1 FROM pg_roles WHERE rolname = :name", {"name": role})], args.admin_url
        )[0]
        verb = "ALTER" if exists else "CREATE"
        # Identifiers were checked above; the password is a literal quoted by the server.
        statement = _run_admin(
            [
                (
                    f"SELECT format('{verb} ROLE %I LOGIN PASSWORD %L', "
                    "CAST(:role AS text), CAST(:pw AS text))",
                    {"role": role, "pw": password},
                )
            ],
            args.admin_url,
        )[0]
        _run_admin([(str(statement), {})], args.admin_url)
        has_db = _run_admin(
            [("SELECT 1 FROM pg_database WHERE datname = :name", {"name": database})],
            args.admin_url,
        )[0]
        if not has_db:
            _run_admin(
                [
                    (
                        f'CREATE DATABASE "{database}" OWNER "{role}" ENCODING \'UTF8\' '
                        "TEMPLATE template0",
                        {},
                    )
                ],
                args.admin_url,
            )
        if args.lan:
            _open_lan(str(args.lan), database, role, args.admin_url)
    except Exception as exc:  # psql's or the driver's error, said in its words below
        detail = getattr(exc, "stderr", "") or str(exc)
        print(
            "无法在本机 PostgreSQL 中建立数据库（是否已安装 postgresql 并以 root 运行？）："
            + str(detail).strip(),
            file=sys.stderr,
        )
        return 1
    host = args.host or _this_host()
    url = f"postgresql+psycopg://{role}:{quote(password, safe='')}@{host}:{args.port}/{database}"
    local = (
        f"postgresql+psycopg://{role}:{quote(password, safe='')}@127.0.0.1:{args.port}/{database}"
    )
    try:
        engine = make_engine(local)
        upgrade_to_head(engine)
        engine.dispose()
    except (DatabaseError, SQLAlchemyError) as exc:
        print("数据库已建立，但迁移失败：" + str(exc), file=sys.stderr)
        return 1
    print(url)
    if args.lan:
        print(
            "已允许 " + str(args.lan) + " 访问；请重启 PostgreSQL：systemctl restart postgresql",
            file=sys.stderr,
        )
    return 0


def _open_lan(cidr: str, database: str, role: str, admin_url: str) -> None:
    import ipaddress

    network = ipaddress.ip_network(cidr, strict=False)
    hba = _run_admin([("SHOW hba_file", {})], admin_url)[0]
    line = f"host {database} {role} {network} scram-sha-256\n"
    with open(str(hba), encoding="utf-8") as handle:
        present = line in handle.read()
    if not present:
        with open(str(hba), "a", encoding="utf-8") as handle:
            handle.write(line)
    _run_admin(
        [("ALTER SYSTEM SET listen_addresses = '*'", {}), ("SELECT pg_reload_conf()", {})],
        admin_url,
    )


def _this_host() -> str:
    """The address desks reach this machine at (the one the default route leaves by)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
