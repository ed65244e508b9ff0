"""a fair result: the supervisor-confirms setting, HR's choice for missing results, closed
cases, low-performer reports due after the development steps, amendments of a whole agreement

Revision ID: 0009_fair_results
Revises: 0008_webhook_replies
Create Date: 2026-11-27 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0009_fair_results'
down_revision: str | None = '0008_webhook_replies'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kpi_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('kpis', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['kpi_agreements.id'], name=op.f('fk_kpi_amendments_agreement_id_kpi_agreements')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_kpi_amendments_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_kpi_amendments_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_amendments'))
    )
    with op.batch_alter_table('kpi_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_amendments_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_amendments_status'), ['status'], unique=False)
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor_confirms', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch', sa.String(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('tested_on', sa.Date(), nullable=True))
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
    op.drop_table('kpi_amendments')
    with op.batch_alter_table('low_performer_cases', schema=None) as batch_op:
        batch_op.alter_column('report_due', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('close_note')
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('appraisals', schema=None) as batch_op:
        batch_op.alter_column('achievement', existing_type=sa.Numeric(precision=8, scale=3),
                              nullable=False)
        batch_op.drop_column('missing_reason')
        batch_op.drop_column('missing_as_zero')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('tested_on')
        batch_op.drop_column('batch')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('supervisor_confirms')
