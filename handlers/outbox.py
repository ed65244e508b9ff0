"""Writing pushes to the outbox, in the caller's transaction."""
from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from handlers.messages import MAX_MULTICAST_RECIPIENTS, Message, check_messages
from models import OutboxMessage

# What a row's `category` tells the delivery worker (scheduler/delivery.py):
ANNOUNCEMENT = "announcement"  # HR's announcements and forms: office hours only;
                               # held on a low quota
NOTICE = "notice"  # never sent alone: rides on a reply or goes in the day's push (day_push.py)
URGENT = "urgent"  # office hours only, sent the same office day, even on a low quota


# A row whose messages carry a secret (a console sign-in link): its body is replaced once it is
# sent or given up, so the secret is not kept in the database any longer than delivery needs.
SECRET = "secret"
SECRET_REMOVED = {"type": "text", "text": "(ข้อความนี้มีลิงก์ใช้ครั้งเดียว ลบออกหลังส่งแล้ว)"}


def forget_secret(row: OutboxMessage) -> None:
    """Drop a secret-carrying row's body (after it is sent or dead)."""
    if row.category == SECRET:
        row.messages = [SECRET_REMOVED]


def enqueue_push(session: Session, to: str, messages: Sequence[Message],
                 category: str = "") -> OutboxMessage:
    """A push to one user, sent by the delivery worker after the transaction commits."""
    check_messages(messages)
    row = OutboxMessage(kind="push", recipients=[to], messages=list(messages),
                        retry_key=str(uuid.uuid4()), category=category)
    session.add(row)
    return row


def enqueue_multicast(session: Session, to: Sequence[str], messages: Sequence[Message],
                      category: str = "") -> list[OutboxMessage]:
    """The same messages to many users: one multicast row per 500 recipients."""
    check_messages(messages)
    unique = list(dict.fromkeys(to))
    rows = []
    for start in range(0, len(unique), MAX_MULTICAST_RECIPIENTS):
        chunk = unique[start:start + MAX_MULTICAST_RECIPIENTS]
        row = OutboxMessage(kind="push" if len(chunk) == 1 else "multicast",
                            recipients=chunk, messages=list(messages),
                            retry_key=str(uuid.uuid4()), category=category)
        session.add(row)
        rows.append(row)
    return rows


def take_off(row: OutboxMessage, users: Collection[str], status_if_empty: str,
             reason: str = "") -> None:
    """Take these people off a row not sent yet; a row left with nobody ends in
    `status_if_empty` (and `reason`), a multicast left with one person becomes a push."""
    row.recipients = [r for r in row.recipients if r not in users]
    if not row.recipients:
        row.status = status_if_empty
        row.last_error = reason or row.last_error
    elif len(row.recipients) == 1:
        row.kind = "push"
