"""a fair result: the supervisor-confirms setting, HR's choice for missing results, closed cases

Revision ID: 0007_fair_results
Revises: 0006_appraisal
Create Date: 2026-11-27 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0007_fair_results'
down_revision: str | None = '0006_appraisal'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor_confirms', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('appraisals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missing_as_zero', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('missing_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.alter_column('achievement', existing_type=sa.Numeric(precision=8, scale=3),
                              nullable=True)
    with op.batch_alter_table('low_performer_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('close_note', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.alter_column('report_due', existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('low_performer_cases', schema=None) as batch_op:
        batch_op.alter_column('report_due', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('close_note')
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('appraisals', schema=None) as batch_op:
        batch_op.alter_column('achievement', existing_type=sa.Numeric(precision=8, scale=3),
                              nullable=False)
        batch_op.drop_column('missing_reason')
        batch_op.drop_column('missing_as_zero')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('supervisor_confirms')
