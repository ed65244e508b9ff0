"""Benchmark: import 20,000 staff and 100,000 KPIs from generated CSV, into SQLite and PostgreSQL.

    .venv/bin/python bench/import.py               # both databases (PostgreSQL: TEST_DATABASE_URL
                                                   # or the local postgres@127.0.0.1/test server)
    .venv/bin/python bench/import.py --db sqlite --staff 2000

It writes the two files the way HR's Excel exports them (UTF-8 with BOM, Thai headers; the KPI
file carries ปีงบประมาณ and รอบ columns, numbers with a trailing % and thousands separators),
migrates a fresh database (a temporary SQLite file; a scratch PostgreSQL database), then runs
each import in its own child process, as `flask staff import` / `flask kpi import` would:
one session, the import, commit. Each import runs twice; the second must change nothing.
For every run it prints the time of the import and commit (measured in the child) and the
child's peak RSS (VmHWM). Exits non-zero when a target is missed.
Targets (the import issue): under 60 s per import on each database, peak RSS under 500 MB.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AGENCY = "BENCH"
FISCAL_YEAR, ROUND = 2570, 1
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 500.0
STAFF_HEADERS = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "ระดับ", "ประเภทตำแหน่ง", "รหัสหน่วยงาน",
                 "หน่วยงาน", "ประเภทหน่วยงาน", "รหัสผู้บังคับบัญชา", "รหัสพี่เลี้ยง", "HiPPS", "สถานะ"]
KPI_HEADERS = ["รหัสบุคลากร", "ปีงบประมาณ", "รอบ", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "หน่วยนับ",
               "น้ำหนัก", "ค่าเป้าหมาย", "ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4", "ระดับ 5"]
FIRST = ["สมชาย", "สมหญิง", "วิชัย", "มาลี", "กมลวรรณ", "ธนากร", "พิมพ์ชนก", "อนุชา", "สุดารัตน์",
         "ประเสริฐ", "วราภรณ์", "ณัฐพล", "จิราพร", "ปิยะพงษ์", "ศิริพร", "ธีรวัฒน์"]
LAST = ["ใจดี", "ศรีสุข", "รักงาน", "ตั้งใจ", "พากเพียร", "มุ่งมั่น", "แก้วมณี", "ทองคำ", "บุญมา",
        "สุขสวัสดิ์", "วงศ์ไทย", "ศรีวิไล", "พงษ์พันธ์", "อินทร์แก้ว"]
TITLES = ["นาย", "นาง", "นางสาว"]
POSITIONS = [("นักวิเคราะห์นโยบายและแผน", "ปฏิบัติการ"), ("นักทรัพยากรบุคคล", "ชำนาญการ"),
             ("นักวิชาการเงินและบัญชี", "ชำนาญการพิเศษ"), ("เจ้าพนักงานธุรการ", "ปฏิบัติงาน")]
KPI_NAMES = [
    ("ร้อยละความสำเร็จของการจัดทำแผนปฏิบัติราชการประจำปีให้แล้วเสร็จภายในกำหนด งานที่ {n}", "ร้อยละ",
     "30%", "80", ("60", "70", "80", "90", "100")),
    ("จำนวนโครงการที่รายงานผลครบถ้วนภายในวันที่ 15 ของเดือนถัดไป งานที่ {n}", "โครงการ", "20", "1,200",
     ("1,000", "1,100", "1,200", "1,300", "1,400")),
    ("ร้อยละความถูกต้องของข้อมูลที่บันทึกในระบบติดตามผล งานที่ {n}", "ร้อยละ", "20", "95",
     ("85", "90", "95", "98", "100")),
    ("ระยะเวลาเฉลี่ยในการจัดทำสรุปผลการประชุม งานที่ {n}", "วันทำการ", "15", "5",
     ("7", "6", "5", "4", "3")),
    ("จำนวนชั่วโมงการพัฒนาตนเองตามแผนพัฒนารายบุคคล (IDP) งานที่ {n}", "ชั่วโมง", "15", "๒๐",
     ("10", "15", "20", "25", "30")),
]


def mentor(i: int, units: int, staff_count: int) -> str:
    """Every third officer (not a head) has the next officer as mentor."""
    officers = staff_count - units
    if i < units or i % 3 or officers < 2:
        return ""
    return f"S{units + (i - units + 1) % officers:06d}"


def write_files(folder: Path, staff_count: int, seed: int = 2570) -> tuple[Path, Path, int]:
    """Generate staff.csv and kpis.csv (UTF-8 with BOM); return their paths and the KPI
    row count."""
    rng = random.Random(seed)
    units = max(staff_count // 100, 1)
    staff_path, kpi_path = folder / "staff.csv", folder / "kpis.csv"
    with staff_path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(STAFF_HEADERS)
        for i in range(staff_count):
            unit = i % units
            head = unit  # the first person of each unit heads it (and supervises the others)
            position, level = rng.choice(POSITIONS)
            writer.writerow([
                f"S{i:06d}", f"{rng.choice(TITLES)}{rng.choice(FIRST)} {rng.choice(LAST)}{i}",
                f"{position}{level}", level, "วิชาการ" if i >= units else "อำนวยการ",
                f"U{unit:04d}", f"กองที่ {unit + 1}", "กอง",
                "" if i < units else f"S{head:06d}", mentor(i, units, staff_count),
                "ใช่" if i % 20 == 0 else "", "ปฏิบัติงาน"])
    rows = 0
    with kpi_path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(KPI_HEADERS)
        for i in range(staff_count):
            for number, (name, unit, weight, target, levels) in enumerate(KPI_NAMES, start=1):
                writer.writerow([f"S{i:06d}", FISCAL_YEAR, ROUND, number, name.format(n=i), unit,
                                 weight, target, *levels])
                rows += 1
    return staff_path, kpi_path, rows


def child(kind: str, url: str, path: str) -> None:
    """One import, as the CLI runs it; prints JSON with its time and this process's peak RSS."""
    import warnings

    warnings.simplefilter("error")
    from sqlalchemy.orm import Session

    from handlers.importers import import_kpis, import_staff
    from models.db import make_engine

    engine = make_engine(url)
    ticks = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal ticks
        ticks += 1

    started = time.perf_counter()
    with Session(engine) as session:
        if kind == "staff":
            report = import_staff(session, Path(path), agency_code=AGENCY,
                                  agency_name="กรมทดสอบสมรรถนะ", progress=progress)
        else:
            report = import_kpis(session, Path(path), agency_code=AGENCY, progress=progress)
        if report.ok:
            session.commit()
    seconds = time.perf_counter() - started
    engine.dispose()
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "ok": report.ok,
                      "created": report.created, "updated": report.updated,
                      "unchanged": report.unchanged, "problems": report.lines()[:5],
                      "progress_calls": ticks, "summary": report.summary()}, ensure_ascii=False))


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, url: str, path: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, __file__, "--child", kind, url, str(path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {kind} import failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]  # the child's JSON


