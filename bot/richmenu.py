"""The rich menu: one declared list of the main actions, its generated image, its setup on LINE.

The same list draws the simulator's menu, so what a tester taps there is what an officer taps in
LINE. Every area is a `message` action whose text is the command itself: tapping equals typing,
and the router needs nothing new. The image is drawn at run time with Pillow in Sarabun, the
Thai government's standard typeface (OFL, shipped on PyPI by `fontpkg-sarabun`), so nothing is
downloaded and no system font is needed.
"""
from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line_gateway import LineApiError, call_sdk, data_api_base_url
from bot.settings import Settings
from handlers import menus
from models import RichMenuLink

log = logging.getLogger(__name__)

# The large rich-menu template: 3 columns × 2 rows of tappable areas.
WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
MENU_NAME = "main-menu"  # for managing menus in the console; never shown to users
CHAT_BAR_TEXT = "เมนู"  # LINE allows 14 characters
MAX_IMAGE_BYTES = 1024 * 1024  # LINE's limit for a rich-menu image


# Colours: LINE green on white cards, dark ink for labels (contrast 14:1), slate for hints.
GREEN = (6, 199, 85)
BACKGROUND = (232, 238, 235)
CARD = (255, 255, 255)
INK = (22, 34, 46)
MUTED = (96, 110, 124)
WHITE = (255, 255, 255)
SCALE = 2  # drawn at twice the size and scaled down: Pillow's shapes have no anti-aliasing


@dataclass(frozen=True)
class MenuAction:
    """One tappable area: the command it sends (also its label), a short hint, its icon."""

    text: str
    hint: str
    icon: str


# One menu per role (handlers/menus.py decides whose is which): six areas each.
MENUS: dict[str, tuple[MenuAction, ...]] = {
    "officer": (
        MenuAction("ตัวชี้วัดของฉัน", "เป้าหมายและผลงาน", "target"),
        MenuAction("รายงานความก้าวหน้า", "ส่งผลงานล่าสุด", "progress"),
        MenuAction("กำหนดส่ง", "กำหนดการรอบประเมิน", "calendar"),
        MenuAction("ผลการประเมิน", "คะแนนและระดับผล", "approve"),
        MenuAction("ข้อมูลของฉัน", "ข้อมูลที่ระบบเก็บไว้", "person"),
        MenuAction("ช่วยเหลือ", "วิธีใช้และคำสั่ง", "help"),
    ),
    "carer": (
        MenuAction("รออนุมัติ", "รายงานที่รอคุณรับรอง", "approve"),
        MenuAction("ผู้อยู่ในความดูแล", "ความก้าวหน้าของแต่ละคน", "person"),
        MenuAction("ตัวชี้วัดของฉัน", "เป้าหมายและผลงาน", "target"),
        MenuAction("รายงานความก้าวหน้า", "ส่งผลงานล่าสุด", "progress"),
        MenuAction("กำหนดส่ง", "กำหนดการรอบประเมิน", "calendar"),
        MenuAction("ช่วยเหลือ", "วิธีใช้และคำสั่ง", "help"),
    ),
    "hr": (
        MenuAction("ประกาศ", "ส่งประกาศถึงบุคลากร", "progress"),
        MenuAction("สรุปประกาศ", "ยอดส่งและยอดรับทราบ", "approve"),
        MenuAction("เข้าสู่ระบบ", "เปิดหน้าเว็บ HR", "person"),
        MenuAction("ตัวชี้วัดของฉัน", "เป้าหมายและผลงาน", "target"),
        MenuAction("กำหนดส่ง", "กำหนดการรอบประเมิน", "calendar"),
        MenuAction("ช่วยเหลือ", "วิธีใช้และคำสั่ง", "help"),
    ),
}
DEFAULT_KIND = "officer"  # every user's default; carers and HR get theirs linked per user
MENU_ACTIONS = MENUS[DEFAULT_KIND]


