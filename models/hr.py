"""HR's tools: announcements with acknowledgement, checklist forms, and console sign-in."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Audience(StrEnum):
    """Who an announcement or form goes to."""

    EVERYONE = "all"
    UNIT = "unit"  # a unit with all its sub-units; value: the unit id
    ROLE = "role"  # value: mentor | coach | supervisor | hipps
    NOT_REPORTED = "not_reported"  # has KPIs in the current round and has not reported


class SendStatus(StrEnum):
    SCHEDULED = "scheduled"  # waits for `scheduled_for`
    SENDING = "sending"  # claimed by one dispatcher
    SENT = "sent"
    CANCELLED = "cancelled"


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # An image or file sent with it in the chat: kept like evidence, linked from the message.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    attachment_token: Mapped[str | None] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))
    audience_value: Mapped[str] = mapped_column(String(64), default="")
    audience_label: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default=SendStatus.SCHEDULED, index=True)
    scheduled_for: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    summary_sent_on: Mapped[date | None] = mapped_column(Date)  # the end-of-day summary


class AnnouncementRecipient(Base):
    """One person an announcement went to, and whether they tapped รับทราบ."""

    __tablename__ = "announcement_recipients"
    __table_args__ = (UniqueConstraint("announcement_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    line_user_id: Mapped[str | None] = mapped_column(String(64))  # None: not linked to LINE
    # no FK: outbox rows may be purged
    outbox_id: Mapped[int | None] = mapped_column(Integer, index=True)
    acknowledged_at: Mapped[datetime | None]


class Form(Base):
    """A checklist form (like seed 002's career-path report) sent to people with a deadline.

    `sections` is a list of {"key", "title", "kind": "multi"|"text", "options": [...],
    "other": bool}; "other" adds "อื่น ๆ (ระบุ)" with free text.
    """

    __tablename__ = "forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    due_on: Mapped[date] = mapped_column(Date)
    audience: Mapped[str] = mapped_column(String(16))
    audience_value: Mapped[str] = mapped_column(String(64), default="")
    audience_label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class FormResponse(Base):
    """One person's copy of a form: the draft answers while filling in, then the submission."""

    __tablename__ = "form_responses"
    __table_args__ = (UniqueConstraint("form_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None]


class ConsoleLoginToken(Base):
    """A one-time sign-in link pushed over LINE; only the token's hash is stored."""

    __tablename__ = "console_login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConsoleSession(Base):
    """A signed-in browser; the cookie holds the secret, the row its hash and the CSRF token."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
