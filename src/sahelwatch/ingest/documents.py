"""Document intake: plain text, HTML, RSS/Atom feeds and folders of them → ``sahelwatch.model.Document``.

    from sahelwatch.ingest.documents import read_document, read_documents
    doc = read_document("report.html", published="2020-04-03")
    docs = read_documents("feeds/")                 # a folder (recursive), a feed (one Document per item)

A URL (``https://…``) or a file that lists URLs (one per line, ``#`` comments allowed) is fetched page by
page (``ingest.web.fetch_page``: httpx, a timeout, 5 MB at most, web pages, feeds and text only); a URL that
fails is reported with its reason and skipped. ``fetch=False`` refuses URLs instead (no network use at all);
``fetch=<httpx.Client>`` uses that client (tests give one with a mock transport).

Each document is cleaned of web clutter (patterns in ``data/clutter.yaml``), gets its publication
date and bylines from metadata or, failing that, from the body (a line such as "3 April 2020", a
leading "By Jane Doe and John Roe –" or "Par ..."), its language (English and French are
supported; others are reported in ``meta['language_supported']``) and a stable id (a hash of the
cleaned text). Glued tokens ("MaliNiger") are repaired when a ``split_glued`` callable is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..extract.clutter import strip_clutter
from ..extract.dates import parse_standalone_date
from ..extract.language import detect_language
from ..extract.nlp import PART_CHARS, paragraph_parts
from ..model import Document
from ..model import as_date as _as_date
from .web import fetch_page, is_url

MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".php", ".asp", ".aspx"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
SKIP_NAMES = {".ds_store", "thumbs.db"}

SplitGlued = Callable[[str], Any]

__all__ = [
    "read_document",
    "read_documents",
    "iter_documents",
    "document_from_text",
    "find_bylines",
    "find_dateline",
    "repair_glued",
    "document_id",
    "Skipped",
    "MAX_BYTES",
    "paragraph_parts",
    "PART_CHARS",
]


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was refused while reading many (``iter_documents``): where and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# long documents are read in parts: extract.nlp.paragraph_parts (the parser's limit), re-exported here


# --------------------------------------------------------------------------------------------
# small helpers


def document_id(text: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the whitespace-normalised text."""
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


TABULAR_SUFFIXES = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".tab": "TSV",
    ".xlsx": "XLSX",
    ".xlsm": "XLSX",
    ".xls": "XLS",
    ".ods": "ODS",
    ".parquet": "Parquet",
    ".gpkg": "GeoPackage",
    ".dbf": "DBF",
    ".shp": "Shapefile",
}
MAX_PDF_BYTES = 50 * 1024 * 1024


def _dataset_error(name: str, kind: str) -> InputError:
    return InputError(
        f"{name}: this is a dataset ({kind}), not a report; use `sahelwatch import acled` "
        "(or `import ucdp`) to load it"
    )


def _tabular_kind(data: bytes, suffix: str) -> str | None:
    """'CSV', 'TSV', 'XLSX'… when the bytes are a table (by extension or by content), else None."""
    if suffix in TABULAR_SUFFIXES:
        return TABULAR_SUFFIXES[suffix]
    if data[:4] == b"PK\x03\x04" and (b"xl/" in data[:4096] or b"[Content_Types].xml" in data[:4096]):
        return "XLSX" if b"xl/" in data[:65536] else None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "XLS"
    if data[:4] == b"PAR1":
        return "Parquet"
    head = data[:65536].decode("utf-8", "replace")
    lines = [ln for ln in head.splitlines()[:12] if ln.strip()]
    if len(lines) < 3:
        return None
    if len(lines) == 12 or len(head) == 65536:
        lines = lines[:-1]  # the last line may be cut
    import csv as _csv

    for delim, kind in ((",", "CSV"), ("\t", "TSV"), (";", "CSV")):
        try:
            widths = [len(r) for r in _csv.reader(lines, delimiter=delim)]
        except _csv.Error:
            continue
        # a table: every line splits into the same number (>= 4) of fields; prose does not
        if min(widths) >= 4 and len(set(widths)) == 1:
            return kind
    return None


