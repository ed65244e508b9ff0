"""POST /callback: verify, parse, de-duplicate, translate, dispatch, reply. Nothing else."""
from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app
from flask import request as http_request
from linebot.v3.webhook import SignatureValidator
from sqlalchemy import Dialect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import clock, db
from bot.line_gateway import LineApiError, LineGateway
from bot.settings import Settings
from handlers import messages as m
from handlers import router, texts
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
from handlers.outbox import enqueue_push
from handlers.reminders import ride_along
from models import WebhookEvent, utcnow

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback() -> tuple[str, int]:
    """LINE's webhook. 400 (and nothing stored) unless the signature matches the raw body."""
    signature = http_request.headers.get("X-Line-Signature", "")
    body = http_request.get_data(as_text=True)
    validator: SignatureValidator = current_app.extensions["line.signature"]
    if not validator.validate(body, signature):
        abort(400, "invalid signature")
    try:
        raw_events = json.loads(body)["events"]
        if not isinstance(raw_events, list) or not all(_well_formed(e) for e in raw_events):
            raise ValueError("events")
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested JSON
        abort(400, "malformed webhook body")
    settings: Settings = current_app.config["SETTINGS"]
    for raw in raw_events:
        _process(raw, settings)
    return "OK", 200


def _process(raw: dict[str, Any], settings: Settings) -> None:
    event_id = raw.get("webhookEventId")
    reply_token = raw.get("replyToken")
    now = clock.now(settings.timezone)
    event = translate(raw, now)
    with db.one_writer(), db.session_scope() as session:
        if event_id and not _claim(session, str(event_id), str(raw.get("type", ""))):
            log.info("webhook event %s already handled; skipped", event_id)
            # Only LINE's own redelivery (sent because no 200 came back), never a duplicate
            # copy arriving while the first is still replying.
            redelivery = bool((raw.get("deliveryContext") or {}).get("isRedelivery"))
            unanswered = _take_unanswered(session, str(event_id)[:64]) if redelivery else None
            if unanswered and reply_token:  # handled, but its process died before replying
                _reply(reply_token, unanswered, event.user_id if event.in_one_to_one_chat
                       else None)
            return
        try:
            replies = router.handle(session, event, now, tz=settings.tz,
                                    public_base_url=settings.url(""))
            if replies and reply_token and event.in_one_to_one_chat and event.user_id:
                # the day's push, held notices, a confirmer's digest: free on the reply
                replies = ride_along(session, event.user_id, replies, now)
            if replies and reply_token and event_id:
                _remember(session, str(event_id)[:64], replies)
            session.commit()
        except Exception:
            session.rollback()  # the event stays unclaimed: a redelivery may succeed
            log.exception("handler failed for webhook event %s (%s)", event_id, raw.get("type"))
            replies = [m.text(texts.SYSTEM_ERROR)] if event.in_one_to_one_chat else []
    if replies and reply_token:
        _reply(reply_token, replies, event.user_id if event.in_one_to_one_chat else None)
        if event_id:
            _answered(str(event_id)[:64])


class _Bookkeeping:
    """The bookkeeping every event does (its claim, its stored answer, the answer gone out) as
    plain SQL for the database's driver, with the columns' own converters: three statements per
    event that SQLAlchemy's statement layer would otherwise cost about 0.1 ms each
    (docs/benchmarks.md)."""

    def __init__(self, dialect: Dialect) -> None:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        table = WebhookEvent.__tablename__
        self.claim = (f"INSERT INTO {table} (webhook_event_id, event_type, received_at) "
                      f"VALUES ({mark}, {mark}, {mark})")
        self.remember = f"UPDATE {table} SET reply = {mark} WHERE webhook_event_id = {mark}"
        self.answered = (f"UPDATE {table} SET answered_at = {mark}, reply = NULL "
                         f"WHERE webhook_event_id = {mark}")
        self.time = _converter(WebhookEvent.received_at.type, dialect)
        self.json = _converter(WebhookEvent.reply.type, dialect)


def _converter(type_: Any, dialect: Dialect) -> Callable[[Any], Any]:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else (lambda value: value)


@functools.lru_cache(maxsize=8)
def _bookkeeping(dialect: Dialect) -> _Bookkeeping:
    return _Bookkeeping(dialect)


def _remember(session: Session, event_id: str, replies: list[m.Message]) -> None:
    """Keep the answer with the claimed event, in the event's own transaction."""
    connection = session.connection()
    sql = _bookkeeping(connection.dialect)
    connection.exec_driver_sql(sql.remember, (sql.json(replies), event_id))


