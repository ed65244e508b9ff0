"""The conversation router: from what the user said or tapped to the flow that answers it.

Every chat module declares itself in one `Flow` (handlers/flow.py); the tables here are built
from `FLOWS`, so adding a flow is one module and one line in that list.

Order for a text: `ยกเลิก` leaves any flow; a menu command answers (and leaves any flow where
it was); a person inside a flow (state in the database, handlers/conversation.py) goes to that
flow's step; otherwise each flow's `on_text` may take it (a link code, a free-form report), and
what nobody takes gets the menu. A tap is decoded once (handlers/postbacks.py) and goes to the
flow that declared its type; a stale or forged one is refused the same way everywhere.
Handlers return the messages to reply with and never commit (the webhook owns the transaction).
"""
from __future__ import annotations

import logging
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from handlers import (
    amending,
    announcing,
    competency,
    confirming,
    console_login,
    conversation,
    forms,
    hipps,
    idp,
    intents,
    kpis,
    linking,
    lowperf,
    menus,
    reminders,
    reporting,
    results,
    texts,
)
from handlers import messages as m
from handlers.context import (
    Context,
    Handler,
    Step,
    TapHandler,
    cancel_action,
    command_key,
    linked_only,
    refuse,
)
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
from handlers.flow import Flow, dump
from handlers.postbacks import TAPS, BadPostback, ShowHelp, ShowMyData, Tap, decode
from handlers.profile import my_data_card
from models import Conversation, LineUser, Staff, audit
from models.linking import unlink_account

log = logging.getLogger(__name__)

MAX_TEXT_READ = 2000  # characters; a longer message is not a command or an answer
CANCEL_WORDS = ("ยกเลิก", "cancel")
PERSON_KEY = "router.person"  # session.info: the LINE user of the event being handled


def show_help(ctx: Context) -> list[m.Message]:
    if ctx.staff is None:
        return [m.text(f"{texts.HELP_TITLE}\n• เชื่อมบัญชี: ใส่รหัสจาก HR\n\n{texts.NOT_LINKED}",
                       ctx.menu)]
    shown = menus.help_lines(ctx.roles)
    if ctx.staff.is_hipps:
        shown.update(texts.HIPPS_HELP_LINES)
    if menus.read_roles(ctx.session, ctx.staff).has_cases:
        shown.update(texts.CASE_HELP_LINES)
    lines = "\n".join(f"• {cmd}: {what}" for cmd, what in shown.items())
    return [m.text(f"{texts.HELP_TITLE}\n{lines}", ctx.menu)]


def show_my_data(ctx: Context) -> list[m.Message]:
    assert ctx.staff is not None
    return [my_data_card(ctx.session, ctx.staff, ctx.line_user, ctx.tz, ctx.menu)]


# The router's own commands: help and the person's own data (PDPA), for everyone.
BASICS = Flow(
    name="",
    commands={"ช่วยเหลือ": show_help, "เมนู": show_help, "help": show_help, "menu": show_help,
              "ข้อมูลของฉัน": linked_only(show_my_data)},
    taps={ShowHelp: lambda ctx, _tap: show_help(ctx),
          ShowMyData: lambda ctx, _tap: linked_only(show_my_data)(ctx)},
    linked=False,
)

# Every chat module, in the order their free-text readers (`on_text`) are asked.
FLOWS: list[Flow] = [
    BASICS,
    linking.FLOW,
    reporting.FLOW,
    confirming.FLOW,
    kpis.FLOW,
    amending.FLOW,
    announcing.FLOW,
    console_login.FLOW,
    forms.FLOW,
    competency.FLOW,
    results.FLOW,
    lowperf.FLOW,
    idp.FLOW,
    hipps.FLOW,
    reminders.FLOW,
    intents.FLOW,  # last: everyday chat, and what nobody understood
]


