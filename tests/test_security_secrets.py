"""Sign-in tokens are kept out of stored message bodies once sent, and out of access logs."""
from __future__ import annotations

import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot import db
from bot.app import keep_secrets_out_of_logs
from bot.fake_line import FakeLine
from models import OutboxMessage
from tests.hr_console import people, sign_in_link


def test_the_sign_in_link_is_not_kept_in_the_outbox_once_sent(app: Flask, client: FlaskClient,
                                                              fake_line: FakeLine) -> None:
    p = people(app)
    link = sign_in_link(app, client, fake_line, p["hr_user"])  # sent through the outbox
    assert link is not None
    token = link.rsplit("/", 1)[1]
    with app.app_context(), db.session_scope() as session:
        bodies = [str(row.messages) for row in session.scalars(select(OutboxMessage))]
    assert bodies and not any(token in body for body in bodies)
    # and it still works: LINE delivered it before the body was dropped
    path = link.split("127.0.0.1:8000", 1)[1]
    assert client.post(path).status_code == 302


@pytest.mark.parametrize("logger_name", ["werkzeug", "gunicorn.access"])
def test_sign_in_tokens_never_reach_the_access_log(caplog: pytest.LogCaptureFixture,
                                                   logger_name: str) -> None:
    keep_secrets_out_of_logs()
    token = "pXa9-Secret_Token-123"
    logger = logging.getLogger(logger_name)
    with caplog.at_level(logging.INFO, logger=logger_name):
        # werkzeug's style (positional args) and gunicorn's (a dict of atoms)
        logger.info('%s - - "%s" %s', "127.0.0.1", f"POST /hr/login/{token} HTTP/1.1", "302")
        logger.info("%(r)s %(s)s", {"r": f"GET /hr/login/{token}?x=1 HTTP/1.1", "s": "200",
                                    "U": f"/hr/login/{token}"})
    text = caplog.text
    assert "/hr/login/…" in text and token not in text
    assert re.search(r"POST /hr/login/… HTTP/1.1", text)
