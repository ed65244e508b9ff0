"""Charts as server-rendered SVG (no scripts, no internet): stacked bars per unit."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.console.data import UnitRow

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
           'aria-label="ความคืบหน้าการรายงานรายหน่วยงาน" font-family="sans-serif" font-size="13">']
    x: float = label_w
    for key, text in LEGEND.items():
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[key]}"/>'
                   f'<text x="{x + 16}" y="15">{escape(text)}</text>')
        x += 150
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


def option_bars(options: Sequence[tuple[str, int]], total: int, width: int = 760) -> str:
    """Form results: one bar per option, its count of `total` submissions."""
    label_w, bar_w, row_h = 360, width - 360 - 80, 24
    height = 10 + row_h * max(len(options), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart" font-family="sans-serif" font-size="13">']
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
