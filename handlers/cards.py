"""The pieces every Flex card is made of: a titled bubble, label/value rows, numbers in Thai
style."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

GREEN, GREY, DARK = "#06C755", "#888888", "#111111"


def number(value: Decimal | int | float | str) -> str:
    """`Decimal('2000.00')` → `2,000`; `Decimal('4.50')` → `4.5`."""
    d = Decimal(str(value))
    return f"{d:,.2f}".rstrip("0").rstrip(".")


def row(label: str, value: str, *, bold: bool = False) -> dict[str, Any]:
    """One `label   value` line of a card."""
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": label, "size": "sm", "color": GREY, "flex": 3, "wrap": True},
        {"type": "text", "text": value or "-", "size": "sm", "color": DARK, "flex": 5,
         "wrap": True, **({"weight": "bold"} if bold else {})}]}


def heading(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text or "-", "weight": "bold", "size": "sm", "wrap": True}


def bubble(title: str, subtitle: str, rows: list[dict[str, Any]],
           footer: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A bubble with a green header (title, subtitle), the rows, and optional footer buttons."""
    card: dict[str, Any] = {
        "type": "bubble", "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": GREEN,
                   "paddingAll": "12px", "contents": [
                       {"type": "text", "text": title, "weight": "bold", "color": "#FFFFFF",
                        "wrap": True},
                       {"type": "text", "text": subtitle or "-", "size": "xs", "color": "#FFFFFF",
                        "wrap": True}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "md",
                 "contents": rows or [{"type": "text", "text": "-", "color": GREY}]}}
    if footer:
        card["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "style": "primary" if i == 0 else "secondary", "height": "sm",
             "action": action} for i, action in enumerate(footer)]}
    return card
