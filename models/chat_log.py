"""Messages the bot did not understand (for HR), and which rich menu each person is shown.

Only what that needs is stored (PDPA): the text (cut short), when, the agency of a linked sender
(so each HR office sees its own), and whether the sender was linked; never who sent it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow

MAX_KEPT = 500  # characters of a message kept


class UnknownMessage(Base):
    """One message that no command, flow or intent took."""

    __tablename__ = "unknown_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    linked: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(String(MAX_KEPT))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def log_unknown(session: Session, text: str, agency_id: int | None, now: datetime) -> None:
    """Keep one message nobody understood (whitespace folded, cut to MAX_KEPT characters)."""
    folded = " ".join(text.split())[:MAX_KEPT]
    if folded:
        session.add(UnknownMessage(agency_id=agency_id, linked=agency_id is not None,
                                   text=folded, received_at=now))


def unknown_summary(session: Session, agency_id: int,
                    limit: int = 200) -> list[tuple[str, int, datetime, int]]:
    """(text, times, last seen, times from people not yet linked) for this agency's people and
    for people not yet linked, most frequent first."""
    rows = session.execute(
        select(UnknownMessage.text, func.count(), func.max(UnknownMessage.received_at),
               func.count(UnknownMessage.agency_id))
        .where(or_(UnknownMessage.agency_id == agency_id, UnknownMessage.agency_id.is_(None)))
        .group_by(UnknownMessage.text)
        .order_by(func.count().desc(), func.max(UnknownMessage.received_at).desc())
        .limit(limit)).all()
    return [(text, count, last, count - linked) for text, count, last, linked in rows]


class RichMenuLink(Base):
    """Which role's rich menu LINE shows a person (linked per user), as last set."""

    __tablename__ = "rich_menu_links"

    line_user_id: Mapped[str] = mapped_column(ForeignKey("line_users.user_id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    rich_menu_id: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
