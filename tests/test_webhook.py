"""POST /callback: signatures, de-duplication, every event type, and the first answers."""
from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.sim import sign, webhook_body
from handlers import texts
from models import AuditEntry, LineUser, OutboxMessage, WebhookEvent
from tests.builders import FOLLOW, make_officer, post_webhook, postback_event, send, text_event
from tests.conftest import TEST_SECRET

FIXTURE = Path(__file__).parent / "fixtures" / "line-bot-sdk-python-v3-webhook.json"


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def texts_of(node: Any) -> str:
    """Every text the user would read in these messages (text bodies, Flex texts, labels)."""
    if isinstance(node, dict):
        own = [node[k] for k in ("text", "label", "altText") if isinstance(node.get(k), str)]
        return "\n".join(own + [texts_of(v) for v in node.values() if isinstance(v, (dict, list))])
    if isinstance(node, list):
        return "\n".join(texts_of(item) for item in node)
    return ""


def linked_officer(engine: Engine, **kwargs: Any) -> tuple[int, str]:
    with Session(engine) as session:
        staff, user_id = make_officer(session, **kwargs)
        session.commit()
        return staff.id, user_id


# --- signature --------------------------------------------------------------------------------

@pytest.mark.parametrize("signature", ["", "wrong", sign(b"other body", TEST_SECRET)],
                         ids=["missing", "garbage", "for-another-body"])
def test_a_bad_signature_gets_400_and_stores_nothing(client: FlaskClient, engine: Engine,
                                                     fake_line: FakeLine, signature: str) -> None:
    body = webhook_body("U" + "1" * 32, text_event("สวัสดี"), "tok")
    response = post_webhook(client, body, TEST_SECRET, signature=signature)
    assert response.status_code == 400
    assert count(engine, WebhookEvent) == 0
    assert count(engine, LineUser) == 0
    assert not fake_line.deliveries


def test_a_reserialised_body_fails_the_signature(client: FlaskClient, engine: Engine) -> None:
    body = webhook_body("U" + "1" * 32, text_event("สวัสดี"), "tok")
    raw = json.dumps(body, ensure_ascii=False).encode()
    reserialised = json.dumps(json.loads(raw)).encode()  # same JSON, \u escapes
    assert reserialised != raw
    response = client.post("/callback", data=reserialised, content_type="application/json",
                           headers={"X-Line-Signature": sign(raw, TEST_SECRET)})
    assert response.status_code == 400
    assert count(engine, WebhookEvent) == 0


def test_an_unsigned_callback_gets_400(client: FlaskClient) -> None:
    assert client.post("/callback", json={"events": []}).status_code == 400


def test_signed_garbage_gets_400(client: FlaskClient) -> None:
    assert post_webhook(client, b"not json", TEST_SECRET).status_code == 400
    assert post_webhook(client, b'{"destination": "x"}', TEST_SECRET).status_code == 400


def _event(user_id: str, **changes: Any) -> dict[str, Any]:
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "tok-bad")
    body["events"][0].update(changes)
    return body


@pytest.mark.parametrize("change", [
    {"events": "not a list"},
    {"events": [42]},
    {"events": [{"source": {"type": "user"}}]},  # no type
    {"type": 7},
    {"source": "U123"},
    {"source": {"type": "user", "userId": 12345}},
    {"message": {"type": "text"}},  # a text message without its text
    {"message": {"type": "text", "text": ["ช่วยเหลือ"]}},
    {"message": "ช่วยเหลือ"},
    {"type": "postback", "postback": "action=help"},
    {"type": "postback", "postback": {"data": 5}},
    {"type": "postback", "postback": {"data": "a=b", "params": ["x"]}},
], ids=lambda change: json.dumps(change, ensure_ascii=False)[:40])
def test_a_signed_event_without_the_fields_the_bot_reads_gets_400_and_changes_nothing(
        client: FlaskClient, engine: Engine, fake_line: FakeLine, change: dict[str, Any]) -> None:
    user_id = "U" + "b" * 32
    if "events" in change:
        body: dict[str, Any] = {"destination": "U0", **change}
    else:
        body = _event(user_id, **change)
    assert post_webhook(client, body, TEST_SECRET).status_code == 400
    assert count(engine, WebhookEvent) == 0
    assert count(engine, LineUser) == 0
    assert not fake_line.deliveries


