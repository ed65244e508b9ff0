"""What the bot keeps about LINE: accounts, received webhook events and the outbox."""
from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.org import Staff


class LineUser(Base):
    """A LINE account that has talked to the bot; linked to at most one staff record."""

    __tablename__ = "line_users"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    linked_at: Mapped[datetime | None]
    failed_link_attempts: Mapped[int] = mapped_column(Integer, default=0)
    link_locked_until: Mapped[datetime | None]

    staff: Mapped[Staff | None] = relationship()


class Conversation(Base):
    """Where a person is in a flow (state machines in `handlers`); one row per LINE user."""

    __tablename__ = "conversations"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime]


class WebhookEvent(Base):
    """Every webhook event id seen once; the primary key makes redelivery a no-op on any worker."""

    __tablename__ = "webhook_events"

    webhook_event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The answer, stored in the event's own transaction, and when it went out: a redelivery of
    # an event whose process died between commit and reply sends it then, once.
    reply: Mapped[list[Any] | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None]


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # a 4xx LINE will never accept; the reason is kept
    SKIPPED = "skipped"  # every recipient unfollowed the bot: nothing to send
    REPLIED = "replied"  # a reminder that rode on a reply instead of a push
    EXPIRED = "expired"  # a reminder held back (low quota) until its day was over
    WITHDRAWN = "withdrawn"  # a reminder whose items were all done before it was sent
    GATHERED = "gathered"  # a held notice that went in the person's day push


class OutboxMessage(Base):
    """A push or multicast written in the same transaction as the change that caused it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    retry_key: Mapped[str] = mapped_column(String(36), unique=True,
                                           default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(16))  # push | multicast
    recipients: Mapped[list[str]] = mapped_column(JSON)
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # The delivery worker's bookkeeping: when to try again after a failure; what the
    # row is ("" ordinary, "reminder" may wait when the quota is low, "urgent" deadline-day and
    # overdue reminders and alerts to HR); when an unsent reminder stops being worth sending.
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(String(16), default="", server_default="")
    expires_at: Mapped[datetime | None]