def _pdf_text(data: bytes, name: str) -> str:
    """The text of a PDF's pages (pypdf), pages separated by blank lines."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise InputError(f"{name}: an encrypted PDF; save an unprotected copy first") from None
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except InputError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
        ZeroDivisionError,
    ) as exc:
        raise InputError(f"{name}: cannot read this PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise InputError(f"{name}: a PDF without a text layer ({len(pages)} pages; a scan?): run OCR first")
    return text


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: empty input, nothing to read")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary data (NUL bytes), not a text, HTML or feed file")
    if (
        data[:4] in (b"%PDF", b"PK\x03\x04")
        or data[:3] == b"\xff\xd8\xff"
        or data[:8] == b"\x89PNG\r\n\x1a\n"
    ):
        raise InputError(f"{name}: a binary file (PDF, archive or image); convert it to text first")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; latin-1 decodes everything
        text = data.decode("latin-1")
    sample = text[:8192]
    ctrl = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and ctrl / len(sample) > 0.02:
        raise InputError(
            f"{name}: does not look like text ({ctrl} control characters in the first {len(sample)})"
        )
    if not text.strip():
        raise InputError(f"{name}: empty input, nothing to read")
    return text


def _sniff(text: str, suffix: str) -> str:
    head = text.lstrip()[:2000].lower()
    if suffix in FEED_SUFFIXES or head.startswith("<?xml"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
        if suffix in FEED_SUFFIXES and "<html" not in head:
            return "feed"
    if suffix in HTML_SUFFIXES or head.startswith("<!doctype html") or "<html" in head:
        return "html"
    if re.search(r"<(p|div|body|article|span|br)\b[^>]*>", head):
        return "html"
    return "text"


_URL_LINE = re.compile(r"^\s*(https?|ftp)://\S+\s*$", re.IGNORECASE)


def _is_url_list(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(lines) and sum(bool(_URL_LINE.match(ln)) for ln in lines) / len(lines) >= 0.8


# --------------------------------------------------------------------------------------------
# bylines, datelines, glued tokens

_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?:\s+(?:[A-ZÀ-Ý][\w'’.-]+|de|du|des|da|van|von|der|ben|bin|ould|ag|al-[A-Z][\w'-]+)){0,4}"
_BYLINE = re.compile(
    rf"^(?P<lead>(?:By|BY|Par|PAR)\s+(?P<names>{_NAME}(?:\s*(?:,|\band\b|\bet\b|&)\s*{_NAME})*))"
    r"(?P<tail>\s*(?:[–—|-]\s*|,\s*(?=[a-zà-ÿ])|$|\n))",
    re.UNICODE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|\bet\b|&)\s*")
_NOT_NAME = {"the", "le", "la", "les", "a", "an", "un", "une", "reuters", "afp", "ap"}


def find_bylines(text: str) -> tuple[list[str], tuple[int, int] | None]:
    """Author names of a byline at the start of a line ("By A and B –", "Par A et B").

    Returns the names and the (start, end) span of the byline prefix to drop, or ([], None).
    Only the first 1,500 characters are searched: a byline is near the top.
    """
    for m in re.finditer(r"(?m)^", text[:1500]):
        line_start = m.start()
        bm = _BYLINE.match(text, line_start)
        if not bm:
            continue
        names = [n.strip() for n in _NAME_SPLIT.split(bm.group("names")) if n.strip()]
        names = [n for n in names if n.split()[0].lower() not in _NOT_NAME and len(n.split()) >= 2]
        if names:
            return names, (bm.start(), bm.end())
    return [], None


#: a news-agency dateline opening a paragraph: "Ouagadougou, 14 mars 2023 (AFP) - ", "NIAMEY, Niger, 3 April 2020 -"
_WIRE_DATELINE = re.compile(
    r"(?m)^(?P<place>[A-ZÀ-Ý][\w'’.-]+(?:[ -][A-ZÀ-Ý][\w'’.-]+){0,3})(?:\s*,\s*[A-ZÀ-Ý][\w'’.-]+(?:\s[A-ZÀ-Ý][\w'’.-]+)?)?"
    r"\s*,\s*(?P<date>[\w .,/]{6,40}?)\s*(?:\((?P<agency>[A-Z][\w .-]{1,20})\)\s*)?[-–—]+\s+"
)


def find_dateline(text: str, lang: str | None = None) -> tuple[dt.date | None, tuple[int, int] | None]:
    """A line that is only a date ("3 April 2020", "April 3, 2020", "Publié le 3 avril 2020"), else a news
    agency's dateline opening a paragraph ("Ouagadougou, 14 mars 2023 (AFP) - Au moins..."): the date and the
    span to drop (the whole line; for an agency dateline, the prefix up to the dash). Years are required."""
    pos = 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s and len(s) <= 60:
            d = parse_standalone_date(s, lang=lang)
            if d is not None:
                return d, (pos, pos + len(line))
        pos += len(line)
    for m in _WIRE_DATELINE.finditer(text[:2000]):
        d = parse_standalone_date(m.group("date"), lang=lang)
        if d is not None:
            return d, (m.start(), m.end())
    return None, None


_GLUED = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+)+\b")


def repair_glued(text: str, split_glued: SplitGlued | None) -> tuple[str, list[tuple[str, str]]]:
    """Apply ``split_glued`` to CamelCase-glued tokens ("MaliNiger").

    ``split_glued(token)`` returns None (or the token itself) when it cannot split, else the parts
    (a sequence of names, joined here with ", ") or the replacement string.
    """
    if split_glued is None:
        return text, []
    repairs: list[tuple[str, str]] = []

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0)
        try:
            parts = split_glued(tok)
        except Exception:  # a faulty hook must not lose the document
            return tok
        if not parts or parts == tok:
            return tok
        new = parts if isinstance(parts, str) else ", ".join(str(p) for p in parts)
        if new != tok:
            repairs.append((tok, new))
        return new

    return _GLUED.sub(fix, text), repairs


# --------------------------------------------------------------------------------------------
# HTML and feeds


def _html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata of an HTML page. Never raises on broken markup."""
    meta: dict[str, Any] = {}
    text: str | None = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=False, favor_precision=False, with_metadata=True
        )
        if doc is not None:
            get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
            text = get("text")
            for key in ("title", "author", "date", "url", "sitename"):
                v = get(key)
                if v:
                    meta[key] = v
    except Exception as exc:  # trafilatura can choke on pathological markup
        meta["html_warning"] = f"trafilatura failed: {type(exc).__name__}"
    if not text or not text.strip():
        text = _html_fallback(html)
        meta["html_extractor"] = "fallback"
    else:
        meta["html_extractor"] = "trafilatura"
        title = meta.get("title")
        if title and text.startswith(title.strip()):
            text = text[len(title.strip()) :].lstrip("\n")  # the headline is kept in Document.title
    return text or "", meta


