"""Migration 0006 (appraisal) goes down to 0005 and up again on both databases."""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from models.db import make_engine, scratch_postgres_database
from models.migrate import alembic_config, sqlite_foreign_keys_off, upgrade

ISSUE_8_TABLES = {"appraisals", "competency_scores", "low_performer_cases", "low_performer_steps",
                  "idps", "idp_items", "idp_checkins", "development_survey", "key_projects",
                  "key_project_milestones", "hipps_reports", "hipps_certifications"}


def test_0006_downgrades_and_upgrades_again(database_url: str, tmp_path: Path) -> None:
    with ExitStack() as stack:
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path}/down.sqlite3"
        else:
            url = stack.enter_context(scratch_postgres_database(database_url, prefix="down"))
        engine = make_engine(url)
        upgrade(engine)
        assert ISSUE_8_TABLES <= set(inspect(engine).get_table_names())
        cfg = alembic_config()
        with engine.connect() as connection, sqlite_foreign_keys_off(connection):
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.downgrade(cfg, "0005_hr_console")
        assert not ISSUE_8_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert ISSUE_8_TABLES <= set(inspect(engine).get_table_names())
        engine.dispose()
