"""The rich menu: one declared list of actions, set up on LINE by `flask line setup-richmenu`,
shown by the simulator; the fake LINE API checks it as LINE does."""
from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import Engine

from bot.app import create_app
from bot.fake_line import FakeLine
from bot.fake_line.spec_validator import load_spec
from bot.line_gateway import LINE_DATA_API, LineApiError, data_api_base_url
from bot.richmenu import (
    CHAT_BAR_TEXT,
    HEIGHT,
    MENU_ACTIONS,
    WIDTH,
    MenuImage,
    menu_areas,
    menu_image,
    rich_menu_request,
    setup_rich_menu,
)
from bot.settings import Settings
from tests.chat import NOW
from tests.conftest import TEST_TOKEN

AUTH = {"Authorization": f"Bearer {TEST_TOKEN}"}
COMMANDS = ["ตัวชี้วัดของฉัน", "รายงานความก้าวหน้า", "กำหนดส่ง", "ผลการประเมิน", "ข้อมูลของฉัน", "ช่วยเหลือ"]


def png(width: int, height: int, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (6, 199, 85)).save(out, fmt)
    return out.getvalue()


def menu_body(**changes: Any) -> dict[str, Any]:
    """A valid rich menu object (ours), with some fields replaced."""
    return {**rich_menu_request().to_dict(), **changes}


@pytest.fixture
def api(fake_line: FakeLine, settings: Settings) -> str:
    return settings.line_api_base_url


def post(api: str, path: str, body: Any) -> requests.Response:
    return requests.post(api + path, json=body, headers=AUTH, timeout=5)


def upload(api: str, rich_menu_id: str, data: bytes, content_type: str) -> requests.Response:
    return requests.post(f"{api}/v2/bot/richmenu/{rich_menu_id}/content", data=data, timeout=5,
                         headers={**AUTH, "Content-Type": content_type})


# --- the declared menu ----------------------------------------------------------------------


def test_one_declared_list_of_six_commands_in_a_3x2_grid() -> None:
    areas = menu_areas()
    assert [action.text for action, _ in areas] == COMMANDS
    assert [(b.x, b.y) for _, b in areas] == [(0, 0), (833, 0), (1667, 0),
                                              (0, 843), (833, 843), (1667, 843)]
    covered = sum(b.width * b.height for _, b in areas)
    assert covered == WIDTH * HEIGHT  # the cells tile the image: no gap, no overlap
    assert all(b.x + b.width <= WIDTH and b.y + b.height <= HEIGHT for _, b in areas)
    assert 0 < len(CHAT_BAR_TEXT) <= 14


def test_every_area_sends_its_command_as_typed_text() -> None:
    request = rich_menu_request().to_dict()
    assert [area["action"] for area in request["areas"]] == [
        {"type": "message", "label": text, "text": text} for text in COMMANDS]
    assert all(len(a.text) <= 20 for a in MENU_ACTIONS)  # LINE's action-label limit


def test_the_image_is_a_png_of_the_menus_size_under_1_mb() -> None:
    image = menu_image()
    assert image.content_type == "image/png"
    assert len(image.data) <= 1024 * 1024
    with Image.open(io.BytesIO(image.data)) as decoded:
        assert decoded.format == "PNG"
        assert decoded.size == (WIDTH, HEIGHT) == (image.width, image.height)
        # Each cell has its green icon disc and dark label ink, not just background.
        rgb = decoded.convert("RGB")
        for _, b in menu_areas():
            colours = {c for _, c in rgb.crop((b.x, b.y, b.x + b.width, b.y + b.height))
                       .getcolors(maxcolors=1 << 20) or []}
            assert (6, 199, 85) in colours and (22, 34, 46) in colours


def test_uploads_go_to_the_data_host_only_on_the_real_line(settings: Settings) -> None:
    assert (data_api_base_url(settings.with_(line_api_base_url="https://api.line.me"))
            == LINE_DATA_API)
    assert data_api_base_url(settings) == settings.line_api_base_url


