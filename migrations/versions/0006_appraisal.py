"""appraisal results, low performers, IDPs, HiPPS reports

Revision ID: 0006_appraisal
Revises: 0005_hr_console
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0006_appraisal'
down_revision: str | None = '0005_hr_console'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only; nothing is added to existing ones.
    op.create_table('appraisals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('achievement', sa.Numeric(precision=8, scale=3), nullable=False),
    sa.Column('competency', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('overall', sa.Numeric(precision=10, scale=5), nullable=True),
    sa.Column('band', sa.String(length=32), nullable=True),
    sa.Column('achievement_weight', sa.Integer(), nullable=False),
    sa.Column('competency_weight', sa.Integer(), nullable=False),
    sa.Column('kpi_levels', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('computed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('officer_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['staff.id'], name=op.f('fk_appraisals_approved_by_id_staff')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_appraisals_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_appraisals_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisals')),
    sa.UniqueConstraint('officer_id', 'round_id', name=op.f('uq_appraisals_officer_id_round_id'))
    )
    with op.batch_alter_table('appraisals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisals_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appraisals_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appraisals_status'), ['status'], unique=False)

    op.create_table('competency_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['staff.id'], name=op.f('fk_competency_scores_assessor_id_staff')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_competency_scores_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_competency_scores_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_scores')),
    sa.UniqueConstraint('officer_id', 'round_id', 'competency', name=op.f('uq_competency_scores_officer_id_round_id_competency'))
    )
    with op.batch_alter_table('competency_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competency_scores_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competency_scores_round_id'), ['round_id'], unique=False)

    op.create_table('development_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_development_survey_agency_id_agencies')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_development_survey_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_survey')),
    sa.UniqueConstraint('staff_id', 'fiscal_year', name=op.f('uq_development_survey_staff_id_fiscal_year'))
    )
    with op.batch_alter_table('development_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_survey_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_development_survey_staff_id'), ['staff_id'], unique=False)

    op.create_table('hipps_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('certified_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('copies_sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_hipps_reports_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_hipps_reports_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hipps_reports')),
    sa.UniqueConstraint('officer_id', 'round_id', name=op.f('uq_hipps_reports_officer_id_round_id'))
    )
    with op.batch_alter_table('hipps_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hipps_reports_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hipps_reports_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hipps_reports_status'), ['status'], unique=False)

    op.create_table('key_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_key_projects_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_key_projects_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_projects'))
    )
    with op.batch_alter_table('key_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_projects_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_projects_round_id'), ['round_id'], unique=False)

    op.create_table('hipps_certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('certifier_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certifier_id'], ['staff.id'], name=op.f('fk_hipps_certifications_certifier_id_staff')),
    sa.ForeignKeyConstraint(['report_id'], ['hipps_reports.id'], name=op.f('fk_hipps_certifications_report_id_hipps_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hipps_certifications')),
    sa.UniqueConstraint('report_id', 'version', 'role', name=op.f('uq_hipps_certifications_report_id_version_role'))
    )
    with op.batch_alter_table('hipps_certifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hipps_certifications_report_id'), ['report_id'], unique=False)

    op.create_table('key_project_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['key_projects.id'], name=op.f('fk_key_project_milestones_project_id_key_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_project_milestones')),
    sa.UniqueConstraint('project_id', 'number', name=op.f('uq_key_project_milestones_project_id_number'))
    )
    with op.batch_alter_table('key_project_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_project_milestones_project_id'), ['project_id'], unique=False)

    op.create_table('low_performer_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('superior_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('report_due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reported_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('report_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisals.id'], name=op.f('fk_low_performer_cases_appraisal_id_appraisals')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_low_performer_cases_officer_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_low_performer_cases_round_id_rounds')),
    sa.ForeignKeyConstraint(['superior_id'], ['staff.id'], name=op.f('fk_low_performer_cases_superior_id_staff')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['staff.id'], name=op.f('fk_low_performer_cases_supervisor_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_low_performer_cases')),
    sa.UniqueConstraint('appraisal_id', name=op.f('uq_low_performer_cases_appraisal_id'))
    )
    with op.batch_alter_table('low_performer_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_low_performer_cases_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_low_performer_cases_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_low_performer_cases_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_low_performer_cases_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('idps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['low_performer_cases.id'], name=op.f('fk_idps_case_id_low_performer_cases')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_idps_officer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idps')),
    sa.UniqueConstraint('officer_id', 'fiscal_year', name=op.f('uq_idps_officer_id_fiscal_year'))
    )
    with op.batch_alter_table('idps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idps_officer_id'), ['officer_id'], unique=False)

    op.create_table('low_performer_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['low_performer_cases.id'], name=op.f('fk_low_performer_steps_case_id_low_performer_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_low_performer_steps_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_low_performer_steps'))
    )
    with op.batch_alter_table('low_performer_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_low_performer_steps_case_id'), ['case_id'], unique=False)

    op.create_table('idp_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idp_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=255), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idp_id'], ['idps.id'], name=op.f('fk_idp_items_idp_id_idps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idp_items'))
    )
    with op.batch_alter_table('idp_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idp_items_idp_id'), ['idp_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idp_items_status'), ['status'], unique=False)

    op.create_table('idp_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['idp_items.id'], name=op.f('fk_idp_checkins_item_id_idp_items')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_idp_checkins_report_id_progress_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idp_checkins'))
    )
    with op.batch_alter_table('idp_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idp_checkins_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    # Indexes go with their tables; children before parents.
    op.drop_table('idp_checkins')
    op.drop_table('idp_items')
    op.drop_table('low_performer_steps')
    op.drop_table('idps')
    op.drop_table('low_performer_cases')
    op.drop_table('key_project_milestones')
    op.drop_table('hipps_certifications')
    op.drop_table('key_projects')
    op.drop_table('hipps_reports')
    op.drop_table('development_survey')
    op.drop_table('competency_scores')
    op.drop_table('appraisals')