def _tables(flows: list[Flow]) -> tuple[dict[str, tuple[Flow, Handler]],
                                        dict[str, tuple[Flow, TapHandler]],
                                        dict[str, Flow]]:
    """Commands by their lookup key, taps by action, flows by name; a clash is a bug."""
    commands: dict[str, tuple[Flow, Handler]] = {}
    taps: dict[str, tuple[Flow, TapHandler]] = {}
    by_name: dict[str, Flow] = {}
    for flow in flows:
        if flow.name:
            if flow.name in by_name:
                raise ValueError(f"flow {flow.name!r} listed twice")
            by_name[flow.name] = flow
        for word, handler in flow.commands.items():
            key = command_key(word)
            if key in commands:
                raise ValueError(f"command {word!r} declared twice")
            commands[key] = (flow, handler if not flow.linked else linked_only(handler))
        for tap_type, tap_handler in flow.taps.items():
            if tap_type.ACTION in taps:
                raise ValueError(f"tap {tap_type.ACTION!r} declared twice")
            taps[tap_type.ACTION] = (flow, tap_handler)
    missing = set(TAPS) - set(taps)
    if missing:
        raise ValueError(f"taps without a handler: {sorted(missing)}")
    return commands, taps, by_name


COMMANDS, TAP_HANDLERS, FLOWS_BY_NAME = _tables(FLOWS)
_CANCEL_KEYS = {command_key(word) for word in CANCEL_WORDS}


def handle(session: Session, event: Incoming, now: datetime, *, tz: tzinfo,
           public_base_url: str) -> list[m.Message]:
    """Decide what to answer to one event; write what it changes to the session. `tz` and
    `public_base_url` come from the app's settings."""
    if not event.in_one_to_one_chat:
        if isinstance(event, (TextReceived, MediaReceived, PostbackReceived, JoinedChat)):
            return [m.text(texts.GROUP_ONLY_ONE_TO_ONE)]
        return []
    if isinstance(event, Ignored) or event.user_id is None:
        return []
    menus.forget_roles(session)
    line_user, flow_row = _line_user(session, event.user_id, now)
    # Held by the session for the rest of the event (its identity map holds objects weakly), so
    # that what runs after the answer (the webhook's ride-along) finds the person without a query.
    session.info[PERSON_KEY] = line_user
    ctx = Context(session, line_user, _linked_staff(session, line_user), now, tz, public_base_url)

    if isinstance(event, Followed):
        return _on_follow(ctx)
    if isinstance(event, Unfollowed):
        line_user.following = False
        conversation.end(session, line_user.user_id)
        audit(session, "line.unfollow", actor_line_user_id=event.user_id,
              actor_staff_id=line_user.staff_id)
        unlink_account(session, line_user)
        return []
    if isinstance(event, (TextReceived, MediaReceived)):
        ctx.current = (conversation.current(session, line_user.user_id, now)
                       if flow_row is conversation.UNKNOWN
                       else conversation.live(session, flow_row, now))
    if isinstance(event, TextReceived):
        return _on_text(ctx, event.text)
    if isinstance(event, PostbackReceived):
        return _on_postback(ctx, event)
    if isinstance(event, MediaReceived):
        return _on_media(ctx, event)
    return []


def _on_follow(ctx: Context) -> list[m.Message]:
    ctx.line_user.following = True
    audit(ctx.session, "line.follow", actor_line_user_id=ctx.line_user.user_id,
          actor_staff_id=ctx.line_user.staff_id)
    if ctx.staff is not None:
        greeting = texts.GREETING_LINKED.format(name=texts.address(ctx.staff.name_th))
        return [m.text(greeting), *show_help(ctx)]
    return [m.text(texts.GREETING_UNLINKED), *_answer(ctx, linking.FLOW, linking.start(ctx))]


def _on_text(ctx: Context, text: str) -> list[m.Message]:
    current = ctx.current
    if len(text) > MAX_TEXT_READ and not _long_text_expected(current, text):
        return [m.text(texts.TOO_LONG.format(limit=MAX_TEXT_READ), ctx.menu)]
    key = command_key(text)
    if key in _CANCEL_KEYS:
        conversation.end(ctx.session, ctx.line_user.user_id)
        return [m.text(texts.CANCELLED, ctx.menu)]
    command = COMMANDS.get(key)
    if command is not None:  # a menu command answers and leaves any flow where it was
        flow, handler = command
        return _answer(ctx, flow, handler(ctx))
    inside = FLOWS_BY_NAME.get(current.flow) if current is not None else None
    if current is not None and inside is not None:
        step = inside.steps.get(current.state)
        if step is not None and intents.is_laughter(text):  # "555" is never an answer
            return [m.text(texts.LAUGH_IN_FLOW, [cancel_action()])]
        if step is not None:
            return _answer(ctx, inside, step(ctx, text, inside.load(current.data)))
    for flow in FLOWS:
        if flow.on_text is not None and (ctx.staff is not None or not flow.linked):
            answer = flow.on_text(ctx, text)
            if answer is not None:
                return _answer(ctx, flow, answer)
    return [m.text(texts.NOT_LINKED if ctx.staff is None else texts.UNKNOWN, ctx.menu)]


