"""Telling the evaluator about a whole-agreement amendment: one card with every KPI before and
after, อนุมัติ / ไม่อนุมัติ. A service the CLI (and the chat) call; the decision is in
handlers/amending.py, the rules in models/amendments.py."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.cards import bubble, heading, row
from handlers.notices import push_to_staff
from handlers.postbacks import AmendmentDecision, encode
from models import Staff
from models.amendments import KpiAmendment
from models.org import Role, carer_ids


def _plain(value: Any) -> str:
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amendment_card(session: Session, amendment: KpiAmendment) -> m.Message:
    """The whole amendment in one card: each KPI's weight and target, before → after."""
    agreement = amendment.agreement
    officer = session.get(Staff, agreement.officer_id)
    name = officer.name_th if officer else "-"
    before = {k.number: k for k in agreement.kpis}
    rows: list[dict[str, Any]] = [row("ผู้รับการประเมิน", name)]
    if amendment.reason:
        rows.append(row("เหตุผล", m.shorten(amendment.reason, 300)))
    for item in amendment.kpis:
        old = before.get(item["number"])
        rows.append(heading(f"{item['number']}. {m.shorten(item['name'], 80)}"
                            + ("" if old is not None else " (เพิ่มใหม่)")))
        weight = (f"{_plain(old.weight)} → {_plain(item['weight'])}" if old is not None
                  and Decimal(str(old.weight)) != Decimal(item["weight"])
                  else _plain(item["weight"]))
        target = (f"{_plain(old.target)} → {_plain(item['target'])}" if old is not None
                  and Decimal(str(old.target)) != Decimal(item["target"])
                  else _plain(item["target"]))
        rows.append(row("น้ำหนัก", f"{weight} %"))
        rows.append(row("เป้าหมาย", f"{target} {item['unit']}".strip()))
    for number, old in sorted(before.items()):
        if number > len(amendment.kpis):
            rows.append(heading(f"{number}. {m.shorten(old.name, 80)} (ลบออก)"))
    actions = [m.postback_action("อนุมัติ", encode(AmendmentDecision(amendment.id, "approve")),
                                 "อนุมัติการแก้ไขข้อตกลง"),
               m.postback_action("ไม่อนุมัติ", encode(AmendmentDecision(amendment.id, "reject")),
                                 "ไม่อนุมัติการแก้ไขข้อตกลง")]
    card = bubble("ขอแก้ไขข้อตกลงตัวชี้วัด", name, rows, footer=actions)
    return m.flex(f"{name}: ขอแก้ไขข้อตกลงตัวชี้วัด ({len(amendment.kpis)} ข้อ) รออนุมัติ", card,
                  actions)


def evaluator_ids(session: Session, amendment: KpiAmendment) -> list[int]:
    agreement = amendment.agreement
    return sorted(carer_ids(session, agreement.officer_id, Role.SUPERVISOR, agreement.round_id)
                  - {agreement.officer_id})


def tell_evaluator(session: Session, amendment: KpiAmendment) -> list[int]:
    """Push the card to the officer's evaluator(s); return who was told."""
    told = evaluator_ids(session, amendment)
    push_to_staff(session, told, [amendment_card(session, amendment)])
    return told
