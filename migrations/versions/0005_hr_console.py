"""HR announcements, checklist forms, console sign-in

Revision ID: 0005_hr_console
Revises: 0004_calendar_reminders
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0005_hr_console'
down_revision: str | None = '0004_calendar_reminders'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('announcement_recipients', 'announcements', 'form_responses', 'forms',
          'console_sessions', 'console_login_tokens')


def upgrade() -> None:
    # New tables only; nothing is added to existing ones (the same on SQLite and PostgreSQL).
    op.create_table('console_login_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_console_login_tokens_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_console_login_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_console_login_tokens_token_hash'))
    )
    op.create_index(op.f('ix_console_login_tokens_staff_id'), 'console_login_tokens', ['staff_id'], unique=False)
    op.create_table('console_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_console_sessions_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sessions')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_console_sessions_secret_hash'))
    )
    op.create_index(op.f('ix_console_sessions_staff_id'), 'console_sessions', ['staff_id'], unique=False)
    op.create_table('forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('audience_value', sa.String(length=64), nullable=False),
    sa.Column('audience_label', sa.String(length=255), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_forms_agency_id_agencies')),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_forms_author_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forms'))
    )
    op.create_index(op.f('ix_forms_agency_id'), 'forms', ['agency_id'], unique=False)
    op.create_index(op.f('ix_forms_author_id'), 'forms', ['author_id'], unique=False)
    op.create_table('form_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_responses_form_id_forms')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_form_responses_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_responses')),
    sa.UniqueConstraint('form_id', 'staff_id', name=op.f('uq_form_responses_form_id_staff_id'))
    )
    op.create_index(op.f('ix_form_responses_form_id'), 'form_responses', ['form_id'], unique=False)
    op.create_index(op.f('ix_form_responses_staff_id'), 'form_responses', ['staff_id'], unique=False)
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('attachment_token', sa.String(length=64), nullable=True),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('audience_value', sa.String(length=64), nullable=False),
    sa.Column('audience_label', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('scheduled_for', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('summary_sent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_announcements_agency_id_agencies')),
    sa.ForeignKeyConstraint(['attachment_id'], ['evidence.id'], name=op.f('fk_announcements_attachment_id_evidence')),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_announcements_author_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    op.create_index(op.f('ix_announcements_agency_id'), 'announcements', ['agency_id'], unique=False)
    op.create_index(op.f('ix_announcements_author_id'), 'announcements', ['author_id'], unique=False)
    op.create_index(op.f('ix_announcements_status'), 'announcements', ['status'], unique=False)
    op.create_table('announcement_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_recipients_announcement_id_announcements')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_announcement_recipients_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_recipients')),
    sa.UniqueConstraint('announcement_id', 'staff_id', name=op.f('uq_announcement_recipients_announcement_id_staff_id'))
    )
    op.create_index(op.f('ix_announcement_recipients_announcement_id'), 'announcement_recipients', ['announcement_id'], unique=False)
    op.create_index(op.f('ix_announcement_recipients_outbox_id'), 'announcement_recipients', ['outbox_id'], unique=False)
    op.create_index(op.f('ix_announcement_recipients_staff_id'), 'announcement_recipients', ['staff_id'], unique=False)


def downgrade() -> None:
    for table in TABLES:  # dependants first; their indexes go with them
        op.drop_table(table)
