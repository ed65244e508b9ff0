"""messages the bot did not understand (for HR to grow the intent table)

Revision ID: 0010_unknown_messages
Revises: 0009_fair_results
Create Date: 2026-11-27 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0010_unknown_messages'
down_revision: str | None = '0009_fair_results'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only; nothing is added to existing ones.
    op.create_table('unknown_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('linked', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'],
                            name=op.f('fk_unknown_messages_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unknown_messages'))
    )
    op.create_index(op.f('ix_unknown_messages_agency_id'), 'unknown_messages', ['agency_id'],
                    unique=False)
    op.create_index(op.f('ix_unknown_messages_received_at'), 'unknown_messages', ['received_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_unknown_messages_received_at'), table_name='unknown_messages')
    op.drop_index(op.f('ix_unknown_messages_agency_id'), table_name='unknown_messages')
    op.drop_table('unknown_messages')
