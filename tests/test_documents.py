"""The official PDFs: each reads as a Thai government document (Sarabun, พ.ศ., signature
blocks), checked as a rendered page; HR downloads them from the console (its own agency only)
and by `flask hr documents`; without the PDF engine the console says in Thai what is missing
and nothing else breaks."""
from __future__ import annotations

import io
import socket
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.documents import zips
from bot.fake_line import FakeLine
from models import AuditEntry, Role, RoleAssignment, Round, Staff
from models.appraisal import Appraisal, LowPerformerCase
from tests.builders import make_officer
from tests.documents_demo import NOW, USER, closed_demo
from tests.hr_console import sign_in_link, signed_in
from tests.pdf_checks import check_page, letters, page_count, page_text

SIGNATURE = ["ลงชื่อ", "ผู้ประเมิน", "ผู้รับการประเมิน", "ตำแหน่ง", "วันที่", "เดือน", "พ.ศ."]


@pytest.fixture
def demo(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The closed demo round's id."""
    monkeypatch.setattr("bot.clock.now", lambda _tz: NOW)
    with Session(engine) as session:
        yield closed_demo(session).id


def _appraisal(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        return session.scalars(select(Appraisal.id).join(Staff, Staff.id == Appraisal.officer_id)
                               .where(Staff.staff_code == code)).one()


def test_the_result_pdf_is_a_thai_form_in_sarabun_with_signature_blocks(
        demo: int, engine: Engine) -> None:
    with Session(engine) as session:
        appraisal = session.get(Appraisal, _appraisal(engine, "D0003"))
        assert appraisal is not None
        body = zips.result_pdf(session, appraisal)
    assert page_count(body) == 1
    text = check_page(body, ["กรมส่งเสริมการปฏิบัติราชการ", "แบบสรุปการประเมินผลการปฏิบัติราชการ",
                             "รอบที่ 1 ประจำปีงบประมาณ พ.ศ. 2570", "1 ตุลาคม 2569",
                             "นางมาลี รักงาน", "ส่วนที่ 1 ผลสัมฤทธิ์ของงาน", "ส่วนที่ 2 สมรรถนะ",
                             "การมุ่งผลสัมฤทธิ์", "ระดับผลการประเมิน", "ดีมาก", "80.00",
                             "( นายวิชัย ศรีสุข )", *SIGNATURE], "result-D0003")
    assert "2026" not in text  # Buddhist-era years only
    assert letters("วันที่ 21 เดือน พฤศจิกายน พ.ศ. 2569") in text  # approved on 21 Nov 2569


def test_certificates_are_landscape_one_page_each_for_the_top_three_bands(
        demo: int, engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "round.zip"
    with Session(engine) as session:
        round_ = session.get(Round, demo)
        assert round_ is not None
        names = zips.round_zip(session, round_, target)
    archive = zipfile.ZipFile(target)
    assert archive.namelist() == names
    assert [n for n in names if n.startswith("results/")] == [
        f"results/D000{i}.pdf" for i in range(3, 8)]
    certificates = sorted(n for n in names if n.startswith("certificates/"))
    assert certificates == ["certificates/D0003.pdf", "certificates/D0004.pdf",
                            "certificates/D0006.pdf"]  # ดีมาก, ดี, ดีเด่น; not พอใช้ nor under 60
    bands = {"D0003": "ดีมาก", "D0004": "ดี", "D0006": "ดีเด่น"}
    for name in certificates:
        body = archive.read(name)
        assert page_count(body) == 1
        code = name.split("/")[1][:-4]
        check_page(body, ["เกียรติบัตร", "มอบเกียรติบัตรฉบับนี้ไว้เพื่อแสดงว่า", bands[code],
                          "ประจำปีงบประมาณ พ.ศ. 2570", "ให้ไว้ ณ วันที่"], f"certificate-{code}")
        import pypdfium2 as pdfium

        width, height = pdfium.PdfDocument(body)[0].get_size()
        assert width > height  # landscape
    for name in names:
        assert archive.read(name)[:5] == b"%PDF-"


def test_hipps_report_has_the_mentor_and_coach_certification_blocks(
        demo: int, engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "hipps.zip"
    with Session(engine) as session:
        round_ = session.get(Round, demo)
        assert round_ is not None
        assert zips.hipps_zip(session, round_, target) == ["hipps/D0006.pdf"]
    body = zipfile.ZipFile(target).read("hipps/D0006.pdf")
    first = check_page(body, ["แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง",
                              "นายธนากร มุ่งมั่น", "ส่วนที่ 1 ผลสัมฤทธิ์ตามตัวชี้วัด",
                              "ส่วนที่ 2 โครงการสำคัญ", "ฉบับร่าง"], "hipps-D0006")
    last = check_page(body, ["การรับรองผล", "พี่เลี้ยง (ผู้รับรอง)", "ผู้สอนงาน (ผู้รับรอง)",
                             "นางมาลี รักงาน", "ส่งสำเนาแบบรายงาน 2 ชุด", "10 เมษายน 2570"],
                      "hipps-D0006", index=page_count(body) - 1)
    assert first and last


def test_low_performer_report_to_the_superior(demo: int, engine: Engine) -> None:
    with Session(engine) as session:
        case = session.scalars(select(LowPerformerCase)).one()
        body = zips.lowperf_pdf(session, case)
    check_page(body, ["รายงานผลการดำเนินการพัฒนาผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำ", "เรียน",
                      "นางสาวกมลวรรณ พากเพียร", "46.00", "ต้องปรับปรุง",
                      "วิเคราะห์หาสาเหตุ", "23 พฤศจิกายน 2569",
                      "อบรมและพัฒนา", "ภายใน 2 ธันวาคม 2569", "จึงเรียนมาเพื่อโปรดทราบ",
                      "ผู้รายงาน", "( นายวิชัย ศรีสุข )"], "lowperf")


def test_hr_downloads_every_document_from_the_console_and_nobody_else_does(
        demo: int, app: Flask, client: FlaskClient, fake_line: FakeLine,
        engine: Engine) -> None:
    result_id = _appraisal(engine, "D0003")
    with Session(engine) as session:
        case_id = session.scalars(select(LowPerformerCase.id)).one()
    routes = [f"/hr/documents/result/{result_id}.pdf", "/hr/documents/round/2570/1.zip",
              "/hr/documents/certificates/2570/1.zip", "/hr/documents/hipps/2570/1.zip",
              f"/hr/documents/lowperf/{case_id}.pdf"]
    for route in routes:
        assert client.get(route).status_code == 403  # not signed in
    assert sign_in_link(app, client, fake_line, USER["D0003"]) is None  # a mentor: not HR

    signed_in(app, client, fake_line, USER["D0001"])  # the demo HR administrator
    page = client.get("/hr/appraisal?round=2570-1").get_data(as_text=True)
    for route in routes:  # each linked from the round's page
        assert route in page, route
    person = client.get(f"/hr/people/{demo_staff_id(engine, 'D0005')}").get_data(as_text=True)
    assert f"/hr/documents/lowperf/{case_id}.pdf" in person

    one = client.get(routes[0])
    assert one.status_code == 200 and one.mimetype == "application/pdf"
    assert "filename*=UTF-8''%E0%B8%9C" in one.headers["Content-Disposition"]  # ผล…
    assert 'filename="result-D0003-2570-1.pdf"' in one.headers["Content-Disposition"]
    check_page(one.get_data(), ["แบบสรุปการประเมินผลการปฏิบัติราชการ", "นางมาลี รักงาน"],
               "console-result")
    whole = _zip(client, routes[1])
    assert len([n for n in whole.namelist() if n.startswith("results/")]) == 5
    certs = _zip(client, routes[2]).namelist()
    assert certs == ["certificates/D0003.pdf", "certificates/D0004.pdf", "certificates/D0006.pdf"]
    assert _zip(client, routes[3]).namelist() == ["hipps/D0006.pdf"]
    low = client.get(routes[4])
    assert low.status_code == 200 and low.get_data()[:5] == b"%PDF-"
    unit = client.get("/hr/documents/round/2570/1.zip?unit=NOPE")
    assert unit.status_code == 404 and "ไม่พบหน่วยงานรหัส NOPE" in unit.get_data(as_text=True)
    assert client.get("/hr/documents/round/2570/2.zip").status_code == 404
    with Session(engine) as session:
        assert session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "console.document")) is not None
        hr_id = session.scalars(select(Staff.id).where(Staff.staff_code == "D0001")).one()
        session.execute(delete(RoleAssignment).where(RoleAssignment.staff_id == hr_id,
                                                     RoleAssignment.role == Role.HR_ADMIN))
        session.commit()
    for route in routes:  # no longer HR: refused, whatever the session cookie says
        assert client.get(route).status_code == 403


def _zip(client: FlaskClient, route: str) -> zipfile.ZipFile:
    response = client.get(route)
    assert response.status_code == 200 and response.mimetype == "application/zip", route
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data()
    response.close()  # the spooled file goes (a server closes it after sending)
    return zipfile.ZipFile(io.BytesIO(body))


def demo_staff_id(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        return session.scalars(select(Staff.id).where(Staff.staff_code == code)).one()


def test_hr_of_another_agency_gets_none_of_these_documents(
        demo: int, app: Flask, client: FlaskClient, fake_line: FakeLine,
        engine: Engine) -> None:
    with Session(engine) as session:
        _hr, hr_user = make_officer(session, name="นางอื่น หน่วยงานอื่น", roles=(Role.HR_ADMIN,))
        session.commit()
        case_id = session.scalars(select(LowPerformerCase.id)).one()
    signed_in(app, client, fake_line, hr_user)
    for route in [f"/hr/documents/result/{_appraisal(engine, 'D0003')}.pdf",
                  "/hr/documents/round/2570/1.zip", "/hr/documents/certificates/2570/1.zip",
                  "/hr/documents/hipps/2570/1.zip", f"/hr/documents/lowperf/{case_id}.pdf"]:
        assert client.get(route).status_code == 404, route


def test_flask_hr_documents_writes_the_round_and_hipps_zips(
        demo: int, app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    target = tmp_path / "round.zip"
    done = runner.invoke(args=["hr", "documents", "round", "2570", "1", "-o", str(target),
                               "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert "บันทึกแล้ว 8 ไฟล์" in done.output
    names = zipfile.ZipFile(target).namelist()
    assert names == [*(f"results/D000{i}.pdf" for i in range(3, 8)), "certificates/D0003.pdf",
                     "certificates/D0004.pdf", "certificates/D0006.pdf"]
    unit = runner.invoke(args=["hr", "documents", "round", "2570", "1", "--unit", "NOPE",
                               "-o", str(tmp_path / "unit.zip")])
    assert unit.exit_code != 0 and "ไม่พบหน่วยงานรหัส NOPE" in unit.output
    assert not (tmp_path / "unit.zip").exists() and not (tmp_path / "unit.zip.part").exists()
    hipps = tmp_path / "hipps.zip"
    done = runner.invoke(args=["hr", "documents", "hipps", "2570", "1", "-o", str(hipps)])
    assert done.exit_code == 0, done.output
    assert zipfile.ZipFile(hipps).namelist() == ["hipps/D0006.pdf"]
    missing = runner.invoke(args=["hr", "documents", "hipps", "2570", "2", "-o", str(hipps)])
    assert missing.exit_code != 0 and "ไม่พบรอบที่ 2/2570" in missing.output


class _NoPango:
    """An import hook that fails as WeasyPrint's import does on a machine without Pango (cffi
    cannot open libpango-1.0-0). The one stand-in of these tests: the library cannot be
    uninstalled for one test."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                          "shared object file: No such file or directory")
        return None


def test_without_pango_the_console_says_what_is_missing_and_the_rest_works(
        demo: int, app: Flask, client: FlaskClient, fake_line: FakeLine, engine: Engine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    signed_in(app, client, fake_line, USER["D0001"])
    answer = client.get(f"/hr/documents/result/{_appraisal(engine, 'D0003')}.pdf")
    shown = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "ระบบยังสร้างไฟล์ PDF ไม่ได้: เครื่องนี้ไม่มี Pango" in shown
    assert "libpango-1.0-0" in shown
    zipped = client.get("/hr/documents/round/2570/1.zip")
    assert zipped.status_code == 503 and "Pango" in zipped.get_data(as_text=True)
    assert client.get("/hr/appraisal?round=2570-1").status_code == 200  # the rest works
    done = app.test_cli_runner().invoke(args=["hr", "documents", "hipps", "2570", "1", "-o",
                                              "/tmp/never-written.zip"])
    assert done.exit_code != 0 and "เครื่องนี้ไม่มี Pango" in done.output


def test_rendering_reaches_no_network_and_no_other_file(tmp_path: Path) -> None:
    """The fetcher gives WeasyPrint the two Sarabun files and nothing else: no http(s), no
    other local file, whatever a template (or text in it) names."""
    from PIL import Image

    from bot.documents import render

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    picture = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    try:
        body = render.render_pdf(
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
            f'<style>@font-face {{ font-family: S; src: url("{render.font_urls()["regular"]}"); }}'
            f' p {{ font-family: S; }}</style></head><body>'
            f'<img src="https://127.0.0.1:{port}/x.png"><img src="{picture.as_uri()}">'
            f'<p>ทดสอบภาษาไทย ผู้ใหญ่</p></body></html>')
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    finally:
        listener.close()
    assert b"/Subtype /Image" not in body and b"/Image" not in body  # the local file stayed out
    assert "ทดสอบภาษาไทย" in page_text(body)


def test_no_certificate_before_the_evaluator_approves(engine: Engine, tmp_path: Path) -> None:
    from bot.demo import seed_demo
    from bot.demo_appraisal import seed_appraisal_demo
    from handlers.appraisals import close_round
    from tests.documents_demo import TODAY

    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        seed_appraisal_demo(session, today=TODAY)
        round_ = session.scalars(select(Round)).one()
        close_round(session, round_, NOW, TODAY, early_reason="ทดสอบ")
        session.commit()
        assert {a.band for a in session.scalars(select(Appraisal))} >= {"ดีเด่น", "ดีมาก"}
        assert zips.round_zip(session, round_, tmp_path / "c.zip", results=False) == []
