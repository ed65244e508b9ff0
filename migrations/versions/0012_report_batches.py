"""several KPIs reported in one message: their reports share a submission

Revision ID: 0012_report_batches
Revises: 0011_rich_menu_links
Create Date: 2026-11-27 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_report_batches'
down_revision: str | None = '0011_rich_menu_links'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column only: every existing report stays a report of its own.
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_progress_reports_submission_id'), ['submission_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_submission_id'))
        batch_op.drop_column('submission_id')
