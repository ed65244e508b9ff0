"""Releasing webhook events together, for the race tests: each prepared as a signed body, all
posted over HTTP at once behind a thread barrier (each request its own session, as in
production); the data they act on is committed first, since a request sees only committed rows."""
from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from bot.sim import sign, webhook_body
from models import AuditEntry
from tests.conftest import TEST_SECRET


def committed(engine: Engine, build: Callable[[Session], Any]) -> Any:
    """Run `build` in its own session and commit, so that every request sees its rows."""
    with Session(engine, expire_on_commit=False) as session:
        result = build(session)
        session.commit()
        return result


def release_together(server: BackgroundServer, fake: FakeLine,
                     events: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Post one signed webhook per (user_id, event), all released at once; each one's replies."""
    prepared = []
    for user_id, event in events:
        token = uuid.uuid4().hex
        fake.expect_reply(token, user_id)
        raw = json.dumps(webhook_body(user_id, event, token), ensure_ascii=False).encode()
        prepared.append((token, raw))
    barrier = threading.Barrier(len(prepared))
    statuses: list[int] = []

    def deliver(raw: bytes) -> None:
        barrier.wait()
        statuses.append(requests.post(server.url + "/callback", data=raw, timeout=60, headers={
            "Content-Type": "application/json", "X-Line-Signature": sign(raw, TEST_SECRET)}
        ).status_code)

    threads = [threading.Thread(target=deliver, args=(raw,)) for _token, raw in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(prepared)
    return [fake.replies_to(token) for token, _raw in prepared]


def texts_of(replies: list[dict[str, Any]]) -> str:
    return json.dumps(replies, ensure_ascii=False)


def audit_count(engine: Engine, action: str) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action)) or 0