def bench_database(name: str, url: str, staff_path: Path,
                   kpi_path: Path) -> list[dict[str, object]]:
    from models.db import make_engine
    from models.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    results = []
    for kind, path in (("staff", staff_path), ("kpis", kpi_path)):
        first = run_child(kind, url, path)
        again = run_child(kind, url, path)
        results.append({"db": name, "kind": kind, "first": first, "again": again})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--staff", type=int, default=20_000, help="officers (5 KPIs each)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from models.db import scratch_postgres_database

    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        started = time.perf_counter()
        staff_path, kpi_path, kpi_rows = write_files(Path(folder), args.staff)
        print(f"generated {args.staff:,} staff and {kpi_rows:,} KPI rows in "
              f"{time.perf_counter() - started:.1f} s "
              f"({staff_path.stat().st_size / 1e6:.1f} MB + "
              f"{kpi_path.stat().st_size / 1e6:.1f} MB)",
              flush=True)
        if args.db in ("sqlite", "both"):
            results += bench_database("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                                      staff_path, kpi_path)
        if args.db in ("postgresql", "both"):
            server = os.environ.get("TEST_DATABASE_URL", SERVER)
            with scratch_postgres_database(server, prefix="bench_import") as url:
                results += bench_database("PostgreSQL", url, staff_path, kpi_path)
    rows = {"staff": args.staff, "kpis": kpi_rows}
    command = " ".join(["python", "bench/import.py", *sys.argv[1:]])
    print(f"\n`{command}` ({os.cpu_count()} cores, Python {sys.version.split()[0]})\n")
    print("| database | file | rows | first import s | peak RSS MB | re-import s | peak RSS MB "
          "| re-import changed |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    missed: list[str] = []
    for result in results:
        first, again = result["first"], result["again"]
        assert isinstance(first, dict) and isinstance(again, dict)
        changed = bool(again["created"] or again["updated"])
        print(f"| {result['db']} | {result['kind']} | {rows[str(result['kind'])]:,} | "
              f"{first['seconds']:.1f} | {first['rss_mb']:.0f} | {again['seconds']:.1f} | "
              f"{again['rss_mb']:.0f} | {'yes' if changed else 'nothing'} |")
        label = f"{result['db']} {result['kind']}"
        for run_name, run in (("first", first), ("re-import", again)):
            if not run["ok"]:
                missed.append(f"{label} {run_name}: not ok: {run['problems']}")
            if float(run["seconds"]) >= TARGET_SECONDS:
                missed.append(f"{label} {run_name}: {run['seconds']:.1f} s >= "
                              f"{TARGET_SECONDS:.0f} s")
            if float(run["rss_mb"]) >= TARGET_RSS_MB:
                missed.append(f"{label} {run_name}: peak RSS {run['rss_mb']:.0f} MB >= "
                              f"{TARGET_RSS_MB:.0f} MB")
        if first["created"] != rows[str(result["kind"])]:
            missed.append(f"{label}: created {first['created']}, "
                          f"expected {rows[str(result['kind'])]}")
        if changed:
            missed.append(f"{label}: the second import changed {again['summary']}")
    print(f"\nTargets: each import under {TARGET_SECONDS:.0f} s, "
          f"peak RSS under {TARGET_RSS_MB:.0f} MB; "
          "a second import of the same files changes nothing.")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
