"""Amending a signed KPI agreement as a whole (seed 001: changes mid-round need the evaluator).

One amendment carries the whole amended list of KPIs: it may re-weight, add or remove KPIs, and
the rules (1–10 KPIs numbered 1..n, weights summing to exactly 100, five rising or falling
levels) are checked on that whole, not one change at a time. A KPI that already has reports
cannot be removed (its reports would lose their KPI). The evaluator approves or rejects it; the
decision is one conditional update (`… WHERE status = 'pending'`), so approving and rejecting at
once (two taps, two people, a redelivery) decides exactly once, on either database.

```mermaid
stateDiagram-v2
    [*] --> pending: requested (checked whole)
    pending --> approved: the evaluator approves (the KPIs replaced, checked again)
    pending --> rejected: the evaluator rejects
```
Never commits, never messages.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from sqlalchemy import JSON, CursorResult, ForeignKey, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import audit
from models.base import Base, utcnow
from models.kpi import AgreementError, ChangeStatus, Kpi, KpiAgreement, check_kpis
from models.progress import ProgressReport

FIELDS = ("name", "unit", "weight", "target", "level1", "level2", "level3", "level4", "level5")
NUMBERS = FIELDS[2:]


class KpiAmendment(Base):
    """The amended whole of one signed agreement, waiting for the evaluator."""

    __tablename__ = "kpi_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("kpi_agreements.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # [{"number", "name", "unit", "weight", "target", "level1".."level5"}] as text, in order
    kpis: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=ChangeStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    agreement: Mapped[KpiAgreement] = relationship()


def _as_kpis(rows: list[dict[str, Any]]) -> list[Kpi]:
    """Transient KPIs from the amended rows (numbers checked), for the agreement's rules."""
    kpis = []
    for position, raw in enumerate(rows, start=1):
        try:
            values = {f: Decimal(str(raw[f])) for f in NUMBERS}
        except (KeyError, InvalidOperation):
            raise AgreementError(f"ตัวชี้วัดลำดับที่ {position}: ตัวเลขไม่ครบหรือไม่ถูกต้อง",
                                 f"KPI {position}: missing or invalid numbers") from None
        name = str(raw.get("name", "")).strip()
        if not name:
            raise AgreementError(f"ตัวชี้วัดลำดับที่ {position}: ต้องมีชื่อ",
                                 f"KPI {position}: a name is needed")
        kpis.append(Kpi(number=position, name=name, unit=str(raw.get("unit", "")).strip(),
                        **values))
    return kpis


def request_amendment(session: Session, agreement: KpiAgreement, rows: list[dict[str, Any]], *,
                      requested_by_id: int | None, reason: str = "") -> KpiAmendment:
    """Check the amended whole and record it for the evaluator (AgreementError, in Thai and
    English, when it breaks a rule; nothing is recorded then)."""
    if agreement.signed_at is None:
        raise AgreementError("ข้อตกลงยังไม่ได้ลงนาม แก้ไขได้โดยนำเข้าใหม่",
                             "the agreement is not signed yet: import it again instead")
    if session.scalar(select(KpiAmendment.id).where(
            KpiAmendment.agreement_id == agreement.id,
            KpiAmendment.status == ChangeStatus.PENDING)) is not None:
        raise AgreementError("มีคำขอแก้ไขข้อตกลงนี้รออนุมัติอยู่แล้ว",
                             "an amendment of this agreement is already pending")
    kpis = _as_kpis(rows)
    check_kpis(kpis)
    removed = [k for k in agreement.kpis if k.number > len(kpis)]
    reported = session.scalars(select(ProgressReport.kpi_id).where(
        ProgressReport.kpi_id.in_([k.id for k in removed]))).first() if removed else None
    if reported is not None:
        number = next(k.number for k in removed if k.id == reported)
        raise AgreementError(f"ตัวชี้วัดที่ {number} มีรายงานแล้ว จึงลบไม่ได้",
                             f"KPI {number} has reports and cannot be removed")
    amendment = KpiAmendment(agreement_id=agreement.id, requested_by_id=requested_by_id,
                             reason=reason, kpis=[
                                 {"number": k.number, **{f: str(getattr(k, f)) for f in FIELDS}}
                                 for k in kpis])
    session.add(amendment)
    session.flush()
    audit(session, "agreement.amendment_requested", actor_staff_id=requested_by_id,
          subject=f"agreement:{agreement.id}", amendment=amendment.id, kpis=amendment.kpis,
          reason=reason)
    return amendment


class AlreadyDecided(AgreementError):
    def __init__(self) -> None:
        super().__init__("คำขอนี้ได้รับการพิจารณาแล้ว", "this amendment has already been decided")


def decide_amendment(session: Session, amendment_id: int, *, approve: bool, decided_by_id: int,
                     at: datetime, note: str = "") -> KpiAmendment:
    """Approve (replace the agreement's KPIs by the amended whole) or reject, exactly once.

    The status moves by one conditional UPDATE: of two deciders at once, one changes the row
    and the other changes nothing and gets AlreadyDecided (the caller rolls back or answers)."""
    status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    if approve:  # checked before anything moves, so a refusal changes nothing
        pending = session.get(KpiAmendment, amendment_id)
        if pending is not None:
            check_kpis(_as_kpis(pending.kpis))
    won = cast(CursorResult[Any], session.execute(
        update(KpiAmendment).where(KpiAmendment.id == amendment_id,
                                   KpiAmendment.status == ChangeStatus.PENDING)
        .values(status=status, decided_by_id=decided_by_id, decided_at=at, decision_note=note)
        .execution_options(synchronize_session=False))).rowcount
    if won != 1:
        raise AlreadyDecided()
    amendment = session.get(KpiAmendment, amendment_id, populate_existing=True)
    assert amendment is not None
    if approve:
        _apply(session, amendment)
    audit(session, f"agreement.amendment_{status}", actor_staff_id=decided_by_id,
          subject=f"agreement:{amendment.agreement_id}", amendment=amendment.id, note=note)
    return amendment


def _apply(session: Session, amendment: KpiAmendment) -> None:
    agreement = amendment.agreement
    existing = {k.number: k for k in agreement.kpis}
    amended = _as_kpis(amendment.kpis)
    for kpi in amended:
        target = existing.get(kpi.number)
        if target is None:
            agreement.kpis.append(kpi)
            continue
        for field in FIELDS:
            setattr(target, field, getattr(kpi, field))
    for number, kpi in existing.items():
        if number > len(amended):
            agreement.kpis.remove(kpi)
    session.flush()
    check_kpis(agreement.kpis)


def pending_for(session: Session, agreement_ids: list[int]) -> list[KpiAmendment]:
    """The pending amendments of these agreements, oldest first."""
    return list(session.scalars(select(KpiAmendment).where(
        KpiAmendment.agreement_id.in_(agreement_ids),
        KpiAmendment.status == ChangeStatus.PENDING).order_by(KpiAmendment.id)))
