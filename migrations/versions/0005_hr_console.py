"""HR announcements, checklist forms, console sign-in

Revision ID: 0005_hr_console
Revises: 0004_calendar_reminders
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

revision: str = '0005_hr_console'
down_revision: str | None = '0004_calendar_reminders'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