def test_the_claim_keeps_the_time_and_the_answer_until_it_went_out(
        client: FlaskClient, engine: Engine, fake_line: FakeLine) -> None:
    _, user_id = linked_officer(engine)
    before = datetime.now(UTC)
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "tok-kept")
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    with Session(engine) as session:
        stored = session.scalars(select(WebhookEvent)).one()
    assert stored.event_type == "message"
    assert before - timedelta(seconds=1) <= stored.received_at <= datetime.now(UTC)
    assert stored.answered_at is not None and stored.answered_at >= stored.received_at
    assert stored.reply is None  # the answer went out: nothing left to send again
    assert len(fake_line.replies_to("tok-kept")) == 1


def test_an_empty_events_list_gets_200(client: FlaskClient) -> None:
    response = post_webhook(client, {"destination": "U0", "events": []}, TEST_SECRET)
    assert response.status_code == 200


# --- de-duplication ---------------------------------------------------------------------------

def test_a_redelivered_event_is_handled_once(client: FlaskClient, engine: Engine,
                                             fake_line: FakeLine) -> None:
    _, user_id = linked_officer(engine)
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "tok-1")
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    redelivered = copy.deepcopy(body)
    redelivered["events"][0]["replyToken"] = "tok-2"
    redelivered["events"][0]["deliveryContext"] = {"isRedelivery": True}
    assert post_webhook(client, redelivered, TEST_SECRET).status_code == 200
    assert count(engine, WebhookEvent) == 1
    assert len(fake_line.replies_to("tok-1")) == 1
    assert fake_line.replies_to("tok-2") == []


# --- the SDK's own 28-event fixture -----------------------------------------------------------

def test_the_sdk_fixture_as_sent_gets_200(client: FlaskClient, engine: Engine,
                                          caplog: pytest.LogCaptureFixture) -> None:
    raw = FIXTURE.read_bytes()
    assert post_webhook(client, raw, TEST_SECRET).status_code == 200
    # All 28 events share one webhookEventId in the fixture: the first is handled, the rest skipped.
    assert count(engine, WebhookEvent) == 1
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def _fixture_events() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]


@pytest.mark.parametrize("event", _fixture_events(),
                         ids=[f"{i:02d}-{e['type']}-{e.get('source', {}).get('type', '')}"
                              f"-{e.get('message', {}).get('type', '')}"
                              for i, e in enumerate(_fixture_events())])