# --- `flask line setup-richmenu` against the fake -------------------------------------------


def test_setup_richmenu_creates_uploads_and_sets_the_default(app: Flask, fake_line: FakeLine,
                                                              api: str) -> None:
    result = app.test_cli_runner().invoke(args=["line", "setup-richmenu"])
    assert result.exit_code == 0, result.output
    ids = dict(line.split() for line in result.output.strip().splitlines())
    assert list(ids) == ["officer", "carer", "hr"]  # one menu per role
    assert all(re.fullmatch(r"richmenu-[0-9a-f]{32}", i) for i in ids.values())
    rich_menu_id = ids["officer"]

    menu = fake_line.rich_menus[rich_menu_id]
    spec = load_spec()
    body = {key: value for key, value in menu.items() if key != "richMenuId"}
    spec.validate_request("POST", "/v2/bot/richmenu", {"Content-Type": "application/json"},
                          json.dumps(body).encode())  # raises SpecProblem if not spec-valid
    assert menu["size"] == {"width": WIDTH, "height": HEIGHT}
    assert menu["selected"] is True and menu["chatBarText"] == CHAT_BAR_TEXT
    assert len(menu["areas"]) == 6
    for area in menu["areas"]:
        bounds = area["bounds"]
        assert bounds["x"] >= 0 and bounds["y"] >= 0
        assert bounds["x"] + bounds["width"] <= WIDTH and bounds["y"] + bounds["height"] <= HEIGHT
    assert [area["action"]["text"] for area in menu["areas"]] == COMMANDS

    data, content_type = fake_line.rich_menu_images[rich_menu_id]
    assert content_type == "image/png" and len(data) <= 1024 * 1024
    with Image.open(io.BytesIO(data)) as uploaded:
        assert uploaded.size == (WIDTH, HEIGHT)
    assert fake_line.default_rich_menu_id == rich_menu_id

    # LINE's read endpoints agree (the fake checks its answers against the spec).
    default = requests.get(api + "/v2/bot/user/all/richmenu", headers=AUTH, timeout=5)
    assert default.json() == {"richMenuId": rich_menu_id}
    listed = requests.get(api + "/v2/bot/richmenu/list", headers=AUTH, timeout=5)
    assert [m["richMenuId"] for m in listed.json()["richmenus"]] == list(ids.values())
    assert [a["action"]["text"] for a in fake_line.rich_menus[ids["hr"]]["areas"]][:3] == [
        "ประกาศ", "สรุปประกาศ", "เข้าสู่ระบบ"]
    # set up again: the new menus replace the old ones
    again = app.test_cli_runner().invoke(args=["line", "setup-richmenu"])
    assert set(fake_line.rich_menus) == {line.split()[1] for line in again.output.splitlines()}


def test_setup_richmenu_can_save_the_image(app: Flask, fake_line: FakeLine,
                                           tmp_path: Any) -> None:
    target = tmp_path / "richmenu.png"
    result = app.test_cli_runner().invoke(args=["line", "setup-richmenu", "--save-image",
                                                str(target)])
    assert result.exit_code == 0, result.output
    officer_id = result.output.splitlines()[0].split()[1]
    assert target.read_bytes() == fake_line.rich_menu_images[officer_id][0]


@pytest.fixture
def app_with_wrong_token(settings: Settings, engine: Engine,
                         fake_line: FakeLine) -> Iterator[Flask]:
    application = create_app(settings.with_(channel_access_token="revoked-token"), engine=engine,
                              fake_line=fake_line)
    yield application
    application.extensions["line.gateway"].close()