def _html_fallback(html: str) -> str:
    try:
        import lxml.html
        from lxml_html_clean import Cleaner

        tree = lxml.html.fromstring(html)
        tree = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True).clean_html(tree)
        for el in tree.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "article", "section"):
            el.tail = ("\n" + el.tail) if el.tail else "\n"
        out = re.sub(r"\n\s*\n+", "\n\n", tree.text_content()).strip()
        if not re.search(r"<[a-zA-Z/][^>]{0,200}>", out):
            return out
    except Exception:
        pass
    # markup so broken that the tree swallowed it (e.g. an unclosed <title>): strip tags by pattern
    import html as html_mod

    stripped = re.sub(r"(?is)<(script|style)\b.*?(?:</\1>|$)", " ", html)
    stripped = re.sub(r"(?is)<title\b[^>]*>[^<]*", " ", stripped)  # the page title is not body text
    stripped = re.sub(r"(?s)<[^>]*>", "\n", stripped)
    return re.sub(r"\n\s*\n+", "\n\n", html_mod.unescape(stripped)).strip()


def _parse_feed(data: str, name: str) -> list[dict[str, Any]]:
    import feedparser
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data.encode("utf-8") if isinstance(data, str) else data)
    except DefusedXmlException as exc:
        raise InputError(
            f"{name}: refused feed with unsafe XML ({type(exc).__name__}: entities or external references)"
        ) from exc
    except Exception:
        pass  # malformed XML: feedparser is lenient and recovers what it can
    parsed = feedparser.parse(data)
    if not parsed.entries:
        raise InputError(
            f"{name}: a feed with no items" + (f" ({parsed.bozo_exception})" if parsed.get("bozo") else "")
        )
    items = []
    for e in parsed.entries:
        body = ""
        if e.get("content"):
            body = "\n\n".join(c.get("value", "") for c in e["content"])
        body = body or e.get("summary", "") or e.get("description", "")
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            t = e.get(key)
            if t:
                published = dt.date(t.tm_year, t.tm_mon, t.tm_mday)
                break
        authors = [a.get("name") for a in e.get("authors", []) if a.get("name")] or (
            [e["author"]] if e.get("author") else []
        )
        items.append(
            {
                "title": e.get("title"),
                "body": body,
                "published": published,
                "url": e.get("link"),
                "authors": authors,
                "source": parsed.feed.get("title"),
            }
        )
    return items


