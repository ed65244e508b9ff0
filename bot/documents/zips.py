"""The documents HR downloads, as bytes: one officer's result PDF, a round's results and
certificates as one zip (optionally one unit with its sub-units), the certificates alone, the
round's HiPPS reports, and a low-performer case report. The console (bot/console/documents.py)
and `flask hr documents` (bot/cli_documents.py) both call these.

Many documents are laid out in chunks of `CHUNK` people (one HTML document each, split into one
PDF per person by `render.render_many`); with `workers` > 1 the chunks go to a process pool.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.documents import data, render
from models import Round, Staff, Unit
from models.appraisal import Appraisal, LowPerformerCase
from thai.formatting import BANGKOK

CHUNK = 50
_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


def safe(text: str) -> str:
    """A staff code as a file name: letters, digits, - and _ only."""
    return _UNSAFE.sub("_", text) or "_"


def _render_chunk(template: str, docs: list[dict[str, Any]]) -> dict[str, bytes]:
    return render.render_many(render.html_of(template, docs=docs), [d["key"] for d in docs])


def render_all(template: str, docs: list[dict[str, Any]], workers: int = 1
               ) -> Iterator[tuple[str, bytes]]:
    """(key, PDF) for every document, in order; chunks laid out in `workers` processes."""
    chunks = [docs[i:i + CHUNK] for i in range(0, len(docs), CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            files = _render_chunk(template, chunk)
            yield from ((d["key"], files[d["key"]]) for d in chunk)
        return
    render.engine()  # PdfUnavailable here, not in a worker
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk, files in zip(chunks, pool.map(_render_chunk, [template] * len(chunks),
                                                 chunks), strict=True):
            yield from ((d["key"], files[d["key"]]) for d in chunk)


def round_appraisals(session: Session, round_: Round, unit_code: str | None = None
                     ) -> list[Appraisal]:
    """The round's results in staff-code order; with a unit code, that unit and below
    (ValueError with a Thai message for an unknown code)."""
    query = (select(Appraisal).join(Staff, Staff.id == Appraisal.officer_id)
             .where(Appraisal.round_id == round_.id).order_by(Staff.staff_code))
    if unit_code:
        from handlers.audience import unit_and_below

        unit = session.scalars(select(Unit).where(Unit.agency_id == round_.agency_id,
                                                  Unit.code == unit_code)).first()
        if unit is None:
            raise ValueError(f"ไม่พบหน่วยงานรหัส {unit_code}")
        query = query.where(Staff.unit_id.in_(unit_and_below(session, round_.agency_id,
                                                             unit.id)))
    return list(session.scalars(query))


def result_pdf(session: Session, appraisal: Appraisal, tz: tzinfo = BANGKOK) -> bytes:
    round_ = session.get(Round, appraisal.round_id)
    assert round_ is not None
    docs = data.results(session, round_, [appraisal], tz)
    return render.render_pdf(render.html_of("result.html", docs=docs))


def certificates_pdf(session: Session, round_: Round, tz: tzinfo = BANGKOK) -> bytes:
    """The certificates of everyone rated ดีเด่น/ดีมาก/ดี (approved) as ONE PDF, one page per
    person in staff-code order: what the rewards' announcement carries to its recipients."""
    docs = data.certificates(session, round_, round_appraisals(session, round_), tz)
    return render.render_pdf(render.html_of("certificate.html", docs=docs))


def lowperf_pdf(session: Session, case: LowPerformerCase, tz: tzinfo = BANGKOK) -> bytes:
    return render.render_pdf(render.html_of("lowperf.html", docs=[data.lowperf(session, case,
                                                                                tz)]))


def _zip(entries: Iterator[tuple[str, bytes]], target: Any) -> list[str]:
    names = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries:
            archive.writestr(name, body)
            names.append(name)
    return names


def round_zip(session: Session, round_: Round, target: Any, unit_code: str | None = None,
              tz: tzinfo = BANGKOK, workers: int = 1, results: bool = True,
              certificates: bool = True) -> list[str]:
    """Every officer's result PDF (`results/<staff code>.pdf`) and the certificates of those
    rated ดีเด่น/ดีมาก/ดี (`certificates/<staff code>.pdf`), written as a zip to `target` (a
    path or a binary file); returns the names written."""
    appraisals = round_appraisals(session, round_, unit_code)
    codes = {a.officer_id: code for a, code in session.execute(
        select(Appraisal, Staff.staff_code).join(Staff, Staff.id == Appraisal.officer_id)
        .where(Appraisal.round_id == round_.id))}
    by_key = {str(a.id): codes[a.officer_id] for a in appraisals}
    by_key |= {f"cert-{a.id}": codes[a.officer_id] for a in appraisals}

    def entries() -> Iterator[tuple[str, bytes]]:
        if results:
            for key, body in render_all("result.html", data.results(session, round_, appraisals,
                                                                     tz), workers):
                yield f"results/{safe(by_key[key])}.pdf", body
        if certificates:
            for key, body in render_all("certificate.html",
                                        data.certificates(session, round_, appraisals, tz),
                                        workers):
                yield f"certificates/{safe(by_key[key])}.pdf", body

    return _zip(entries(), target)


def hipps_zip(session: Session, round_: Round, target: Any, tz: tzinfo = BANGKOK,
              workers: int = 1) -> list[str]:
    """Every HiPPS officer's round report (`hipps/<staff code>.pdf`)."""
    docs = data.hipps_reports(session, round_, tz)
    return _zip(((f"hipps/{safe(key)}.pdf", body)
                 for key, body in render_all("hipps.html", docs, workers)), target)


def to_bytes(write: Callable[[Any], Any]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()