def menu_name(kind: str) -> str:
    """The menu's name on the channel (never shown to users): how the bot finds it again."""
    return f"{MENU_NAME}-{kind}"


def kind_of(name: str) -> str | None:
    """The role kind of a menu named by `menu_name`, if it is one of ours."""
    prefix = f"{MENU_NAME}-"
    kind = name[len(prefix):] if name.startswith(prefix) else None
    return kind if kind in MENUS else None


@dataclass(frozen=True)
class Bounds:
    """A tappable rectangle in image pixels, as LINE's bounds object."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class MenuImage:
    """An encoded rich-menu image and what LINE needs to know about it."""

    data: bytes
    content_type: str
    width: int
    height: int


def menu_areas(kind: str = DEFAULT_KIND) -> list[tuple[MenuAction, Bounds]]:
    """Each action with its cell of the 3×2 grid, left to right, top to bottom; cells tile the
    image."""
    xs = [round(WIDTH * c / COLUMNS) for c in range(COLUMNS + 1)]
    ys = [round(HEIGHT * r / ROWS) for r in range(ROWS + 1)]
    cells = [Bounds(xs[c], ys[r], xs[c + 1] - xs[c], ys[r + 1] - ys[r])
             for r in range(ROWS) for c in range(COLUMNS)]
    return list(zip(MENUS[kind], cells, strict=True))


def rich_menu_request(kind: str = DEFAULT_KIND) -> RichMenuRequest:
    """The rich menu object LINE gets: shown open by default, one message action per area."""
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=menu_name(kind),
        chat_bar_text=CHAT_BAR_TEXT,
        areas=[RichMenuArea(bounds=RichMenuBounds(x=b.x, y=b.y, width=b.width, height=b.height),
                            action=MessageAction(label=action.text, text=action.text))
               for action, b in menu_areas(kind)],
    )


# --- the image ------------------------------------------------------------------------------


class ThaiFontMissing(RuntimeError):
    """No Thai-capable font to draw the menu with."""


def sarabun_path(weight: int) -> Path:
    """The installed Sarabun file of this weight (from the `fontpkg-sarabun` package)."""
    try:
        import fontpkg

        return Path(fontpkg.path("Sarabun", weight=weight))
    except Exception as exc:  # ImportError, or fontpkg's FamilyNotInstalled
        raise ThaiFontMissing("ไม่พบฟอนต์ Sarabun สำหรับวาดเมนู / the Thai font Sarabun is missing: "
                              "pip install fontpkg-sarabun") from exc


@cache
def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    # Pillow's wheels bundle libraqm, which shapes Thai (vowels and tone marks stacked right).
    return ImageFont.truetype(str(sarabun_path(weight)), size)


def _common_size(draw: ImageDraw.ImageDraw, texts: list[str], weight: int, size: int,
                 max_width: float) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which every text fits `max_width` (one size reads
    calmer)."""
    font = _font(weight, size)
    while size > 20 and max(draw.textlength(t, font=font) for t in texts) > max_width:
        size -= 2
        font = _font(weight, size)
    return font


def render_menu_image(kind: str = DEFAULT_KIND) -> MenuImage:
    """Draw the 2500×1686 menu: a card per area with a green icon, a big Thai label and a hint."""
    s = SCALE
    canvas = Image.new("RGB", (WIDTH * s, HEIGHT * s), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    areas = menu_areas(kind)
    text_width = (min(b.width for _, b in areas) - 110) * s
    label = _common_size(draw, [a.text for a, _ in areas], 700, 112 * s, text_width)
    hint = _common_size(draw, [a.hint for a, _ in areas], 400, 66 * s, text_width)
    for action, b in areas:
        x0, y0, x1, y1 = b.x * s, b.y * s, (b.x + b.width) * s, (b.y + b.height) * s
        gap = 14 * s  # half the space between cards
        draw.rounded_rectangle((x0 + gap, y0 + gap, x1 - gap, y1 - gap), radius=56 * s, fill=CARD)
        cx, cy, radius = (x0 + x1) / 2, y0 + 300 * s, 160 * s
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=GREEN)
        ICONS[action.icon](draw, cx, cy, 96 * s)
        draw.text((cx, y0 + 575 * s), action.text, font=label, fill=INK, anchor="mm")
        draw.text((cx, y0 + 718 * s), action.hint, font=hint, fill=MUTED, anchor="mm")
    image = canvas.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return encode(image)


