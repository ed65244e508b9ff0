"""Run the Alembic migrations from code (the app, `make run`, tests)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

REPO_ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> Config:
    return Config(str(REPO_ROOT / "alembic.ini"))


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, turn foreign keys off around a migration and check them after.

    Alembic's batch mode rebuilds SQLite tables, which enforced foreign keys would refuse, and
    SQLite cannot switch them inside a transaction. Elsewhere this does nothing.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    yield
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind `engine` to `revision`."""
    cfg = alembic_config()
    with engine.connect() as connection, sqlite_foreign_keys_off(connection):
        with connection.begin():
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
