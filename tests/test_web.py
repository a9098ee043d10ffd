"""Fetching reports from URLs and URL lists, against a mock HTTP transport (no network is used)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from sahelwatch.errors import InputError
from sahelwatch.ingest import web
from sahelwatch.ingest.documents import iter_documents, read_document, read_documents

FIX = Path(__file__).parent / "fixtures" / "documents"

PAGE = """<html><head><title>Convoy ambushed</title>
<meta property="article:published_time" content="2021-03-04"></head>
<body><article><p>On 2 March, gunmen ambushed a supply convoy near Boni, killing three drivers.</p>
<p>The attackers fled towards the forest.</p></article>
<div class="newsletter">Sign up to our newsletter for daily updates</div></body></html>"""

FEED = (FIX / "feed.rss").read_text("utf-8")


def handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/convoy":
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})
    if path == "/moved":
        return httpx.Response(301, headers={"location": "https://example.org/convoy"})
    if path == "/feed":
        return httpx.Response(200, text=FEED, headers={"content-type": "application/rss+xml"})
    if path == "/report.pdf":
        return httpx.Response(200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"})
    if path == "/huge":
        return httpx.Response(
            200, content=b"a" * (web.MAX_BYTES + 10), headers={"content-type": "text/plain"}
        )
    if path == "/slow":
        raise httpx.ReadTimeout("timed out", request=request)
    return httpx.Response(404, text="not found")


@pytest.fixture
def client():
    with httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True) as c:
        yield c


def test_a_page_is_fetched_cleaned_and_dated(client):
    doc = read_document("https://example.org/moved", fetch=client)
    assert doc.url == "https://example.org/convoy" and doc.meta["fetched_from"] == "https://example.org/moved"
    assert "ambushed a supply convoy near Boni" in doc.text and "newsletter" not in doc.text.lower()
    assert str(doc.published) == "2021-03-04" and doc.meta["content_type"] == "text/html"


def test_a_feed_url_gives_one_document_per_item(client):
    docs = read_documents("https://example.org/feed", fetch=client)
    assert len(docs) >= 2 and all(d.meta["fetched_from"] == "https://example.org/feed" for d in docs)


@pytest.mark.parametrize(
    "path, why",
    [
        ("/missing", "HTTP 404"),
        ("/report.pdf", "application/pdf is not a web page"),
        ("/huge", "5 MB"),
        ("/slow", "no answer within"),
    ],
)
def test_failures_name_the_url_and_the_reason(client, path, why):
    with pytest.raises(InputError, match=why) as err:
        web.fetch_page(f"https://example.org{path}", client=client)
    assert str(err.value).startswith(f"https://example.org{path}: ")


def test_a_url_list_is_read_page_by_page_and_bad_urls_are_skipped(client, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# reports of the week\nhttps://example.org/convoy\nhttps://example.org/missing\n"
        "https://example.org/report.pdf\nhttps://example.org/convoy\n",
        "utf-8",
    )
    skipped = []
    docs = list(iter_documents([str(urls)], fetch=client, skipped=skipped))
    assert [d.url for d in docs] == ["https://example.org/convoy"]  # duplicates read once
    assert [s.source for s in skipped] == ["https://example.org/missing", "https://example.org/report.pdf"]
    assert "HTTP 404" in skipped[0].reason
    with pytest.raises(InputError, match="HTTP 404"):  # without a skip list: the error
        read_documents(urls, fetch=client)
    with pytest.raises(InputError, match="fetching is off"):
        read_documents(urls, fetch=False)


def test_not_a_url():
    assert (
        web.is_url("https://example.org/x") and not web.is_url("example.org") and not web.is_url("ftp://x/y")
    )
    with pytest.raises(InputError, match="not an http"):
        web.fetch_page("file:///etc/passwd")


def test_cli_extract_fetches_a_url_list(tmp_path, monkeypatch):
    from sahelwatch.cli import app

    real = httpx.Client

    def mock_client(*args, **kwargs):
        kwargs["transport"] = httpx.MockTransport(handler)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "Client", mock_client)
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/convoy\nhttps://example.org/missing\n", "utf-8")
    out = tmp_path / "events.csv"
    r = CliRunner().invoke(app, ["extract", str(urls), "--country", "Mali", "--no-store", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "skipped" in r.output and "https://example.org/missing" in r.output and "HTTP 404" in r.output
    text = out.read_text("utf-8")
    assert "Boni" in text and "2021-03-02" in text
