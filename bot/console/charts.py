"""Charts as server-rendered SVG (no scripts, no internet): stacked bars per unit, bars per
form option and per band, small line charts of a unit's reports over the round. Each is an
`<svg role="img">` with a name (aria-label and <title>) and a <desc>; the page puts a table of
the same figures beside it for screen readers."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.console.data import UnitRow, UnitTimeline
from thai.lexicon import ABBR_MONTHS

COLOURS = {"confirmed": "#2e7d32", "waiting": "#f9a825", "not_reported": "#b0bec5",
           "overdue": "#c62828"}
LEGEND = {"confirmed": "รับรองครบแล้ว", "waiting": "รายงานแล้ว รอรับรอง",
          "not_reported": "ยังไม่รายงาน", "overdue": "เลยกำหนด ยังไม่รายงาน"}


def _parts(row: UnitRow) -> list[tuple[str, int]]:
    waiting = row.reported - row.confirmed
    if row.overdue:
        return [("confirmed", row.confirmed), ("waiting", waiting), ("overdue", row.overdue)]
    return [("confirmed", row.confirmed), ("waiting", waiting),
            ("not_reported", row.not_reported)]


def unit_bars(rows: Sequence[UnitRow], width: int = 760, max_rows: int = 40) -> str:
    """One 100% bar per unit (of the staff with KPIs), with counts and a legend."""
    shown = [row for row in rows if row.with_kpis][:max_rows]
    label_w, bar_w, row_h = 230, width - 230 - 70, 26
    height = 34 + row_h * max(len(shown), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" class="chart" '
           'aria-label="ความคืบหน้าการรายงานรายหน่วยงาน" font-family="sans-serif" font-size="13">'
           '<title>ความคืบหน้าการรายงานรายหน่วยงาน</title>']
    x: float = 10
    for key, text in LEGEND.items():
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[key]}"/>'
                   f'<text x="{x + 16}" y="15">{escape(text)}</text>')
        x += 180
    if not shown:
        out.append('<text x="10" y="50">ยังไม่มีผู้ที่มีตัวชี้วัดในรอบนี้</text>')
    for i, row in enumerate(shown):
        y = 28 + i * row_h
        name = row.name if len(row.name) <= 28 else row.name[:27] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                   f'<title>{escape(row.name)}</title>{escape(name)}</text>')
        x = float(label_w)
        for key, value in _parts(row):
            if value <= 0:
                continue
            w = bar_w * value / row.with_kpis
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                       f'fill="{COLOURS[key]}"><title>{escape(LEGEND[key])}: {value:,}'
                       '</title></rect>')
            x += w
        percent = 100 * row.reported / row.with_kpis
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}">{percent:.0f}%</text>')
    out.append("</svg>")
    return "".join(out)


def option_bars(options: Sequence[tuple[str, int]], total: int, width: int = 760,
                label: str = "จำนวนคำตอบแต่ละตัวเลือก") -> str:
    """Form results: one bar per option, its count of `total` submissions."""
    label_w, bar_w, row_h = 360, width - 360 - 80, 24
    height = 10 + row_h * max(len(options), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart" aria-label="{escape(label)}" '
           f'font-family="sans-serif" font-size="13"><title>{escape(label)}</title>']
    for i, (option, count) in enumerate(options):
        y = 5 + i * row_h
        name = option if len(option) <= 45 else option[:44] + "…"
        w = bar_w * count / total if total else 0
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end"><title>'
                   f'{escape(option)}</title>{escape(name)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" '
                   f'height="{row_h - 8}" fill="#eceff1"/>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" '
                   f'height="{row_h - 8}" fill="#1565c0"/>'
                   f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{count:,}</text>')
    out.append("</svg>")
    return "".join(out)


BAND_COLOURS = {"ดีเด่น": "#1b5e20", "ดีมาก": "#2e7d32", "ดี": "#1565c0", "พอใช้": "#ef6c00",
                "ต้องปรับปรุง": "#c62828"}


def band_bars(counts: Sequence[tuple[str, int]], width: int = 460) -> str:
    """The round's results per band (best first): one bar per band, its count and share
    (narrow, so that a phone shows it at a readable size)."""
    total = sum(count for _band, count in counts)
    label_w, bar_w, row_h = 100, width - 100 - 100, 30
    height = 10 + row_h * max(len(counts), 1)
    summary = ", ".join(f"{band} {count:,} คน" for band, count in counts)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart" aria-label="การกระจายระดับผลการประเมิน" '
           'font-family="sans-serif" font-size="14"><title>การกระจายระดับผลการประเมิน</title>'
           f'<desc>{escape(summary)}</desc>']
    for i, (band, count) in enumerate(counts):
        y = 5 + i * row_h
        w = bar_w * count / total if total else 0
        share = 100 * count / total if total else 0
        out.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" fill="#1f2933">'
                   f'{escape(band)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" '
                   'fill="#eceff1"/>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                   f'fill="{BAND_COLOURS.get(band, "#1565c0")}"/>'
                   f'<text x="{label_w + bar_w + 6}" y="{y + 18}" fill="#1f2933">'
                   f'{count:,} ({share:.0f}%)</text>')
    out.append("</svg>")
    return "".join(out)


def _short(day: date) -> str:
    """`1 ต.ค.`: the day and month, for an axis (the year is in the table beside)."""
    return f"{day.day} {ABBR_MONTHS[day.month - 1]}"


def timeline(unit: UnitTimeline, width: int = 260, height: int = 110) -> str:
    """A small line chart: the share (0–100%) of the unit's officers with KPIs who had
    reported by each week of the round."""
    left, right, top, bottom = 34, 10, 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    total = unit.with_kpis or 1
    n = len(unit.points)
    coords = []
    for i, (_day, count) in enumerate(unit.points):
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w)
        y = top + plot_h * (1 - count / total)
        coords.append((x, y))
    last = unit.points[-1][1] if unit.points else 0
    label = (f"{unit.name}: รายงานแล้ว {last:,} จาก {unit.with_kpis:,} คน "
             f"({100 * last / total:.0f}%)")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart spark" aria-label="{escape(label)}" '
           f'font-family="sans-serif" font-size="11"><title>{escape(label)}</title>'
           '<desc>สัดส่วนผู้ที่รายงานแล้วสะสม รายสัปดาห์ตั้งแต่เริ่มรอบ</desc>'
           f'<line x1="{left}" y1="{top}" x2="{left + plot_w}" y2="{top}" stroke="#d9e2ec"/>'
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           'stroke="#9fb3c8"/>'
           f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="#3e4c59">100%</text>'
           f'<text x="{left - 4}" y="{top + plot_h + 4}" text-anchor="end" '
           'fill="#3e4c59">0%</text>']
    if unit.points:
        out.append(f'<text x="{left}" y="{height - 6}" fill="#3e4c59">'
                   f'{escape(_short(unit.points[0][0]))}</text>'
                   f'<text x="{left + plot_w}" y="{height - 6}" text-anchor="end" fill="#3e4c59">'
                   f'{escape(_short(unit.points[-1][0]))}</text>')
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1565c0" stroke-width="2"/>')
        x, y = coords[-1]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1565c0"/>')
    out.append("</svg>")
    return "".join(out)
