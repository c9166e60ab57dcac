"""Typed failures of the database layer; the application turns them into Chinese sentences."""

from __future__ import annotations


class DatabaseError(Exception):
    """Base class: the database cannot be used as it is."""


class SchemaTooNew(DatabaseError):
    """The database was written by a newer version of the program."""

    def __init__(self, unknown_revisions: set[str]) -> None:
        super().__init__(f"database has revisions this program does not know: {unknown_revisions}")
        self.unknown_revisions = unknown_revisions


class DatabaseUnreachable(DatabaseError):
    """The database server (a centre's PostgreSQL on the LAN) did not answer or refused."""


class DatabaseLocked(DatabaseError):
    """Another process holds a write lock on the file for longer than the busy timeout."""


class DatabaseReadOnly(DatabaseError):
    """The file or its directory cannot be written."""


class DatabaseCorrupt(DatabaseError):
    """The file is not a database or is damaged."""
