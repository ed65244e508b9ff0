"""``python -m thai``: one message, or JSON lines on stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "text", "normalized", "kpi", "percent", "value", "target", "date", "status", "answer",
    "time", "items",
]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.thai", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_one_message_prints_one_object_in_key_order() -> None:
    done = run("--today", "2026-04-01", "ข้อ 2 ได้ 45 จากเป้า 60 ส่ง 10 เม.ย. 70")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert "ข้อ 2" in done.stdout  # ensure_ascii=False: Thai is printed as is
    obj = json.loads(done.stdout)
    assert list(obj) == KEYS
    assert obj == {
        "text": "ข้อ 2 ได้ 45 จากเป้า 60 ส่ง 10 เม.ย. 70",
        "normalized": "ข้อ 2 ได้ 45 จากเป้า 60 ส่ง 10 เม.ย. 70",
        "kpi": 2,
        "percent": None,
        "value": 45,
        "target": 60,
        "date": "2027-04-10",
        "status": None,
        "answer": None,
        "time": None,
        "items": [
            {"kpi": 2, "percent": None, "value": 45, "target": 60, "status": None,
             "date": "2027-04-10"},
        ],
    }


def test_words_are_joined_and_today_defaults() -> None:
    done = run("ข้อ", "3", "เสร็จแล้ว")
    assert done.returncode == 0, done.stderr
    obj = json.loads(done.stdout)
    assert (obj["text"], obj["kpi"], obj["status"]) == ("ข้อ 3 เสร็จแล้ว", 3, "done")


def test_jsonl_reads_lines_and_answers_each() -> None:
    lines = [
        {"text": "พรุ่งนี้", "today": "2026-04-01"},
        {"text": "พรุ่งนี้", "today": "2026-12-31"},
        {"text": "โอเคค่ะ"},
    ]
    stdin = "".join(json.dumps(x) + "\n" for x in lines)
    done = run("--jsonl", "--today", "2026-04-01", stdin=stdin)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["date"] for o in out] == ["2026-04-02", "2027-01-01", None]
    assert out[2]["answer"] == "yes"
    assert all(list(o) == KEYS for o in out)


def test_jsonl_bad_line_keeps_its_place_and_fails() -> None:
    done = run("--jsonl", stdin='not json\n{"text": "ค่ะ"}\n{"today": "2026-04-01"}\n')
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert "error" in out[0] and "error" in out[2]
    assert out[1]["answer"] == "yes"


def test_bad_today_is_a_usage_error() -> None:
    done = run("--today", "10/4/2570", "ครับ")
    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr


def test_items_time_and_delay_are_printed() -> None:
    lines = [
        {"text": "kpi2 80% kpi3 เสร็จแล้ว", "today": "2026-04-01"},
        {"text": "พรุ่งนี้บ่ายสองโมง", "today": "2026-04-01"},
        {"text": "ข้อ๔ ล่าช้าเพราะรองบประมาณ คาดว่าเสร็จ 15 ม.ค.", "today": "2026-04-01"},
        {"text": "อีก 3 วันทำการ", "today": "2026-04-01"},
    ]
    done = run("--jsonl", stdin="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    assert done.returncode == 0, done.stderr
    several, time_of_day, late, office_days = (json.loads(x) for x in done.stdout.splitlines())
    assert several["items"] == [
        {"kpi": 2, "percent": 80, "value": None, "target": None, "status": "in_progress",
         "date": None},
        {"kpi": 3, "percent": None, "value": None, "target": None, "status": "done", "date": None},
    ]
    assert (several["kpi"], several["percent"]) == (2, 80)
    assert (time_of_day["date"], time_of_day["time"], time_of_day["value"]) == (
        "2026-04-02", "14:00", None)
    assert time_of_day["items"] == []
    assert (late["status"], late["date"]) == ("delayed", "2027-01-15")
    assert office_days["date"] == "2026-04-07"  # Chakri Day, Monday 6 April, is a holiday
