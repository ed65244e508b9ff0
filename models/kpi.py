"""KPI agreements (ข้อตกลงการประเมิน): an officer's KPIs for one round, and the rules they obey."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from models.audit import audit
from models.base import Base, utcnow

if TYPE_CHECKING:
    from models.progress import ProgressReport

MIN_KPIS, MAX_KPIS = 1, 10  # a typical agreement has 5 (seed 001)
TOTAL_WEIGHT = Decimal(100)


class AgreementError(ValueError):
    """A KPI agreement breaks a rule; says why in Thai and in English."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(f"{th} / {en}")
        self.th, self.en = th, en


class AlreadyDecided(AgreementError):
    """Someone (or a concurrent tap) decided the request first."""

    def __init__(self) -> None:
        super().__init__("คำขอนี้ได้รับการพิจารณาแล้ว", "this request has already been decided")


class KpiAgreement(Base):
    __tablename__ = "kpi_agreements"
    __table_args__ = (UniqueConstraint("officer_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    key_project: Mapped[str | None] = mapped_column(Text)  # HiPPS: the annual key project
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    kpis: Mapped[list[Kpi]] = relationship(back_populates="agreement", order_by="Kpi.number",
                                           cascade="all, delete-orphan")


class Kpi(Base):
    """One KPI: weight (%), target, and the five level thresholds (ระดับ 1–5)."""

    __tablename__ = "kpis"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("kpi_agreements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(64), default="")  # หน่วยนับ
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    level1: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    level2: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    level3: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    level4: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    level5: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    allow_over_100: Mapped[bool] = mapped_column(Boolean, default=False)
    # innovation or digital work (seed 004's measure), as HR marks it (models/innovation.py)
    innovation: Mapped[bool] = mapped_column(Boolean, default=False)

    agreement: Mapped[KpiAgreement] = relationship(back_populates="kpis")
    # Reports still shown (pending, sent back, confirmed), newest first: my KPIs card.
    reports: Mapped[list[ProgressReport]] = relationship(
        viewonly=True, order_by="desc(ProgressReport.id)",
        primaryjoin="and_(ProgressReport.kpi_id == Kpi.id, ProgressReport.kind == 'kpi', "
                    "ProgressReport.status.in_(['pending', 'sent_back', 'confirmed']))")

    @property
    def levels(self) -> tuple[Decimal, ...]:
        return (self.level1, self.level2, self.level3, self.level4, self.level5)


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


CHANGEABLE = ("name", "unit", "weight", "target", "level1", "level2", "level3", "level4", "level5")


class KpiChangeRequest(Base):
    """A change to a KPI of a signed agreement, waiting for the evaluator (seed 001)."""

    __tablename__ = "kpi_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # field → new value (as text)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=ChangeStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    kpi: Mapped[Kpi] = relationship()


def check_kpis(kpis: Sequence[Kpi]) -> None:
    """Raise AgreementError unless the KPIs make a valid agreement."""
    if not MIN_KPIS <= len(kpis) <= MAX_KPIS:
        raise AgreementError(f"ข้อตกลงต้องมีตัวชี้วัด {MIN_KPIS}–{MAX_KPIS} ข้อ (มี {len(kpis)} ข้อ)",
                             f"an agreement needs {MIN_KPIS}-{MAX_KPIS} KPIs (has {len(kpis)})")
    numbers = sorted(k.number for k in kpis)
    if numbers != list(range(1, len(kpis) + 1)):
        raise AgreementError(f"ลำดับตัวชี้วัดต้องเป็น 1 ถึง {len(kpis)} ไม่ซ้ำกัน (พบ {numbers})",
                             f"KPI numbers must be 1..{len(kpis)} without gaps (got {numbers})")
    for kpi in kpis:
        check_kpi(kpi)
    total = sum((Decimal(k.weight) for k in kpis), Decimal(0))
    if total != TOTAL_WEIGHT:
        raise AgreementError(f"น้ำหนักรวมต้องเท่ากับ 100 พอดี (รวมได้ {total.normalize():f})",
                             f"weights must sum to exactly 100 (they sum to {total.normalize():f})")


def check_kpi(kpi: Kpi) -> None:
    """Raise AgreementError unless one KPI is well formed."""
    where_th, where_en = f"ตัวชี้วัดที่ {kpi.number}", f"KPI {kpi.number}"
    if not (kpi.name or "").strip():
        raise AgreementError(f"{where_th}: ไม่มีชื่อ", f"{where_en}: no name")
    if not Decimal(0) < Decimal(kpi.weight) <= TOTAL_WEIGHT:
        raise AgreementError(f"{where_th}: น้ำหนักต้องมากกว่า 0 และไม่เกิน 100",
                             f"{where_en}: weight must be more than 0 and at most 100")
    levels = [Decimal(v) for v in kpi.levels]
    rising = all(a < b for a, b in zip(levels, levels[1:], strict=False))
    falling = all(a > b for a, b in zip(levels, levels[1:], strict=False))
    if not (rising or falling):
        raise AgreementError(f"{where_th}: เกณฑ์ระดับ 1–5 ต้องเพิ่มขึ้น (หรือลดลง) ทุกระดับ",
                             f"{where_en}: the five level thresholds must all rise (or all fall)")


def sign_agreement(session: Session, agreement: KpiAgreement, signed_by_id: int | None,
                   at: datetime) -> None:
    """Mark the agreement signed; from then on changes need the evaluator's approval."""
    check_kpis(agreement.kpis)
    agreement.signed_at, agreement.signed_by_id = at, signed_by_id
    audit(session, "agreement.signed", actor_staff_id=signed_by_id,
          subject=f"agreement:{agreement.id}")


def request_kpi_change(session: Session, kpi: Kpi, changes: dict[str, Any], *,
                       requested_by_id: int | None, reason: str = "") -> KpiChangeRequest:
    """Record a change to a signed agreement's KPI for the evaluator to decide."""
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise AgreementError(f"แก้ไขไม่ได้: {', '.join(unknown)}",
                             f"cannot change: {', '.join(unknown)}")
    request = KpiChangeRequest(kpi=kpi, changes={k: str(v) for k, v in changes.items()},
                               requested_by_id=requested_by_id, reason=reason)
    session.add(request)
    session.flush()
    audit(session, "kpi.change_requested", actor_staff_id=requested_by_id,
          subject=f"kpi:{kpi.id}", request=request.id, changes=request.changes)
    return request


def decide_kpi_change(session: Session, request: KpiChangeRequest, *, approve: bool,
                      decided_by_id: int, at: datetime, note: str = "") -> None:
    """Approve (apply, keeping the agreement valid) or reject a pending change request.

    Decided exactly once: the request is claimed with a conditional UPDATE (pending → decided)
    before anything is written, so of two concurrent decisions one wins and the other raises
    AlreadyDecided having changed nothing (PostgreSQL re-checks the row after the winner's
    commit; SQLite writers are serial)."""
    if request.status != ChangeStatus.PENDING:
        raise AlreadyDecided()
    status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    with session.no_autoflush:  # nothing reaches the database before the claim
        before: dict[str, Any] = {}
        if approve:
            kpi = request.kpi
            before = {field: getattr(kpi, field) for field in request.changes}
            for field, value in request.changes.items():
                setattr(kpi, field, value if field in ("name", "unit") else Decimal(value))
            try:
                check_kpis(kpi.agreement.kpis)
            except AgreementError:
                _restore(kpi, before)  # leave the agreement as it was
                raise
        claimed = session.execute(
            update(KpiChangeRequest)
            .where(KpiChangeRequest.id == request.id,
                   KpiChangeRequest.status == ChangeStatus.PENDING)
            .values(status=status, decided_by_id=decided_by_id, decided_at=at,
                    decision_note=note)
            .execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) != 1:
            if approve:
                _restore(request.kpi, before)
            session.expire(request)
            raise AlreadyDecided()
    for field, value in (("status", status), ("decided_by_id", decided_by_id),
                         ("decided_at", at), ("decision_note", note)):
        set_committed_value(request, field, value)
    audit(session, "kpi.change_" + status, actor_staff_id=decided_by_id,
          subject=f"kpi:{request.kpi_id}", request=request.id, note=note)


def _restore(kpi: Kpi, before: dict[str, Any]) -> None:
    for field, value in before.items():
        setattr(kpi, field, value)