def encode(image: Image.Image) -> MenuImage:
    """PNG when it fits LINE's 1 MB limit (it does, by far), else the best JPEG that fits."""
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() <= MAX_IMAGE_BYTES:
        return MenuImage(out.getvalue(), "image/png", image.width, image.height)
    for quality in (92, 85, 75, 60):
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_IMAGE_BYTES:
            return MenuImage(out.getvalue(), "image/jpeg", image.width, image.height)
    raise ValueError("the rich menu image does not fit in 1 MB")


@cache
def menu_image(kind: str = DEFAULT_KIND) -> MenuImage:
    """The menu image, drawn once per process (it never changes while the code does not)."""
    return render_menu_image(kind)


@cache
def menu_preview(kind: str = DEFAULT_KIND) -> MenuImage:
    """The menu image at half size in 128 colours, for the simulator page (about 60 kB)."""
    full = Image.open(io.BytesIO(menu_image(kind).data))
    return encode(full.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.LANCZOS).quantize(128))


# Icons: white line drawings on the green disc, centred at (cx, cy), about `size` across.

Draw = ImageDraw.ImageDraw


def _icon_target(draw: Draw, cx: float, cy: float, size: float) -> None:
    stroke = size * 0.13
    for r in (size * 0.95, size * 0.58):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=round(stroke))
    r = size * 0.24
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)


def _icon_progress(draw: Draw, cx: float, cy: float, size: float) -> None:
    bar, base = size * 0.36, cy + size * 0.85
    for i, height in enumerate((0.45, 0.8, 1.15)):
        x = cx - size * 0.85 + i * size * 0.62
        draw.rounded_rectangle((x, base - height * size, x + bar, base), radius=bar * 0.2,
                               fill=WHITE)
    # A rising trend line ending in an arrowhead, clear of the bars.
    points = [(cx - size * 0.9, cy - size * 0.25), (cx - size * 0.25, cy - size * 0.6),
              (cx + size * 0.1, cy - size * 0.4), (cx + size * 0.9, cy - size * 0.95)]
    (px, py), (tx, ty) = points[-2], points[-1]
    length = math.hypot(tx - px, ty - py)
    dx, dy = (tx - px) / length, (ty - py) / length
    head, half = size * 0.42, size * 0.26
    bx, by = tx - dx * head, ty - dy * head
    draw.line([*points[:-1], (bx + dx * 2, by + dy * 2)], fill=WHITE, width=round(size * 0.13),
              joint="curve")
    draw.polygon([(tx, ty), (bx - dy * half, by + dx * half), (bx + dy * half, by - dx * half)],
                 fill=WHITE)


def _icon_calendar(draw: Draw, cx: float, cy: float, size: float) -> None:
    stroke = round(size * 0.12)
    x0, y0, x1, y1 = cx - size * 0.9, cy - size * 0.72, cx + size * 0.9, cy + size * 0.88
    draw.rounded_rectangle((x0, y0, x1, y1), radius=size * 0.16, outline=WHITE, width=stroke)
    draw.rounded_rectangle((x0, y0, x1, y0 + size * 0.42), radius=size * 0.16, fill=WHITE)
    for rx in (cx - size * 0.45, cx + size * 0.45):  # the binder rings
        draw.rounded_rectangle((rx - size * 0.08, y0 - size * 0.25,
                                rx + size * 0.08, y0 + size * 0.15),
                               radius=size * 0.08, fill=WHITE)
    half = size * 0.1
    for row in range(2):
        for col in range(3):
            x = cx - size * 0.55 + col * size * 0.55
            y = cy + size * 0.12 + row * size * 0.42
            if (row, col) == (1, 2):  # the due day, circled
                draw.ellipse((x - half * 1.5, y - half * 1.5, x + half * 1.5, y + half * 1.5),
                             fill=WHITE)
            else:
                draw.rounded_rectangle((x - half, y - half, x + half, y + half), radius=half * 0.4,
                                       fill=WHITE)


