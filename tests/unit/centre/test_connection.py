"""What counts as the centre's server being gone: a refused or cut connection and a server
shutting down or starting — not a lock that waited too long or a statement that was wrong."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from psycopg import errors

from centre_app.centre.connection import CentreConnection, is_link_failure


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("connection refused"),  # no sqlstate: never reached it
        errors.AdminShutdown("terminating connection due to administrator command"),
        errors.CannotConnectNow("the database system is starting up"),
        errors.ConnectionFailure("connection failure"),
    ],
)
def test_a_refused_cut_or_restarting_server_is_a_lost_link(error: Exception) -> None:
    assert is_link_failure(error)


@pytest.mark.parametrize(
    "error",
    [
        errors.LockNotAvailable("could not obtain lock"),
        errors.QueryCanceled("canceling statement due to statement timeout"),
        errors.SerializationFailure("could not serialize access"),
        errors.UniqueViolation("duplicate key"),
        ValueError("not a driver error"),
    ],
)
def test_a_lock_timeout_or_a_bad_statement_is_not_a_lost_link(error: Exception) -> None:
    assert not is_link_failure(error)


def test_listeners_hear_each_change_once_and_the_time_it_went_down() -> None:
    now = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
    connection = CentreConnection(now=lambda: now)
    heard: list[bool] = []
    unsubscribe = connection.subscribe(heard.append)
    connection.lost()
    connection.lost()  # a second failing statement says nothing new
    assert connection.down_since == now
    connection.regained()
    connection.regained()
    unsubscribe()
    connection.lost()
    assert heard == [False, True]