# --------------------------------------------------------------------------------------------
# building a Document


def document_from_text(
    text: str,
    *,
    published: Any = None,
    lang: str | None = None,
    title: str | None = None,
    url: str | None = None,
    bylines: Sequence[str] | None = None,
    source: str | None = None,
    path: str | None = None,
    split_glued: SplitGlued | None = None,
    meta: dict[str, Any] | None = None,
    name: str = "<text>",
) -> Document:
    """Clean plain text (clutter, byline, dateline, glued tokens) and wrap it as a Document."""
    meta = dict(meta or {})
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    clean, removed = strip_clutter(text)
    if removed:
        meta["clutter_removed"] = [{"line": r.line, "rule": r.pattern_id} for r in removed]
    names, span = find_bylines(clean)
    if span:
        meta["byline"] = clean[span[0] : span[1]].strip(" –—|-\n")
        clean = clean[: span[0]] + clean[span[1] :]
    found_date, dspan = find_dateline(clean, lang=lang)
    if dspan:
        meta["dateline"] = clean[dspan[0] : dspan[1]].strip()
        clean = clean[: dspan[0]] + clean[dspan[1] :]
    clean = re.sub(r"\n{3,}", "\n\n", clean).strip()
    clean, repairs = repair_glued(clean, split_glued)
    if repairs:
        meta["glued_repaired"] = [{"token": a, "replacement": b} for a, b in repairs]
    if not clean.strip():
        raise InputError(f"{name}: no text left after removing web clutter")
    pub = _as_date(published, "published")
    if pub is not None:
        meta["published_source"] = "given"
    elif found_date is not None:
        pub = found_date
        meta["published_source"] = "body"
    if lang:
        meta["language_method"] = "given"
        language = lang
        meta["language_supported"] = lang in ("en", "fr")
    else:
        guess = detect_language(clean)
        language = guess.code
        meta["language_probability"] = round(guess.probability, 3)
        meta["language_method"] = guess.method
        meta["language_supported"] = guess.supported
    if not meta["language_supported"]:
        meta["warning"] = (
            f"language {language or 'unknown'!s} is not supported (English and French are); not coded"
        )
    authors = list(bylines or []) or names
    return Document(
        id=document_id(clean),
        text=clean,
        title=title,
        url=url,
        published=pub,
        language=language,
        bylines=authors,
        source=source,
        path=path,
        meta=meta,
    )


def _documents_from_file(
    path: Path, *, published, lang, split_glued, fetch: Any = True, skipped: list | None = None
) -> list[Document]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise InputError(f"{name}: empty file, nothing to read")
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head[:5] == b"%PDF-" or suffix == ".pdf":
        if size > MAX_PDF_BYTES:
            raise InputError(f"{name}: {size / 1e6:.1f} MB is over the 50 MB limit for one PDF; split it")
        if head[:5] != b"%PDF-":
            raise InputError(f"{name}: named .pdf but is not a PDF file")
        text = _pdf_text(path.read_bytes(), name)
        return [
            document_from_text(
                text,
                published=published,
                lang=lang,
                path=name,
                split_glued=split_glued,
                meta={"format": "pdf"},
                name=name,
            )
        ]
    kind = _tabular_kind(head, suffix)
    if kind is not None:
        raise _dataset_error(name, kind)
    if size > MAX_BYTES:
        raise InputError(f"{name}: {size / 1e6:.1f} MB is over the 5 MB limit for one document; split it")
    text = _decode(path.read_bytes(), name)
    return _documents_from_string(
        text,
        suffix=path.suffix.lower(),
        name=name,
        path=name,
        published=published,
        lang=lang,
        split_glued=split_glued,
        fetch=fetch,
        skipped=skipped,
    )