def test_every_fixture_event_gets_200_without_error(client: FlaskClient, engine: Engine,
                                                    fake_line: FakeLine, event: dict[str, Any],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    event = {**event, "webhookEventId": uuid.uuid4().hex}
    body = {"destination": "U0", "events": [event]}
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert not [r for r in caplog.records if "reply failed" in r.getMessage()]
    assert count(engine, WebhookEvent) == 1
    replies = [d.message for d in fake_line.deliveries if d.kind == "reply"]
    source = event.get("source", {}).get("type")
    if source in ("group", "room") and event["type"] in ("message", "join", "postback"):
        assert [r["text"] for r in replies] == [texts.GROUP_ONLY_ONE_TO_ONE]
    if event["type"] in ("unfollow", "leave", "memberLeft", "unsend", "undefined"):
        assert replies == []


# --- what the bot says ------------------------------------------------------------------------

def test_follow_greets_an_unlinked_user_and_says_how_to_link(client: FlaskClient,
                                                            engine: Engine,
                                                            fake_line: FakeLine) -> None:
    user_id = "U" + uuid.uuid4().hex
    replies = send(client, fake_line, TEST_SECRET, user_id, FOLLOW)
    assert texts.GREETING_UNLINKED in texts_of(replies)
    assert "รหัสเชื่อมบัญชี" in texts_of(replies)
    with Session(engine) as session:
        assert session.get(LineUser, user_id).following is True


def test_follow_greets_a_linked_officer_by_name(client: FlaskClient, engine: Engine,
                                                fake_line: FakeLine) -> None:
    _, user_id = linked_officer(engine, name="นางสาวใจดี มีสุข")
    replies = send(client, fake_line, TEST_SECRET, user_id, FOLLOW)
    assert replies[0]["text"].startswith("สวัสดี คุณใจดี มีสุข")
    assert replies[-1]["quickReply"]["items"]


@pytest.mark.parametrize(("name", "said"), [
    ("นายสมชาย ตั้งใจ", "สมชาย ตั้งใจ"), ("นางสาวกมล พากเพียร", "กมล พากเพียร"),
    ("นางมาลี รักงาน", "มาลี รักงาน"), ("ดร.วิชัย ศรีสุข", "ดร.วิชัย ศรีสุข"), ("นาย", "นาย"),
])
def test_the_bot_addresses_people_without_their_title(name: str, said: str) -> None:
    assert texts.address(name) == said


@pytest.mark.parametrize("typed", ["ช่วยเหลือ", " เมนู ", "HELP", "ช่วย\u200bเหลือ", "ช่วยเหลือออออ",
                                   "ｈｅｌｐ"])
def test_help_menu(client: FlaskClient, engine: Engine, fake_line: FakeLine, typed: str) -> None:
    _, user_id = linked_officer(engine)
    replies = send(client, fake_line, TEST_SECRET, user_id, text_event(typed))
    assert texts.HELP_TITLE in replies[0]["text"]
    labels = [item["action"]["label"] for item in replies[0]["quickReply"]["items"]]
    assert "ข้อมูลของฉัน" in labels


@pytest.mark.parametrize("typed", ["อะไรนะ", "🙂", "x" * 5000, "ก" * 5000])
def test_unknown_or_huge_text_gets_a_short_menu(client: FlaskClient, engine: Engine,
                                                fake_line: FakeLine, typed: str) -> None:
    _, user_id = linked_officer(engine)
    replies = send(client, fake_line, TEST_SECRET, user_id, text_event(typed))
    assert len(replies) == 1
    assert replies[0]["quickReply"]["items"]
    assert len(replies[0]["text"]) < 200


def test_my_data_shows_what_is_stored_about_me(client: FlaskClient, engine: Engine,
                                               fake_line: FakeLine) -> None:
    _, user_id = linked_officer(engine, name="นายข้อมูล ส่วนตัว")
    replies = send(client, fake_line, TEST_SECRET, user_id, text_event("ข้อมูลของฉัน"))
    card = texts_of(replies)
    assert replies[0]["type"] == "flex"
    assert "นายข้อมูล ส่วนตัว" in card
    assert "รหัสบุคลากร" in card
    assert "เชื่อม LINE เมื่อ" in card and " 25" in card  # Buddhist Era year


def test_an_unlinked_user_sees_nothing_about_anyone(client: FlaskClient, engine: Engine,
                                                    fake_line: FakeLine) -> None:
    linked_officer(engine, name="นายลับ เฉพาะ")
    stranger = "U" + uuid.uuid4().hex
    for event in (text_event("ข้อมูลของฉัน"), postback_event("action=mydata")):
        replies = send(client, fake_line, TEST_SECRET, stranger, event)
        assert "นายลับ" not in texts_of(replies)
        assert texts.NOT_LINKED in texts_of(replies)


@pytest.mark.parametrize("kind", ["sticker", "image", "video", "audio", "file", "location"])
def test_non_text_messages_get_a_friendly_answer(client: FlaskClient, engine: Engine,
                                                 fake_line: FakeLine, kind: str) -> None:
    _, user_id = linked_officer(engine)
    event = next(e for e in _fixture_events()
                 if e["type"] == "message" and e["message"]["type"] == kind)
    replies = send(client, fake_line, TEST_SECRET, user_id, {"type": "message",
                                                             "message": event["message"]})
    assert replies[0]["text"].startswith(texts.MEDIA[kind])


@pytest.mark.parametrize("data", ["action=delete_everything", "", "garbage&&==",
                                  "action=" + "x" * 290])
def test_a_tampered_postback_is_refused_politely_and_audited(client: FlaskClient,
                                                             engine: Engine, fake_line: FakeLine,
                                                             data: str) -> None:
    _, user_id = linked_officer(engine)
    replies = send(client, fake_line, TEST_SECRET, user_id, postback_event(data))
    assert replies[0]["text"] == texts.STALE_BUTTON
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry)
                                .where(AuditEntry.action == "postback.refused")).one()
        assert entry.actor_line_user_id == user_id


