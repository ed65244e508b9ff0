"""The app's database: one engine per app, one session per request or job."""
from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory


def init_app(app: Flask, engine: Engine | None = None) -> None:
    engine = engine or make_engine(app.config["SETTINGS"].database_url)
    app.extensions["db.engine"] = engine
    app.extensions["db.sessions"] = make_session_factory(engine)
    # SQLite has one writer at a time, and its busy handler sleeps up to 100 ms between tries.
    # Webhook transactions take turns on a lock instead, woken the moment it is free: a thread
    # lock within the process and an flock on a file beside the database across processes.
    database = engine.url.database or ""
    app.extensions["db.writer"] = (_SqliteWriter(database)
                                   if engine.dialect.name == "sqlite" and database not in ("", ":memory:")
                                   else None)


def engine() -> Engine:
    return current_app.extensions["db.engine"]  # type: ignore[no-any-return]


def sessions() -> sessionmaker[Session]:
    return current_app.extensions["db.sessions"]  # type: ignore[no-any-return]


class _SqliteWriter:
    """One webhook transaction at a time on this SQLite file, across threads and processes."""

    def __init__(self, database: str) -> None:
        self._thread_lock = threading.Lock()
        self._path = database + ".writer-lock"

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock, open(self._path, "a+b") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes, crash or not
            yield


@contextmanager
def one_writer() -> Iterator[None]:
    """Around a write transaction: on SQLite, one at a time (see `_SqliteWriter`)."""
    writer: _SqliteWriter | None = current_app.extensions.get("db.writer")
    if writer is None:
        yield
        return
    with writer.held():
        yield


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that is closed (and rolled back if uncommitted) at the end of the block."""
    session = sessions()()
    try:
        yield session
    finally:
        session.close()
