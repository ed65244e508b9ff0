"""The one formatting module: numbers, dates people type, and a Thai word for every stored code."""
from __future__ import annotations

import ast
import datetime as dt
import pathlib
import re
from decimal import Decimal
from enum import StrEnum

import pytest

import models
from models import appraisal, development, hipps, hr, kpi, line, org, progress, reminders, rounds
from thai import (
    DateInputError,
    audit_label,
    format_number,
    format_percent,
    format_score,
    input_date,
    input_datetime,
    local_date,
    parse_input_date,
    parse_input_datetime,
    status_label,
    subject_label,
)
from thai.labels import AUDIT_LABELS, STATUS_LABELS

ROOT = pathlib.Path(__file__).resolve().parent.parent
THAI = re.compile(r"[\u0e00-\u0e7f]")


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("80"), "80.00"), (Decimal("80.000"), "80.00"), (Decimal("80.00000"), "80.00"),
    (Decimal("79.99999"), "79.99"), (Decimal("59.995"), "59.99"), (75.5, "75.50"),
    (1234.5, "1,234.50"), (None, "-"), ("", "-"), (0, "0.00")])
def test_scores_have_two_decimals_and_are_cut(value: object, shown: str) -> None:
    assert format_score(value) == shown


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (20000, 0, "20,000"), (Decimal("30.00"), 2, "30.00"), (2.675, 2, "2.68"),
    (Decimal("0.125"), 2, "0.13"), (None, 2, "-"), (1234567.891, 1, "1,234,567.9")])
def test_numbers_have_thousands_and_round_half_up(value: object, decimals: int,
                                                  shown: str) -> None:
    assert format_number(value, decimals) == shown


def test_percent() -> None:
    assert format_percent(Decimal("37.5")) == "37.50%"
    assert format_percent(100, 0) == "100%"
    assert format_percent(None) == "-"


def test_the_bangkok_day_of_a_late_utc_moment() -> None:
    moment = dt.datetime(2026, 11, 26, 18, 30, tzinfo=dt.UTC)  # 27 Nov 01:30 in Bangkok
    assert local_date(moment) == dt.date(2026, 11, 27)
    assert local_date(moment, dt.UTC) == dt.date(2026, 11, 26)
    assert local_date(dt.date(2026, 11, 26)) == dt.date(2026, 11, 26)


@pytest.mark.parametrize(("typed", "day"), [
    ("15/01/2570", dt.date(2027, 1, 15)), ("1/2/2570", dt.date(2027, 2, 1)),
    (" 29/02/2571 ", dt.date(2028, 2, 29)), ("๑๕/๐๑/๒๕๗๐", dt.date(2027, 1, 15)),
    ("15.01.2570", dt.date(2027, 1, 15)), ("2027-01-15", dt.date(2027, 1, 15))])
def test_typed_dates_in_buddhist_era_or_iso(typed: str, day: dt.date) -> None:
    assert parse_input_date(typed) == day


@pytest.mark.parametrize(("typed", "says"), [
    ("", "กรุณากรอกวันที่"), ("15/01/2027", "พ.ศ."), ("31/02/2570", "ไม่มีวันที่"),
    ("พรุ่งนี้", "อ่านวันที่"), ("15/13/2570", "ไม่มีวันที่"), ("01/15/2570", "ไม่มีวันที่"),
    ("15/01/2570 09:00", "เฉพาะวันที่")])
def test_bad_typed_dates_say_why_in_thai(typed: str, says: str) -> None:
    with pytest.raises(DateInputError) as error:
        parse_input_date(typed)
    assert says in str(error.value)
    assert THAI.search(str(error.value))


def test_typed_moments() -> None:
    assert parse_input_datetime("15/01/2570 09:30") == dt.datetime(2027, 1, 15, 9, 30)
    assert parse_input_datetime("15/01/2570 9.30 น.") == dt.datetime(2027, 1, 15, 9, 30)
    assert parse_input_datetime("15/01/2570") == dt.datetime(2027, 1, 15, 0, 0)
    assert parse_input_datetime("2027-01-15T09:30") == dt.datetime(2027, 1, 15, 9, 30)
    with pytest.raises(DateInputError, match="ไม่ถูกต้อง"):
        parse_input_datetime("15/01/2570 25:00")


def test_what_a_date_field_shows_reads_back() -> None:
    day = dt.date(2027, 1, 5)
    assert input_date(day) == "05/01/2570"
    assert parse_input_date(input_date(day)) == day
    moment = dt.datetime(2027, 1, 5, 8, 0)
    assert input_datetime(moment) == "05/01/2570 08:00"
    assert parse_input_datetime(input_datetime(moment)) == moment
    assert input_date(None) == "" and input_datetime(None) == ""


