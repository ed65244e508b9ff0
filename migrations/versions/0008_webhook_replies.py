"""the answer to a webhook event is kept until it has gone out

Revision ID: 0008_webhook_replies
Revises: 0007_calendar_by_agency
Create Date: 2026-11-27 01:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0008_webhook_replies'
down_revision: str | None = '0007_calendar_by_agency'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('webhook_events', sa.Column('reply', sa.JSON(), nullable=True))
    op.add_column('webhook_events', sa.Column('answered_at', models.base.UTCDateTime(timezone=True),
                                              nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('webhook_events') as batch:
        batch.drop_column('answered_at')
        batch.drop_column('reply')
