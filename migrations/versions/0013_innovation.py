"""innovation or digital work: a flag on KPIs and on progress reports (seed 004's measure)

Revision ID: 0013_innovation
Revises: 0012_report_batches
Create Date: 2026-11-27 03:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_innovation'
down_revision: str | None = '0012_report_batches'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows are not innovation until someone says so.
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.add_column(sa.Column('innovation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('innovation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('innovation')
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.drop_column('innovation')
