"""office-calendar overrides belong to an agency

Revision ID: 0007_calendar_by_agency
Revises: 0006_appraisal
Create Date: 2026-11-27 01:00:00

Until now one agency's HR declaring a day off changed every agency's calendar. Each override
now belongs to an agency. Existing overrides were in force for every agency, so each agency
gets its own copy: nobody's calendar changes on the day of the upgrade, and from then on each
agency's HR changes only its own.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0007_calendar_by_agency'
down_revision: str | None = '0006_appraisal'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("day", "office_day", "note", "by_staff_id", "created_at")


def _create(with_agency: bool) -> None:
    columns: list[sa.SchemaItem] = []
    if with_agency:
        columns.append(sa.Column('agency_id', sa.Integer(), nullable=False))
    columns += [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('office_day', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=255), nullable=False),
        sa.Column('by_staff_id', sa.Integer(), nullable=True),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'],
                                name=op.f('fk_calendar_overrides_by_staff_id_staff')),
    ]
    if with_agency:
        columns += [
            sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'],
                                    name=op.f('fk_calendar_overrides_agency_id_agencies')),
            sa.PrimaryKeyConstraint('agency_id', 'day', name=op.f('pk_calendar_overrides')),
        ]
    else:
        columns.append(sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides')))
    op.create_table('calendar_overrides', *columns)


def _rows() -> list[dict[str, object]]:
    bind = op.get_bind()
    table = sa.table('calendar_overrides', *(sa.column(c) for c in COLUMNS))
    return [dict(row._mapping) for row in bind.execute(sa.select(table))]


def upgrade() -> None:
    rows = _rows()
    agencies = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM agencies"))]
    op.drop_table('calendar_overrides')
    _create(with_agency=True)
    copies = [{**row, "agency_id": agency} for row in rows for agency in agencies]
    if copies:
        table = sa.table('calendar_overrides', sa.column('agency_id'),
                         *(sa.column(c) for c in COLUMNS))
        op.get_bind().execute(table.insert(), copies)


def downgrade() -> None:
    rows = _rows()
    op.drop_table('calendar_overrides')
    _create(with_agency=False)
    kept: dict[object, dict[str, object]] = {}
    for row in rows:  # one row per day again: the first agency's wins
        kept.setdefault(row["day"], row)
    if kept:
        table = sa.table('calendar_overrides', *(sa.column(c) for c in COLUMNS))
        op.get_bind().execute(table.insert(), list(kept.values()))
