"""Fetching reports from the web: the pages of a URL list (``sahelwatch extract urls.txt``) or URLs given
directly (``sahelwatch extract https://…``).

    from sahelwatch.ingest.web import fetch_page
    page = fetch_page("https://example.org/report.html")     # FetchedPage(url, final_url, content_type, text)

One GET per URL with httpx: redirects followed, a timeout, at most ``MAX_BYTES`` read (the document limit),
HTML, XML feeds and plain text only (a PDF or an image is refused with a message naming the URL), the
charset of the response used to decode it. Every failure is an ``InputError`` naming the URL and what went
wrong (HTTP status, timeout, type, size), so that one bad URL is reported and skipped while the others are
read. Nothing is cached and nothing but the pages asked for is downloaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InputError

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 20.0
USER_AGENT = "sahelwatch/0.1 (conflict event extraction; +https://github.com/sahelwatch)"
#: content types read as documents (anything else is refused)
TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
URL_RE = re.compile(r"^(?:https?)://\S+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str
    text: str
    fetched_at: str  # ISO 8601, UTC

    @property
    def suffix(self) -> str:
        """A file suffix for the content (".html", ".xml", ".txt") so intake sniffs it as the server said."""
        if "html" in self.content_type:
            return ".html"
        if "xml" in self.content_type:
            return ".xml"
        return ".txt"


def is_url(s: object) -> bool:
    return isinstance(s, str) and bool(URL_RE.match(s.strip()))


def fetch_page(url: str, client=None, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> FetchedPage:
    """Download one page (see the module docstring). ``client`` is an ``httpx.Client`` (tests pass one with a
    mock transport); by default a short-lived client is made."""
    import httpx

    url = url.strip()
    if not is_url(url):
        raise InputError(f"{url}: not an http(s) URL")
    own = client is None
    if own:
        client = httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT})
    try:
        with client.stream("GET", url) as r:
            if r.status_code >= 400:
                raise InputError(f"{url}: the server answered HTTP {r.status_code}")
            ctype = (r.headers.get("content-type") or "").split(";")[0].strip().lower()
            if ctype and not ctype.startswith(TEXT_TYPES):
                raise InputError(
                    f"{url}: {ctype} is not a web page, feed or text (save and convert it first)"
                )
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(
                    f"{url}: {int(declared) / 1e6:.1f} MB is over the 5 MB limit for one document"
                )
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(f"{url}: over the 5 MB limit for one document")
                chunks.append(chunk)
            data = b"".join(chunks)
            encoding = r.charset_encoding or "utf-8"
            final = str(r.url)
    except httpx.TimeoutException:
        raise InputError(f"{url}: no answer within {timeout:.0f} s") from None
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: could not be fetched ({type(exc).__name__}: {exc})") from None
    finally:
        if own:
            client.close()
    if not data.strip():
        raise InputError(f"{url}: the page is empty")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("utf-8", errors="replace")
    return FetchedPage(
        url, final, ctype or "text/html", text, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    )


__all__ = ["FetchedPage", "fetch_page", "is_url", "MAX_BYTES", "TIMEOUT_S"]
