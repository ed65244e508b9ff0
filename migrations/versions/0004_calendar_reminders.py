"""calendar overrides, reminder policy, reminders, delivery worker

Revision ID: 0004_calendar_reminders
Revises: 0003_progress_reports
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0004_calendar_reminders'
down_revision: str | None = '0003_progress_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables, and three nullable/defaulted columns on the outbox (batch mode for SQLite).
    op.create_table('line_channel_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quota_limit', sa.Integer(), nullable=True),
    sa.Column('quota_used', sa.Integer(), nullable=True),
    sa.Column('quota_checked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('low_quota', sa.Boolean(), nullable=False),
    sa.Column('pushes_paused_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pause_reason', sa.Text(), nullable=False),
    sa.Column('hr_alerted_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_channel_state'))
    )
    op.create_table('reminder_policies',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('before_days', sa.JSON(), nullable=False),
    sa.Column('on_the_day', sa.Boolean(), nullable=False),
    sa.Column('overdue_every', sa.Integer(), nullable=False),
    sa.Column('overdue_times', sa.Integer(), nullable=False),
    sa.Column('digest_to_supervisor', sa.Boolean(), nullable=False),
    sa.Column('waiting_days', sa.Integer(), nullable=False),
    sa.Column('office_start', sa.String(length=5), nullable=False),
    sa.Column('office_end', sa.String(length=5), nullable=False),
    sa.Column('low_quota_percent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_reminder_policies_agency_id_agencies')),
    sa.PrimaryKeyConstraint('agency_id', name=op.f('pk_reminder_policies'))
    )
    op.create_table('calendar_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('office_day', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.Column('by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'], name=op.f('fk_calendar_overrides_by_staff_id_staff')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides'))
    )
    op.create_table('deadline_completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('deadline_key', sa.String(length=100), nullable=False),
    sa.Column('by_staff_id', sa.Integer(), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'], name=op.f('fk_deadline_completions_by_staff_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_deadline_completions_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_completions')),
    sa.UniqueConstraint('staff_id', 'deadline_key', name=op.f('uq_deadline_completions_staff_id_deadline_key'))
    )
    with op.batch_alter_table('deadline_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_completions_staff_id'), ['staff_id'], unique=False)

    op.create_table('reminder_pushes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox_messages.id'], name=op.f('fk_reminder_pushes_outbox_id_outbox_messages')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_reminder_pushes_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_pushes')),
    sa.UniqueConstraint('staff_id', 'day', name=op.f('uq_reminder_pushes_staff_id_day'))
    )
    with op.batch_alter_table('reminder_pushes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_pushes_outbox_id'), ['outbox_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_pushes_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_snoozes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('deadline_key', sa.String(length=100), nullable=False),
    sa.Column('snoozed_on', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_reminder_snoozes_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_snoozes')),
    sa.UniqueConstraint('staff_id', 'deadline_key', 'until', name=op.f('uq_reminder_snoozes_staff_id_deadline_key_until'))
    )
    with op.batch_alter_table('reminder_snoozes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_snoozes_staff_id'), ['staff_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('deadline_key', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('push_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['push_id'], ['reminder_pushes.id'], name=op.f('fk_reminders_push_id_reminder_pushes')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_reminders_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('staff_id', 'deadline_key', 'kind', 'day', name=op.f('uq_reminders_staff_id_deadline_key_kind_day'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_push_id'), ['push_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_next_attempt_at'), ['next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_next_attempt_at'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('category')
        batch_op.drop_column('next_attempt_at')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_push_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_day'))

    op.drop_table('reminders')
    with op.batch_alter_table('reminder_snoozes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_snoozes_staff_id'))

    op.drop_table('reminder_snoozes')
    with op.batch_alter_table('reminder_pushes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_pushes_user_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_pushes_outbox_id'))

    op.drop_table('reminder_pushes')
    with op.batch_alter_table('deadline_completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_completions_staff_id'))

    op.drop_table('deadline_completions')
    op.drop_table('calendar_overrides')
    op.drop_table('reminder_policies')
    op.drop_table('line_channel_state')
