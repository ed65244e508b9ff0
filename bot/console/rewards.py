"""The rewards of a closed round (seed 001): who is announced with a certificate (ดีเด่น, ดีมาก,
ดี) and who goes on the two-day study visit (ดีเด่น, ดีมาก), per unit, with CSV/XLSX export and
one button that opens the announcement form with the congratulation written. The lists are
HR's own agency's and exist only once every result of the round is approved. The button lays
out the certificates as one PDF and opens the announcement form with it attached (HR reviews
and sends): recipients open the attachment through the announcement's secret link, which the
HR-only zip link could not be for them.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import abort, current_app

from bot import db, exports
from bot.console import register_page, render_page
from bot.console.views import _audit, _download, _me, _now, _session, _tz, announcements_page
from bot.documents import render, zips
from bot.evidence import store_console_file
from handlers import audience as aud
from handlers.announcements import MAX_BODY
from models.hr import Audience
from models.rewards import (
    RECOGNITION_TH,
    STUDY_VISIT_TH,
    RewardLists,
    announcement_text,
    reward_lists,
)
from models.rounds import Round

HEADERS = ["รางวัล", "หน่วยงาน", "รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "ระดับผลการประเมิน",
           "คะแนนรวม"]


def certificates_path(round_: Round) -> str:
    """The certificates of ดีเด่น/ดีมาก/ดี as one zip (the documents pages serve it)."""
    return f"/hr/documents/certificates/{round_.fiscal_year}/{round_.round_no}.zip"


def _round(fiscal_year: int, round_no: int) -> Round:
    round_ = exports.find_round(_session(), _me().agency_id, fiscal_year, round_no)
    if round_ is None:
        abort(404)
    return round_


def rewards_table(lists: RewardLists) -> exports.Table:
    def rows() -> Iterator[list[Any]]:
        for title, groups in ((RECOGNITION_TH, lists.recognition_by_unit()),
                              (STUDY_VISIT_TH, lists.study_visit_by_unit())):
            for unit, people in groups:
                for a in people:
                    yield [title, unit, a.staff_code, a.name_th, a.position, a.band, a.overall]

    round_ = lists.round
    return exports.Table(f"รางวัล {round_.round_no}-{round_.fiscal_year}", HEADERS, rows(), _tz())


def fitted_text(lists: RewardLists, url: str) -> str:
    """The congratulation, short enough for one announcement once a form sends it back."""
    limit = MAX_BODY
    text = announcement_text(lists, url, limit)
    while len(text) + text.count("\n") > MAX_BODY:  # a form sends each newline as CR LF
        limit -= text.count("\n")
        text = announcement_text(lists, url, limit)
    return text


def rewards(fiscal_year: int, round_no: int) -> Any:
    round_ = _round(fiscal_year, round_no)
    lists = reward_lists(_session(), round_)
    certificates = certificates_path(round_)
    with db.one_writer():  # names and scores of people: who looked is recorded
        _audit("console.rewards_viewed", f"round:{round_.id}", ready=lists.ready)
        _session().commit()
    body = render_page("console/rewards.html", title=f"รางวัลตามผลการประเมิน {round_.title_th}",
                       round=round_, lists=lists, certificates=certificates,
                       announcement=lists.ready and bool(lists.recognition),
                       recognition_th=RECOGNITION_TH,
                       study_visit_th=STUDY_VISIT_TH)
    return body  # when not ready, the page says what is still needed


def rewards_export(fiscal_year: int, round_no: int, fmt: str) -> Any:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    round_ = _round(fiscal_year, round_no)
    lists = reward_lists(_session(), round_)
    if not lists.ready:
        return rewards(fiscal_year, round_no), 409  # the page, saying what is still needed
    return _download(rewards_table(lists), fmt, f"rewards-{fiscal_year}-{round_no}")


def rewards_announce(fiscal_year: int, round_no: int) -> Any:
    """The button: the certificates as one PDF, stored as the announcement's attachment, and the
    announcement form opened on its preview (nothing sent: HR edits, chooses and sends)."""
    session, me = _session(), _me()
    round_ = _round(fiscal_year, round_no)
    lists = reward_lists(session, round_)
    if not lists.ready or not lists.recognition:
        return rewards(fiscal_year, round_no), 409  # the page, saying what is still needed
    settings = current_app.config["SETTINGS"]
    form = {"audience": str(Audience.EVERYONE)}
    try:
        pdf = zips.certificates_pdf(session, round_, _tz())
    except render.PdfUnavailable as exc:  # the text keeps the HR-only link, and says why
        form["body"] = fitted_text(lists, settings.url(certificates_path(round_)))
        return announcements_page(form, [f"{exc.th} จึงแนบเกียรติบัตรไม่ได้: ข้อความมีลิงก์ "
                                         "เกียรติบัตรสำหรับ HR พิมพ์แจกแทน"], None, None)
    with db.one_writer():
        attachment = store_console_file(session, settings.storage_dir, me.id, pdf,
                                        "application/pdf",
                                        f"certificates-{fiscal_year}-{round_no}.pdf")
        _audit("console.rewards_certificates_attached", f"round:{round_.id}",
               evidence=attachment.id, people=len(lists.recognition))
        session.commit()
    form["body"] = fitted_text(lists, "")
    now = _now()
    preview = {"count": aud.count(session, me.agency_id, form["audience"], "", now.date()),
               "label": aud.label(session, me.agency_id, form["audience"], ""), "when": None}
    return announcements_page(form, [], preview, attachment)


register_page("/rewards/<int:fiscal_year>/<int:round_no>", "rewards", None, rewards)
register_page("/rewards/<int:fiscal_year>/<int:round_no>/announce", "rewards_announce", None,
              rewards_announce, methods=("POST",))
register_page("/rewards/<int:fiscal_year>/<int:round_no>.<fmt>", "rewards_export", None,
              rewards_export)
