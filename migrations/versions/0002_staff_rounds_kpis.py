"""staff, rounds, KPI agreements, linking, conversations

Revision ID: 0002_staff_rounds_kpis
Revises: 0001_platform
Create Date: 2026-11-21 10:30:25.812558
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0002_staff_rounds_kpis'
down_revision: str | None = '0001_platform'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns added to existing tables carry a server default, so existing rows get a value.
    op.create_table('conversations',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('flow', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_conversations'))
    )
    op.create_table('deadline_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title_th', sa.String(length=255), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=True),
    sa.Column('anchor', sa.String(length=16), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=True),
    sa.Column('day', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_deadline_rules_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rules')),
    sa.UniqueConstraint('agency_id', 'code', 'round_no', name=op.f('uq_deadline_rules_agency_id_code_round_no'))
    )
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_rules_agency_id'), ['agency_id'], unique=False)

    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_rounds_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('agency_id', 'fiscal_year', 'round_no', name=op.f('uq_rounds_agency_id_fiscal_year_round_no'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_agency_id'), ['agency_id'], unique=False)

    op.create_table('round_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title_th', sa.String(length=255), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_deadlines_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_deadlines')),
    sa.UniqueConstraint('round_id', 'code', name=op.f('uq_round_deadlines_round_id_code'))
    )
    with op.batch_alter_table('round_deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_deadlines_round_id'), ['round_id'], unique=False)

    op.create_table('kpi_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('key_project', sa.Text(), nullable=True),
    sa.Column('signed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_kpi_agreements_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_kpi_agreements_round_id_rounds')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['staff.id'], name=op.f('fk_kpi_agreements_signed_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_agreements')),
    sa.UniqueConstraint('officer_id', 'round_id', name=op.f('uq_kpi_agreements_officer_id_round_id'))
    )
    with op.batch_alter_table('kpi_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_agreements_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_agreements_round_id'), ['round_id'], unique=False)

    op.create_table('link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_link_codes_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_link_codes_code_hash'))
    )
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_codes_staff_id'), ['staff_id'], unique=False)

    op.create_table('kpis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('unit', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level1', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level2', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level3', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level4', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level5', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('allow_over_100', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['kpi_agreements.id'], name=op.f('fk_kpis_agreement_id_kpi_agreements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpis')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_kpis_agreement_id_number'))
    )
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpis_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('kpi_change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_kpi_change_requests_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_change_requests_kpi_id_kpis')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_kpi_change_requests_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_change_requests'))
    )
    with op.batch_alter_table('kpi_change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_change_requests_kpi_id'), ['kpi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_change_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('achievement_weight', sa.Integer(), nullable=False, server_default='70'))
        batch_op.add_column(sa.Column('competency_weight', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('officers_see_scores', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('line_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_link_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('link_locked_until', models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_role_assignments_staff_id_role_officer_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_role_assignments_round_id'), ['round_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_role_assignments_staff_id_role_officer_id_round_id'), ['staff_id', 'role', 'officer_id', 'round_id'])
        batch_op.create_foreign_key(batch_op.f('fk_role_assignments_round_id_rounds'), 'rounds', ['round_id'], ['id'])

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('position_type', sa.String(length=16), nullable=False, server_default='ทั่วไป'))
        batch_op.add_column(sa.Column('supervisor_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_supervisor_id'), ['supervisor_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_staff_supervisor_id_staff'), 'staff', ['supervisor_id'], ['id'])

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='กอง'))

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_supervisor_id_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_staff_supervisor_id'))
        batch_op.drop_column('supervisor_id')
        batch_op.drop_column('position_type')
        batch_op.drop_column('level')

    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_assignments_round_id_rounds'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_role_assignments_staff_id_role_officer_id_round_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_role_assignments_round_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_role_assignments_staff_id_role_officer_id'), ['staff_id', 'role', 'officer_id'])
        batch_op.drop_column('round_id')

    with op.batch_alter_table('line_users', schema=None) as batch_op:
        batch_op.drop_column('link_locked_until')
        batch_op.drop_column('failed_link_attempts')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('officers_see_scores')
        batch_op.drop_column('competency_weight')
        batch_op.drop_column('achievement_weight')

    with op.batch_alter_table('kpi_change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_change_requests_status'))
        batch_op.drop_index(batch_op.f('ix_kpi_change_requests_kpi_id'))

    op.drop_table('kpi_change_requests')
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpis_agreement_id'))

    op.drop_table('kpis')
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_codes_staff_id'))

    op.drop_table('link_codes')
    with op.batch_alter_table('kpi_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_agreements_round_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_agreements_officer_id'))

    op.drop_table('kpi_agreements')
    with op.batch_alter_table('round_deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_deadlines_round_id'))

    op.drop_table('round_deadlines')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_agency_id'))

    op.drop_table('rounds')
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_rules_agency_id'))

    op.drop_table('deadline_rules')
    op.drop_table('conversations')
    # ### end Alembic commands ###
