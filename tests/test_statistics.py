"""After a bulk import, PostgreSQL's planner statistics are refreshed
(models.db.refresh_statistics)."""
from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from models.db import refresh_statistics
from tests.builders import make_officer


def test_statistics_are_refreshed_after_an_import(engine: Engine) -> None:
    with Session(engine) as session:
        for i in range(3):
            make_officer(session, name=f"นายสถิติ คนที่{i}")
        session.commit()
        refresh_statistics(session)  # on SQLite: nothing to do, and no error
        if engine.dialect.name == "postgresql":
            # reltuples is -1 until the table is first analyzed (or vacuumed)
            tuples = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'staff'"))
            assert tuples is not None and tuples >= 3
