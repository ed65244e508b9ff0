"""Flask CLI commands (run from the repository root; `.flaskenv` finds the app)."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bot import clock, db

db_cli = AppGroup("db", help="Database migrations.")
demo_cli = AppGroup("demo", help="The demo agency.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration."""
    from models.migrate import upgrade

    upgrade(db.engine())
    click.echo("database is up to date")


def _today() -> date:
    return clock.now(current_app.config["SETTINGS"].timezone).date()


@demo_cli.command("seed")
def demo_seed() -> None:
    """Create the demo agency and its people (idempotent)."""
    from bot.demo import seed_demo

    with db.session_scope() as session:
        agency = seed_demo(session, today=_today())
        session.commit()
        click.echo(f"demo agency: {agency.name_th}")


@demo_cli.command("appraisal")
def demo_appraisal() -> None:
    """The demo round's KPI results, competencies, key project, IDPs (idempotent)."""
    from bot.demo_appraisal import seed_appraisal_demo

    with db.session_scope() as session:
        added = seed_appraisal_demo(session, today=_today())
        session.commit()
    click.echo("demo round results added" if added else "demo round results were there already")


line_cli = AppGroup("line", help="The LINE channel.")


@line_cli.command("setup-richmenu")
@click.option("--save-image", type=click.Path(dir_okay=False, writable=True),
              help="Also write the generated menu image to this file, to look at it.")
def line_setup_richmenu(save_image: str | None) -> None:
    """Create each role's rich menu (officer, carer, HR) with its image; the officer's is the
    default; print one line per menu: its role and its id. Earlier menus of ours are deleted."""
    from pathlib import Path

    from bot.line_gateway import LineApiError
    from bot.richmenu import menu_image, setup_rich_menus

    settings = current_app.config["SETTINGS"]
    image = menu_image()
    if save_image is not None:
        Path(save_image).write_bytes(image.data)
    try:
        ids = setup_rich_menus(settings)
    except LineApiError as exc:
        reason = (f"ติดต่อ LINE ที่ {settings.line_api_base_url} ไม่ได้ / could not reach LINE"
                  if exc.status == 0 else "LINE ไม่รับเมนู / LINE refused the rich menu")
        raise click.ClickException(f"{reason}: {exc}") from exc
    for kind, rich_menu_id in ids.items():
        click.echo(f"{kind} {rich_menu_id}")


def init_app(app: Flask) -> None:
    from bot import cli_amend  # noqa: F401  (adds `flask kpi amend` to kpi_cli)
    from bot.cli_staff import kpi_cli, staff_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(kpi_cli)
    app.cli.add_command(line_cli)
    from bot import cli_documents  # noqa: F401  (adds `flask hr documents` to hr_cli)
    from bot.cli_hr import hr_cli

    app.cli.add_command(hr_cli)
    from bot import cli_appraisal  # flask round/hr/hipps

    cli_appraisal.init_app(app)
    from bot.cli_calendar import calendar_cli

    app.cli.add_command(calendar_cli)
