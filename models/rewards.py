"""Rewards of a closed round (seed 001, "หลักเกณฑ์การพิจารณาให้คุณ"): the names rated ดีเด่น,
ดีมาก and ดี are announced openly with a certificate; ดีเด่น and ดีมาก also get a two-day study
visit in Thailand. The lists exist only once the round is closed and every result is approved
by its evaluator; until then `RewardLists.needed` says in Thai what is still missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.appraisal import FROZEN, Appraisal, AppraisalStatus
from models.org import Staff, Unit
from models.rounds import Round

RECOGNITION_BANDS = ("ดีเด่น", "ดีมาก", "ดี")  # ประกาศรายชื่อและมอบเกียรติบัตร
STUDY_VISIT_BANDS = ("ดีเด่น", "ดีมาก")  # ศึกษาดูงานภายในประเทศ ๒ วัน
RECOGNITION_TH = "ประกาศรายชื่อและมอบเกียรติบัตร"
STUDY_VISIT_TH = "ศึกษาดูงานภายในประเทศ 2 วัน"
NO_UNIT_TH = "ไม่ระบุหน่วยงาน"


@dataclass(frozen=True)
class Awardee:
    staff_code: str
    name_th: str
    position: str
    unit_th: str
    band: str
    overall: Decimal  # two decimals, cut (as the results are shown; never rounded up)


@dataclass
class RewardLists:
    round: Round
    needed: list[str] = field(default_factory=list)  # Thai: what is missing before the lists
    recognition: list[Awardee] = field(default_factory=list)
    study_visit: list[Awardee] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.needed

    def recognition_by_unit(self) -> list[tuple[str, list[Awardee]]]:
        return by_unit(self.recognition)

    def study_visit_by_unit(self) -> list[tuple[str, list[Awardee]]]:
        return by_unit(self.study_visit)

    def by_band(self) -> list[tuple[str, list[Awardee]]]:
        return [(band, [a for a in self.recognition if a.band == band])
                for band in RECOGNITION_BANDS]


def _order(awardee: Awardee) -> tuple[int, Decimal, str]:
    return (RECOGNITION_BANDS.index(awardee.band), -awardee.overall, awardee.staff_code)


def by_unit(awardees: list[Awardee]) -> list[tuple[str, list[Awardee]]]:
    """The awardees per unit (units by name), best first within each unit."""
    units: dict[str, list[Awardee]] = {}
    for awardee in awardees:
        units.setdefault(awardee.unit_th, []).append(awardee)
    return [(unit, sorted(people, key=_order)) for unit, people in sorted(units.items())]


def reward_lists(session: Session, round_: Round) -> RewardLists:
    """The recognition and study-visit lists of a round, or what is still needed for them."""
    lists = RewardLists(round_)
    if round_.closed_at is None:
        lists.needed.append("ยังไม่ได้ปิดรอบและคำนวณผลการประเมิน (หน้า ผลประเมินและ IDP)")
        return lists
    rows = session.execute(
        select(Appraisal, Staff, Unit.name_th).join(Staff, Staff.id == Appraisal.officer_id)
        .outerjoin(Unit, Unit.id == Staff.unit_id)
        .where(Appraisal.round_id == round_.id, Staff.agency_id == round_.agency_id)).all()
    if not rows:
        lists.needed.append("ยังไม่มีผลการประเมินของรอบนี้")
        return lists
    incomplete = sum(1 for a, _s, _u in rows if a.status == AppraisalStatus.INCOMPLETE)
    waiting = sum(1 for a, _s, _u in rows if a.status == AppraisalStatus.COMPUTED)
    if incomplete:
        lists.needed.append(f"ผลของ {incomplete:,} คนยังไม่ครบ: ตัดสินเรื่องตัวชี้วัดที่ยังไม่มีผล"
                            "รับรองที่หน้ายืนยันการปิดรอบ")
    if waiting:
        lists.needed.append(f"ผลของ {waiting:,} คนยังรอผู้ประเมินอนุมัติ")
    if lists.needed:
        return lists
    for appraisal, staff, unit in rows:
        if appraisal.status not in FROZEN or appraisal.band not in RECOGNITION_BANDS:
            continue
        assert appraisal.overall is not None
        awardee = Awardee(staff.staff_code, staff.name_th, staff.position or "",
                          unit or NO_UNIT_TH, appraisal.band,
                          Decimal(appraisal.overall).quantize(Decimal("0.01"), ROUND_DOWN))
        lists.recognition.append(awardee)
        if awardee.band in STUDY_VISIT_BANDS:
            lists.study_visit.append(awardee)
    lists.recognition.sort(key=_order)
    lists.study_visit.sort(key=_order)
    return lists


CERTIFICATES_ATTACHED = "เกียรติบัตร: แนบมากับประกาศนี้ (ไฟล์ PDF หนึ่งหน้าต่อคน) กดปุ่ม “เปิดไฟล์แนบ”"


def announcement_text(lists: RewardLists, certificates_url: str, limit: int) -> str:
    """The congratulation HR sends (and may edit): the names by band, the study visit, and the
    certificates' link (empty: they are the announcement's attachment); at most `limit`
    characters (names past it are counted, not listed)."""
    round_ = lists.round
    head = (f"ขอแสดงความยินดีกับบุคลากรที่มีผลการปฏิบัติราชการระดับดีเด่น ดีมาก และดี "
            f"{round_.title_th} ซึ่งจะได้รับเกียรติบัตรเพื่อยกย่องชมเชย")
    tail = ([f"ผู้มีผลระดับดีเด่นและดีมาก {len(lists.study_visit):,} คน จะได้ศึกษาดูงาน"
             f"ภายในประเทศ 2 วัน"] if lists.study_visit else [])
    tail.append(f"เกียรติบัตร: {certificates_url}" if certificates_url else CERTIFICATES_ATTACHED)
    sections: list[tuple[str, list[str]]] = [
        (band, [a.name_th for a in people]) for band, people in lists.by_band() if people]
    lines = [head]
    budget = limit - len(head) - sum(len(t) + 2 for t in tail) - 2
    titles = [f"ระดับ{band} ({len(names):,} คน)" for band, names in sections]
    least = [len(_block(t, [], len(names))) + 2 for t, (_b, names) in zip(titles, sections,
                                                                         strict=True)]
    for i, (title, (_band, names)) in enumerate(zip(titles, sections, strict=True)):
        room = budget - sum(least[i + 1:])  # every later band keeps room for its title
        shown: list[str] = []
        for name in names:
            if len(_block(title, [*shown, name], len(names))) + 2 > room:
                break
            shown.append(name)
        block = _block(title, shown, len(names))
        budget -= len(block) + 2
        lines.append(block)
    lines += tail
    return "\n\n".join(lines)[:limit]


def _block(title: str, names: list[str], total: int) -> str:
    more = [f"  และอีก {total - len(names):,} คน"] if len(names) < total else []
    return "\n".join([title, *(f"• {n}" for n in names), *more])