def test_a_refused_setup_exits_non_zero_and_says_why(app_with_wrong_token: Flask,
                                                     fake_line: FakeLine) -> None:
    result = app_with_wrong_token.test_cli_runner().invoke(args=["line", "setup-richmenu"])
    assert result.exit_code == 1
    assert "LINE ไม่รับเมนู / LINE refused the rich menu: LINE API 401: Authentication failed" \
        in result.output
    assert "Traceback" not in result.output
    assert not fake_line.rich_menus and fake_line.default_rich_menu_id is None


def test_an_unreachable_line_is_said_plainly(app: Flask, settings: Settings) -> None:
    app.config["SETTINGS"] = settings.with_(line_api_base_url="http://127.0.0.1:9",
                                            line_timeout=(0.5, 0.5))
    result = app.test_cli_runner().invoke(args=["line", "setup-richmenu"])
    assert result.exit_code == 1
    assert "ติดต่อ LINE ที่ http://127.0.0.1:9 ไม่ได้ / could not reach LINE" in result.output


def test_a_refused_image_leaves_no_menu_behind(settings: Settings, fake_line: FakeLine) -> None:
    gif = MenuImage(b"GIF89a" + b"\0" * 32, "image/gif", WIDTH, HEIGHT)
    with pytest.raises(LineApiError) as refused:
        setup_rich_menu(settings, gif)
    assert refused.value.status == 415
    assert fake_line.rich_menus == {} and fake_line.default_rich_menu_id is None


# --- the simulator shows the same actions ---------------------------------------------------


def test_the_simulator_menu_is_the_rich_menu(client: FlaskClient) -> None:
    page = client.get("/sim").get_data(as_text=True)
    texts = [html.unescape(t)
             for t in re.findall(r'<button type="button" data-text="([^"]+)"', page)]
    assert texts == COMMANDS
    for text in COMMANDS:
        assert f"<span>{text}</span>" in page  # a readable label, for screen readers too
    assert 'src="data:image/png;base64,' in page  # the same image, inline: works offline
    assert f">{CHAT_BAR_TEXT} <span" in page
    assert "http://" not in page and "https://" not in page


# --- the fake behaves as LINE ---------------------------------------------------------------


@pytest.mark.parametrize(("body", "problem"), [
    (menu_body(chatBarText="เมนูหลักของผู้ช่วยงาน"), "chatBarText"),  # schema: maxLength 14
    ({k: v for k, v in menu_body().items() if k != "name"}, "name"),
    (menu_body(size={"width": 2500, "height": 2500}), "size"),
    (menu_body(areas=menu_body()["areas"] * 4), "areas"),
    (menu_body(areas=[{"bounds": {"x": 2000, "y": 0, "width": 600, "height": 843},
                       "action": {"type": "message", "text": "ช่วยเหลือ"}}]), "areas.0.bounds"),
    (menu_body(areas=[{"bounds": {"x": 0, "y": 0, "width": 100, "height": 100},
                       "action": {"type": "message", "text": 5}}]), "areas.0.action.text"),
], ids=["chat-bar-text-too-long", "no-name", "not-wide-enough", "24-areas", "area-outside",
        "text-not-string"])
@pytest.mark.parametrize("path", ["/v2/bot/richmenu", "/v2/bot/richmenu/validate"])
def test_a_bad_rich_menu_gets_lines_400(api: str, fake_line: FakeLine, path: str,
                                        body: dict[str, Any], problem: str) -> None:
    response = post(api, path, body)
    assert response.status_code == 400
    assert any(d["property"] == problem for d in response.json()["details"]), response.json()
    assert not fake_line.rich_menus


def test_validate_accepts_our_menu_and_records_nothing(api: str, fake_line: FakeLine) -> None:
    assert post(api, "/v2/bot/richmenu/validate", menu_body()).status_code == 200
    assert not fake_line.rich_menus


