"""The app's database: one engine per app, one session per request or job."""
from __future__ import annotations

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


def engine() -> Engine:
    return current_app.extensions["db.engine"]  # type: ignore[no-any-return]


def sessions() -> sessionmaker[Session]:
    return current_app.extensions["db.sessions"]  # type: ignore[no-any-return]


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that is closed (and rolled back if uncommitted) at the end of the block."""
    session = sessions()()
    try:
        yield session
    finally:
        session.close()
