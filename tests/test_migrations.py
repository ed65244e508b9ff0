"""Migrations, not create_all, build both databases, and they agree with the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from models import Base


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists(migrated_engine: Engine) -> None:
    tables = set(inspect(migrated_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrading_a_database_that_has_data(database_url: str, tmp_path: object) -> None:
    """0002 adds NOT NULL columns to tables that already have rows: they get defaults."""
    from contextlib import ExitStack

    from sqlalchemy import text

    from models.db import make_engine, scratch_postgres_database
    from models.migrate import upgrade

    with ExitStack() as stack:
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path}/upgrade.sqlite3"
        else:
            url = stack.enter_context(scratch_postgres_database(database_url, prefix="upgrade"))
        engine = make_engine(url)
        upgrade(engine, "0001_platform")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO agencies (id, code, name_th) "
                                    "VALUES (1, 'A', 'ก')"))
            connection.execute(text("INSERT INTO units (id, agency_id, code, name_th) "
                                    "VALUES (1, 1, 'U', 'กอง')"))
            connection.execute(text(
                "INSERT INTO staff (id, agency_id, unit_id, staff_code, name_th, position, "
                "is_hipps, active, created_at) VALUES (1, 1, 1, 'S1', 'นาย ก', '', false, true, "
                "CURRENT_TIMESTAMP)"))
        upgrade(engine)
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT a.achievement_weight, s.position_type, u.kind FROM agencies a "
                "JOIN units u ON u.agency_id = a.id JOIN staff s ON s.unit_id = u.id")).one()
        assert tuple(row) == (70, "ทั่วไป", "กอง")
        engine.dispose()
