"""Benchmark: what one appraisal round costs in billed LINE pushes, person by person.

    .venv/bin/python bench/round_economy.py             # about 2-4 minutes on 2 cores
    .venv/bin/python bench/round_economy.py --json      # the figures as JSON too

It starts its own `make run` (`python -m scheduler.demo`) on a free port, on a fresh SQLite
database in a temporary directory holding only the demo agency (`flask demo seed`: nobody has
reported; the HiPPS officer's key project added with `flask hipps add-project`), and plays
round 1/2570 through the simulator's JSON API only: every day from 1 Oct 2026 to 12 Apr 2027 it
sets the demo clock to 08:30 and ticks, lets the scripted people act at 10:00, and ticks again
at 10:30, 13:00 and 16:30 (what the background clock does every half hour, sampled). The people:
- on-time officer (ชาย, D0004): reports his 5 KPIs the day of his first reminder;
- late officer (กมล, D0005): reports her 5 KPIs the day of her first overdue reminder;
- officer who never reports (ศิริพร, D0007, linked through the simulator's newcomer);
- HiPPS officer (ธนา, D0006): reports his 5 KPIs and sends his HiPPS report for certification
  the day of his first reminder, and says the copies went to HR once it is certified;
- mentor of three officers (มาลี, D0003) and coach / supervisor (วิชัย, D0002): report their
  own KPIs on 1 Oct, and act on whatever reaches them (approve-all per officer from a digest,
  รับรองผล on a HiPPS card) the day it reaches them.
Nobody chats otherwise, so what rides free on a reply is only what the scripted replies carry.

Printed per person: billed pushes (LINE bills one per recipient per push request, as the fake
counts), of which carry a deadline reminder, of which are event pushes only (cards, digests,
notices), free replies (reply requests), and the naive policy beside it: 7 pushes per deadline
the person owes (T-7, T-3, T-1, T-0 office days and three overdue), blind to completion, plus
one push per event (a card per KPI to each confirmer, a notice per KPI decision to the officer).
It also checks the rules: no non-urgent push outside 08:30-18:00 or on a day off, and no two
billed pushes to one person on one day unless one is urgent (a send-back).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT))
from handlers.texts import APPROVE_ALL_YES  # noqa: E402  (the label of approve-all's "yes")
from tests.chat import postbacks  # noqa: E402  (the tests' reader of postback buttons)

TARGETS = {"D0004": 2, "D0005": 6, "D0006": 4, "D0003": 6, "D0002": 4}
PEOPLE = {  # staff code → (who, LINE user id)
    "D0004": ("on-time officer (ชาย)", "Ude000000000000000000000000000004"),
    "D0005": ("late officer (กมล)", "Ude000000000000000000000000000005"),
    "D0007": ("officer who never reports (ศิริพร)", "U" + "0" * 28 + "0e01"),
    "D0006": ("HiPPS officer (ธนา)", "Ude000000000000000000000000000006"),
    "D0003": ("mentor of three officers (มาลี)", "Ude000000000000000000000000000003"),
    "D0002": ("coach / supervisor (วิชัย)", "Ude000000000000000000000000000002"),
}
REMINDER_MARK = "🔔 แจ้งเตือนกำหนดส่ง"
FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2027, 4, 12)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Demo:
    """`make run` in a subprocess, and its simulator API."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PORT": str(self.port), "PYTHAINLP_OFFLINE": "1",
                    "PYTHAINLP_READ_ONLY": "1", "STORAGE_DIR": str(workdir / "storage"),
                    "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
        for key in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "APP_ENV"):
            self.env.pop(key, None)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "demo.log"

    def flask(self, *args: str) -> None:
        subprocess.run([str(PYTHON), "-m", "flask", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.flask("db", "upgrade")
        self.flask("demo", "seed")  # the agency only: `make run` keeps it and adds nothing
        self.flask("hipps", "add-project", "2570", "1", "D0006", "ระบบ Dashboard ของกรม",
                   "--milestone", "2027-01-31:ออกแบบระบบ", "--milestone", "2027-03-15:เปิดใช้งาน")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([str(PYTHON), "-m", "scheduler.demo"], cwd=ROOT,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit(f"make run did not start; see {self.log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = (requests.get(self.url + path, timeout=60) if body is None
                    else requests.post(self.url + path, json=body, timeout=60))
        response.raise_for_status()
        return response.json()

    def at(self, moment: datetime) -> None:
        self.call("/sim/api/clock", {"at": moment.isoformat()})

    def tick(self, moment: datetime) -> None:
        self.call("/sim/api/tick", {"at": moment.isoformat()})

    def say(self, code: str, text: str) -> list[dict[str, Any]]:
        return self.call("/sim/api/send", {"user_id": PEOPLE[code][1], "text": text})["messages"]

    def tap(self, code: str, data: str) -> list[dict[str, Any]]:
        return self.call("/sim/api/postback", {"user_id": PEOPLE[code][1],
                                               "data": data})["messages"]

    def history(self, code: str) -> list[dict[str, Any]]:
        return list(self.call(f"/sim/api/messages?user_id={PEOPLE[code][1]}"))


def text_of(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


class Person:
    """A scripted person: reads what reached them since last time and acts on it."""

    def __init__(self, demo: Demo, code: str) -> None:
        self.demo, self.code, self.seen = demo, code, 0
        self.reported = False
        self.hipps_sent = False
        self.copies_sent = False

    def new(self) -> list[dict[str, Any]]:
        history = self.demo.history(self.code)
        fresh, self.seen = history[self.seen:], len(history)
        return [item["message"] for item in fresh]

    def report_kpis(self) -> None:
        for kpi in range(1, 6):
            asked = self.demo.say(self.code, f"KPI {kpi} ร้อยละ {60 + 5 * kpi}")
            if "ระดับ 1 ถึง 5" in text_of(asked):  # a KPI measured as a level: a level, then
                self.demo.say(self.code, "ระดับ 4")
            for said in ("ไม่มีครับ", "ยืนยัน"):
                self.demo.say(self.code, said)
        self.reported = True

    def act(self) -> None:
        arrived = self.new()
        pushed_text = text_of(arrived)
        if self.code in ("D0004", "D0006") and not self.reported and REMINDER_MARK in pushed_text:
            self.report_kpis()
        if self.code == "D0005" and not self.reported and "เลยกำหนด" in pushed_text:
            self.report_kpis()
        if self.code == "D0006" and self.reported and not self.hipps_sent:
            report = self.demo.say(self.code, "รายงาน HiPPS")
            if "ส่งให้รับรอง" in postbacks(report):
                self.demo.tap(self.code, postbacks(report)["ส่งให้รับรอง"])
                self.hipps_sent = True
        if self.code in ("D0003", "D0002"):
            self.decide(arrived)
        if self.code == "D0006" and not self.copies_sent:
            sent = postbacks(arrived + self.new()).get("ส่งสำเนาให้ HR แล้ว")
            if sent:
                self.demo.tap(self.code, sent)
                self.copies_sent = True

    def decide(self, arrived: list[dict[str, Any]]) -> None:
        """A confirmer acts on what reached them: approve-all per officer, certify HiPPS."""
        while arrived:
            actions = postbacks(arrived)
            taps = [data for label, data in actions.items()
                    if label.startswith("รับรองทั้งหมด") or label == "รับรองผล"
                    or label == APPROVE_ALL_YES]  # approve-all asks once before acting
            if not taps:
                return
            for data in taps:
                self.demo.tap(self.code, data)
            arrived = self.new()  # a reply may carry what was held for them


def play(demo: Demo) -> dict[str, dict[str, Any]]:
    people = {code: Person(demo, code) for code in PEOPLE}
    # the newcomer links her LINE account (replies only)
    code = demo.call("/sim/api/link-code", {})["code"]
    demo.call("/sim/api/follow", {"user_id": PEOPLE["D0007"][1]})
    demo.say("D0007", code)
    demo.say("D0007", "ใช่")
    demo.at(datetime.fromisoformat(f"{FIRST_DAY}T10:00+07:00"))
    for carer in ("D0003", "D0002"):
        people[carer].report_kpis()
    day = FIRST_DAY
    while day <= LAST_DAY:
        for hour in ("08:30", "10:00", "10:30", "13:00", "16:30"):
            moment = datetime.fromisoformat(f"{day}T{hour}+07:00")
            if hour == "10:00":
                demo.at(moment)
                for person in people.values():
                    person.act()
            else:
                demo.tick(moment)
        day += timedelta(days=1)
    result = {code: measure(demo, code) for code in PEOPLE}
    for code in ("D0004", "D0005", "D0006"):  # nothing lost: every decision reached its officer
        told = text_of([item["message"] for item in demo.history(code)])
        result[code]["all_told"] = people[code].reported and all(
            f"ตัวชี้วัดที่ {kpi}" in told for kpi in range(1, 6)) and "ได้รับการรับรอง" in told
    result["D0006"]["all_told"] = (result["D0006"]["all_told"] and people["D0006"].copies_sent
                                   and "ได้รับการรับรองครบแล้ว" in text_of(
                                       [item["message"] for item in demo.history("D0006")]))
    return result


def measure(demo: Demo, code: str) -> dict[str, Any]:
    requests_of: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    when: dict[tuple[str, int], str] = {}
    for item in demo.history(code):
        key = (item["kind"], item["request"])
        requests_of[key].append(item["message"])
        when[key] = item["at"]
    pushes = {k: v for k, v in requests_of.items() if k[0] in ("push", "multicast")}
    replies = [k for k in requests_of if k[0] == "reply"]
    reminders = sum(REMINDER_MARK in text_of(v) for v in pushes.values())
    per_day: dict[str, int] = defaultdict(int)
    outside = 0
    for key, messages in pushes.items():
        at = datetime.fromisoformat(when[key]).astimezone(
            datetime.fromisoformat("2027-01-01T00:00+07:00").tzinfo)
        urgent = "ถูกส่งกลับให้แก้ไข" in text_of(messages)
        if not urgent:
            per_day[at.date().isoformat()] += 1
            if not ("08:30" <= at.strftime("%H:%M") < "18:00") or at.weekday() >= 5:
                outside += 1
    return {"billed": len(pushes), "reminders": reminders, "events": len(pushes) - reminders,
            "replies": len(replies), "two_in_a_day": sum(n > 1 for n in per_day.values()),
            "outside_hours": outside}


def naive(code: str) -> int:
    """7 reminders per deadline owed, blind to completion, plus one push per event."""
    deadlines = {"D0004": 1, "D0005": 1, "D0007": 1, "D0006": 2, "D0003": 2, "D0002": 2}[code]
    events = {"D0004": 5, "D0005": 5, "D0007": 0,
              "D0006": 5 * 2 + 2,  # a notice per KPI per certifier, two for the HiPPS report
              "D0003": 15 + 1,  # a card per KPI of three officers, the HiPPS card
              "D0002": 5 + 1}[code]  # the HiPPS officer's KPIs (as coach), the HiPPS card
    return 7 * deadlines + events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="round-economy-") as workdir:
        demo = Demo(Path(workdir))
        demo.start()
        try:
            result = play(demo)
        finally:
            demo.stop()
    print(f"round 1/2570 of the demo agency, {FIRST_DAY} to {LAST_DAY}, "
          f"played in {time.monotonic() - started:.0f} s\n")
    print("| person | billed pushes | target | of which reminders | event pushes only "
          "| free replies | naive policy | two non-urgent in a day | outside hours |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for code, (who, _user) in PEOPLE.items():
        r = result[code]
        target = f"≤ {TARGETS[code]}" if code in TARGETS else "-"
        print(f"| {who} | {r['billed']} | {target} | {r['reminders']} | {r['events']} "
              f"| {r['replies']} | {naive(code)} | {r['two_in_a_day']} | {r['outside_hours']} |")
    met = all(result[code]["billed"] <= limit for code, limit in TARGETS.items())
    clean = all(r["two_in_a_day"] == 0 and r["outside_hours"] == 0 for r in result.values())
    told = all(r.get("all_told", True) for r in result.values())
    print(f"\ntargets met: {'yes' if met else 'NO'}; rules kept: {'yes' if clean else 'NO'}; "
          f"every decision reached its officer (5 KPIs each, the HiPPS report certified and its "
          f"copies marked sent): {'yes' if told else 'NO'}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if met and clean and told else 1)


if __name__ == "__main__":
    main()