def test_image_upload_rules(api: str, fake_line: FakeLine) -> None:
    rich_menu_id = post(api, "/v2/bot/richmenu", menu_body()).json()["richMenuId"]
    assert upload(api, "richmenu-unknown", png(WIDTH, HEIGHT), "image/png").status_code == 404
    assert upload(api, rich_menu_id, png(WIDTH, HEIGHT), "image/gif").status_code == 415
    assert upload(api, rich_menu_id, b"\0" * (1024 * 1024 + 1), "image/png").status_code == 413
    assert upload(api, rich_menu_id, png(WIDTH, HEIGHT, "JPEG"), "image/png").status_code == 400
    wrong_size = upload(api, rich_menu_id, png(2500, 843), "image/png")
    assert wrong_size.status_code == 400 and "2500x843" in wrong_size.json()["message"]
    not_yet = requests.post(f"{api}/v2/bot/user/all/richmenu/{rich_menu_id}", headers=AUTH,
                            timeout=5)
    assert not_yet.status_code == 400  # LINE wants the image before the menu is used
    assert upload(api, rich_menu_id, png(WIDTH, HEIGHT), "image/png").status_code == 200
    again = upload(api, rich_menu_id, png(WIDTH, HEIGHT), "image/png")
    assert again.status_code == 400  # an image cannot be replaced
    assert fake_line.rich_menu_images[rich_menu_id][1] == "image/png"


def test_a_jpeg_of_the_right_size_is_accepted(api: str, fake_line: FakeLine) -> None:
    small = menu_body(size={"width": 800, "height": 540},
                      areas=[{"bounds": {"x": 0, "y": 0, "width": 800, "height": 540},
                              "action": {"type": "message", "text": "ช่วยเหลือ"}}])
    rich_menu_id = post(api, "/v2/bot/richmenu", small).json()["richMenuId"]
    assert upload(api, rich_menu_id, png(800, 540, "JPEG"), "image/jpeg").status_code == 200


def test_default_rich_menu(api: str, fake_line: FakeLine) -> None:
    get_default = requests.get(api + "/v2/bot/user/all/richmenu", headers=AUTH, timeout=5)
    assert get_default.status_code == 404
    unknown = requests.post(api + "/v2/bot/user/all/richmenu/richmenu-unknown", headers=AUTH,
                            timeout=5)
    assert unknown.status_code == 404
    assert requests.get(api + "/v2/bot/richmenu/list", headers=AUTH,
                        timeout=5).json() == {"richmenus": []}


def test_deleting_the_default_menu_clears_the_default(api: str, fake_line: FakeLine) -> None:
    rich_menu_id = post(api, "/v2/bot/richmenu", menu_body()).json()["richMenuId"]
    assert upload(api, rich_menu_id, png(WIDTH, HEIGHT), "image/png").status_code == 200
    assert requests.post(f"{api}/v2/bot/user/all/richmenu/{rich_menu_id}", headers=AUTH,
                         timeout=5).status_code == 200
    assert requests.delete(f"{api}/v2/bot/richmenu/{rich_menu_id}", headers=AUTH,
                           timeout=5).status_code == 200
    assert fake_line.default_rich_menu_id is None and not fake_line.rich_menu_images


# --- a menu per role, linked per user ----------------------------------------------------------


def test_each_role_has_its_own_menu_and_plain_officers_no_approvals() -> None:
    from bot.richmenu import MENUS

    assert set(MENUS) == {"officer", "carer", "hr"}
    officer = [a.text for a in MENUS["officer"]]
    assert "รออนุมัติ" not in officer and "ผู้อยู่ในความดูแล" not in officer
    assert {"รออนุมัติ", "ผู้อยู่ในความดูแล"} <= {a.text for a in MENUS["carer"]}
    assert {"ประกาศ", "เข้าสู่ระบบ"} <= {a.text for a in MENUS["hr"]}
    assert menu_image("hr").data != menu_image("officer").data


