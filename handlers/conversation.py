"""Conversation state kept in the database, so any web worker can take the next message.

A flow is a declared table `{state: step}`; a step takes the context and what the person said
and returns a `Step`: the messages to answer and the next state (None ends the flow).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from handlers.messages import Message
from models import Conversation

IDLE_EXPIRY = timedelta(minutes=30)


@dataclass
class Step:
    """What a flow step decided: answer with `messages`, then be in `state` (None: done)."""

    messages: list[Message]
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def current(session: Session, user_id: str, now: datetime) -> Conversation | None:
    """The person's flow, unless there is none or it has been idle past its expiry."""
    conversation = session.get(Conversation, user_id)
    if conversation is None:
        return None
    if conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        return None
    return conversation


UNKNOWN = object()  # `save`'s caller has not read the person's flow row


def save(session: Session, user_id: str, flow: str, step: Step, now: datetime,
         current: Conversation | None | object = UNKNOWN) -> None:
    """Move the person to the step's state in `flow`, or end the flow when it has none.

    `current` is the row the caller read in this transaction (None: none), saving a query.
    """
    if step.state is None:
        end(session, user_id)
        return
    conversation = (session.get(Conversation, user_id) if current is UNKNOWN
                    else current if isinstance(current, Conversation) else None)
    if conversation is None:
        conversation = Conversation(user_id=user_id)
        session.add(conversation)
    conversation.flow, conversation.state, conversation.data = flow, step.state, dict(step.data)
    conversation.expires_at = now + IDLE_EXPIRY


def end(session: Session, user_id: str) -> None:
    session.execute(delete(Conversation).where(Conversation.user_id == user_id))
