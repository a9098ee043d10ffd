"""Intake: text, HTML, feeds, folders, clutter, bylines, datelines, language, glued tokens, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sahelwatch.errors import InputError
from sahelwatch.extract.clutter import clutter_rule, strip_clutter
from sahelwatch.extract.language import detect_language
from sahelwatch.ingest.documents import (
    MAX_BYTES,
    document_id,
    find_bylines,
    find_dateline,
    iter_documents,
    read_document,
    read_documents,
)

FIX = Path(__file__).parent / "fixtures" / "documents"


def glue(token: str):
    return {"MaliNiger": ["Mali", "Niger"]}.get(token)


# --- clutter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Daily coronavirus briefing",
        "Newsletter Signup",
        "Sign up to receive our reports and weekly digest straight in your inbox.",
        "No hype, just the facts you needContinue",
        "Register with your social account or click here to log in",
        "More to explorer",
        "More to explore",
        "We use cookies to improve your experience. Accept cookies",
        "Related: Floods in Niamey",
        "Follow us on Twitter",
        "Inscrivez-vous à notre newsletter quotidienne",
        "Lire aussi : Les violences s'étendent au centre du pays",
    ],
)
def test_clutter_lines_are_recognised(line):
    assert clutter_rule(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Gunmen killed four civilians in the village on Tuesday, officials said.",
        "Related incidents were reported in Mopti and Segou the same week.",
        "The militants sign up recruits in the countryside with stacks of cash, he said.",
        "The briefing by the defence minister lasted two hours and covered the attacks on army posts in the centre.",
        "Residents said the newsletter of the local radio station had reported the attack.",
        "Share prices fell.",  # short, but real prose: 'share' must be a whole clutter line to go
    ],
)
def test_reporting_is_never_clutter(line):
    assert clutter_rule(line) is None


def test_strip_clutter_reports_what_it_removed():
    text = "Soldiers were attacked near Boni.\n\nNewsletter Signup\n\nTwo soldiers were killed."
    clean, removed = strip_clutter(text)
    assert "Newsletter" not in clean and "Two soldiers were killed." in clean
    assert [r.pattern_id for r in removed] == ["newsletter-signup"]


# --- bylines and datelines ---------------------------------------------------------------------


def test_bylines_english_and_french():
    names, span = find_bylines("By Jane Doe and John Roe – Gunmen attacked a village.")
    assert names == ["Jane Doe", "John Roe"] and span is not None
    names, _ = find_bylines("Par Aïssata Maïga et Jean Dupont – Des hommes armés ont attaqué.")
    assert names == ["Aïssata Maïga", "Jean Dupont"]
    assert find_bylines("By the end of the year, the army had withdrawn.")[0] == []


def test_dateline_only_on_a_line_of_its_own():
    d, span = find_dateline("Some text.\n\n3 April 2020\n\nMore text on 5 April 2020 here.")
    assert d == dt.date(2020, 4, 3)
    assert find_dateline("The attack on 3 April 2020 killed two.")[0] is None
    assert find_dateline("Publié le 12 février 2021")[0] == dt.date(2021, 2, 12)
    assert find_dateline("April 3, 2020")[0] == dt.date(2020, 4, 3)


def test_news_agency_dateline_gives_the_date_and_leaves_the_story():
    text = "Titre\n\nOuagadougou, 14 mars 2023 (AFP) - Au moins vingt soldats ont été tués lundi."
    d, (a, b) = find_dateline(text)
    assert d == dt.date(2023, 3, 14) and text[b:].startswith("Au moins vingt")
    assert find_dateline("NIAMEY, Niger, 3 April 2020 (Reuters) - Gunmen killed")[0] == dt.date(2020, 4, 3)
    assert find_dateline("Gao, le 3 avril 2020 – Des hommes armés")[0] == dt.date(2020, 4, 3)
    assert (
        find_dateline("BAMAKO, March 14 (Reuters) - Gunmen killed")[0] is None
    )  # no year: not a date to trust
    assert find_dateline("Mali, Burkina Faso - The two countries")[0] is None
    doc = read_document(
        "Ouagadougou, 14 mars 2023 (AFP) - Au moins vingt soldats ont été tués lundi près de Djibo."
    )
    assert doc.published == dt.date(2023, 3, 14) and doc.text.startswith("Au moins")
    assert doc.meta["dateline"] == "Ouagadougou, 14 mars 2023 (AFP) -"


# --- formats -----------------------------------------------------------------------------------


def test_html_page_main_text_metadata_and_clutter():
    doc = read_document(FIX / "article_en.html")
    assert doc.title == "Gunmen attack village in central Mali"
    assert doc.published == dt.date(2021, 3, 12) and doc.meta["published_source"] == "metadata"
    assert doc.bylines == ["Amadou Keita"]
    assert doc.language == "en"
    assert "killing four civilians" in doc.text
    for junk in ("cookies", "Sign up", "More to explore", "Follow us", "All rights reserved"):
        assert junk not in doc.text


def test_broken_html_does_not_crash():
    doc = read_document(FIX / "broken.html")
    assert "Two attackers were killed." in doc.text
    assert "<" not in doc.text and "Newsletter Signup" not in doc.text


def test_rss_gives_one_document_per_item_with_dates_and_language():
    docs = read_documents(FIX / "feed.rss")
    assert [d.published for d in docs] == [dt.date(2021, 2, 9), dt.date(2021, 2, 10)]
    assert [d.language for d in docs] == ["en", "fr"]
    assert "<p>" not in docs[0].text and docs[0].url == "https://example.org/convoy"
    with pytest.raises(InputError, match="2 documents"):
        read_document(FIX / "feed.rss")


def test_atom_feed():
    (doc,) = read_documents(FIX / "feed.atom")
    assert doc.bylines == ["Ousmane Diarra"] and doc.published == dt.date(2021, 5, 2)


def test_unsafe_feed_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title><description>x</description></item></channel></rss>"
    )
    with pytest.raises(InputError, match="unsafe XML"):
        read_documents(bomb)


def test_plain_text_french_with_byline_dateline_and_clutter():
    doc = read_document(FIX / "rapport_fr.txt")
    assert doc.language == "fr" and doc.bylines == ["Aïssata Maïga", "Jean Dupont"]
    assert doc.published == dt.date(2021, 2, 12) and doc.meta["published_source"] == "body"
    assert "newsletter" not in doc.text and "Lire aussi" not in doc.text
    assert doc.text.startswith("Des hommes armés")


def test_given_published_date_wins_over_the_body():
    doc = read_document(FIX / "rapport_fr.txt", published="2021-02-13")
    assert doc.published == dt.date(2021, 2, 13) and doc.meta["published_source"] == "given"


def test_glued_tokens_repaired_only_with_a_hook():
    assert "MaliNiger" in read_document(FIX / "report_glued.txt").text
    doc = read_document(FIX / "report_glued.txt", split_glued=glue)
    assert "across Mali, Niger and Burkina Faso" in doc.text
    assert doc.meta["glued_repaired"] == [{"token": "MaliNiger", "replacement": "Mali, Niger"}]


def test_raw_text_and_stable_id():
    a = read_document(
        "Gunmen killed two herders near Menaka on Sunday, residents said.", published=dt.date(2021, 1, 5)
    )
    b = read_document(
        "Gunmen  killed two herders near Menaka on Sunday,\nresidents said.", published=dt.date(2021, 1, 5)
    )
    assert a.id == b.id == document_id(a.text) and len(a.id) == 16


def test_long_single_line_text_is_text_not_a_path():
    line = "Gunmen killed two herders near Menaka on Sunday, residents said. " * 8
    doc = read_document(line, published="2021-01-03")
    assert doc.language == "en" and doc.published == dt.date(2021, 1, 3)


def test_unsupported_language_is_reported_not_coded():
    doc = read_document(FIX / "spanish.txt")
    assert (
        doc.language == "es"
        and doc.meta["language_supported"] is False
        and "not supported" in doc.meta["warning"]
    )
    assert detect_language("Des hommes armés ont attaqué le village.").code == "fr"


# --- bad input ---------------------------------------------------------------------------------


def test_bad_inputs_are_refused_with_the_file_named(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary" * 10)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    for path, why in ((empty, "empty"), (binary, "binary"), (big, "5 MB"), (pdf, "PDF")):
        with pytest.raises(InputError, match=why) as err:
            read_document(path)
        assert str(path) in str(err.value)
    with pytest.raises(InputError, match="list of URLs and fetching is off"):
        read_document(FIX / "urls.txt", fetch=False)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="empty"):
        read_document("")


def test_folder_is_read_recursively_and_bad_files_are_skipped(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "one.txt").write_text("Gunmen attacked a checkpoint near Sevare on Friday, the army said.")
    (tmp_path / "two.html").write_text(
        "<html><body><p>Protesters marched in Gao on Monday, witnesses said.</p></body></html>"
    )
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    skipped = []
    docs = list(iter_documents(tmp_path, skipped=skipped))
    assert len(docs) == 2 and len(skipped) == 1 and skipped[0].source.endswith("bad.txt")
    with pytest.raises(InputError):
        read_documents(tmp_path)  # strict reading stops on the bad file