def _documents_from_string(
    text: str,
    *,
    suffix: str,
    name: str,
    path: str | None,
    published,
    lang,
    split_glued,
    fetch: Any = True,
    skipped: list | None = None,
) -> list[Document]:
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise InputError(f"{name}: over the 5 MB limit for one document; split it")
    if _is_url_list(text):
        if fetch is False:
            raise InputError(
                f"{name}: this is a list of URLs and fetching is off; download the pages and pass "
                "the saved files or their folder, or allow fetching"
            )
        urls = [ln.strip() for ln in text.splitlines() if _URL_LINE.match(ln)]
        docs: list[Document] = []
        for u in dict.fromkeys(urls):
            try:
                docs.extend(
                    _documents_from_url(
                        u, published=published, lang=lang, split_glued=split_glued, fetch=fetch
                    )
                )
            except InputError as exc:
                if skipped is None:
                    raise
                skipped.append(Skipped(u, str(exc).split(": ", 1)[-1]))
        if not docs and skipped is None:
            raise InputError(f"{name}: none of its {len(urls)} URLs gave a document")
        return docs
    kind = _sniff(text, suffix)
    if kind == "feed":
        docs = []
        for i, item in enumerate(_parse_feed(text, name), start=1):
            body, hmeta = _html_to_text(item["body"]) if "<" in item["body"] else (item["body"], {})
            if not body.strip():
                continue
            try:
                docs.append(
                    document_from_text(
                        body,
                        published=published or item["published"],
                        lang=lang,
                        title=item["title"],
                        url=item["url"],
                        bylines=item["authors"],
                        source=item["source"],
                        path=path,
                        split_glued=split_glued,
                        meta={"format": "feed", "item": i, **hmeta},
                        name=f"{name} item {i}",
                    )
                )
            except InputError:
                continue
        if not docs:
            raise InputError(f"{name}: no feed item has any text")
        return docs
    meta: dict[str, Any] = {"format": kind}
    title = url = None
    bylines: list[str] = []
    if kind == "html":
        text, hmeta = _html_to_text(text)
        meta.update(hmeta)
        title, url = hmeta.get("title"), hmeta.get("url")
        if hmeta.get("author"):
            bylines = [a.strip() for a in re.split(r";|\band\b|,", hmeta["author"]) if a.strip()]
        if published is None and hmeta.get("date"):
            try:
                meta_date = _as_date(hmeta["date"])
            except InputError:
                meta_date = None
            if meta_date is not None:
                return [
                    _with_source(
                        document_from_text(
                            text,
                            published=meta_date,
                            lang=lang,
                            title=title,
                            url=url,
                            bylines=bylines,
                            path=path,
                            split_glued=split_glued,
                            meta=meta,
                            name=name,
                        ),
                        "metadata",
                    )
                ]
        if not text.strip():
            raise InputError(f"{name}: HTML page without readable text")
    return [
        document_from_text(
            text,
            published=published,
            lang=lang,
            title=title,
            url=url,
            bylines=bylines,
            path=path,
            split_glued=split_glued,
            meta=meta,
            name=name,
        )
    ]


def _documents_from_url(url: str, *, published, lang, split_glued, fetch: Any = True) -> list[Document]:
    """The documents of one web page or feed (fetched with ``ingest.web.fetch_page``)."""
    if fetch is False:
        raise InputError(f"{url}: a URL, and fetching is off")
    page = fetch_page(url, client=None if fetch is True else fetch)
    docs = _documents_from_string(
        page.text,
        suffix=page.suffix,
        name=url,
        path=None,
        published=published,
        lang=lang,
        split_glued=split_glued,
        fetch=False,
    )
    for d in docs:
        d.url = d.url or page.final_url
        d.meta.update({"fetched_from": url, "fetched_at": page.fetched_at, "content_type": page.content_type})
    return docs


def _with_source(doc: Document, how: str) -> Document:
    doc.meta["published_source"] = how
    return doc


def _looks_like_path(s: str) -> bool:
    if not s.strip() or len(s) >= 4096 or "\n" in s or "<" in s:
        return False
    try:
        return Path(s).exists()
    except (OSError, ValueError):  # "File name too long", embedded NUL: it is text, not a path
        return False