def test_per_user_link_endpoints_follow_the_spec(api: str, fake_line: FakeLine) -> None:
    created = requests.post(api + "/v2/bot/richmenu", json=menu_body(), headers=AUTH, timeout=5)
    rich_menu_id = created.json()["richMenuId"]
    user = "U" + "1" * 32
    link = f"{api}/v2/bot/user/{user}/richmenu/{rich_menu_id}"
    assert requests.post(link, headers=AUTH, timeout=5).status_code == 400  # no image yet
    upload(api, rich_menu_id, menu_image().data, "image/png")
    assert requests.post(link, headers=AUTH, timeout=5).status_code == 200
    got = requests.get(f"{api}/v2/bot/user/{user}/richmenu", headers=AUTH, timeout=5)
    assert got.json() == {"richMenuId": rich_menu_id}
    assert requests.post(f"{api}/v2/bot/user/{user}/richmenu/richmenu-{'0' * 32}", headers=AUTH,
                         timeout=5).status_code == 404
    assert requests.post(f"{api}/v2/bot/user/not-a-user/richmenu/{rich_menu_id}", headers=AUTH,
                         timeout=5).status_code == 400
    assert requests.delete(f"{api}/v2/bot/user/{user}/richmenu", headers=AUTH,
                           timeout=5).status_code == 200
    assert requests.get(f"{api}/v2/bot/user/{user}/richmenu", headers=AUTH,
                        timeout=5).status_code == 404


def test_people_see_their_roles_menu_and_it_follows_a_role_change(
        app: Flask, fake_line: FakeLine, settings: Settings) -> None:
    from bot import db
    from bot.richmenu import sync_rich_menus
    from models import Role, RoleAssignment
    from tests.builders import make_officer

    ids = dict(line.split() for line in app.test_cli_runner().invoke(
        args=["line", "setup-richmenu"]).output.splitlines())
    with app.app_context(), db.session_scope() as session:
        officer, officer_user = make_officer(session)
        hr, hr_user = make_officer(session, roles=(Role.HR_ADMIN,), unit=officer.unit)
        mentor, mentor_user = make_officer(session, unit=officer.unit)
        session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
        session.flush()
        assert sync_rich_menus(session, NOW, settings) == 2
        session.commit()
        assert fake_line.menu_shown_to(officer_user) == ids["officer"]  # the default
        assert fake_line.menu_shown_to(hr_user) == ids["hr"]
        assert fake_line.menu_shown_to(mentor_user) == ids["carer"]
        assert sync_rich_menus(session, NOW, settings) == 0  # nothing changed, nothing sent
        officer.supervisor_id = hr.id  # HR stays HR; the officer gains nothing
        session.query(RoleAssignment).filter_by(staff_id=mentor.id).delete()
        assert sync_rich_menus(session, NOW, settings) == 1
        session.commit()
        assert fake_line.menu_shown_to(mentor_user) == ids["officer"]
        assert mentor_user not in fake_line.user_rich_menus


def test_the_simulator_shows_the_chosen_persons_menu(app: Flask, client: FlaskClient,
                                                     fake_line: FakeLine) -> None:
    ids = dict(line.split() for line in app.test_cli_runner().invoke(
        args=["line", "setup-richmenu"]).output.splitlines())
    hr_user, officer_user = "U" + "2" * 32, "U" + "3" * 32
    fake_line.user_rich_menus[hr_user] = ids["hr"]
    hr_menu = client.get(f"/sim/api/richmenu?user_id={hr_user}").get_json()
    officer_menu = client.get(f"/sim/api/richmenu?user_id={officer_user}").get_json()
    assert hr_menu["kind"] == "hr" and officer_menu["kind"] == "officer"
    assert [a["text"] for a in hr_menu["areas"]][:3] == ["ประกาศ", "สรุปประกาศ", "เข้าสู่ระบบ"]
    assert "รออนุมัติ" not in [a["text"] for a in officer_menu["areas"]]
    assert hr_menu["image"] != officer_menu["image"]
    assert client.get("/sim/api/richmenu").status_code == 400
