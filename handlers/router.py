"""The conversation router: one table from what the user said or tapped to a handler.

Later flows (reporting, confirming, …) add their own entries; each handler returns the
messages to reply with and never commits (the webhook owns the transaction).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs

from sqlalchemy.orm import Session

from bot import messages as m
from bot.thai import normalize
from handlers import texts
from handlers.events import (
    Followed,
    Ignored,
    Incoming,
    JoinedChat,
    MediaReceived,
    PostbackReceived,
    TextReceived,
    Unfollowed,
)
from handlers.profile import my_data_card
from models import LineUser, Staff, audit

log = logging.getLogger(__name__)

MAX_TEXT_READ = 2000  # characters; a longer message is not a command or an answer


@dataclass
class Context:
    """Who is talking, as the database knows them (never as the event claims)."""

    session: Session
    line_user: LineUser
    staff: Staff | None
    now: datetime


Handler = Callable[[Context], list[m.Message]]


def menu_quick_replies() -> list[m.Action]:
    return [m.message_action(label) for label in texts.HELP_LINES]


def show_help(ctx: Context) -> list[m.Message]:
    lines = "\n".join(f"• {cmd}: {what}" for cmd, what in texts.HELP_LINES.items())
    body = f"{texts.HELP_TITLE}\n{lines}"
    if ctx.staff is None:
        body += "\n\n" + texts.NOT_LINKED
    return [m.text(body, menu_quick_replies())]


def show_my_data(ctx: Context) -> list[m.Message]:
    if ctx.staff is None:
        return [m.text(texts.NOT_LINKED, menu_quick_replies())]
    return [my_data_card(ctx.session, ctx.staff, ctx.line_user, ctx.now.tzinfo or UTC,
                         menu_quick_replies())]


# What a user may type (after normalising) and what it does.
COMMANDS: dict[str, Handler] = {
    "ช่วยเหลือ": show_help,
    "เมนู": show_help,
    "help": show_help,
    "menu": show_help,
    "ข้อมูลของฉัน": show_my_data,
}

# What a postback's `action=` may name. The rest of its data is never trusted.
POSTBACKS: dict[str, Handler] = {
    "help": show_help,
    "mydata": show_my_data,
}

_SPACES = re.compile(r"\s+")


def command_key(text: str) -> str:
    """The form a typed command is looked up by: normalised Thai, no spaces, case-folded."""
    return _SPACES.sub("", normalize(text)).casefold()


_COMMAND_KEYS = {command_key(k): v for k, v in COMMANDS.items()}


def handle(session: Session, event: Incoming, now: datetime) -> list[m.Message]:
    """Decide what to answer to one event; write what it changes to the session."""
    if not event.in_one_to_one_chat:
        if isinstance(event, (TextReceived, MediaReceived, PostbackReceived, JoinedChat)):
            return [m.text(texts.GROUP_ONLY_ONE_TO_ONE)]
        return []
    if isinstance(event, Ignored) or event.user_id is None:
        return []
    line_user = _line_user(session, event.user_id, now)
    ctx = Context(session, line_user, _linked_staff(session, line_user), now)

    if isinstance(event, Followed):
        line_user.following = True
        audit(session, "line.follow", actor_line_user_id=event.user_id,
              actor_staff_id=line_user.staff_id)
        greeting = (texts.GREETING_LINKED.format(name=texts.address(ctx.staff.name_th)) if ctx.staff
                    else texts.GREETING_UNLINKED)
        return [m.text(greeting), *show_help(ctx)]
    if isinstance(event, Unfollowed):
        line_user.following = False
        audit(session, "line.unfollow", actor_line_user_id=event.user_id,
              actor_staff_id=line_user.staff_id)
        return []
    if isinstance(event, TextReceived):
        return _on_text(ctx, event.text)
    if isinstance(event, PostbackReceived):
        return _on_postback(ctx, event)
    if isinstance(event, MediaReceived):
        intro = texts.MEDIA.get(event.kind, "ได้รับข้อความแล้ว")
        return [m.text(f"{intro}\n{texts.MEDIA_NOT_NEEDED}", menu_quick_replies())]
    return []


def _on_text(ctx: Context, text: str) -> list[m.Message]:
    if len(text) > MAX_TEXT_READ:
        return [m.text(texts.TOO_LONG, menu_quick_replies())]
    handler = _COMMAND_KEYS.get(command_key(text))
    if handler is not None:
        return handler(ctx)
    return [m.text(texts.UNKNOWN, menu_quick_replies())]


def _on_postback(ctx: Context, event: PostbackReceived) -> list[m.Message]:
    action = parse_qs(event.data, keep_blank_values=True).get("action", [""])[0]
    handler = POSTBACKS.get(action)
    if handler is None:
        audit(ctx.session, "postback.refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.line_user.staff_id, data=event.data[:300])
        return [m.text(texts.STALE_BUTTON, menu_quick_replies())]
    return handler(ctx)


def _line_user(session: Session, user_id: str, now: datetime) -> LineUser:
    line_user = session.get(LineUser, user_id)
    if line_user is None:
        line_user = LineUser(user_id=user_id, following=True, first_seen_at=now)
        session.add(line_user)
    return line_user


def _linked_staff(session: Session, line_user: LineUser) -> Staff | None:
    if line_user.staff_id is None:
        return None
    staff = session.get(Staff, line_user.staff_id)
    return staff if staff is not None and staff.active else None
