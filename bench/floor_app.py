"""The floor for this bot: the guarantees every event must pay for, and none of the bot's logic.

Per event, the path of `bot.webhook` with the handler replaced by one read: the signature
check on the raw body, `json.loads`; in one transaction under the bot's one-writer lock, the
de-duplication claim in `webhook_events` (a duplicate is skipped), the person's `line_users`
row (FOR UPDATE on PostgreSQL, as the router reads it) and the reply stored with the claim;
the reply through the bot's LINE gateway (the real SDK, `check_messages` included); then the
event marked answered in its own short transaction. The engine and the lock are the bot's own
(`bot.db.init_app`), as are the claim, remember, reply and answered steps (`bot.webhook`).
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, abort, request
from linebot.v3.webhook import SignatureValidator

from bot import db
from bot.line_gateway import LineGateway
from bot.settings import Settings
from bot.webhook import _answered, _claim, _remember, _reply
from handlers import messages as m
from models import LineUser

LINKED = m.text("รับทราบครับ")
UNKNOWN = m.text("ยังไม่ได้ผูกบัญชี")


def create_app() -> Flask:
    settings = Settings.from_env(production=True)
    app = Flask("floor")
    app.config["SETTINGS"] = settings
    db.init_app(app)
    app.extensions["line.gateway"] = LineGateway(settings)
    validator = SignatureValidator(settings.channel_secret)

    @app.post("/callback")
    def callback() -> str:
        body = request.get_data(as_text=True)
        if not validator.validate(body, request.headers.get("X-Line-Signature", "")):
            abort(400)
        for event in json.loads(body)["events"]:
            _process(event)
        return "OK"

    return app


def _process(raw: dict[str, Any]) -> None:
    event_id = str(raw["webhookEventId"])[:64]
    user_id = str(raw["source"]["userId"])
    with db.one_writer(), db.session_scope() as session:
        if not _claim(session, event_id, str(raw.get("type", ""))):
            return
        line_user = session.get(LineUser, user_id, with_for_update={"of": LineUser})
        replies = [LINKED if line_user is not None and line_user.staff_id else UNKNOWN]
        _remember(session, event_id, replies)
        session.commit()
    _reply(str(raw["replyToken"]), replies, user_id)
    _answered(event_id)
