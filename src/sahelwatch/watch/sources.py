"""Fetching one source: what it holds now, as ledger items (key, content hash, document or rows).

- ``feed``: one GET (conditional: If-None-Match / If-Modified-Since from the last answer); every item with text
  is a document keyed by its link.
- ``urls``: a list of URLs (a local file or a URL); each page fetched with a conditional GET of its own.
- ``folder``: a drop folder; every file (text, HTML, feeds, PDF) that is new or changed since the last look.
- ``acled``: the ACLED API, incrementally by ``timestamp`` (rows newer than the last one seen), with ACLED's
  list of deleted events since then.
- ``ucdp``: a UCDP GED CSV file, whenever its content changes.

A fetch never raises for a source's own trouble (HTTP errors, timeouts, unreadable files): it returns a
``Fetched`` with ``error`` set, and the cycle records it in the source's health.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..ingest.acled_api import AcledClient
from ..errors import InputError
from ..ingest import documents as docs_mod
from ..ingest.web import MAX_BYTES, USER_AGENT
from ..model import Document
from .config import Source

PDF_SUFFIXES = (".pdf",)


@dataclass
class Item:
    key: str
    content_hash: str
    kind: str  # document | acled | ucdp
    url: str | None = None
    document: Document | None = None
    payload: Any = None  # acled: {"rows": [...], "deleted": [...]}; ucdp: {"path": ...}


@dataclass
class Fetched:
    items: list[Item] = field(default_factory=list)
    not_modified: bool = False
    error: str | None = None
    state: dict[str, Any] = field(default_factory=dict)  # etag, last_modified, cursor to save on success
    messages: list[str] = field(default_factory=list)


def sha(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def document_to_json(doc: Document) -> str:
    return json.dumps(
        {
            "id": doc.id,
            "text": doc.text,
            "title": doc.title,
            "url": doc.url,
            "published": doc.published.isoformat() if doc.published else None,
            "language": doc.language,
            "bylines": list(doc.bylines),
            "source": doc.source,
            "path": doc.path,
            "meta": doc.meta,
        },
        ensure_ascii=False,
        default=str,
    )


def document_from_json(s: str) -> Document:
    d = json.loads(s)
    if d.get("published"):
        d["published"] = dt.date.fromisoformat(d["published"])
    return Document(**d)


def _client(src: Source) -> httpx.Client:
    return httpx.Client(follow_redirects=True, timeout=src.timeout, headers={"User-Agent": USER_AGENT})


def _get(client: httpx.Client, url: str, etag: str | None, last_modified: str | None):
    """A conditional GET: (status, body bytes, content type, etag, last_modified); raises InputError."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        r = client.get(url, headers=headers)
    except httpx.TimeoutException:
        raise InputError(f"{url}: no answer within {client.timeout.read or 0:.0f} s") from None
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: could not be fetched ({type(exc).__name__}: {exc})") from None
    if r.status_code == 304:
        return 304, b"", "", etag, last_modified
    if r.status_code >= 400:
        raise InputError(f"{url}: the server answered HTTP {r.status_code}")
    if len(r.content) > MAX_BYTES:
        raise InputError(f"{url}: over the 5 MB limit for one document")
    ctype = (r.headers.get("content-type") or "").split(";")[0].strip().lower()
    return r.status_code, r.content, ctype, r.headers.get("etag"), r.headers.get("last-modified")


def _suffix(ctype: str, url: str) -> str:
    if "html" in ctype:
        return ".html"
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        return ".xml"
    return Path(url.split("?", 1)[0]).suffix.lower() or ".txt"


def _docs_from_bytes(
    data: bytes, *, name: str, suffix: str, src: Source, path: str | None = None
) -> list[Document]:
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        return [_pdf_document(data, name=name, src=src, path=path)]
    text = docs_mod._decode(data, name)
    return docs_mod._documents_from_string(
        text,
        suffix=suffix,
        name=name,
        path=path,
        published=None,
        lang=src.lang,
        split_glued=None,
        fetch=False,
    )


