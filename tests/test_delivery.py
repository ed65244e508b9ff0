"""The outbox: pushes written with the change, sent with their stored retry keys."""
from __future__ import annotations

import time

import pytest
from flask import Flask, Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.line_gateway import LineApiError, LineGateway
from bot.serving import serve_in_thread
from bot.settings import Settings
from handlers.messages import MessageLimitError, text
from handlers.outbox import enqueue_multicast, enqueue_push
from models import OutboxMessage, OutboxStatus
from models.db import make_session_factory
from tests.builders import deliver_outbox


def test_a_push_is_sent_once_with_its_retry_key(app: Flask, engine: Engine,
                                                fake_line: FakeLine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        row = enqueue_push(session, "U1", [text("แจ้งเตือน")])
        session.commit()
        key = row.retry_key
    gateway: LineGateway = app.extensions["line.gateway"]
    assert deliver_outbox(sessions, gateway) == 1
    assert deliver_outbox(sessions, gateway) == 0
    assert [r["retry_key"] for r in fake_line.requests] == [key]
    with sessions() as session:
        assert session.scalars(select(OutboxMessage)).one().status == OutboxStatus.SENT


def test_409_means_already_delivered(app: Flask, engine: Engine, fake_line: FakeLine) -> None:
    sessions = make_session_factory(engine)
    gateway: LineGateway = app.extensions["line.gateway"]
    with sessions() as session:
        row = enqueue_push(session, "U1", [text("x")])
        session.commit()
    gateway.push("U1", [text("x")], row.retry_key)  # accepted, but the row never learnt it
    assert deliver_outbox(sessions, gateway) == 1
    assert len(fake_line.messages_for("U1")) == 1


def test_multicast_splits_at_500(session: Session) -> None:
    rows = enqueue_multicast(session, [f"U{i}" for i in range(1001)] + ["U0"], [text("x")])
    assert [len(r.recipients) for r in rows] == [500, 500, 1]
    assert [r.kind for r in rows] == ["multicast", "multicast", "push"]
    assert len({r.retry_key for r in rows}) == 3


def test_an_oversized_message_never_enters_the_outbox(session: Session) -> None:
    with pytest.raises(MessageLimitError):
        enqueue_push(session, "U1", [text("ก" * 5001)])


@pytest.mark.parametrize(("message", "token", "reason"), [
    ({"type": "text", "text": 5}, None, "non-empty string"),  # our limits
    ({"type": "bogus", "text": "x"}, None, "LINE API 400"),  # LINE's spec (the fake)
    ({"type": "text", "text": "x"}, "revoked-token", "LINE API 401"),  # LINE's auth
], ids=["limits", "line-400", "line-401"])
def test_a_message_line_refuses_is_dead_lettered_with_the_reason(
        settings: Settings, engine: Engine, fake_line: FakeLine, message: dict[str, object],
        token: str | None, reason: str) -> None:
    sessions = make_session_factory(engine)
    gateway = LineGateway(settings.with_(channel_access_token=token) if token else settings)
    with sessions() as session:
        session.add(OutboxMessage(kind="push", recipients=["U1"], messages=[message]))
        session.commit()
    assert deliver_outbox(sessions, gateway) == 0
    assert deliver_outbox(sessions, gateway) == 0  # never retried
    gateway.close()
    with sessions() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert row.status == OutboxStatus.DEAD
        assert row.attempts == 1
        assert reason in (row.last_error or "")
    assert not fake_line.deliveries


def test_the_gateway_times_out_instead_of_hanging(settings: Settings) -> None:
    slow = Flask("slow")

    @slow.post("/v2/bot/message/push")
    def push() -> Response:
        time.sleep(2)
        return Response("{}", content_type="application/json")

    server = serve_in_thread(slow)
    gateway = LineGateway(settings.with_(line_api_base_url=server.url, line_timeout=(0.5, 0.3)))
    started = time.monotonic()
    with pytest.raises(LineApiError) as error:
        gateway.push("U1", [text("x")], "123e4567-e89b-12d3-a456-426614174000")
    assert error.value.status == 0 and error.value.retryable
    assert time.monotonic() - started < 1.5
    gateway.close()
    server.stop()
