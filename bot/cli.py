"""Flask CLI commands (run from the repository root; `.flaskenv` finds the app)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from bot import db

db_cli = AppGroup("db", help="Database migrations.")
demo_cli = AppGroup("demo", help="The demo agency.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration."""
    from models.migrate import upgrade

    upgrade(db.engine())
    click.echo("database is up to date")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Create the demo agency and its people (idempotent)."""
    from bot.demo import seed_demo

    with db.session_scope() as session:
        agency = seed_demo(session)
        session.commit()
        click.echo(f"demo agency: {agency.name_th}")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_cli)
