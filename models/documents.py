"""A download link to one officer's own result PDF, sent in the chat (LINE has no file message
for bots): a random token whose hash is stored, for that person and that result only, valid
for a short time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class DocumentLink(Base):
    __tablename__ = "document_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
