"""The visual check of the official PDFs: a page is rendered to an image with pypdfium2 (a PyPI
wheel of PDFium, the engine of Chrome's PDF viewer) and read back: the Thai text is in the text
layer, every character is drawn with Sarabun (no fallback font, no missing glyph), vowels and
tone marks sit above or below their consonant, and the page is not blank.

The text layer is compared without the marks above and below the line: a PDF maps each glyph to
one text, and WeasyPrint (through HarfBuzz) draws ำ as ํ + า and some marks as positioned
variants that PDFium reads out of order or names by their shape (a spacing modifier letter,
U+02B0–U+02FF). So the letters on the line are compared in order, and every mark is checked
where it is drawn: above or below a letter it overlaps, on the same line.
Set PDF_PNG_DIR to keep the rendered pages as PNG files to look at.
"""
from __future__ import annotations

import ctypes
import os
import unicodedata
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from fontTools.ttLib import TTFont

from bot.richmenu import sarabun_path

UPPER = {chr(c) for c in (0x0E31, *range(0x0E34, 0x0E38), *range(0x0E47, 0x0E4F))}
LOWER = {chr(c) for c in range(0x0E38, 0x0E3B)}


MODIFIERS = {chr(c) for c in range(0x02B0, 0x0300)}


def letters(text: str) -> str:
    """The text without the marks above and below the line, spaces collapsed."""
    flat = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in flat if c not in UPPER | LOWER | MODIFIERS).split())


@cache
def sarabun_chars() -> frozenset[str]:
    chars: set[str] = set()
    for weight in (400, 700):
        chars |= {chr(code) for code in TTFont(str(sarabun_path(weight))).getBestCmap()}
    return frozenset(chars)


def _sits(char: str, mark: tuple[float, float, float, float],
          base: tuple[float, float, float, float]) -> bool:
    """A mark over (or under) this letter: overlapping it across, on its line, above (below)
    its middle."""
    left, bottom, right, top = mark
    b_left, b_bottom, b_right, b_top = base
    middle = (b_bottom + b_top) / 2
    if not (left < b_right and right > b_left) or abs(b_bottom - bottom) > 3 * (b_top - b_bottom):
        return False
    return bottom >= middle if char in UPPER else top <= middle


def page_count(body: bytes) -> int:
    return len(pdfium.PdfDocument(body))


def page_text(body: bytes, index: int = 0) -> str:
    return pdfium.PdfDocument(body)[index].get_textpage().get_text_range()


def check_page(body: bytes, expected: list[str], name: str, index: int = 0) -> str:
    """Assert the page is Thai, in Sarabun, laid out; returns its letters (see `letters`)."""
    assert body[:5] == b"%PDF-", body[:40]
    document = pdfium.PdfDocument(body)
    page = document[index]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    flat = letters(text)
    for wanted in expected:
        assert letters(wanted) in flat, (wanted, flat[:800])
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    fonts: set[str] = set()
    bases: list[tuple[float, float, float, float]] = []
    marks: list[tuple[str, tuple[float, float, float, float]]] = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if char.isspace() or not char.isprintable():
            continue
        if pdfium_c.FPDFText_GetFontSize(textpage.raw, i) < 4:
            continue  # the invisible 1 pt primer of the text layer (documents' base.html)
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
        fonts.add(buffer.value.decode().split("+", 1)[-1])
        box = textpage.get_charbox(i)
        if char in UPPER or char in LOWER:
            marks.append((char, box))
        elif "\u0e01" <= char <= "\u0e2e":  # a consonant
            bases.append(box)
    for char, box in marks:
        assert any(_sits(char, box, base) for base in bases), ("a mark not on a letter", char, box)
    assert marks, "no Thai marks on the page"
    assert fonts and all(font.startswith("Sarabun") for font in fonts), fonts
    missing = {c for c in flat if not c.isspace()} - sarabun_chars()
    assert not missing, missing  # no character Sarabun lacks (it would be a .notdef box)
    image = page.render(scale=1).to_pil().convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > image.width * image.height // 200, "a blank page"
    folder = os.environ.get("PDF_PNG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.render(scale=1.5).to_pil().save(Path(folder) / f"{name}-p{index + 1}.png")
    return flat
