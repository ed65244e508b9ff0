"""Import the files HR already has: staff, and KPI agreements (CSV or XLSX, Thai or English).

    report = import_staff(session, Path("staff.csv"), agency_code="DEMO")
    if report.ok:
        session.commit()
    print("\\n".join(report.lines()), report.summary(), sep="\\n")

Both functions take a session and never commit: every row is checked before anything is
written, and the writes are bulk statements in the caller's transaction; or, given
`transaction=` (bot.db.import_transaction), in chunks that are each their own short transaction.
See `reading` for the file formats and `columns` for the headers each file may use.
"""
from handlers.importers.kpis import import_kpis
from handlers.importers.report import ImportReport, RowProblem
from handlers.importers.staff import import_staff

__all__ = ["ImportReport", "RowProblem", "import_kpis", "import_staff"]
