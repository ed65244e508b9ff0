"""appraisal results, low-performer cases, IDPs, HiPPS reports

Revision ID: 0006_appraisal
Revises: 0005_hr_console
Create Date: 2026-11-21 12:00:00
"""
from collections.abc import Sequence

revision: str = '0006_appraisal'
down_revision: str | None = '0005_hr_console'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
