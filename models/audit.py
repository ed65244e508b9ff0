"""The audit log: who did what, when."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_line_user_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def audit(session: Session, action: str, *, actor_staff_id: int | None = None,
          actor_line_user_id: str | None = None, subject: str = "",
          **details: Any) -> AuditEntry:
    """Add one audit entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(action=action, actor_staff_id=actor_staff_id,
                       actor_line_user_id=actor_line_user_id, subject=subject, details=details)
    session.add(entry)
    return entry
