"""Conversation state kept in the database, so any web worker can take the next message.

One row per person: the flow they are in (handlers/flow.py), its state and its state data,
and when it expires after 30 idle minutes.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models import Conversation

IDLE_EXPIRY = timedelta(minutes=30)


def current(session: Session, user_id: str, now: datetime) -> Conversation | None:
    """The person's flow, unless there is none or it has been idle past its expiry."""
    return live(session, session.get(Conversation, user_id), now)


def live(session: Session, conversation: Conversation | None,
         now: datetime) -> Conversation | None:
    """The person's flow row as read (None: none), unless it has been idle past its expiry."""
    if conversation is None:
        return None
    if conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        return None
    return conversation


UNKNOWN = object()  # `save`'s caller has not read the person's flow row


def save(session: Session, user_id: str, flow: str, state: str | None, data: dict[str, Any],
         now: datetime, current: Conversation | None | object = UNKNOWN) -> None:
    """Move the person to `state` in `flow` with its data, or end the flow when `state` is None.

    `current` is the row the caller read in this transaction (None: none), saving a query.
    """
    if state is None:
        end(session, user_id)
        return
    conversation = (session.get(Conversation, user_id) if current is UNKNOWN
                    else current if isinstance(current, Conversation) else None)
    if conversation is None:
        conversation = Conversation(user_id=user_id)
        session.add(conversation)
    conversation.flow, conversation.state, conversation.data = flow, state, data
    conversation.expires_at = now + IDLE_EXPIRY


def end(session: Session, user_id: str) -> None:
    session.execute(delete(Conversation).where(Conversation.user_id == user_id))
