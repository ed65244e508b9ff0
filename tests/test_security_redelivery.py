"""A process killed between its commit and its reply: LINE's redelivery gets the stored answer,
once, and the change is not made twice.

The bot runs as its own process (`flask run`) whose LINE API accepts connections and never
answers, so it hangs in the reply after committing; the test kills it there (SIGKILL) and
redelivers the event to another process of the bot, as LINE would.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.sim import sign, webhook_body
from models import OutboxMessage, WebhookEvent
from tests.builders import make_officer, post_webhook, silent_listener, text_event
from tests.conftest import TEST_SECRET, TEST_TOKEN

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def silent_line_api() -> Iterator[str]:
    """A "LINE API" that accepts connections and never answers."""
    with silent_listener() as port:
        yield f"http://127.0.0.1:{port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def doomed_bot(database_url: str, silent_line_api: str, engine: Engine
               ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {"DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": TEST_SECRET,
           "LINE_CHANNEL_ACCESS_TOKEN": TEST_TOKEN, "LINE_API_BASE_URL": silent_line_api,
           "ALLOW_SQLITE_IN_PRODUCTION": "1", "SECRET_KEY": "a-test-only-secret-key-0123456789",
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
           "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bot.app:create_app", "run", "--host",
         "127.0.0.1", "--port", str(port), "--no-reload"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        else:
            raise AssertionError("the bot process did not start")
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_a_killed_process_answers_once_on_redelivery(doomed_bot: tuple[str, Any],
                                                      client: FlaskClient, engine: Engine,
                                                      fake_line: FakeLine) -> None:
    url, process = doomed_bot
    with Session(engine) as session:
        _officer, user_id = make_officer(session)
        session.commit()
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "tok-first")
    event_id = body["events"][0]["webhookEventId"]
    raw = json.dumps(body, ensure_ascii=False).encode()

    def deliver() -> None:
        try:
            requests.post(url + "/callback", data=raw, timeout=30, headers={
                "Content-Type": "application/json", "X-Line-Signature": sign(raw, TEST_SECRET)})
        except requests.RequestException:
            pass  # the process is killed before it answers: what this test is about

    delivery = threading.Thread(target=deliver, daemon=True)
    delivery.start()
    for _ in range(300):  # the event's transaction is committed; the reply hangs
        with Session(engine) as session:
            if session.scalar(select(WebhookEvent.reply).where(
                    WebhookEvent.webhook_event_id == event_id)):
                break
        time.sleep(0.05)
    else:
        raise AssertionError("the event was never committed")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    delivery.join()

    # LINE redelivers: the same event, marked as a redelivery, with a new reply token
    for token in ("tok-again", "tok-once-more"):
        body["events"][0]["replyToken"] = token
        body["events"][0]["deliveryContext"] = {"isRedelivery": True}
        fake_line.expect_reply(token, user_id)
        assert post_webhook(client, body, TEST_SECRET).status_code == 200
    answer = fake_line.replies_to("tok-again")
    assert answer and "ช่วยเหลือ" in json.dumps(answer, ensure_ascii=False)
    assert fake_line.replies_to("tok-once-more") == []  # exactly once
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
