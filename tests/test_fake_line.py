"""The fake LINE API behaves like LINE: validates against the spec, answers with spec-valid
bodies."""
from __future__ import annotations

from typing import Any

import pytest
import requests

from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from tests.conftest import TEST_TOKEN

AUTH = {"Authorization": f"Bearer {TEST_TOKEN}"}


@pytest.fixture
def api(fake_line: FakeLine, fake_line_server: tuple[FakeLine, BackgroundServer]) -> str:
    return fake_line_server[1].url


def post(api: str, path: str, body: Any, **headers: str) -> requests.Response:
    return requests.post(api + path, json=body, headers={**AUTH, **headers}, timeout=5)


def test_a_valid_push_is_recorded(api: str, fake_line: FakeLine) -> None:
    response = post(api, "/v2/bot/message/push",
                    {"to": "U1", "messages": [{"type": "text", "text": "สวัสดี"}]},
                    **{"X-Line-Retry-Key": "123e4567-e89b-12d3-a456-426614174000"})
    assert response.status_code == 200
    assert set(response.json()) == {"sentMessages"}
    assert [d.message["text"] for d in fake_line.messages_for("U1")] == ["สวัสดี"]


@pytest.mark.parametrize(("body", "problem"), [
    ({"to": "U1", "messages": [{"type": "text", "text": 123}]}, "messages.0.text"),
    ({"to": "U1", "messages": [{"type": "text"}]}, "messages.0"),
    ({"to": "U1", "messages": [{"type": "bogus"}]}, "messages.0"),
    ({"to": "U1", "messages": []}, "messages"),
    ({"messages": [{"type": "text", "text": "x"}]}, ""),
    ({"to": "U1", "messages": [{"type": "text", "text": "x"}] * 6}, "messages"),
    ({"to": "U1", "messages": [{"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "body": {"type": "box", "layout": "diagonal", "contents": []}}}]},
     "messages.0.contents.body.layout"),
    ({"to": "U1", "messages": [{"type": "text", "text": "x", "quickReply": {"items": [
        {"type": "action", "action": {"type": "postback", "label": "a", "data": "d" * 301}}]}}]},
     "messages.0.quickReply.items.0.action.data"),
    ({"to": "U1", "messages": [{"type": "text", "text": "ก" * 5001}]}, "messages"),
    ({"to": "U1", "messages": [{"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "text", "text": "ก" * 2000}] * 6}}}]}, "messages[0].contents"),
], ids=["text-not-string", "text-missing", "unknown-type", "no-messages", "no-to", "six",
        "bad-flex-layout", "long-postback-data", "text-over-5000", "bubble-over-30kb"])
def test_invalid_requests_get_lines_400_shape(api: str, fake_line: FakeLine,
                                              body: dict[str, Any], problem: str) -> None:
    response = post(api, "/v2/bot/message/push", body)
    assert response.status_code == 400
    error = response.json()
    assert error["message"]
    assert any(d["property"] == problem for d in error["details"]), error
    assert not fake_line.deliveries


def test_wrong_token_is_401(api: str) -> None:
    response = requests.post(api + "/v2/bot/message/push", timeout=5,
                             json={"to": "U1", "messages": [{"type": "text", "text": "x"}]},
                             headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_unknown_path_is_404(api: str) -> None:
    assert requests.get(api + "/v2/bot/nothing/here", headers=AUTH, timeout=5).status_code == 404


def test_a_retry_key_is_accepted_once_then_409(api: str, fake_line: FakeLine) -> None:
    body = {"to": "U1", "messages": [{"type": "text", "text": "x"}]}
    key = {"X-Line-Retry-Key": "123e4567-e89b-12d3-a456-426614174001"}
    assert post(api, "/v2/bot/message/push", body, **key).status_code == 200
    assert post(api, "/v2/bot/message/push", body, **key).status_code == 409
    assert len(fake_line.messages_for("U1")) == 1


def test_a_reply_token_is_single_use(api: str, fake_line: FakeLine) -> None:
    fake_line.expect_reply("tok", "U1")
    body = {"replyToken": "tok", "messages": [{"type": "text", "text": "x"}]}
    assert post(api, "/v2/bot/message/reply", body).status_code == 200
    second = post(api, "/v2/bot/message/reply", body)
    assert second.status_code == 400
    assert second.json()["message"] == "Invalid reply token"


def test_multicast_counts_against_quota(api: str, fake_line: FakeLine) -> None:
    body = {"to": ["U1", "U2", "U3"], "messages": [{"type": "text", "text": "x"}]}
    assert post(api, "/v2/bot/message/multicast", body).status_code == 200
    usage = requests.get(api + "/v2/bot/message/quota/consumption", headers=AUTH, timeout=5)
    assert usage.json() == {"totalUsage": 3}
    quota = requests.get(api + "/v2/bot/message/quota", headers=AUTH, timeout=5)
    assert quota.json() == {"type": "limited", "value": fake_line.monthly_quota}


def test_profile(api: str, fake_line: FakeLine) -> None:
    fake_line.profiles["U1"] = "ชาย"
    response = requests.get(api + "/v2/bot/profile/U1", headers=AUTH, timeout=5)
    assert response.json()["displayName"] == "ชาย"
    assert requests.get(api + "/v2/bot/profile/U2", headers=AUTH, timeout=5).status_code == 404


def test_quota_counts_recipients_times_requests_not_message_objects(
        api: str, fake_line: FakeLine) -> None:
    """LINE bills one message per recipient per push request, up to five objects in it."""
    five = [{"type": "text", "text": f"ข้อความ {n}"} for n in range(5)]
    assert post(api, "/v2/bot/message/push", {"to": "U1", "messages": five}).status_code == 200
    assert post(api, "/v2/bot/message/push",
                {"to": "U1", "messages": five[:1]}).status_code == 200
    assert post(api, "/v2/bot/message/multicast",
                {"to": ["U1", "U2", "U2"], "messages": five[:3]}).status_code == 200
    fake_line.profiles.update({"U1": "a", "U2": "b", "U3": "c"})
    assert post(api, "/v2/bot/message/broadcast", {"messages": five[:2]}).status_code == 200
    fake_line.expect_reply("tok", "U1")
    assert post(api, "/v2/bot/message/reply",
                {"replyToken": "tok", "messages": five}).status_code == 200  # free
    usage = requests.get(api + "/v2/bot/message/quota/consumption", headers=AUTH, timeout=5)
    assert usage.json() == {"totalUsage": 2 + 2 + 3}
    assert fake_line.billed == {"U1": 4, "U2": 2, "U3": 1}
    pushed = [d for d in fake_line.messages_for("U1") if d.kind == "push"]
    assert len(pushed) == 6 and len({d.request for d in pushed}) == 2


def test_quota_refuses_a_push_only_when_no_recipient_is_left(
        api: str, fake_line: FakeLine) -> None:
    fake_line.monthly_quota, fake_line.usage = 10, 9
    five = [{"type": "text", "text": "x"}] * 5
    assert post(api, "/v2/bot/message/push", {"to": "U1", "messages": five}).status_code == 200
    refused = post(api, "/v2/bot/message/push", {"to": "U1", "messages": five[:1]})
    assert refused.status_code == 429
    assert post(api, "/v2/bot/message/multicast",
                {"to": ["U1", "U2"], "messages": five[:1]}).status_code == 429
