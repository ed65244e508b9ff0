"""Malformed input never causes a 500 or a SYSTEM_ERROR, and never changes anything.

Hypothesis writes the postback data, console query strings, form fields and path ids; the
cases LINE's own JSON can carry (timestamps out of range, deep nesting, a lone surrogate) are
written out below.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from bot.sim import webhook_body
from handlers import router, texts
from handlers.events import PostbackReceived
from handlers.postbacks import TAPS
from models import Agency, Base, ReminderPolicy
from tests.builders import APP_TZ, BASE_URL, make_officer, post_webhook, text_event
from tests.conftest import TEST_SECRET
from tests.hr_console import csrf, people, signed_in

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=7)))
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
UNCOUNTED = {"audit_log", "webhook_events", "conversations"}  # refusals are audited

# What an attacker puts where a number belongs: other digits, signs, huge values, text.
NUMBERISH = st.one_of(
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.sampled_from(["²", "³", "๓", "١", "0x10", "1e9", " 1", "1 ", "+1", "-0", "", "\ud800",
                     "\x00",
                     "99999999999999999999", "2147483648", "9" * 400, "1/../2"]),
    st.text(max_size=12),
)
# The same over HTTP, where a lone surrogate cannot be written at all.
NUMBERISH_HTTP = NUMBERISH.map(lambda value: "".join(
    ch for ch in value if not "\ud800" <= ch <= "\udfff"))


def row_counts(session: Session) -> dict[str, int]:
    return {table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables if table.name not in UNCOUNTED}


@pytest.fixture
def officer_user(session: Session) -> str:
    _officer, user_id = make_officer(session)
    return user_id


@FUZZ
@given(action=st.sampled_from(sorted(TAPS)),
       params=st.dictionaries(st.sampled_from(["id", "v", "a", "f", "do", "o", "r", "day", "s",
                                               "page", "step", "m", "role", "x"]),
                              NUMBERISH, max_size=4))
def test_tampered_postback_data_is_refused_and_changes_nothing(
        session: Session, officer_user: str, action: str, params: dict[str, str]) -> None:
    data = "&".join([f"action={action}", *(f"{k}={v}" for k, v in params.items())])[:300]
    before = row_counts(session)
    with session.begin_nested():
        replies = router.handle(session, PostbackReceived(user_id=officer_user, at=NOW,
                                                          data=data), NOW, tz=APP_TZ,
                                public_base_url=BASE_URL)
        session.flush()
        after = row_counts(session)
    assert replies and texts.SYSTEM_ERROR not in json.dumps(replies, ensure_ascii=False)
    assert after == before


@pytest.fixture
def hr_client(app: Flask, client: FlaskClient, fake_line: FakeLine) -> dict[str, Any]:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    return {**p, "client": client, "app": app, "token": csrf(client, "/hr/settings")}


def agency_state(app: Flask, agency_id: int) -> tuple[Any, ...]:
    with app.app_context(), db.session_scope() as session:
        agency = session.get(Agency, agency_id)
        assert agency is not None
        policies = session.scalar(select(func.count()).select_from(ReminderPolicy))
        return (agency.achievement_weight, agency.competency_weight, policies,
                tuple(row_counts(session).values()))


@FUZZ
@given(value=NUMBERISH_HTTP)
def test_console_query_strings_and_path_ids_never_500(hr_client: dict[str, Any],
                                                      value: str) -> None:
    client: FlaskClient = hr_client["client"]
    for url in ("/hr/people", "/hr/", "/hr/appraisal", "/hr/calendar"):
        for name in ("page", "unit", "round", "state", "q", "closed"):
            response = client.get(url, query_string={name: value})
            assert response.status_code < 500, (url, name, value)
    safe = "".join(ch for ch in value if ch.isascii() and ch not in "/?#%\\") or "x"
    for template in ("/hr/people/{}", "/hr/announcements/{}", "/hr/forms/{}",
                     "/hr/export/round/{}/1.csv", "/hr/export/form/{}.csv",
                     "/hr/appraisal/metrics/{}.csv", "/hr/appraisal/hipps/{}.zip"):
        response = client.get(template.format(safe))
        assert response.status_code < 500, (template, safe)


@FUZZ
@given(values=st.fixed_dictionaries({}, optional={
    name: NUMBERISH_HTTP for name in ("achievement_weight", "competency_weight", "before_days",
                                 "overdue_every", "overdue_times", "waiting_days",
                                 "low_quota_percent", "office_start", "office_end",
                                 "fiscal_year", "round_no", "round_id", "day")}))
def test_console_forms_with_malformed_numbers_never_500_nor_change(
        hr_client: dict[str, Any], values: dict[str, str]) -> None:
    client: FlaskClient = hr_client["client"]
    fields = {k: v for k, v in values.items() if not (v.isascii() and v.isdigit() and len(v) < 4)}
    before = agency_state(hr_client["app"], hr_client["agency_id"])
    for url in ("/hr/settings", "/hr/reminders", "/hr/appraisal/close", "/hr/calendar"):
        response = client.post(url, data={"csrf_token": hr_client["token"], **fields})
        assert response.status_code < 500, (url, fields)
    assert agency_state(hr_client["app"], hr_client["agency_id"]) == before


# --- what LINE's JSON itself can carry ---------------------------------------------------------

@pytest.mark.parametrize("timestamp", [10 ** 20, -(10 ** 20), 1e308, 2 ** 63])
def test_an_out_of_range_timestamp_is_answered(client: FlaskClient, engine: Engine,
                                               fake_line: FakeLine, timestamp: Any) -> None:
    user_id = "U" + "a" * 32
    body = webhook_body(user_id, text_event("ช่วยเหลือ"), "tok-ts")
    body["events"][0]["timestamp"] = timestamp
    fake_line.expect_reply("tok-ts", user_id)
    status = post_webhook(client, body, TEST_SECRET).status_code
    assert status in (200, 400)  # 400: the SDK's own parser refuses it (nothing stored)
    assert texts.SYSTEM_ERROR not in json.dumps(fake_line.replies_to("tok-ts"), ensure_ascii=False)


def test_deeply_nested_json_is_a_400_not_a_500(client: FlaskClient) -> None:
    raw = b'{"destination": "x", "events": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert post_webhook(client, raw, TEST_SECRET).status_code == 400


def test_a_lone_surrogate_in_a_message_is_answered(client: FlaskClient, engine: Engine,
                                                   fake_line: FakeLine) -> None:
    with Session(engine) as session:
        _officer, user_id = make_officer(session)
        session.commit()
    for token, event in (("tok-text", text_event("ข้อ 1 ได้ 50% \ud800")),
                         ("tok-nul", text_event("ข้อ 1 ได้ 50% \x00 หมายเหตุ")),
                         ("tok-postback", {"type": "postback",
                                           "postback": {"data": "action=ack&a=\udc00"}})):
        fake_line.expect_reply(token, user_id)
        raw = json.dumps(webhook_body(user_id, event, token)).encode()  # "\ud800" escaped
        assert post_webhook(client, raw, TEST_SECRET).status_code == 200
        replies = fake_line.replies_to(token)
        assert replies and texts.SYSTEM_ERROR not in json.dumps(replies, ensure_ascii=False)
