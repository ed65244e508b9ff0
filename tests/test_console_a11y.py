"""Every console page in a real Chromium (Debian's, through Playwright), checked by axe-core
(axe-playwright-python bundles it; it is injected into the page, nothing is fetched): no
serious or critical violation, at desktop width and at a phone's (375×812), where the page
body must not scroll sideways and the main navigation stays within reach.

The pages are the console blueprint's GET routes read from the app's url_map, their ids filled
from the demo agency, so a new page is checked without anyone adding it here; downloads (not
HTML) are left to their own tests. The sign-in page, an announcement's preview, the close-round
summary, the closed round, the signed-out and the refusal pages are checked on the way."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.console import PUBLIC_ENDPOINTS
from bot.demo import PEOPLE
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from models import Announcement, Form, Round, Staff
from tests.hr_console import csrf, seed_demo_round, sign_in_link, signed_in

BKK = timezone(timedelta(hours=7))
TODAY = date(2026, 11, 21)  # fiscal year 2570, round 1, before its end
USER = {p.staff_code: p.line_user_id for p in PEOPLE}
PHONE = {"width": 375, "height": 812}
BLOCKING = ("serious", "critical")


@pytest.fixture
def demo_round(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo agency with its round's results, one officer (D0004) without any report."""
    monkeypatch.setattr("bot.clock.now", lambda _tz: datetime(2026, 11, 21, 10, 0, tzinfo=BKK))
    seed_demo_round(engine, TODAY, unreported=("D0004",))


def _content(app: Flask, fake_line: FakeLine, engine: Engine) -> dict[str, Any]:
    """An announcement and a form sent through the console, and the ids pages take."""
    client = app.test_client()
    signed_in(app, client, fake_line, USER["D0001"])
    token = csrf(client)
    assert client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ขอเชิญประชุมชี้แจงการประเมิน", "audience": "all",
        "action": "send"}).status_code == 302
    from bot.console.views import template_text
    from handlers.hr_forms import CAREER_PATH, CAREER_PATH_TITLE

    assert client.post("/hr/forms", data={
        "csrf_token": token, "title": CAREER_PATH_TITLE, "sections": template_text(CAREER_PATH),
        "due_on": "2099-08-31", "audience": "all", "action": "send"}).status_code == 302
    with Session(engine) as session:
        round_ = session.scalars(select(Round)).one()
        return {"staff_id": session.scalars(select(Staff.id).where(
                    Staff.staff_code == "D0004")).one(),
                "announcement_id": session.scalars(select(Announcement.id)).one(),
                "form_id": session.scalars(select(Form.id)).one(),
                "round_id": round_.id, "fiscal_year": round_.fiscal_year,
                "round_no": round_.round_no, "fmt": "csv",
                "result_id": 0, "case_id": 0}  # files only: never fetched here


def console_paths(app: Flask, ids: dict[str, Any]) -> list[str]:
    """Every GET page of the console blueprint (but the public sign-in ones), ids filled in."""
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if (rule.endpoint.startswith("console.") and "GET" in (rule.methods or ())
                    and rule.endpoint not in PUBLIC_ENDPOINTS):
                unknown = set(rule.arguments) - set(ids)
                assert not unknown, f"{rule.rule}: give the test an id for {unknown}"
                paths.append(url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    return sorted(paths)


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} → "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in BLOCKING]


# the outermost elements that stick out to the right (to say where a page is too wide)
WIDE_ELEMENTS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right <= window.innerWidth + 0.5) continue;
    if (out.some(o => o.contains(el))) continue;
    if (el.closest('.scroll')) continue;
    out.push(el);
  }
  return out.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className : ''));
}"""


def _phone_problems(page: Any) -> list[str]:
    problems = []
    wide = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    if wide[0] > wide[1]:
        culprits = page.evaluate(WIDE_ELEMENTS)
        problems.append(f"the page scrolls sideways ({wide[0]} > {wide[1]} px): {culprits}")
    links = page.locator("#main-nav a")
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        if not link.is_visible() or box is None or box["x"] < 0 or \
                box["x"] + box["width"] > PHONE["width"]:
            problems.append(f"navigation link {link.inner_text()!r} is out of reach")
    return problems


def _check(page: Any, label: str, found: dict[str, list[str]]) -> None:
    """axe at desktop width, then axe and the layout at phone width."""
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = _serious(page)
    page.set_viewport_size(PHONE)
    problems += [f"phone: {p}" for p in _serious(page) + _phone_problems(page)]
    if problems:
        found[label] = problems


def test_every_console_page_passes_axe_and_fits_a_phone(
        demo_round: None, app: Flask, served_app: BackgroundServer, fake_line: FakeLine,
        engine: Engine, browser: Any) -> None:
    ids = _content(app, fake_line, engine)
    paths = console_paths(app, ids)
    assert {"/hr/", "/hr/people", "/hr/appraisal", f"/hr/people/{ids['staff_id']}"} <= set(paths)
    outside: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def only_our_server(route: Any) -> None:
        if route.request.url.startswith(served_app.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    found: dict[str, list[str]] = {}
    link = sign_in_link(app, app.test_client(), fake_line, USER["D0001"])
    assert link is not None
    page.goto(served_app.url + link.split("127.0.0.1:8000", 1)[1])
    _check(page, "sign-in page", found)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/hr/$"))

    checked, downloads = [], []
    for path in paths:
        if re.search(r"\.(csv|xlsx|zip|pdf)$", path):  # files, not pages (their tests: elsewhere)
            downloads.append(path)
            continue
        response = page.request.get(served_app.url + path)
        assert response.status == 200, path
        assert response.headers.get("content-type", "").startswith("text/html"), path
        page.goto(served_app.url + path)
        _check(page, path, found)
        checked.append(path)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_app.url + "/hr/announcements")
    page.fill("#body", "ขอเชิญประชุมชี้แจงการประเมิน")
    with page.expect_navigation():
        page.click("#preview-button")
    assert page.locator("#preview-count").count() == 1
    _check(page, "announcement preview", found)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_app.url + "/hr/appraisal")
    with page.expect_navigation():
        page.click("#readiness button[type=submit]")
    assert page.locator("#close-summary").count() == 1
    _check(page, "close-round summary", found)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#early_reason", "ทดลองคำนวณก่อนสิ้นรอบ")
    with page.expect_navigation():
        page.click("#confirm-close")
    assert page.locator("#band-table").count() == 1  # the results, with the band chart
    _check(page, "round page after closing", found)

    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.click("header form button")
    _check(page, "signed-out page", found)
    page.goto(served_app.url + "/hr/")
    assert page.locator("h1").inner_text() == "ต้องเข้าสู่ระบบด้วยบัญชี HR"
    _check(page, "refusal page", found)
    context.close()

    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(problems)
                                for where, problems in found.items())
    assert len(checked) >= 12 and downloads, (checked, downloads)
    assert not outside, outside  # axe is injected, nothing fetched from elsewhere
