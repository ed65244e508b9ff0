"""What an import did, and every problem it found, in Thai and English."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or, with `line` None, the whole file) cannot be imported.

    `line` counts as a person does: the header is line 1 of a CSV, the first data row line 2;
    for XLSX it is the sheet's row number. `column` is the header as written in the file.
    """

    line: int | None
    th: str
    en: str
    column: str | None = None

    def text(self) -> str:
        """`แถว 5: … / line 5: …` (or `ไฟล์: … / file: …`)."""
        if self.line is None:
            return f"ไฟล์: {self.th} / file: {self.en}"
        if self.column:
            return (f"แถว {self.line} คอลัมน์ {self.column}: {self.th} / "
                    f"line {self.line}, column {self.column}: {self.en}")
        return f"แถว {self.line}: {self.th} / line {self.line}: {self.en}"


@dataclass
class ImportReport:
    """The outcome of `import_staff` or `import_kpis`.

    `ok` is False when the file cannot be read, or when a row is bad and `skip_bad` was not
    given: then nothing at all was written. Counts are of rows (people, or KPIs); `skipped` is
    the number of bad rows. `change_requests` counts KPI change requests created for signed
    agreements; `removed` counts KPIs dropped from unsigned agreements.
    """

    kind: str  # "staff" or "kpis"
    ok: bool = True
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0
    change_requests: int = 0
    units_created: int = 0
    units_updated: int = 0
    agreements_updated: int = 0  # the key project of an unsigned agreement changed
    agreements_signed: int = 0  # signed on paper: the file's วันที่ลงนาม column
    agency_created: bool = False
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return bool(self.created or self.updated or self.removed or self.change_requests
                    or self.units_created or self.units_updated or self.agreements_updated
                    or self.agreements_signed
                    or self.agency_created)

    def lines(self) -> list[str]:
        """One printable line per problem, in file order (file-level problems first)."""
        ordered = sorted(self.problems, key=lambda p: -1 if p.line is None else p.line)
        return [problem.text() for problem in ordered]

    def summary(self) -> str:
        """One bilingual line with the counts."""
        what_th, what_en = ("บุคลากร", "staff") if self.kind == "staff" else ("ตัวชี้วัด", "KPIs")
        if not self.ok:
            bad = self.skipped
            return (f"ไม่ได้นำเข้า{what_th}: พบปัญหา {len(self.problems)} รายการ"
                    f"{f' ใน {bad} แถว' if bad else ''} จึงยังไม่บันทึกสิ่งใด / "
                    f"{what_en} not imported: {len(self.problems)} problem(s)"
                    f"{f' in {bad} row(s)' if bad else ''}, so nothing was saved")
        th = [f"เพิ่ม {self.created}", f"แก้ไข {self.updated}", f"ไม่เปลี่ยน {self.unchanged}"]
        en = [f"created {self.created}", f"updated {self.updated}",
              f"unchanged {self.unchanged}"]
        if self.removed:
            th.append(f"ลบ {self.removed}")
            en.append(f"removed {self.removed}")
        if self.change_requests:
            th.append(f"คำขอแก้ไขรออนุมัติ {self.change_requests}")
            en.append(f"change requests {self.change_requests}")
        if self.agreements_updated:
            th.append(f"แก้ไขโครงการสำคัญ {self.agreements_updated}")
            en.append(f"key projects changed {self.agreements_updated}")
        if self.agreements_signed:
            th.append(f"บันทึกการลงนาม {self.agreements_signed}")
            en.append(f"agreements signed {self.agreements_signed}")
        if self.units_created or self.units_updated:
            th.append(f"หน่วยงานใหม่ {self.units_created} แก้ไข {self.units_updated}")
            en.append(f"units created {self.units_created} updated {self.units_updated}")
        if self.skipped:
            th.append(f"ข้ามแถวที่ผิด {self.skipped}")
            en.append(f"bad rows skipped {self.skipped}")
        return f"นำเข้า{what_th}: {' '.join(th)} / {what_en}: {', '.join(en)}"
