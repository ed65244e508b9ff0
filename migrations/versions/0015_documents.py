"""links to an officer's own result PDF, sent in the chat

Revision ID: 0015_documents
Revises: 0013_innovation
Create Date: 2026-11-27 03:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0015_documents'
down_revision: str | None = '0013_innovation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only; nothing is added to existing ones.
    op.create_table('document_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisals.id'],
                            name=op.f('fk_document_links_appraisal_id_appraisals')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                            name=op.f('fk_document_links_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_document_links_token_hash'))
    )
    op.create_index(op.f('ix_document_links_staff_id'), 'document_links', ['staff_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_links_staff_id'), table_name='document_links')
    op.drop_table('document_links')
