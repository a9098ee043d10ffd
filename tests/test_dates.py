"""Date expressions resolved against the publication date, with ACLED precision codes."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.extract.dates import (
    acled_week,
    find_dates,
    note_date,
    parse_standalone_date,
    resolve_expression,
)

PUB = dt.date(2020, 4, 3)  # a Friday
D = dt.date


def one(text: str, pub=PUB):
    found = find_dates(text, pub)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, date, precision, gran",
    [
        ("On October 8, gunmen attacked a convoy", D(2019, 10, 8), 1, "day"),  # after PUB in 2020 → 2019
        ("on 8 October 2019 the army", D(2019, 10, 8), 1, "day"),
        ("On March 30, soldiers", D(2020, 3, 30), 1, "day"),
        ("le 12 février, des hommes armés", D(2020, 2, 12), 1, "day"),
        ("le 1er mars 2019", D(2019, 3, 1), 1, "day"),
        ("yesterday", D(2020, 4, 2), 1, "day"),
        ("hier soir", D(2020, 4, 2), 1, "day"),
        ("on Tuesday", D(2020, 3, 31), 1, "day"),
        ("three days ago", D(2020, 3, 31), 1, "day"),
        ("il y a deux jours", D(2020, 4, 1), 1, "day"),
        ("this week", D(2020, 3, 31), 2, "week"),  # ACLED week Sat 28 Mar – Fri 3 Apr, middle Tue
        ("la semaine dernière", D(2020, 3, 24), 2, "week"),
        ("last weekend", D(2020, 3, 28), 2, "week"),
        ("in March", D(2020, 3, 15), 3, "month"),
        ("late March", D(2020, 3, 31), 3, "month"),  # ACLED: last day when the source says 'end'
        ("early March", D(2020, 3, 1), 3, "month"),
        ("last month", D(2020, 3, 15), 3, "month"),
        ("en juillet dernier", D(2019, 7, 15), 3, "month"),
        ("in 2017", D(2017, 7, 2), 3, "year"),
    ],
)
def test_expressions(text, date, precision, gran):
    m = one(text)
    assert (m.date, m.time_precision, m.granularity) == (date, precision, gran)


def test_late_last_year_is_the_last_quarter():
    m = one("was killed in a raid in Syria late last year")
    assert m.granularity == "quarter" and (m.first, m.last) == (D(2019, 10, 1), D(2019, 12, 31))
    assert m.time_precision == 3 and m.text == "late last year"
    m = one("fin de l'année dernière")
    assert (m.first, m.last) == (D(2019, 10, 1), D(2019, 12, 31))


def test_since_gives_a_range_to_the_publication_date():
    m = one("have employed a new approach since last July")
    assert (m.granularity, m.date, m.date_end, m.text) == ("range", D(2019, 7, 1), PUB, "since last July")
    m = one("lost more than 100 soldiers in routine clashes since October.")
    assert (m.date, m.date_end) == (D(2019, 10, 1), PUB)
    m = one("depuis juillet dernier")
    assert m.date == D(2019, 7, 1) and m.date_end == PUB


def test_ranges():
    m = one("dans la nuit du 3 au 4 mars", D(2021, 3, 10))
    assert (m.date, m.date_end, m.time_precision, m.granularity) == (D(2021, 3, 3), D(2021, 3, 4), 1, "range")
    m = one("Over February 15-18, the army arrested")
    assert (m.date, m.date_end, m.time_precision) == (D(2020, 2, 15), D(2020, 2, 18), 2)
    m = one("from 1 to 17 November 2019")
    assert (m.first, m.last, m.time_precision) == (D(2019, 11, 1), D(2019, 11, 17), 3)


def test_earlier_this_month_never_lands_after_publication():
    m = one("a report released earlier this month")
    assert m.granularity == "month" and m.first == D(2020, 4, 1) and m.date <= PUB


def test_year_mentions_and_non_dates():
    assert one("It's a departure from 2012, when militants").date.year == 2012
    assert one("the 2017 attack that killed four soldiers").first == D(2017, 1, 1)
    assert find_dates("as many as 2,000 fighters", PUB) == []
    assert find_dates("The army may attack again.", PUB) == []  # 'may' is not May
    assert find_dates("He has 2000 men.", PUB) == []


def test_several_mentions_in_order_with_offsets():
    text = "On 3 March gunmen attacked; on 5 March they returned."
    found = find_dates(text, PUB)
    assert [m.date for m in found] == [D(2020, 3, 3), D(2020, 3, 5)]
    assert all(text[m.start_char : m.end_char] == m.text for m in found)


def test_acled_week_runs_saturday_to_friday():
    assert acled_week(D(2020, 4, 3)) == (D(2020, 3, 28), D(2020, 4, 3))
    assert acled_week(D(2020, 4, 4)) == (D(2020, 4, 4), D(2020, 4, 10))


def test_note_date_acled_style_notes():
    m = note_date("On 30 December 2019, gunmen attacked a village.", "2020-01-06")
    assert (m.date, m.time_precision) == (D(2019, 12, 30), 1)
    m = note_date("On February 13, militants attacked a post.", "2019-02-20")
    assert m.date == D(2019, 2, 13)
    m = note_date("Looting: On September 15, militiamen ransacked a market.", "2019-09-30")
    assert m.date == D(2019, 9, 15)
    m = note_date(
        "Property destruction: Around 6 November 2019 (week of), soldiers burned a motorcycle.", "2019-11-20"
    )
    assert (m.date, m.time_precision) == (D(2019, 11, 6), 2)
    m = note_date("On or around April 11, army units carried out an operation.", "2019-04-30")
    assert (m.date, m.time_precision) == (D(2019, 4, 11), 2)
    m = note_date("Over February 15-18, the army arrested 27 people.", "2019-03-01")
    assert (m.date, m.time_precision) == (D(2019, 2, 15), 2)
    assert note_date("Unknown gunmen attacked a village near Gao.", "2019-03-01") is None


def test_standalone_dates_and_dateparser_fallback():
    assert parse_standalone_date("3 April 2020") == D(2020, 4, 3)
    assert parse_standalone_date("Friday, April 3, 2020 10:32 AM") == D(2020, 4, 3)
    assert parse_standalone_date("The attack on 3 April 2020 was claimed") is None
    m = resolve_expression("2 days ago", PUB)
    assert m.date == D(2020, 4, 1)


def test_bare_french_number_sept_is_not_september():
    import datetime as _dt

    from sahelwatch.extract.dates import find_dates as _find

    assert _find("Sept VDP ont été tués et quatre blessés.", _dt.date(2021, 3, 20)) == []
    assert [m.date for m in _find("Le 7 sept. 2020, une attaque.", _dt.date(2021, 3, 20))] == [
        _dt.date(2020, 9, 7)
    ]
