"""HTML → PDF with WeasyPrint, in Sarabun, with nothing fetched from the network.

WeasyPrint is imported only when a PDF is asked for: it needs Pango (Debian's libpango-1.0-0 and
libpangoft2-1.0-0). Where it or Pango cannot load, `PdfUnavailable` says in Thai what is missing
and everything else of the app keeps working. Fonts are the Sarabun files of `fontpkg-sarabun`
(the rich menu's), given to WeasyPrint by @font-face with file:// URLs; the fetcher refuses any
other URL, so a document never reaches the network nor reads another file.

Many documents of one kind are laid out as one HTML document (one section per person, each
starting on a new page) and written out per person as a subset of its pages (`render_many`):
the layout and the fonts are set up once, not once per officer.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
LEAN_DEFAULTS = True  # False: WeasyPrint's full default sheet (bench/pdf_profile.py --full-ua)
UA_CSS = Path(__file__).resolve().parent / "ua.css"
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(RuntimeError):
    """The PDF engine cannot run on this machine; `th` says what is missing, in Thai."""

    def __init__(self, th: str) -> None:
        super().__init__(th)
        self.th = th


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals["font_urls"] = font_urls
    return env


def html_of(template: str, **context: Any) -> str:
    """A document's HTML from its template (autoescaped: what people typed stays text)."""
    return _environment().get_template(template).render(**context)


@cache
def font_urls() -> dict[str, str]:
    """file:// URLs of Sarabun regular and bold (PdfUnavailable when the font is missing)."""
    from bot.richmenu import ThaiFontMissing, sarabun_path

    try:
        return {"regular": sarabun_path(400).as_uri(), "bold": sarabun_path(700).as_uri()}
    except ThaiFontMissing as exc:
        raise PdfUnavailable("ระบบยังสร้างไฟล์ PDF ไม่ได้: ไม่พบฟอนต์ Sarabun "
                             "(pip install fontpkg-sarabun)") from exc


def engine() -> Any:
    """The weasyprint module, imported now; PdfUnavailable (in Thai) when it cannot load."""
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable("ระบบยังสร้างไฟล์ PDF ไม่ได้: ไม่ได้ติดตั้ง WeasyPrint "
                             "(pip install -r requirements.txt)") from exc
    except OSError as exc:  # cffi could not open libpango / libpangoft2 / libgobject
        raise PdfUnavailable("ระบบยังสร้างไฟล์ PDF ไม่ได้: เครื่องนี้ไม่มี Pango "
                             f"({PANGO_PACKAGES}) ให้ผู้ดูแลระบบติดตั้งด้วย apt-get install "
                             f"{PANGO_PACKAGES}") from exc
    return weasyprint


def available() -> str | None:
    """None when PDFs can be made here, otherwise the Thai reason why not."""
    try:
        engine()
        font_urls()
    except PdfUnavailable as exc:
        return exc.th
    return None


def _fetcher(weasyprint: Any) -> Any:
    allowed = set(font_urls().values())

    class FontsOnly(weasyprint.URLFetcher):
        """Only the Sarabun files: no http(s), no other local file."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=("file",))


@cache
def _html_class() -> Any:
    """WeasyPrint's HTML with only the browser defaults our templates use (ua.css): the full
    default sheet's hundreds of selectors, matched against every element, were a large part of
    the cascade. `_ua_stylesheets` is WeasyPrint's own hook for it (pinned at 70)."""
    weasyprint = engine()
    lean = weasyprint.CSS(filename=str(UA_CSS))
    base: Any = weasyprint.HTML  # a module imported at run time: no static type here

    class LeanHTML(base):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean]

    return LeanHTML


def _document(page_html: str) -> Any:
    weasyprint = engine()
    html = _html_class() if LEAN_DEFAULTS else weasyprint.HTML
    return html(string=page_html, base_url=TEMPLATES.as_uri() + "/",
                url_fetcher=_fetcher(weasyprint)).render()


def render_pdf(page_html: str) -> bytes:
    """One PDF from one HTML document."""
    return bytes(_document(page_html).write_pdf())


def render_many(page_html: str, keys: Sequence[str]) -> dict[str, bytes]:
    """One layout, one PDF per key: the section of key K starts with an element `id="doc-K"`
    on a new page and runs until the next key's section."""
    document = _document(page_html)
    owners: list[str | None] = []
    current: str | None = None
    for page in document.pages:
        starts = [anchor[4:] for anchor in page.anchors if anchor.startswith("doc-")]
        if starts:
            current = starts[0]
        owners.append(current)
    files: dict[str, bytes] = {}
    for key in keys:
        pages = [page for page, owner in zip(document.pages, owners, strict=True)
                 if owner == key]
        if pages:
            files[key] = bytes(document.copy(pages).write_pdf())
    return files