def _long_text_expected(current: Conversation | None, text: str) -> bool:
    """A training report's learning summary may be as long as LINE allows (5,000 characters):
    asked for, or written below the course's first line."""
    if current is not None and current.flow == reporting.FLOW.name:
        return current.state == reporting.ReportState.ASKING_SUMMARY
    return "\n" in text and reporting.looks_like_training(text)


def _on_postback(ctx: Context, event: PostbackReceived) -> list[m.Message]:
    try:
        tap: Tap | None = decode(event.data)
    except BadPostback:
        tap = None
    known = TAP_HANDLERS.get(type(tap).ACTION) if tap is not None else None
    if tap is None or known is None:
        return refuse(ctx, event.data)
    flow, handler = known
    if flow.linked and ctx.staff is None:
        return [m.text(texts.NOT_LINKED, ctx.menu)]
    return _answer(ctx, flow, handler(ctx, tap))


def _on_media(ctx: Context, event: MediaReceived) -> list[m.Message]:
    current = ctx.current
    flow = FLOWS_BY_NAME.get(current.flow) if current is not None else None
    if current is not None and flow is not None and flow.on_media is not None \
            and ctx.staff is not None:
        return _answer(ctx, flow, flow.on_media(ctx, event, current.state,
                                                flow.load(current.data)))
    intro = texts.MEDIA.get(event.kind, "ได้รับข้อความแล้ว")
    return [m.text(f"{intro}\n{texts.MEDIA_NOT_NEEDED}", ctx.menu)]


def _answer(ctx: Context, flow: Flow, answer: list[m.Message] | Step) -> list[m.Message]:
    """The reply; a `Step` also saves where `flow` is now, and a finished flow's last answer
    carries the menu."""
    if not isinstance(answer, Step):
        return answer
    conversation.save(ctx.session, ctx.line_user.user_id, flow.name, answer.state,
                      dump(answer.data), ctx.now, ctx.current)
    messages = list(answer.messages)
    if answer.state is None and messages and "quickReply" not in messages[-1]:
        messages[-1] = {**messages[-1], "quickReply": m.quick_reply(ctx.menu)}
    return messages


# The person with their staff row, and their flow row, in one statement built once. The row lock
# takes one person's simultaneous events one after the other (as SQLite's single writer does),
# so a double tap or a message sent twice at once meets the state the first one left. On
# PostgreSQL the flow row is read after the lock is held, in a statement of its own: a row joined
# to the locked one would be the one seen before the wait (READ COMMITTED re-reads only the
# locked row).
_PERSON = (select(LineUser, Conversation)
           .outerjoin(Conversation, Conversation.user_id == LineUser.user_id)
           .where(LineUser.user_id == bindparam("user_id"))
           .options(joinedload(LineUser.staff)))
_PERSON_LOCKED = (select(LineUser).where(LineUser.user_id == bindparam("user_id"))
                  .options(joinedload(LineUser.staff)).with_for_update(of=LineUser))


def _line_user(session: Session, user_id: str, now: datetime) -> tuple[LineUser, Any]:
    """The person (a new row for someone never seen) and their flow row as stored (None: none;
    `conversation.UNKNOWN`: not read yet)."""
    found: Any
    if session.get_bind().dialect.name == "postgresql":
        line_user = session.scalar(_PERSON_LOCKED, {"user_id": user_id})
        found = (line_user, conversation.UNKNOWN) if line_user is not None else None
    else:
        found = session.execute(_PERSON, {"user_id": user_id}).first()
    if found is not None:
        return found[0], found[1]
    line_user = LineUser(user_id=user_id, following=True, first_seen_at=now,
                         failed_link_attempts=0)
    session.add(line_user)
    return line_user, None


def _linked_staff(session: Session, line_user: LineUser) -> Staff | None:
    if line_user.staff_id is None:
        return None
    staff = line_user.staff
    return staff if staff is not None and staff.active else None


__all__ = ["COMMANDS", "FLOWS", "Conversation", "handle"]
