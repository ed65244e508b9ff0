"""Engines and sessions. The session's lifecycle belongs to the caller (request, job, test)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, *, sqlite_savepoints: bool = False, **kwargs: Any) -> Engine:
    """An engine for SQLite (WAL, foreign keys on) or PostgreSQL (psycopg 3).

    SQLite keeps pysqlite's own transaction handling by default: a transaction starts at the
    first write, so concurrent writers wait on the busy timeout instead of failing on a stale
    read snapshot. `sqlite_savepoints=True` applies SQLAlchemy's documented pysqlite recipe
    (`isolation_level=None` and an explicit BEGIN) that SAVEPOINTs, and so the
    rollback-per-test fixture, need.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            if sqlite_savepoints:
                dbapi_connection.isolation_level = None

        if sqlite_savepoints:
            @event.listens_for(engine, "begin")
            def _explicit_begin(connection: Any) -> None:
                connection.exec_driver_sql("BEGIN")

        return engine
    # No pre-ping (a round trip per checkout); connections are recycled instead, and a dead
    # one fails that one request, which LINE redelivers.
    kwargs.setdefault("pool_recycle", 1800)
    # A server that accepts connections and never answers must not hold a thread forever:
    # connecting, waiting for a pooled connection, a statement and a lock wait are all bounded.
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT_S)
    kwargs["connect_args"] = {**postgres_timeouts(), **kwargs.get("connect_args", {})}
    return create_engine(url, **kwargs)


CONNECT_TIMEOUT_S = 5  # libpq's connect_timeout (whole seconds)
POOL_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 60_000  # far above any statement the app runs (bulk imports included)
LOCK_TIMEOUT_MS = 10_000


def postgres_timeouts() -> dict[str, Any]:
    """psycopg connect arguments: connect, statement and lock-wait timeouts."""
    return {"connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
                       f"-c lock_timeout={LOCK_TIMEOUT_MS}"}


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """The one way a session is opened (web request, webhook event, command, job, worker pass):
    `with session_scope(sessions) as session:`. Whoever opens it owns the transaction and
    commits; at the end the session is closed, which rolls back whatever was not committed
    (an exception included). Functions given the session never commit."""
    session = sessions()
    try:
        yield session
    finally:
        session.close()


@contextmanager
def scratch_postgres_database(server_url: str, prefix: str = "test") -> Iterator[str]:
    """A new, empty PostgreSQL database on `server_url`'s server, dropped afterwards."""
    base = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# What a bulk import fills; the planner's statistics on them are refreshed afterwards.
IMPORTED_TABLES = ("staff", "units", "line_users", "role_assignments", "kpi_agreements", "kpis",
                   "rounds")


def refresh_statistics(session: Session, tables: tuple[str, ...] = IMPORTED_TABLES) -> None:
    """After a bulk import on PostgreSQL: ANALYZE the tables it filled, so the planner does not
    plan with the statistics of the empty tables (measured: the console's people search on
    20,000 fresh staff took 59 s before ANALYZE and 0.04 s after). Autovacuum would get there
    too, but only some time later. A no-op on SQLite. Call after the import's commit."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        connection.execute(text("ANALYZE " + ", ".join(tables)))
        connection.commit()