def _icon_approve(draw: Draw, cx: float, cy: float, size: float) -> None:
    stroke = round(size * 0.12)
    x0, y0, x1, y1 = cx - size * 0.72, cy - size * 0.8, cx + size * 0.72, cy + size * 0.95
    draw.rounded_rectangle((x0, y0, x1, y1), radius=size * 0.14, outline=WHITE, width=stroke)
    draw.rounded_rectangle((cx - size * 0.36, y0 - size * 0.16, cx + size * 0.36, y0 + size * 0.2),
                           radius=size * 0.1, fill=WHITE)
    draw.line((cx - size * 0.38, cy + size * 0.12, cx - size * 0.08, cy + size * 0.45,
               cx + size * 0.42, cy - size * 0.2), fill=WHITE, width=round(size * 0.17),
              joint="curve")


def _icon_person(draw: Draw, cx: float, cy: float, size: float) -> None:
    r = size * 0.38
    hy = cy - size * 0.38
    draw.ellipse((cx - r, hy - r, cx + r, hy + r), fill=WHITE)
    w, top = size * 0.8, cy + size * 0.12
    draw.chord((cx - w, top, cx + w, top + 2 * w * 0.9), 180, 360, fill=WHITE)


def _icon_help(draw: Draw, cx: float, cy: float, size: float) -> None:
    font = _font(800, round(size * 1.9))
    draw.text((cx, cy + size * 0.05), "?", font=font, fill=WHITE, anchor="mm")


ICONS: dict[str, Callable[[Draw, float, float, float], None]] = {
    "target": _icon_target,
    "progress": _icon_progress,
    "calendar": _icon_calendar,
    "approve": _icon_approve,
    "person": _icon_person,
    "help": _icon_help,
}


# --- setting it up on a channel -------------------------------------------------------------


def setup_rich_menus(settings: Settings) -> dict[str, str]:
    """Create every role's menu (the officer's is everyone's default); their ids by kind.
    The menus of an earlier setup are deleted once the new ones are in place."""
    with ApiClient(_configuration(settings, settings.line_api_base_url)) as client:
        api = MessagingApi(client)
        earlier = [m.rich_menu_id for m in _call(settings.line_timeout, api.get_rich_menu_list)
                   .richmenus if kind_of(m.name) is not None]
    ids = {kind: setup_rich_menu(settings, kind=kind, default=kind == DEFAULT_KIND)
           for kind in MENUS}
    with ApiClient(_configuration(settings, settings.line_api_base_url)) as client:
        api = MessagingApi(client)
        for rich_menu_id in earlier:
            try:
                _call(settings.line_timeout, api.delete_rich_menu, rich_menu_id)
            except LineApiError:
                pass  # an old menu left behind is harmless
    return ids


