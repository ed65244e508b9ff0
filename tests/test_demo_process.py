"""`make run`'s process, started for real: migrate, seed, serve; the simulator answers in Thai."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.settings import REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    db_file: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINE_", "DATABASE_URL", "APP_ENV", "TEST_DATABASE_URL"))}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{db_file}")
    process = subprocess.Popen([sys.executable, "-m", "scheduler.demo"], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("demo did not start:\n"
                                     + (process.stdout.read() if process.stdout else ""))
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
        assert "Traceback" not in output, output


def test_the_demo_serves_the_simulator_and_answers_in_thai(demo_url: str) -> None:
    assert requests.get(demo_url + "/sim", timeout=5).status_code == 200
    users = requests.get(demo_url + "/sim/api/users", timeout=5).json()
    assert len(users) >= 6
    officer = next(u for u in users if u["roles"] == ["officer"])
    followed = requests.post(demo_url + "/sim/api/follow", json={"user_id": officer["user_id"]},
                             timeout=10).json()
    assert followed["status"] == 200 and "สวัสดี" in followed["messages"][0]["text"]
    sent = requests.post(demo_url + "/sim/api/send",
                         json={"user_id": officer["user_id"], "text": "ช่วยเหลือ"}, timeout=10).json()
    assert sent["status"] == 200 and "เมนู" in sent["messages"][0]["text"]


def test_the_demo_refuses_an_unsigned_callback(demo_url: str) -> None:
    response = requests.post(demo_url + "/callback", json={"destination": "x", "events": []},
                             timeout=5)
    assert response.status_code == 400