def _iter_files(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if (
            p.is_file()
            and p.name.lower() not in SKIP_NAMES
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        ):
            yield p


def iter_documents(
    sources: str | Path | bytes | Iterable[str | Path],
    *,
    published: Any = None,
    lang: str | None = None,
    split_glued: SplitGlued | None = None,
    skipped: list[Skipped] | None = None,
    fetch: Any = True,
) -> Iterator[Document]:
    """Documents from paths (files, folders recursively, feeds, URL lists), URLs or text; bad inputs are
    skipped.

    Each refused input (a file, a URL of a list) is appended to ``skipped`` (when given) with its reason,
    and reading goes on. ``fetch``: see the module docstring.
    """
    if isinstance(sources, (str, Path, bytes)):
        sources = [sources]
    for src in sources:
        if isinstance(src, str) and is_url(src):
            try:
                yield from _documents_from_url(
                    src.strip(), published=published, lang=lang, split_glued=split_glued, fetch=fetch
                )
            except InputError as exc:
                if skipped is None:
                    raise
                skipped.append(Skipped(src.strip(), str(exc).split(": ", 1)[-1]))
            continue
        if isinstance(src, Path) or (isinstance(src, str) and _looks_like_path(src)):
            p = Path(src)
            files = list(_iter_files(p)) if p.is_dir() else [p]
            if p.is_dir() and not files:
                if skipped is not None:
                    skipped.append(Skipped(str(p), "folder without files"))
                continue
            for f in files:
                try:
                    yield from _documents_from_file(
                        f,
                        published=published,
                        lang=lang,
                        split_glued=split_glued,
                        fetch=fetch,
                        skipped=skipped,
                    )
                except InputError as exc:
                    if skipped is None:
                        raise
                    skipped.append(Skipped(str(f), str(exc).split(": ", 1)[-1]))
        else:
            try:
                yield from read_documents(
                    src, published=published, lang=lang, split_glued=split_glued, fetch=fetch
                )
            except InputError as exc:
                if skipped is None:
                    raise
                skipped.append(Skipped("<text>", str(exc).split(": ", 1)[-1]))


def read_documents(
    path_or_text: str | Path | bytes,
    *,
    published: Any = None,
    lang: str | None = None,
    split_glued: SplitGlued | None = None,
    fetch: Any = True,
) -> list[Document]:
    """All documents of one input: a file, a feed (one per item), a folder (recursive), a URL or a URL list
    (fetched), or a text.

    Raises InputError naming the input when it is empty, binary, over 5 MB or not text, or naming the URL
    that could not be fetched. In a folder or a URL list, bad inputs raise too; use
    ``iter_documents(..., skipped=[])`` to skip and report them.
    """
    if isinstance(path_or_text, str) and is_url(path_or_text):
        return _documents_from_url(
            path_or_text.strip(), published=published, lang=lang, split_glued=split_glued, fetch=fetch
        )
    if isinstance(path_or_text, bytes):
        text = _decode(path_or_text, "<bytes>")
        return _documents_from_string(
            text,
            suffix="",
            name="<bytes>",
            path=None,
            published=published,
            lang=lang,
            split_glued=split_glued,
        )
    if isinstance(path_or_text, Path) and not path_or_text.exists():
        raise InputError(f"{path_or_text}: no such file or folder")
    if isinstance(path_or_text, Path) or _looks_like_path(str(path_or_text)):
        p = Path(path_or_text)
        if p.is_dir():
            docs: list[Document] = []
            for f in _iter_files(p):
                docs.extend(
                    _documents_from_file(
                        f, published=published, lang=lang, split_glued=split_glued, fetch=fetch
                    )
                )
            if not docs:
                raise InputError(f"{p}: folder without readable files")
            return docs
        return _documents_from_file(p, published=published, lang=lang, split_glued=split_glued, fetch=fetch)
    text = str(path_or_text)
    if len(text) < 300 and "\n" not in text and re.search(r"\.(txt|html?|xml|rss|atom|md)$", text):
        raise InputError(f"{text}: no such file")
    if not text.strip():
        raise InputError("<text>: empty input, nothing to read")
    return _documents_from_string(
        text, suffix="", name="<text>", path=None, published=published, lang=lang, split_glued=split_glued
    )


def read_document(
    path_or_text: str | Path | bytes,
    *,
    published: Any = None,
    lang: str | None = None,
    split_glued: SplitGlued | None = None,
    fetch: Any = True,
) -> Document:
    """One Document from a file path, raw text/HTML, or bytes.

    ``published`` (date or YYYY-MM-DD) overrides the page's own date; ``lang`` ("en"/"fr") skips
    detection; ``split_glued(token)`` repairs tokens glued by scraping. Inputs that hold several
    documents (a feed with several items, a folder) raise InputError: use ``read_documents``.
    """
    docs = read_documents(path_or_text, published=published, lang=lang, split_glued=split_glued, fetch=fetch)
    if len(docs) != 1:
        where = (
            str(path_or_text)
            if isinstance(path_or_text, Path) or _looks_like_path(str(path_or_text))
            else "<text>"
        )
        raise InputError(f"{where}: holds {len(docs)} documents; use read_documents() to get them all")
    return docs[0]