def setup_rich_menu(settings: Settings, image: MenuImage | None = None, *,
                    kind: str = DEFAULT_KIND, default: bool = True) -> str:
    """Create one role's rich menu, upload its image, and (`default`) make it every user's
    default; return its id.

    If the upload or the default fails, the new menu is deleted again, so a refused setup
    leaves the channel as it was.
    """
    image = image or menu_image(kind)
    request = rich_menu_request(kind)
    timeout = settings.line_timeout
    with ApiClient(_configuration(settings, settings.line_api_base_url)) as client, \
            ApiClient(_configuration(settings, data_api_base_url(settings))) as data_client:
        api, blob = MessagingApi(client), MessagingApiBlob(data_client)
        _call(timeout, api.validate_rich_menu_object, request)
        rich_menu_id: str = _call(timeout, api.create_rich_menu, request).rich_menu_id
        try:
            # The SDK sets no Content-Type for uploads; without one it would send the bytes as JSON.
            _call(timeout, blob.set_rich_menu_image, rich_menu_id, image.data,
                  _headers={"Content-Type": image.content_type})
            if default:
                _call(timeout, api.set_default_rich_menu, rich_menu_id)
        except LineApiError:
            try:
                _call(timeout, api.delete_rich_menu, rich_menu_id)
            except LineApiError:
                pass  # the first error is the one to report; an orphan menu is harmless
            raise
    return rich_menu_id


def menu_ids_by_kind(settings: Settings) -> dict[str, str]:
    """The channel's menus of ours, by role kind (the newest of each name)."""
    with ApiClient(_configuration(settings, settings.line_api_base_url)) as client:
        menus = _call(settings.line_timeout, MessagingApi(client).get_rich_menu_list).richmenus
    found: dict[str, str] = {}
    for menu in menus:
        kind = kind_of(menu.name)
        if kind is not None:
            found[kind] = menu.rich_menu_id
    return found


def link_menu(settings: Settings, user_id: str, rich_menu_id: str | None) -> None:
    """Show `user_id` this menu (LINE's per-user link), or the default again (None: unlink)."""
    with ApiClient(_configuration(settings, settings.line_api_base_url)) as client:
        api = MessagingApi(client)
        if rich_menu_id is None:
            _call(settings.line_timeout, api.unlink_rich_menu_id_from_user, user_id)
        else:
            _call(settings.line_timeout, api.link_rich_menu_id_to_user, user_id, rich_menu_id)


def _configuration(settings: Settings, host: str) -> Configuration:
    return Configuration(host=host, access_token=settings.channel_access_token)


T = TypeVar("T")


def _call(timeout: tuple[float, float], method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The gateway's SDK call: an explicit timeout, refusals as LineApiError."""
    return cast(T, call_sdk(timeout, method, *args, **kwargs))


def sync_rich_menus(session: Session, now: datetime, settings: Settings) -> int | str:
    """Link each person to their role's menu when it changed (a new link, a new role, a role
    taken away); people no longer linked or following see the default again. Returns how many
    links changed ("not set up" when the channel has none of our menus)."""
    try:
        ids = menu_ids_by_kind(settings)
    except LineApiError as exc:
        log.warning("rich menus: could not list them: %s", exc)
        return "LINE unreachable"
    if not ids:
        return "not set up"
    wanted = {user_id: str(kind) for user_id, kind in menus.wanted_menus(session).items()}
    current = {row.line_user_id: row for row in session.scalars(select(RichMenuLink))}
    changed = 0
    for user_id, kind in wanted.items():
        # The officer's menu is the default: a person whose role is "officer" needs no link.
        target = ids.get(kind) if kind != DEFAULT_KIND else None
        row = current.get(user_id)
        if (row.rich_menu_id if row is not None else None) == target:
            continue
        try:
            link_menu(settings, user_id, target)
        except LineApiError as exc:
            log.warning("rich menu for %s not linked: %s", user_id, exc)
            continue
        if target is None and row is not None:
            session.delete(row)
        elif row is None and target is not None:
            session.add(RichMenuLink(line_user_id=user_id, kind=kind, rich_menu_id=target,
                                     linked_at=now))
        elif row is not None and target is not None:
            row.kind, row.rich_menu_id, row.linked_at = kind, target, now
        changed += 1
    for user_id, row in current.items():
        if user_id not in wanted:  # unlinked from the staff record, or unfollowed
            try:
                link_menu(settings, user_id, None)
            except LineApiError as exc:
                log.warning("rich menu for %s not unlinked: %s", user_id, exc)
                continue
            session.delete(row)
            changed += 1
    return changed
