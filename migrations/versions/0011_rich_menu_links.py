"""the rich menu of each person's role, linked per user

Revision ID: 0011_rich_menu_links
Revises: 0010_unknown_messages
Create Date: 2026-11-27 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0011_rich_menu_links'
down_revision: str | None = '0010_unknown_messages'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only; nothing is added to existing ones.
    op.create_table('rich_menu_links',
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rich_menu_id', sa.String(length=64), nullable=False),
    sa.Column('linked_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['line_user_id'], ['line_users.user_id'],
                            name=op.f('fk_rich_menu_links_line_user_id_line_users')),
    sa.PrimaryKeyConstraint('line_user_id', name=op.f('pk_rich_menu_links'))
    )


def downgrade() -> None:
    op.drop_table('rich_menu_links')
