"""The rewards of a closed round (seed 001): who is announced with a certificate (ดีเด่น, ดีมาก,
ดี) and who goes on the two-day study visit (ดีเด่น, ดีมาก), per unit, with CSV/XLSX export and
one button that opens the announcement form with the congratulation written. The lists are
HR's own agency's and exist only once every result of the round is approved.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import abort, current_app

from bot import db, exports
from bot.console import register_page, render_page
from bot.console.views import _audit, _download, _me, _session, _tz
from handlers.announcements import MAX_BODY
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


def rewards(fiscal_year: int, round_no: int) -> Any:
    round_ = _round(fiscal_year, round_no)
    lists = reward_lists(_session(), round_)
    certificates = certificates_path(round_)
    text = ""
    if lists.ready and lists.recognition:
        url, limit = current_app.config["SETTINGS"].url(certificates), MAX_BODY
        text = announcement_text(lists, url, limit)
        while len(text) + text.count("\n") > MAX_BODY:  # a form sends each newline as CR LF
            limit -= text.count("\n")
            text = announcement_text(lists, url, limit)
    with db.one_writer():  # names and scores of people: who looked is recorded
        _audit("console.rewards_viewed", f"round:{round_.id}", ready=lists.ready)
        _session().commit()
    body = render_page("console/rewards.html", title=f"รางวัลตามผลการประเมิน {round_.title_th}",
                       round=round_, lists=lists, certificates=certificates,
                       announcement=text, recognition_th=RECOGNITION_TH,
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


register_page("/rewards/<int:fiscal_year>/<int:round_no>", "rewards", None, rewards)
register_page("/rewards/<int:fiscal_year>/<int:round_no>.<fmt>", "rewards_export", None,
              rewards_export)