def test_unfollow_is_recorded_and_not_answered(client: FlaskClient, engine: Engine,
                                               fake_line: FakeLine) -> None:
    staff_id, user_id = linked_officer(engine)
    assert send(client, fake_line, TEST_SECRET, user_id, {"type": "unfollow"}) == []
    with Session(engine) as session:
        assert session.get(LineUser, user_id).following is False


def test_a_failed_reply_goes_out_as_a_push(client: FlaskClient, engine: Engine,
                                           fake_line: FakeLine) -> None:
    _, user_id = linked_officer(engine)
    fake_line.expect_reply("used", user_id)
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "used")
    first = copy.deepcopy(body)
    first["events"][0]["webhookEventId"] = "first"
    post_webhook(client, first, TEST_SECRET)  # uses the token up
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    with Session(engine) as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.recipients == [user_id]
    assert texts.HELP_TITLE in row.messages[0]["text"]


def test_a_crashing_handler_changes_nothing_and_says_sorry(client: FlaskClient, engine: Engine,
                                                           fake_line: FakeLine,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    user_id = "U" + uuid.uuid4().hex
    body = webhook_body(user_id, FOLLOW, "tok-crash")
    fake_line.expect_reply("tok-crash", user_id)

    def crash(*_args: object) -> list[dict[str, Any]]:
        raise RuntimeError("bug")

    monkeypatch.setattr("handlers.router.handle", crash)
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    assert [m["text"] for m in fake_line.replies_to("tok-crash")] == [texts.SYSTEM_ERROR]
    assert count(engine, WebhookEvent) == 0 and count(engine, LineUser) == 0
    monkeypatch.undo()
    # The event was not claimed, so LINE's redelivery is handled once the bug is gone.
    body["events"][0]["replyToken"] = "tok-again"
    fake_line.expect_reply("tok-again", user_id)
    assert post_webhook(client, body, TEST_SECRET).status_code == 200
    assert count(engine, WebhookEvent) == 1 and count(engine, LineUser) == 1


def test_the_same_event_delivered_twice_at_once_is_handled_once(served_app: Any, engine: Engine,
                                                                fake_line: FakeLine) -> None:
    import threading

    import requests

    _, user_id = linked_officer(engine)
    bodies = []
    for token in ("tok-a", "tok-b", "tok-c", "tok-d"):
        body = webhook_body(user_id, text_event("ช่วยเหลือ"), token)
        body["events"][0]["webhookEventId"] = "SAME-EVENT"
        fake_line.expect_reply(token, user_id)
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    statuses: list[int] = []
    barrier = threading.Barrier(len(bodies))

    def deliver(raw: bytes) -> None:
        barrier.wait()
        statuses.append(requests.post(served_app.url + "/callback", data=raw, timeout=10, headers={
            "Content-Type": "application/json",
            "X-Line-Signature": sign(raw, TEST_SECRET)}).status_code)

    threads = [threading.Thread(target=deliver, args=(raw,)) for raw in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(bodies)
    assert count(engine, WebhookEvent) == 1
    assert len([d for d in fake_line.deliveries if d.kind == "reply"]) == 1