def _answered(event_id: str) -> None:
    """The answer went out (or is queued as a push): no redelivery sends it again. One statement
    on its own (autocommit: no BEGIN and COMMIT round trips to the server)."""
    with db.one_writer(), db.engine().connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        sql = _bookkeeping(connection.dialect)
        connection.exec_driver_sql(sql.answered, (sql.time(utcnow()), event_id))


def _take_unanswered(session: Session, event_id: str) -> list[m.Message] | None:
    """For a redelivery: the stored answer of an event never answered, taken by this delivery
    alone (a conditional UPDATE, so two redeliveries cannot both send it)."""
    stored = session.scalar(select(WebhookEvent.reply).where(
        WebhookEvent.webhook_event_id == event_id, WebhookEvent.answered_at.is_(None)))
    if not stored:
        return None
    taken = session.execute(update(WebhookEvent).where(
        WebhookEvent.webhook_event_id == event_id, WebhookEvent.answered_at.is_(None))
        .values(answered_at=utcnow(), reply=None))
    session.commit()
    return list(stored) if getattr(taken, "rowcount", 0) == 1 else None


def _claim(session: Session, event_id: str, event_type: str) -> bool:
    """Record the event id in this transaction; False if any worker already has it."""
    connection = session.connection()
    sql = _bookkeeping(connection.dialect)
    try:
        connection.exec_driver_sql(sql.claim, (event_id[:64], event_type[:32], sql.time(utcnow())))
    except IntegrityError:
        session.rollback()
        return False
    return True


def _reply(reply_token: str, replies: list[m.Message], user_id: str | None) -> None:
    gateway: LineGateway = current_app.extensions["line.gateway"]
    try:
        gateway.reply(reply_token, replies)
    except LineApiError as exc:
        # The change is committed; make sure the answer still reaches the person.
        log.warning("reply failed (%s); the answer goes out as a push", exc)
        if user_id:
            with db.session_scope() as session:
                enqueue_push(session, user_id, replies)
                session.commit()


# LINE's webhook objects (the Messaging API's webhook.yml) are read straight from the JSON whose
# signature was checked: the SDK's models would build a pydantic object of every field for the
# few the bot reads (docs/benchmarks.md).


def _well_formed(raw: object) -> bool:
    """An event object the bot can read: its type, source, message and postback are objects and
    strings where the spec says so (the rest of it is not read)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        return False
    source = raw.get("source", {})
    if not isinstance(source, dict) or not isinstance(source.get("userId", ""), str):
        return False
    if raw["type"] == "message":
        message = raw.get("message")
        return (isinstance(message, dict) and isinstance(message.get("type"), str)
                and (message["type"] != "text" or isinstance(message.get("text"), str)))
    if raw["type"] == "postback":
        postback = raw.get("postback")
        return (isinstance(postback, dict) and isinstance(postback.get("data", ""), str)
                and isinstance(postback.get("params") or {}, dict))
    return True


def translate(raw: dict[str, Any], now: datetime) -> Incoming:
    """Turn one webhook event object (checked by `_well_formed`) into the small internal event
    the handlers understand."""
    source = raw.get("source") or {}
    source_type = source.get("type") or "user"
    user_id = source.get("userId") or None
    at = _event_time(raw.get("timestamp"), now)
    base: dict[str, Any] = {"user_id": user_id, "at": at, "source_type": source_type}
    kind = raw["type"]
    if kind == "message":
        message = raw["message"]
        if message["type"] == "text":
            return TextReceived(**base, text=storable_text(message["text"]))
        return MediaReceived(**base, kind=message["type"], message_id=str(message.get("id", "")))
    if kind == "postback":
        postback = raw["postback"]
        return PostbackReceived(**base, data=storable_text(postback.get("data") or ""),
                                params=dict(postback.get("params") or {}))
    if kind == "follow":
        return Followed(**base)
    if kind == "unfollow":
        return Unfollowed(**base)
    if kind == "join":
        return JoinedChat(**base)
    return Ignored(**base, event_type=kind)


# JSON can escape a lone surrogate or a NUL; neither can be stored (PostgreSQL refuses both).
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def storable_text(text: str) -> str:
    """The text with any unpaired surrogate or NUL replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text or "")


def _event_time(timestamp: object, now: datetime) -> datetime:
    """LINE's millisecond timestamp, or `now` when it is missing or out of range."""
    if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
        return now
    try:
        return datetime.fromtimestamp(timestamp / 1000, now.tzinfo)
    except (OverflowError, OSError, ValueError):
        return now
