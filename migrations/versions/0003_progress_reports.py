"""progress reports, confirmations, evidence

Revision ID: 0003_progress_reports
Revises: 0002_staff_rounds_kpis
Create Date: 2026-11-21 10:50:24.438494
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0003_progress_reports'
down_revision: str | None = '0002_staff_rounds_kpis'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only; nothing is added to existing ones.
    op.create_table('progress_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('percent', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('work_status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('send_back_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_progress_reports_kpi_id_kpis')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_progress_reports_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_progress_reports_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_reports'))
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_reports_kpi_id'), ['kpi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_reports_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_reports_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_reports_status'), ['status'], unique=False)

    op.create_table('confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('confirmer_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmer_id'], ['staff.id'], name=op.f('fk_confirmations_confirmer_id_staff')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_confirmations_report_id_progress_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confirmations')),
    sa.UniqueConstraint('report_id', 'version', 'confirmer_id', name=op.f('uq_confirmations_report_id_version_confirmer_id'))
    )
    with op.batch_alter_table('confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confirmations_confirmer_id'), ['confirmer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_confirmations_report_id'), ['report_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('line_message_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('stored_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_evidence_report_id_progress_reports')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_evidence_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('line_message_id', name=op.f('uq_evidence_line_message_id'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_status'))
        batch_op.drop_index(batch_op.f('ix_evidence_staff_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_report_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confirmations_report_id'))
        batch_op.drop_index(batch_op.f('ix_confirmations_confirmer_id'))

    op.drop_table('confirmations')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_status'))
        batch_op.drop_index(batch_op.f('ix_progress_reports_round_id'))
        batch_op.drop_index(batch_op.f('ix_progress_reports_officer_id'))
        batch_op.drop_index(batch_op.f('ix_progress_reports_kpi_id'))

    op.drop_table('progress_reports')
