"""The chat test harness: people send, tap and follow; tests read the replies and the pushes.

Two drivers with one interface (`say`, `tap`, `follow`, `unfollow`, `send_media`, `pushed`,
and `now`, the bot's clock, in the test's hand):
  - `chat` (`Chat`): events go straight to the router in the test's session: fast, every detail;
  - `line` (`Line`): signed webhooks through the Flask app, the outbox delivered by the real
    worker, replies and pushes read from the fake LINE API: the whole way, on committed data.
Both are fixtures (registered in tests/conftest.py). The reading helpers are below them.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.settings import Settings
from bot.sim import webhook_body
from handlers import router
from handlers.events import (
    Followed,
    MediaReceived,
    PostbackReceived,
    TextReceived,
    Unfollowed,
)
from models import OutboxMessage
from tests.builders import APP_TZ, BASE_URL, deliver_outbox, post_webhook

BKK = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BKK)  # a Saturday in fiscal year 2570, round 1

Messages = list[dict[str, Any]]


class Chat:
    """The bot in-process: each event goes to the router, in the test's session, at `now`."""

    def __init__(self, session: Session, now: datetime = NOW) -> None:
        self.session, self.now = session, now

    def say(self, user_id: str, text: str) -> Messages:
        return self.handle(TextReceived(user_id=user_id, at=self.now, text=text))

    def tap(self, user_id: str, data: str) -> Messages:
        return self.handle(PostbackReceived(user_id=user_id, at=self.now, data=data))

    def follow(self, user_id: str) -> Messages:
        return self.handle(Followed(user_id=user_id, at=self.now))

    def unfollow(self, user_id: str) -> Messages:
        return self.handle(Unfollowed(user_id=user_id, at=self.now))

    def send_media(self, user_id: str, kind: str, message_id: str) -> Messages:
        return self.handle(MediaReceived(user_id=user_id, at=self.now, kind=kind,
                                         message_id=message_id))

    def handle(self, event: Any) -> Messages:
        """The one call of the router in the tests: the replies to `event`."""
        replies = router.handle(self.session, event, self.now, tz=APP_TZ,
                                public_base_url=BASE_URL)
        self.session.flush()
        return replies

    def cards(self, user_id: str) -> Messages:
        """What waits for a confirmer's decision, as they see it (รออนุมัติ; the day's digest
        shows the same cards)."""
        return self.say(user_id, "รออนุมัติ")

    def pushed(self, user_id: str) -> Messages:
        """Every message the outbox holds for `user_id` (pushes and multicasts), oldest first."""
        rows = self.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [message for row in rows if user_id in row.recipients for message in row.messages]


class Line:
    """The bot end to end: signed POST /callback; the fake LINE API gets the replies and pushes."""

    def __init__(self, client: FlaskClient, app: Flask, fake: FakeLine, secret: str,
                 now: datetime = NOW) -> None:
        self.client, self.app, self.fake, self.secret, self.now = client, app, fake, secret, now
        self.last_body: dict[str, Any] = {}

    def post(self, user_id: str, event: dict[str, Any],
             body: dict[str, Any] | None = None) -> Messages:
        """Post `event` (or a whole `body`, given a fresh reply token); the replies LINE got."""
        token = uuid.uuid4().hex
        self.fake.expect_reply(token, user_id)
        body = body or webhook_body(user_id, event, token)
        body["events"][0]["replyToken"] = token
        assert post_webhook(self.client, body, self.secret).status_code == 200
        self.last_body = body
        return self.fake.replies_to(token)

    def say(self, user_id: str, text: str) -> Messages:
        return self.post(user_id, {"type": "message", "message": {
            "type": "text", "id": uuid.uuid4().hex[:12], "text": text, "quoteToken": "q"}})

    def tap(self, user_id: str, data: str) -> Messages:
        return self.post(user_id, {"type": "postback", "postback": {"data": data}})

    def follow(self, user_id: str) -> Messages:
        return self.post(user_id, {"type": "follow", "follow": {"isUnblocked": False}})

    def unfollow(self, user_id: str) -> Messages:
        return self.post(user_id, {"type": "unfollow"})

    def send_media(self, user_id: str, kind: str, message_id: str) -> Messages:
        """An image, video or audio message whose content LINE keeps."""
        return self.post(user_id, {"type": "message", "message": {
            "type": kind, "id": message_id, "quoteToken": "q",
            "contentProvider": {"type": "line"}}})

    def cards(self, user_id: str) -> Messages:
        """What waits for a confirmer's decision, as they see it (รออนุมัติ)."""
        return self.say(user_id, "รออนุมัติ")

    def pushed(self, user_id: str) -> Messages:
        """Deliver the outbox, then everything pushed to `user_id` so far."""
        with self.app.app_context():
            deliver_outbox(self.app.extensions["db.sessions"], self.app.extensions["line.gateway"])
        return [d.message for d in self.fake.messages_for(user_id) if d.kind == "push"]

    def cli(self, *args: str) -> Result:
        """Run a `flask` command of the app; it must succeed."""
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def chat(session: Session) -> Chat:
    return Chat(session)


@pytest.fixture
def line(client: FlaskClient, app: Flask, fake_line: FakeLine, settings: Settings,
         monkeypatch: pytest.MonkeyPatch) -> Line:
    line = Line(client, app, fake_line, settings.channel_secret)
    monkeypatch.setattr("bot.clock.now", lambda _tz: line.now)
    return line


# --- reading the messages --------------------------------------------------------------------

def said(messages: Messages) -> str:
    """Everything a person reads in these messages (texts, Flex texts, labels, alt texts)."""
    def walk(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node[k] for k in ("text", "label", "altText") if isinstance(node.get(k), str)]
            return own + [t for v in node.values() if isinstance(v, (dict, list)) for t in walk(v)]
        if isinstance(node, list):
            return [t for item in node for t in walk(item)]
        return []
    return "\n".join(walk(messages))


def flat(messages: Messages) -> str:
    """Everything in the messages, as searchable text (newlines kept as newlines)."""
    return json.dumps(messages, ensure_ascii=False).replace("\\n", "\n")


def quick_labels(messages: Messages) -> list[str]:
    """The labels of the last message's quick replies."""
    return [item["action"]["label"] for item in messages[-1].get("quickReply", {}).get("items", [])]


def quick_texts(messages: Messages) -> dict[str, str]:
    """Label → text of the last message's message-action quick replies."""
    items = messages[-1].get("quickReply", {}).get("items", [])
    return {i["action"]["label"]: i["action"].get("text", "") for i in items
            if i["action"]["type"] == "message"}


def postbacks(messages: Messages) -> dict[str, str]:
    """Label → postback data of every postback action in the messages (last one wins)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "postback" and "data" in node:
                found[node["label"]] = node["data"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(messages)
    return found
