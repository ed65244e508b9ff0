"""Appraisal results (seed 001): KPI levels, competencies, the overall score and its band,
and the low-performer procedure that a result under 60 opens.

Arithmetic is Decimal from end to end: a KPI result is placed on its five levels (below level
1 scores 0), achievement = Σ weight × level / 5 (percent), competency = Σ score / (5 × n) × 100
(kept to 2 decimals, as the official form writes it), overall = (achievement × agency weight +
competency × agency weight) / 100, exact. The band is decided on the exact overall score by the
table `BANDS`, whose lower bounds are the seed's (90, 80, 70, 60): 89.99 is ดีมาก, 90 ดีเด่น.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.org import PositionType, Staff

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# (lower bound inclusive, band) from the top; seed 001 "ระดับผลการประเมิน".
BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "ดีเด่น"),
    (Decimal(80), "ดีมาก"),
    (Decimal(70), "ดี"),
    (Decimal(60), "พอใช้"),
    (Decimal(0), "ต้องปรับปรุง"),
)
LOW_PERFORMER_BELOW = Decimal(60)

CORE_COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("achievement", "การมุ่งผลสัมฤทธิ์"),
    ("service", "การบริการที่ดี"),
    ("expertise", "การสั่งสมความเชี่ยวชาญในงานอาชีพ"),
    ("integrity", "การยึดมั่นในความถูกต้องชอบธรรมและจริยธรรม"),
    ("teamwork", "การทำงานเป็นทีม"),
)
MANAGERIAL_COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("leadership", "สภาวะผู้นำ"),
    ("vision", "วิสัยทัศน์"),
    ("strategy", "การวางแผนกลยุทธ์"),
    ("change", "ศักยภาพเพื่อนำการปรับเปลี่ยน"),
    ("self_control", "การควบคุมตนเอง"),
    ("coaching", "การสอนงานและการมอบหมายงาน"),
)
COMPETENCY_NAMES = dict(CORE_COMPETENCIES + MANAGERIAL_COMPETENCIES)
MANAGERIAL_POSTS = (PositionType.DIRECTOR, PositionType.EXECUTIVE)
PERCENT_UNITS = ("ร้อยละ", "%")


class ScoreError(ValueError):
    """A score cannot be computed; says why in Thai and in English."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(f"{th} / {en}")
        self.th, self.en = th, en


# --- arithmetic (pure) -----------------------------------------------------------------------

def band_for(score: Decimal) -> str:
    """The band of an overall score in 0–100, decided on the exact value."""
    score = Decimal(score)
    if not Decimal(0) <= score <= HUNDRED:
        raise ScoreError(f"คะแนน {score} อยู่นอกช่วง 0–100", f"score {score} is outside 0-100")
    for lower, band in BANDS:
        if score >= lower:
            return band
    raise AssertionError("unreachable")  # pragma: no cover


def kpi_level(levels: Sequence[Decimal], result: Decimal | None) -> int:
    """The level (0–5) a result reaches; thresholds may rise (more is better) or fall."""
    if result is None:
        return 0
    result = Decimal(result)
    values = [Decimal(v) for v in levels]
    falling = values[0] > values[-1]
    reached = 0
    for number, threshold in enumerate(values, start=1):
        if (result <= threshold) if falling else (result >= threshold):
            reached = number
    return reached


