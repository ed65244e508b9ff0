"""What each part every webhook event passes through costs, in CPU per call, in this process.

    .venv/bin/python bench/floor_parts.py

The reply through the bot's gateway (the real SDK) and as a raw urllib3 post, to the fake LINE
API in gunicorn; the bare signature-checking app through Flask's test client; the SDK's webhook
parser; and a transaction of a claim, a read and two updates on SQLite, through SQLAlchemy Core
and through the `sqlite3` module. The floor of `bench/webhook.py` is these parts put together.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import urllib3  # noqa: E402
from linebot.v3.webhook import WebhookParser  # noqa: E402
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update  # noqa: E402

from bench.bare_app import create_app as bare_app  # noqa: E402
from bench.webhook import ENV, gunicorn, signed_event  # noqa: E402
from models.db import make_engine  # noqa: E402

CALLS = 2000


def cpu_ms(call: Callable[[], object]) -> float:
    for _ in range(100):
        call()
    started = time.process_time()
    for _ in range(CALLS):
        call()
    return (time.process_time() - started) * 1000 / CALLS


def main() -> int:
    os.environ.update(ENV)
    from bot.line_gateway import LineGateway
    from bot.settings import Settings

    message = [{"type": "text", "text": "รับทราบครับ"}]
    count = iter(range(10**9))
    with gunicorn("bot.fake_line.api:create_fake_app_from_env()", ENV, 1, 8) as (fake_url, _), \
            tempfile.TemporaryDirectory() as scratch:
        os.environ.update({"LINE_API_BASE_URL": fake_url,
                           "DATABASE_URL": f"sqlite:///{scratch}/settings.db"})
        gateway = LineGateway(Settings.from_env(production=True))
        print(f"reply through the gateway (SDK):  "
              f"{cpu_ms(lambda: gateway.reply(f'{next(count):032d}', message)):.3f} ms")
        pool = urllib3.PoolManager()
        headers = {"Authorization": f"Bearer {ENV['LINE_CHANNEL_ACCESS_TOKEN']}",
                   "Content-Type": "application/json"}

        def raw_reply() -> object:
            return pool.request("POST", fake_url + "/v2/bot/message/reply", headers=headers,
                                body=json.dumps({"replyToken": f"{next(count):032d}",
                                                 "messages": message}).encode())
        print(f"reply as a raw urllib3 post:      {cpu_ms(raw_reply):.3f} ms")
        client = bare_app().test_client()
        body, signature = signed_event("U" + "0" * 32, "ช่วยเหลือ")
        signed = {"Content-Type": "application/json", "X-Line-Signature": signature}
        flask_ms = cpu_ms(lambda: client.post("/callback", data=body, headers=signed))
        print(f"signature check in Flask:         {flask_ms:.3f} ms")
        parser = WebhookParser(ENV["LINE_CHANNEL_SECRET"])
        print(f"the SDK's WebhookParser.parse:    "
              f"{cpu_ms(lambda: parser.parse(body.decode(), signature, as_payload=True)):.3f} ms")

        path = f"{scratch}/parts.db"
        engine = make_engine(f"sqlite:///{path}")
        metadata = MetaData()
        events = Table("events", metadata, Column("id", String(64), primary_key=True),
                       Column("kind", String(32)), Column("reply", String))
        people = Table("people", metadata, Column("id", Integer, primary_key=True),
                       Column("user_id", String(64), unique=True), Column("state", String))
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(insert(people), [{"user_id": f"U{i}", "state": "{}"}
                                                for i in range(500)])
        person = select(people).where(people.c.user_id == "U7")
        state = update(people).where(people.c.user_id == "U7").values(state="{}")

        def core() -> None:
            event_id = f"e{next(count)}"
            with engine.begin() as connection:
                connection.execute(insert(events), {"id": event_id, "kind": "message"})
                connection.execute(person).first()
                connection.execute(state)
                connection.execute(update(events).where(events.c.id == event_id)
                                   .values(reply="[]"))
        print(f"transaction, SQLAlchemy Core:     {cpu_ms(core):.3f} ms")
        raw = sqlite3.connect(path, isolation_level=None)

        def driver() -> None:
            event_id = f"e{next(count)}"
            raw.execute("BEGIN")
            raw.execute("INSERT INTO events (id, kind) VALUES (?, ?)", (event_id, "message"))
            raw.execute("SELECT * FROM people WHERE user_id = ?", ("U7",)).fetchone()
            raw.execute("UPDATE people SET state = ? WHERE user_id = ?", ("{}", "U7"))
            raw.execute("UPDATE events SET reply = ? WHERE id = ?", ("[]", event_id))
            raw.execute("COMMIT")
        print(f"transaction, sqlite3 module:      {cpu_ms(driver):.3f} ms")
        gateway.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