def _pdf_document(data: bytes, *, name: str, src: Source, path: str | None) -> Document:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [p.extract_text() or "" for p in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{name}: not a readable PDF ({exc})") from None
    text = "\n\n".join(pages).strip()
    if not text:
        raise InputError(f"{name}: a PDF without a text layer (scanned?); run OCR first")
    title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    return docs_mod.document_from_text(
        text,
        lang=src.lang,
        title=str(title) if title else None,
        path=path,
        meta={"format": "pdf", "pages": len(pages)},
        name=name,
    )


def _doc_items(docs: list[Document], base_key: str) -> list[Item]:
    items, seen = [], set()
    for i, d in enumerate(docs, start=1):
        key = d.url or (base_key if len(docs) == 1 else f"{base_key}#{i}")
        if key in seen:
            key = f"{key}#{i}"
        seen.add(key)
        items.append(Item(key=key, content_hash=d.id, kind="document", url=d.url, document=d))
    return items


def fetch(src: Source, state: dict[str, Any]) -> Fetched:
    """What ``src`` holds now; ``state`` is its stored row (etag, last_modified, cursor)."""
    try:
        return {"feed": _feed, "urls": _urls, "folder": _folder, "acled": _acled, "ucdp": _ucdp}[src.kind](
            src, state
        )
    except InputError as exc:
        return Fetched(error=str(exc))


def _feed(src: Source, state: dict) -> Fetched:
    if src.path and not src.url:
        data = Path(src.path).read_bytes()
        h = sha(data)
        if h == state.get("cursor"):
            return Fetched(not_modified=True)
        return _feed_items(data, src, name=str(src.path), state={"cursor": h})
    with _client(src) as client:
        status, data, ctype, etag, lm = _get(client, src.url, state.get("etag"), state.get("last_modified"))
    if status == 304:
        return Fetched(not_modified=True, state={"etag": etag, "last_modified": lm})
    return _feed_items(data, src, name=src.url, state={"etag": etag, "last_modified": lm})


def _feed_items(data: bytes, src: Source, *, name: str, state: dict) -> Fetched:
    try:
        docs = _docs_from_bytes(data, name=name, suffix=".xml", src=src)
    except InputError as exc:
        if "no items" in str(exc) or "no feed item has any text" in str(exc):
            return Fetched(state=state, messages=[str(exc)])
        raise
    return Fetched(items=_doc_items(docs, name), state=state)


def _urls(src: Source, state: dict) -> Fetched:
    with _client(src) as client:
        if src.url:
            status, data, _, _, _ = _get(client, src.url, None, None)
            listing = data.decode("utf-8", "replace")
        else:
            listing = Path(src.path).read_text("utf-8")
        urls = list(
            dict.fromkeys(
                ln.strip()
                for ln in listing.splitlines()
                if ln.strip().lower().startswith(("http://", "https://"))
            )
        )
        if not urls:
            raise InputError(f"{src.url or src.path}: no URL in the list")
        known = json.loads(state.get("cursor") or "{}")
        out = Fetched(state={"cursor": None})
        failed = []
        for u in urls:
            etag, lm = known.get(u, [None, None])
            try:
                status, data, ctype, etag, lm = _get(client, u, etag, lm)
                if status != 304:
                    out.items.extend(
                        _doc_items(_docs_from_bytes(data, name=u, suffix=_suffix(ctype, u), src=src), u)
                    )
                known[u] = [etag, lm]
            except InputError as exc:
                failed.append(str(exc))
        out.state["cursor"] = json.dumps(known, sort_keys=True)
        out.messages.extend(failed)
        if failed and len(failed) == len(urls):
            out.error = f"all {len(urls)} URLs failed; first: {failed[0]}"
        return out


def _folder(src: Source, state: dict) -> Fetched:
    folder = Path(src.path)
    if not folder.is_dir():
        raise InputError(f"{folder}: the drop folder does not exist")
    known = json.loads(state.get("cursor") or "{}")
    out = Fetched()
    now = {}
    for f in docs_mod._iter_files(folder):
        rel = f.relative_to(folder).as_posix()
        data = f.read_bytes()
        h = sha(data)
        now[rel] = h
        if known.get(rel) == h:
            continue
        try:
            if not data.strip():
                raise InputError(f"{f}: empty file, nothing to read")
            docs = _docs_from_bytes(data, name=str(f), suffix=f.suffix.lower(), src=src, path=str(f))
            out.items.extend(_doc_items(docs, rel))
        except InputError as exc:
            # recorded in the ledger as failed, with the reason; retried only when the file changes
            out.items.append(Item(key=rel, content_hash=h, kind="failed", payload={"error": str(exc)}))
    out.state = {"cursor": json.dumps(now, sort_keys=True)}
    return out


def _acled(src: Source, state: dict) -> Fetched:
    opts = dict(src.options)
    countries = opts.pop("countries", None) or ([src.country] if src.country else [None])
    since = opts.pop("since", None)
    cursor = state.get("cursor")
    kw = {k: opts[k] for k in ("base_url",) if k in opts}
    rows: list[dict] = []
    deleted: list[dict] = []
    with AcledClient(**kw) as client:
        for c in countries:
            filters = {"timestamp": cursor, "timestamp_where": ">"} if cursor else {}
            rows.extend(client.events(country=c, since=None if cursor else since, **filters))
        if cursor:
            deleted = _acled_deleted(client, cursor)
    stamps = [int(r["timestamp"]) for r in rows if str(r.get("timestamp", "")).isdigit()]
    stamps += [int(d["deleted_timestamp"]) for d in deleted if str(d.get("deleted_timestamp", "")).isdigit()]
    new_cursor = str(max(stamps + [int(cursor or 0)]))
    out = Fetched(state={"cursor": new_cursor})
    if rows or deleted:
        body = json.dumps({"rows": rows, "deleted": deleted}, sort_keys=True)
        out.items.append(
            Item(
                key=f"acled:{cursor or since or 'all'}..{new_cursor}",
                content_hash=sha(body),
                kind="acled",
                payload={"rows": rows, "deleted": deleted},
            )
        )
    return out


def _acled_deleted(client, cursor: str) -> list[dict]:
    """ACLED's deleted events (event_id_cnty, deleted_timestamp) since ``cursor``."""
    out: list[dict] = []
    page = 1
    while True:
        r = client._send(
            "GET",
            "/api/deleted/read",
            params={
                "_format": "json",
                "deleted_timestamp": cursor,
                "deleted_timestamp_where": ">",
                "page": page,
                "limit": 5000,
            },
            headers={"Authorization": f"Bearer {client._token()}"},
        )
        if r.status_code != 200:
            raise InputError(f"ACLED deleted events: HTTP {r.status_code}")
        data = (r.json() or {}).get("data") or []
        out.extend(
            {
                "event_id_cnty": str(d.get("event_id_cnty")),
                "deleted_timestamp": str(d.get("deleted_timestamp")),
            }
            for d in data
        )
        if len(data) < 5000:
            return out
        page += 1


def _ucdp(src: Source, state: dict) -> Fetched:
    p = Path(src.path)
    if not p.is_file():
        raise InputError(f"{p}: the UCDP file does not exist")
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()[:32]
    if digest == state.get("cursor"):
        return Fetched(not_modified=True)
    return Fetched(
        items=[Item(key=str(p), content_hash=digest, kind="ucdp", payload={"path": str(p)})],
        state={"cursor": digest},
    )
