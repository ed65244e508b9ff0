"""A simple outbox drain: send pending rows with their stored retry keys.

The robust worker (back-off, quota, several workers with SKIP LOCKED) comes with the scheduler.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.line_gateway import LineApiError, LineGateway
from bot.messages import MessageLimitError
from models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def drain_outbox(sessions: sessionmaker[Session], gateway: LineGateway, limit: int = 100) -> int:
    """Send up to `limit` pending rows; return how many LINE accepted."""
    sent = 0
    with sessions() as session:
        query = (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
                 .order_by(OutboxMessage.id).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        for row in rows:
            row.attempts += 1
            try:
                if row.kind == "multicast":
                    gateway.multicast(row.recipients, row.messages, row.retry_key)
                else:
                    gateway.push(row.recipients[0], row.messages, row.retry_key)
            except MessageLimitError as exc:  # LINE would refuse it on every try
                row.status, row.last_error = OutboxStatus.DEAD, str(exc)[:2000]
                log.error("outbox %s dead: %s", row.id, exc)
                continue
            except LineApiError as exc:
                if exc.already_accepted:
                    row.status, row.sent_at = OutboxStatus.SENT, utcnow()
                    sent += 1
                elif not exc.retryable or row.attempts >= MAX_ATTEMPTS:
                    row.status, row.last_error = OutboxStatus.DEAD, str(exc)[:2000]
                    log.error("outbox %s dead: %s", row.id, exc)
                else:
                    row.last_error = str(exc)[:2000]
                    log.warning("outbox %s will be retried: %s", row.id, exc)
                continue
            row.status, row.sent_at = OutboxStatus.SENT, utcnow()
            sent += 1
        session.commit()
    return sent
