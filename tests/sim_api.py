"""The simulator's JSON API from the tests' side, and the demo agency with its clock attached,
as `make run` has them (the `demo` fixture, registered in tests/conftest.py)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot import clock
from bot.demo import seed_demo
from bot.serving import BackgroundServer
from scheduler.demo import attach


@pytest.fixture
def demo(engine: Engine, app: Flask) -> Iterator[None]:
    """The demo agency, and the clock attached to the app as `make run` attaches it."""
    settings = app.config["SETTINGS"]
    with Session(engine) as session:
        seed_demo(session, today=clock.now(settings.timezone).date())
        session.commit()
    worker = attach(app)
    yield
    worker.close()


def api(server: BackgroundServer, path: str, body: dict[str, Any] | None = None) -> Any:
    if body is None:
        response = requests.get(server.url + path, timeout=10)
    else:
        response = requests.post(server.url + path, json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()
