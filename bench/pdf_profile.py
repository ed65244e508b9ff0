"""Where the official PDFs' time goes: 50 result forms and 50 certificates, one process.

    .venv/bin/python bench/pdf_profile.py [--officers 50] [--profile] [--png DIR] [--full-ua]

Builds a scratch SQLite round as `bench/console.py --pdf` does, then for each template prints the
CPU seconds of laying the chunk out (`render`), of writing one PDF per officer, and per page;
`--profile` prints pyinstrument's top of both; `--png DIR` writes each template's first pages as
PNG (PDFium) to look at the Thai.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from console import build, build_results  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.documents import data, render, zips  # noqa: E402
from models import Round  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402


def measure(template: str, docs: list[dict[str, object]]) -> tuple[dict[str, float], bytes]:
    started = time.process_time()
    files = zips._render_chunk(template, docs)
    total = time.process_time() - started
    pages = len(docs)
    return {"template": template, "officers": len(docs), "cpu_s": round(total, 2),  # type: ignore[dict-item]  # a label among numbers
            "cpu_per_officer_s": round(total / pages, 4)}, next(iter(files.values()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--png", default="")
    parser.add_argument("--full-ua", action="store_true",
                        help="WeasyPrint's full default style sheet (as before ua.css)")
    args = parser.parse_args()
    render.LEAN_DEFAULTS = not args.full_ua
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/p.sqlite3")
        upgrade(engine)
        build(engine, args.officers)
        build_results(engine)
        with Session(engine) as session:
            round_ = session.scalars(select(Round)).one()
            appraisals = zips.round_appraisals(session, round_)
            jobs = [("result.html", data.results(session, round_, appraisals)),
                    ("certificate.html", data.certificates(session, round_, appraisals))]
        render.engine()
        zips._render_chunk("certificate.html", jobs[1][1][:1])  # imports and fonts, not timed
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
        for template, docs in jobs:
            figures, first = measure(template, docs)
            print(json.dumps(figures))
            if args.png:
                import pypdfium2

                pdf = pypdfium2.PdfDocument(first)
                for number in range(len(pdf)):
                    pdf[number].render(scale=1.5).to_pil().save(
                        f"{args.png}/{template.split('.')[0]}-{number}.png")
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
