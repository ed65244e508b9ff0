"""calendar overrides, reminder policy, reminders, delivery worker

Revision ID: 0004_calendar_reminders
Revises: 0003_progress_reports
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

revision: str = '0004_calendar_reminders'
down_revision: str | None = '0003_progress_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
