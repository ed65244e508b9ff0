"""The app's database: one engine per app, one session per request or job."""
from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory
from models.db import session_scope as models_session_scope


def init_app(app: Flask, engine: Engine | None = None) -> None:
    engine = engine or make_engine(app.config["SETTINGS"].database_url)
    app.extensions["db.engine"] = engine
    app.extensions["db.sessions"] = make_session_factory(engine)
    # SQLite has one writer at a time, and its busy handler sleeps up to 100 ms between tries.
    # Webhook transactions take turns on a lock instead, woken the moment it is free: a thread
    # lock within the process and an flock on a file beside the database across processes.
    database = engine.url.database or ""
    app.extensions["db.writer"] = (_SqliteWriter(database)
                                   if engine.dialect.name == "sqlite"
                                   and database not in ("", ":memory:")
                                   else None)


def engine() -> Engine:
    return current_app.extensions["db.engine"]


def sessions() -> sessionmaker[Session]:
    """The app's session factory, for what opens sessions of its own (the delivery worker, the
    clock's jobs); open one here with `session_scope()`."""
    return current_app.extensions["db.sessions"]


class _SqliteWriter:
    """One webhook transaction at a time on this SQLite file, across threads and processes."""

    def __init__(self, database: str) -> None:
        self._thread_lock = threading.Lock()
        self._path = database + ".writer-lock"
        self._fd: tuple[int, int] | None = None  # (pid, descriptor) of the lock file

    def _lock_fd(self) -> int:
        # Opened once per process (a descriptor inherited over fork shares the parent's lock),
        # and closed when this object goes.
        if self._fd is None or self._fd[0] != os.getpid():
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            weakref.finalize(self, os.close, fd)
            self._fd = (os.getpid(), fd)
        return self._fd[1]

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            fd = self._lock_fd()
            fcntl.flock(fd, fcntl.LOCK_EX)  # a crashed process's lock dies with it
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def one_writer() -> Iterator[None]:
    """Around a write transaction: on SQLite, one at a time (see `_SqliteWriter`)."""
    writer: _SqliteWriter | None = current_app.extensions.get("db.writer")
    if writer is None:
        yield
        return
    with writer.held():
        yield


def import_transaction(session: Session) -> Callable[[], AbstractContextManager[None]]:
    """For an import's chunks of writes (handlers.importers, `transaction=`): each chunk under
    the writer lock, committed when it ends, so that webhooks wait at most one chunk."""
    @contextmanager
    def transaction() -> Iterator[None]:
        with one_writer():
            yield
            session.commit()
    return transaction


def session_scope() -> AbstractContextManager[Session]:
    """`models.db.session_scope` on this app's database: commit what you mean to keep; the rest
    is rolled back when the block ends."""
    return models_session_scope(sessions())