def achievement_score(weighted_levels: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Σ weight × level / 5, in percent (weights sum to 100, levels 0–5)."""
    total = Decimal(0)
    for weight, level in weighted_levels:
        if not 0 <= level <= 5:
            raise ScoreError(f"ระดับ {level} ต้องอยู่ระหว่าง 0–5", f"level {level} must be 0-5")
        total += Decimal(weight) * level / 5
    return total


def competency_score(scores: Iterable[int]) -> Decimal:
    """Σ score / (5 × n) × 100, rounded half up to 2 decimals (scores 1–5)."""
    values = list(scores)
    if not values:
        raise ScoreError("ยังไม่มีคะแนนสมรรถนะ", "no competency scores")
    for value in values:
        if not 1 <= value <= 5:
            raise ScoreError(f"คะแนนสมรรถนะ {value} ต้องเป็น 1–5",
                             f"competency score {value} must be 1-5")
    return (Decimal(sum(values)) * HUNDRED / (5 * len(values))).quantize(CENT, ROUND_HALF_UP)


def overall_score(achievement: Decimal, competency: Decimal, achievement_weight: int,
                  competency_weight: int) -> Decimal:
    """The mix by the agency's weights (they sum to 100), exact."""
    if achievement_weight + competency_weight != 100 or min(achievement_weight,
                                                            competency_weight) < 0:
        raise ScoreError("สัดส่วนผลสัมฤทธิ์และสมรรถนะต้องรวมกันเป็น 100",
                         "achievement and competency weights must sum to 100")
    return (Decimal(achievement) * achievement_weight
            + Decimal(competency) * competency_weight) / HUNDRED


def shown(score: Decimal | None) -> str:
    """A score as people read it: two decimals, cut (never rounded up into the next band)."""
    if score is None:
        return "-"
    return f"{Decimal(score).quantize(CENT, ROUND_DOWN):f}"


def competencies_for(staff: Staff) -> tuple[tuple[str, str], ...]:
    """The five core competencies, plus the six managerial ones for อำนวยการ/บริหาร posts."""
    if staff.position_type in MANAGERIAL_POSTS:
        return CORE_COMPETENCIES + MANAGERIAL_COMPETENCIES
    return CORE_COMPETENCIES


# --- models ----------------------------------------------------------------------------------

class CompetencyScore(Base):
    """One competency of one officer in one round, scored 1–5 by a mentor or evaluator."""

    __tablename__ = "competency_scores"
    __table_args__ = (UniqueConstraint("officer_id", "round_id", "competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    competency: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AppraisalStatus(StrEnum):
    INCOMPLETE = "incomplete"  # a KPI without a confirmed result, or no competency assessment
    COMPUTED = "computed"  # waiting for the evaluator
    APPROVED = "approved"  # by the evaluator; the officer is told
    ACKNOWLEDGED = "acknowledged"  # the officer รับทราบ
    DISAGREED = "disagreed"  # the officer does not agree, with a comment (as the form has)


FROZEN = (AppraisalStatus.APPROVED, AppraisalStatus.ACKNOWLEDGED, AppraisalStatus.DISAGREED)


class Appraisal(Base):
    """The result of one officer in one round (computed by `round close`)."""

    __tablename__ = "appraisals"
    __table_args__ = (UniqueConstraint("officer_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    # 2-decimal weights / 5; None while a KPI has no confirmed result (missing is not zero)
    achievement: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    competency: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    overall: Mapped[Decimal | None] = mapped_column(Numeric(10, 5))  # exact, never rounded
    band: Mapped[str | None] = mapped_column(String(32))
    achievement_weight: Mapped[int] = mapped_column(Integer)
    competency_weight: Mapped[int] = mapped_column(Integer)
    kpi_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=AppraisalStatus.COMPUTED, index=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    officer_comment: Mapped[str] = mapped_column(Text, default="")
    # HR's choice for an officer whose KPIs lack a confirmed result: score them as level 0
    # (True, with the reason) or wait (False, the default: no overall, no band).
    missing_as_zero: Mapped[bool] = mapped_column(Boolean, default=False)
    missing_reason: Mapped[str] = mapped_column(Text, default="")

    officer: Mapped[Staff] = relationship(foreign_keys=[officer_id])

    @property
    def is_low(self) -> bool:
        return self.overall is not None and Decimal(self.overall) < LOW_PERFORMER_BELOW


# The six steps of the low-performer procedure (seed 001), in order.
LP_STEPS: tuple[tuple[str, str], ...] = (
    ("analysis", "วิเคราะห์หาสาเหตุและวางแผนร่วมกัน"),
    ("development", "อบรมและพัฒนา"),
    ("job_adjustment", "ปรับงานให้เหมาะสม"),
    ("monitoring", "ติดตามผล"),
    ("transfer", "โอนย้ายไปตำแหน่งที่เหมาะสม"),
    ("evaluation", "ติดตามการประเมินผล"),
)
LP_STEP_NAMES = dict(LP_STEPS)
LP_STEP_ORDER = [code for code, _name in LP_STEPS]
LP_REPORT_DAYS = 7
# "หากดำเนินการพัฒนา…แล้วให้รายงาน…ภายใน ๗ วัน": the report falls due once these are done.
LP_DEVELOPMENT_STEPS = ("analysis", "development")


def steps_skipped(done: set[str] | list[str], step: str) -> list[str]:
    """The earlier steps of the procedure not recorded yet: recording `step` now needs a reason
    (seed 001's order: analysis, development, job adjustment, monitoring, transfer last)."""
    return [code for code in LP_STEP_ORDER[:LP_STEP_ORDER.index(step)] if code not in done]


class CaseStatus(StrEnum):
    OPEN = "open"
    REPORTED = "reported"  # the report went to the supervisor's superior
    CLOSED = "closed"  # the result was recomputed at 60 or more: no longer a low performer


class LowPerformerCase(Base):
    """ผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำ: opened by a result under 60."""

    __tablename__ = "low_performer_cases"
    __table_args__ = (UniqueConstraint("appraisal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisals.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    # 7 days after the development steps are recorded as done (seed 001); None until then
    report_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.OPEN, index=True)
    reported_at: Mapped[datetime | None]
    report_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]  # a re-close raised the result to 60 or more
    close_note: Mapped[str] = mapped_column(Text, default="")

    officer: Mapped[Staff] = relationship(foreign_keys=[officer_id])
    appraisal: Mapped[Appraisal] = relationship()
    steps: Mapped[list[LowPerformerStep]] = relationship(
        order_by="LowPerformerStep.id", cascade="all, delete-orphan")


class LowPerformerStep(Base):
    """One step of the procedure, as the supervisor recorded it from the chat."""

    __tablename__ = "low_performer_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("low_performer_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    done_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