# --- every stored code has Thai words -----------------------------------------------------------

ENUM_KINDS: list[tuple[type[StrEnum], str]] = [
    (progress.ReportStatus, "report"), (progress.WorkStatus, "work"),
    (progress.Decision, "decision"), (progress.ReportKind, "report_kind"),
    (progress.EvidenceStatus, "evidence"), (appraisal.AppraisalStatus, "appraisal"),
    (appraisal.CaseStatus, "case"), (development.ItemStatus, "idp_item"),
    (hipps.MilestoneStatus, "milestone"), (hipps.HippsStatus, "hipps"),
    (hr.SendStatus, "send"), (hr.Audience, "audience"), (line.OutboxStatus, "outbox"),
    (kpi.ChangeStatus, "change"), (reminders.PushStatus, "push"),
    (reminders.ReminderKind, "reminder"), (rounds.Anchor, "anchor"), (org.Role, "role")]


def test_every_status_enum_of_the_models_is_listed_here() -> None:
    """A new StrEnum in models/ must be given a kind (PositionType is Thai already)."""
    listed = {enum for enum, _kind in ENUM_KINDS} | {org.PositionType}
    found = set()
    for module in (progress, appraisal, development, hipps, hr, line, kpi, reminders, rounds, org):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum \
                    and value.__module__ == module.__name__:
                found.add(value)
    assert found <= listed, found - listed


@pytest.mark.parametrize(("enum", "kind"), ENUM_KINDS, ids=[k for _e, k in ENUM_KINDS])
def test_every_status_code_has_thai_words(enum: type[StrEnum], kind: str) -> None:
    for member in enum:
        label = status_label(kind, member.value)
        assert label != member.value and THAI.search(label), (kind, member.value)
    assert set(STATUS_LABELS[kind]) >= {m.value for m in enum}


def test_an_unknown_or_missing_status() -> None:
    assert status_label("report", None) == "-"
    assert status_label("report", "") == "-"
    assert status_label("report", "brand_new") == "brand_new"
    assert status_label("appraisal", "computed") == "รอผู้ประเมินอนุมัติ"
    assert status_label("send", "sent") == "ส่งแล้ว"
    assert status_label("idp_item", "planned") == "ยังไม่เริ่ม"
    assert models.ROLE_NAMES_TH["mentor"] == status_label("role", "mentor")


def _audited_actions() -> set[str]:
    """Every action the code base writes to the audit log (literals, and the f-strings
    expanded over the statuses they are built from)."""
    actions: set[str] = set()
    expand = {"report.": [s.value for s in progress.ReportStatus],
              "kpi.change_": [s.value for s in kpi.ChangeStatus],
              "agreement.amendment_": [s.value for s in kpi.ChangeStatus]}
    for folder in ("models", "handlers", "bot", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("audit", "_audit") and node.args):
                    continue
                arg = node.args[1] if node.func.id == "audit" and len(node.args) > 1 \
                    else node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    actions.add(arg.value)
                    continue
                if isinstance(arg, ast.Name):  # a wrapper passing its own argument on
                    continue
                if isinstance(arg, ast.IfExp) and isinstance(arg.body, ast.Constant) \
                        and isinstance(arg.orelse, ast.Constant):
                    actions.update((str(arg.body.value), str(arg.orelse.value)))
                    continue
                prefix = (arg.values[0].value if isinstance(arg, ast.JoinedStr)
                          else arg.left.value if isinstance(arg, ast.BinOp)
                          and isinstance(arg.left, ast.Constant) else None)
                assert prefix in expand, f"{path}: audit action built as {ast.unparse(arg)}"
                actions.update(prefix + value for value in expand[str(prefix)])
    return actions


def test_every_audit_action_in_the_code_has_thai_words() -> None:
    actions = _audited_actions()
    assert len(actions) > 60
    missing = sorted(a for a in actions if a not in AUDIT_LABELS)
    assert not missing
    for action in actions:
        assert THAI.search(audit_label(action)), action
    assert audit_label("report.superseded") == "รายงานถูกแทนด้วยฉบับใหม่"
    assert audit_label("postback.stale") == "แตะปุ่มที่หมดอายุแล้ว"


@pytest.mark.parametrize(("subject", "shown"), [
    ("report:12", "รายงาน #12"), ("day:2027-01-15", "15 ม.ค. 2570"),
    ("survey:2570", "แบบสำรวจ ปีงบประมาณ 2570"), ("line:U1234", "บัญชี LINE"),
    ("", ""), ("odd", "odd"), ("staff:7", "บุคลากร #7")])
def test_audit_subjects_in_thai(subject: str, shown: str) -> None:
    assert subject_label(subject) == shown
