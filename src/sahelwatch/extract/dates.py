"""Date expressions in English and French, resolved against the publication date, with ACLED precision.

    >>> find_dates("On October 8, gunmen attacked ...", dt.date(2019, 10, 10))
    [DateMention(text='October 8', ..., date=datetime.date(2019, 10, 8), time_precision=1, granularity='day')]

Rules (regular expressions over the text) cover what news and ACLED notes write: absolute dates
("8 October 2019", "October 8", "le 12 février", "1er mars"), ranges ("February 15-18",
"dans la nuit du 3 au 4 mars", "from 1 to 17 November"), months and seasons of a month ("in October",
"late March", "fin janvier"), years and parts of years ("in 2017", "late 2019"), and relative
expressions ("yesterday", "on Tuesday", "this week", "last weekend", "earlier this month",
"late last year", "since last July", "hier", "la semaine dernière", "l'année dernière").
dateparser (relative base = publication date, PREFER_DATES_FROM = past) reads lone datelines of any
format (``parse_standalone_date``) and is the fallback of ``resolve_expression``.

ACLED conventions: time_precision 1 = the day is known, 2 = only the week (the middle day is coded;
ACLED weeks run Saturday-Friday), 3 = only the month or coarser (the middle of the month, or its
first/last day for "beginning"/"end"). ``date`` is the day to code; ``first``/``last`` give the span
the expression covers; ``date_end`` is set for explicit ranges ("from ... to", "since ...").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..model import as_date as _as_date

Granularity = str  # 'day', 'week', 'month', 'quarter', 'year', 'range'

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "février", "fevrier", "févr", "fevr", "fév"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "août", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "décembre", "decembre", "déc"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}

SMALL_NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
}


@dataclass(slots=True)
class DateMention:
    """A date expression found in a text and its resolution."""

    text: str
    start_char: int
    end_char: int
    date: dt.date  # the day to code (ACLED's middle-of-week/month convention)
    date_end: dt.date | None  # last day of an explicit range, else None
    time_precision: int  # 1 day, 2 week, 3 month or coarser
    granularity: Granularity  # 'day', 'week', 'month', 'quarter', 'year', 'range'
    first: dt.date | None = None  # first day the expression covers
    last: dt.date | None = None  # last day the expression covers
    relative: bool = False  # resolved against the publication date
    rule: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return self.start_char, self.end_char


# ------------------------------------------------------------------------------------------------
# calendar helpers


def acled_week(day: dt.date) -> tuple[dt.date, dt.date]:
    """The ACLED week (Saturday to Friday) that contains ``day``."""
    start = day - dt.timedelta(days=(day.weekday() - 5) % 7)
    return start, start + dt.timedelta(days=6)


def _month_last(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, ref: dt.date, tolerance_days: int = 1) -> int:
    """The year that puts (m, d) at or before the reference date (news reports the past)."""
    y = ref.year
    cand = _safe_date(y, m, min(d, calendar.monthrange(y, m)[1]))
    if cand is not None and cand > ref + dt.timedelta(days=tolerance_days):
        y -= 1
    return y


def _infer_month_year(m: int, ref: dt.date, strictly_before: bool = False) -> int:
    """Year of a month mentioned without one: the latest such month not after the reference."""
    if m > ref.month or (strictly_before and m == ref.month):
        return ref.year - 1
    return ref.year


def _clamp(d: dt.date, ref: dt.date | None) -> dt.date:
    return min(d, ref) if ref is not None else d


def _mk(
    text: str,
    s: int,
    e: int,
    first: dt.date,
    last: dt.date,
    gran: str,
    *,
    date: dt.date | None = None,
    precision: int | None = None,
    ref: dt.date | None = None,
    relative: bool = False,
    rule: str = "",
    explicit_range: bool = False,
) -> DateMention:
    span_days = (last - first).days + 1
    if precision is None:
        precision = 1 if span_days <= 1 else (2 if span_days <= 7 else 3)
        if gran == "range" and span_days <= 2:
            precision = 1
    if date is None:
        if gran in ("range",):
            date = first
        elif gran == "day":
            date = first
        else:
            date = first + dt.timedelta(days=(span_days - 1) // 2)
            if ref is not None and relative:
                date = _clamp(date, ref)
    return DateMention(
        text, s, e, date, last if explicit_range else None, precision, gran, first, last, relative, rule
    )


# ------------------------------------------------------------------------------------------------
# regular expressions

_MON = (
    r"(?P<{n}>janvier|janv\.?|january|jan\.?|février|fevrier|févr\.?|fevr\.?|february|feb\.?|mars|march|mar\.?"
    r"|avril|april|apr\.?|avr\.?|mai|may|juin|june|jun\.?|juillet|juil\.?|july|jul\.?|août|aout|august|aug\.?"
    r"|septembre|september|sept\.?|sep\.?|octobre|october|oct\.?|novembre|november|nov\.?|décembre|decembre"
    r"|december|déc\.?|dec\.?)(?![\w])"
)
_DAY = r"(?P<{n}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|er|e|ème)?(?!\d)"
_YEAR = r"(?P<{n}>(?:19[5-9]|20[0-4])\d)(?!\d)"


def M(n: str = "m") -> str:
    return _MON.format(n=n)


def D(n: str = "d") -> str:
    return _DAY.format(n=n)


def Y(n: str = "y") -> str:
    return _YEAR.format(n=n)


_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_WD2 = _WD.replace("wd", "wd2")
_NUMW = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze)"
_SEP_RANGE = r"\s*(?:-|–|—|to|and|au|et(?:\s+le)?|through|until|jusqu'au)\s*"
_PART = (
    r"(?P<part>early|earlier|late|later|mid|middle of|the middle of|beginning of|the beginning of|start of|"
    r"the start of|end of|the end of|the end|début|debut|mi|fin|courant|à la fin|au début|à la mi)"
)

Handler = Callable[[re.Match[str], dt.date | None], tuple | None]
_RULES: list[tuple[str, re.Pattern[str], Handler]] = []
_RULE_ANCHOR: dict[str, str] = {}

#: cheap anchors: a rule runs only in windows around the words it needs (speed: the regexes with optional
#: leading groups are slow over long texts)
_ANCHORS: dict[str, re.Pattern[str] | None] = {
    "month": None,
    "weekday": None,
    "year": None,
    "rel": None,
    "numeric": re.compile(r"\d[/.-]\d"),
}
_WINDOW_BEFORE = 60
_WINDOW_AFTER = 45


def rule(name: str, anchor: str, pattern: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        _RULES.append(
            (name, re.compile(r"(?<!\w)(?:" + pattern + ")", re.IGNORECASE), fn)
        )  # start at a word start
        _RULE_ANCHOR[name] = anchor
        return fn

    return deco


_WORD = re.compile(r"[^\W\d_]+|\d+")
_REL_WORDS = {
    "today",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "yesterday",
    "night",
    "overnight",
    "ago",
    "aujourd",
    "hier",
    "week",
    "weekend",
    "semaine",
    "month",
    "mois",
    "year",
    "année",
    "soir",
    "matin",
    "nuit",
    "jours",
    "semaines",
    "ans",
    "années",
}


def _anchor_kinds(word: str) -> tuple[str, ...]:
    kinds = []
    w = word.lower()
    if w in MONTHS:
        kinds.append("month")
    if w in WEEKDAYS:
        kinds.append("weekday")
    if w in _REL_WORDS:
        kinds.append("rel")
    if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"):
        kinds.append("year")
    return tuple(kinds)


def _all_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Merged (start, end) windows around the anchor words of each kind, from one pass over the words."""
    spans: dict[str, list[list[int]]] = {k: [] for k in _ANCHORS}
    n = len(text)
    for m in _WORD.finditer(text):
        kinds = _anchor_kinds(m.group(0))
        for k in kinds:
            a, b = max(0, m.start() - _WINDOW_BEFORE), min(n, m.end() + _WINDOW_AFTER)
            out = spans[k]
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
    if _ANCHORS["numeric"].search(text):
        spans["numeric"] = [[0, n]]
    return {k: [(a, b) for a, b in v] for k, v in spans.items()}


def _month(m: re.Match[str], key: str = "m") -> int | None:
    raw = m.group(key)
    if raw is None:
        return None
    word = raw.rstrip(".").lower()
    # English month names are capitalised; lower-case "may"/"mar"/"jan" are other words
    if (
        word in ("may", "mar", "jan", "sep", "dec", "oct", "nov", "aug", "jun", "jul", "apr", "feb")
        and raw[0].islower()
    ):
        return None
    return MONTHS.get(word)


def _yr(m: re.Match[str], key: str = "y") -> int | None:
    try:
        v = m.group(key)
    except IndexError:
        return None
    return int(v) if v else None


def _part_span(
    part: str | None, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date, dt.date | None, int | None]:
    """Narrow a month (or year) span to its early / mid / late part. Returns first, last, coded day, precision."""
    if not part:
        return first, last, None, None
    p = part.lower().replace("the ", "").strip()
    n = (last - first).days + 1
    if p in ("early", "beginning of", "start of", "début", "debut", "au début"):
        third = first + dt.timedelta(days=n // 3 - 1)
        return first, third, first, None
    if p in ("late", "end of", "end", "fin", "à la fin"):
        third = last - dt.timedelta(days=n // 3 - 1)
        return third, last, last, None
    if p in ("mid", "middle of", "mi", "à la mi"):
        a = first + dt.timedelta(days=n // 3)
        b = last - dt.timedelta(days=n // 3)
        return a, b, first + dt.timedelta(days=(n - 1) // 2), None
    return first, last, None, None


# --- ranges ---------------------------------------------------------------------------------------


@rule(
    "night_range_fr",
    "month",
    rf"(?:dans\s+)?la\s+nuit\s+du\s+{D('d1')}\s*(?:au|-)\s*{D('d2')}\s+{M()}(?:\s+{Y()})?",
)
def _night_fr(m, ref):
    mon = _month(m)
    if mon is None:
        return None
    d1, d2 = int(m["d1"]), int(m["d2"])
    y = _yr(m) or (ref and _infer_year(mon, d2, ref))
    if not y:
        return None
    a = _safe_date(y, mon, d1)
    b = (
        _safe_date(y, mon, d2)
        if d2 >= d1
        else (_safe_date(y, mon + 1, d2) if mon < 12 else _safe_date(y + 1, 1, d2))
    )
    if not a or not b:
        return None
    return dict(first=a, last=b, gran="range", precision=1, explicit_range=True)


@rule(
    "night_weekday",
    "weekday",
    rf"(?:dans\s+)?(?:la\s+)?nuit\s+d[eu]\s+{_WD}\s+(?:à|a|au)\s+{_WD2}|(?:on\s+)?(?:the\s+)?night\s+of\s+{_WD.replace('wd', 'wd3')}\s+to\s+{_WD.replace('wd', 'wd4')}",
)
def _night_wd(m, ref):
    if ref is None:
        return None
    w1 = m["wd"] or m["wd3"]
    w2 = m["wd2"] or m["wd4"]
    b = ref - dt.timedelta(days=(ref.weekday() - WEEKDAYS[w2.lower()]) % 7)
    a = b - dt.timedelta(days=(WEEKDAYS[w2.lower()] - WEEKDAYS[w1.lower()]) % 7 or 1)
    return dict(first=a, last=b, gran="range", precision=1, explicit_range=True, relative=True)


@rule(
    "range_dm",
    "month",
    rf"(?:(?:from|between|over|du|entre(?:\s+le)?)\s+)?(?:the\s+)?{D('d1')}{_SEP_RANGE}(?:the\s+|le\s+)?{D('d2')}\s+(?:of\s+)?{M()}(?:,?\s+{Y()})?",
)
def _range_dm(m, ref):
    return _range(m, ref, m["m"], m["m"])


@rule(
    "range_md",
    "month",
    rf"(?:(?:from|between|over)\s+)?{M()}\s+{D('d1')}(?:,?\s+{Y('y1')})?{_SEP_RANGE}(?:{M('m2')}\s+)?{D('d2')}(?:,?\s+{Y()})?",
)
def _range_md(m, ref):
    return _range(m, ref, m["m"], m["m2"] or m["m"], y1=m["y1"])


@rule(
    "range_dmdm",
    "month",
    rf"(?:(?:from|between|du|entre(?:\s+le)?)\s+)?{D('d1')}\s+{M('m1')}(?:\s+{Y('y1')})?{_SEP_RANGE}(?:le\s+)?{D('d2')}\s+{M()}(?:,?\s+{Y()})?",
)
def _range_dmdm(m, ref):
    return _range(m, ref, m["m1"], m["m"], y1=m["y1"], key1="m1")


def _range(m, ref, raw1, raw2, y1=None, key1="m"):
    m1 = _month(m, key1)
    m2 = _month(m, "m2" if (m.re.groupindex.get("m2") and m["m2"]) else "m")
    if m1 is None or m2 is None:
        return None
    d1, d2 = int(m["d1"]), int(m["d2"])
    y = _yr(m) or (int(y1) if y1 else None) or (ref and _infer_year(m2, d2, ref))
    if not y:
        return None
    ya = int(y1) if y1 else (y - 1 if m1 > m2 else y)
    a, b = _safe_date(ya, m1, d1), _safe_date(y, m2, d2)
    if not a or not b or b < a or (b - a).days > 120:
        return None
    return dict(first=a, last=b, gran="range", explicit_range=True, relative=not _yr(m))


# --- days -----------------------------------------------------------------------------------------


@rule("day_dmy", "month", rf"(?:{_WD}\s*,?\s+)?(?:the\s+|le\s+)?{D()}\s+(?:of\s+)?{M()}(?:,?\s+{Y()})?")
def _day_dmy(m, ref):
    return _day(m, ref)


@rule("day_mdy", "month", rf"(?:{_WD}\s*,?\s+)?{M()}\s+(?:the\s+)?{D()}(?:\s*,?\s+{Y()})?")
def _day_mdy(m, ref):
    return _day(m, ref)


def _day(m, ref):
    mon = _month(m)
    if mon is None:
        return None
    d = int(m["d"])
    y = _yr(m)
    rel = y is None
    if y is None:
        if ref is None:
            return None
        y = _infer_year(mon, d, ref)
    day = _safe_date(y, mon, d)
    if day is None:
        return None
    return dict(first=day, last=day, gran="day", relative=rel)


@rule(
    "numeric_date",
    "numeric",
    r"(?<![\d/.-])(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/.-])|(?<![\d-])(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])",
)
def _numeric(m, ref):
    if m["iy"]:
        day = _safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    else:  # day/month/year, as written in the Sahel's French and English press (and old ACLED exports)
        day = _safe_date(int(m["y"]), int(m["b"]), int(m["a"]))
    return dict(first=day, last=day, gran="day") if day else None


# --- months, years, parts of them -------------------------------------------------------------------


@rule(
    "month",
    "month",
    rf"(?:{_PART}[\s-]+)?(?:(?:the\s+)?month\s+of\s+|(?:du\s+)?mois\s+d['e]\s*)?{M()}(?:\s+(?P<last>last|dernier|passé)|,?\s+{Y()})?",
)
def _month_rule(m, ref):
    mon = _month(m)
    if mon is None:
        return None
    raw = m["m"]
    y = _yr(m)
    rel = y is None
    if (
        y is None
        and not m["part"]
        and not m["last"]
        and len(raw) <= 4
        and not raw.endswith(".")
        and raw.lower() not in ("may", "mai", "june", "july", "juin")
    ):
        return None  # a bare abbreviation ("Sept VDP ont été tués": French seven) is not a date
    if y is None:
        if ref is None:
            return None
        y = _infer_month_year(mon, ref, strictly_before=bool(m["last"]))
    first, last = dt.date(y, mon, 1), _month_last(y, mon)
    a, b, coded, _ = _part_span(m["part"], first, last)
    if coded is None:
        coded = dt.date(y, mon, 15)
    if rel and ref is not None and coded > ref and first <= ref:
        coded = ref if not m["part"] else coded
    return dict(first=a, last=b, gran="month", date=coded, precision=3, relative=rel, _raw=raw)


@rule(
    "year_part",
    "year",
    rf"(?:{_PART}[\s-]+|(?:the\s+)?(?P<q>first|second|third|fourth|last)\s+quarter\s+of\s+|(?:in|since|during|depuis|en|of|from|by|until|jusqu'en|the|l'année|année)\s+){Y()}",
)
def _year_rule(m, ref):
    y = int(m["y"])
    first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
    q = (m["q"] or "").lower()
    if q:
        qi = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}[q]
        a, b = dt.date(y, 3 * qi - 2, 1), _month_last(y, 3 * qi)
        return dict(first=a, last=b, gran="quarter", precision=3)
    if m["part"]:
        a, b = _quarter_of_part(m["part"], y)
        return dict(first=a, last=b, gran="quarter", precision=3)
    return dict(first=first, last=last, gran="year", precision=3)


def _quarter_of_part(part: str, y: int) -> tuple[dt.date, dt.date]:
    p = part.lower().replace("the ", "")
    if p in ("early", "beginning of", "start of", "début", "debut", "au début"):
        return dt.date(y, 1, 1), dt.date(y, 3, 31)
    if p in ("late", "end of", "end", "fin", "à la fin"):
        return dt.date(y, 10, 1), dt.date(y, 12, 31)
    return dt.date(y, 5, 1), dt.date(y, 8, 31)


# --- relative expressions ---------------------------------------------------------------------------


@rule(
    "today",
    "rel",
    r"\b(?:(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening)|aujourd'hui|aujourd’hui|ce\s+(?:matin|soir)|cet\s+après-midi|cette\s+nuit)\b",
)
def _today(m, ref):
    return None if ref is None else dict(first=ref, last=ref, gran="day", relative=True)


@rule(
    "yesterday",
    "rel",
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night|overnight|avant-hier|hier(?:\s+(?:matin|soir|après-midi))?|la\s+nuit\s+dernière)\b",
)
def _yesterday(m, ref):
    if ref is None:
        return None
    t = m.group(0).lower()
    back = 2 if ("before" in t or "avant" in t) else 1
    d = ref - dt.timedelta(days=back)
    return dict(first=d, last=d, gran="day", relative=True)


@rule(
    "ago",
    "rel",
    rf"\b(?:{_NUMW}\s+(?P<unit>days?|weeks?|months?|years?)\s+ago|il\s+y\s+a\s+{_NUMW.replace('?P<n>', '?P<n2>')}\s+(?P<unit2>jours?|semaines?|mois|ans?|années?))\b",
)
def _ago(m, ref):
    if ref is None:
        return None
    raw = (m["n"] or m["n2"]).lower()
    n = int(raw) if raw.isdigit() else SMALL_NUMBERS.get(raw)
    unit = (m["unit"] or m["unit2"]).lower()
    if n is None:
        return None
    if unit.startswith(("day", "jour")):
        d = ref - dt.timedelta(days=n)
        return dict(first=d, last=d, gran="day", relative=True)
    if unit.startswith(("week", "semaine")):
        a, b = acled_week(ref - dt.timedelta(days=7 * n))
        return dict(first=a, last=b, gran="week", precision=2, relative=True)
    if unit.startswith(("month", "mois")):
        y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
        return dict(
            first=dt.date(y, mo + 1, 1),
            last=_month_last(y, mo + 1),
            gran="month",
            precision=3,
            date=dt.date(y, mo + 1, 15),
            relative=True,
        )
    y = ref.year - n
    return dict(first=dt.date(y, 1, 1), last=dt.date(y, 12, 31), gran="year", precision=3, relative=True)


@rule(
    "weekday",
    "weekday",
    rf"\b(?:(?P<mod>last|this\s+past|past|on|ce)\s+)?{_WD}(?:\s+(?P<fr>dernier|passé))?(?:\s+(?:night|morning|afternoon|evening|soir|matin))?\b",
)
def _weekday(m, ref):
    if ref is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    back = (ref.weekday() - wd) % 7
    if back == 0 and (m["mod"] or m["fr"]) and (m["mod"] or "").lower() not in ("on", "ce"):
        back = 7
    d = ref - dt.timedelta(days=back)
    return dict(first=d, last=d, gran="day", relative=True)


@rule(
    "week",
    "rel",
    r"\b(?:(?P<early>earlier|early|late|later)\s+)?(?P<which>this|last|past|the\s+past|previous|the\s+previous|cette|la|the)\s+(?P<w>week|semaine)(?:\s+(?P<fr>dernière|derniere|passée|passee))?\b",
)
def _week(m, ref):
    if ref is None:
        return None
    which = m["which"].lower()
    last = which in ("last", "previous", "the previous") or bool(m["fr"])
    if which in ("la", "the") and not m["fr"]:
        return None
    if which in ("past", "the past"):  # "the past week": the seven days up to the report
        return dict(
            first=ref - dt.timedelta(days=6),
            last=ref,
            gran="week",
            precision=2,
            relative=True,
            date=ref - dt.timedelta(days=3),
        )
    a, b = acled_week(ref - dt.timedelta(days=7 if last else 0))
    return dict(first=a, last=b, gran="week", precision=2, relative=True)


@rule(
    "weekend",
    "rel",
    r"\b(?:(?P<which>this|last|the\s+past|past|over\s+the|during\s+the|the|ce|le)\s+)?(?P<w>weekend|week-end)(?:\s+(?P<fr>dernier|passé))?\b",
)
def _weekend(m, ref):
    if ref is None:
        return None
    which = (m["which"] or "").lower()
    if not which and not m["fr"]:
        return None
    # the last Saturday-Sunday that started on or before the reference day
    back = (ref.weekday() - 5) % 7
    sat = ref - dt.timedelta(days=back)
    if (which.startswith("last") or m["fr"]) and back <= 1:
        sat -= dt.timedelta(days=7)
    sun = sat + dt.timedelta(days=1)
    return dict(first=sat, last=sun, gran="week", precision=2, relative=True, date=sat)


@rule(
    "month_rel",
    "rel",
    r"\b(?:(?P<part>earlier|early|late|later|mid|at\s+the\s+(?:beginning|start|end)\s+of|début|debut|fin|plus\s+tôt|au\s+début\s+du|à\s+la\s+fin\s+du)[\s-]+)?(?P<which>this|last|the\s+previous|previous|the\s+past|past|ce|le)\s+(?P<w>month|mois)(?:(?P<ci>-ci)|\s+(?P<fr>dernier|passé))?\b|\b(?:plus\s+tôt|au\s+début|à\s+la\s+fin|fin|début)\s+(?P<ce>ce\s+mois(?:-ci)?|du\s+mois)\b",
)
def _month_rel(m, ref):
    if ref is None:
        return None
    which = (m["which"] or "ce").lower()
    if which == "le" and not m["fr"]:
        return None
    last = which in ("last", "the previous", "previous") or bool(m["fr"])
    if which in ("past", "the past"):
        return dict(
            first=ref - dt.timedelta(days=29),
            last=ref,
            gran="month",
            precision=3,
            relative=True,
            date=ref - dt.timedelta(days=15),
        )
    y, mo = (ref.year, ref.month) if not last else divmod(ref.year * 12 + ref.month - 2, 12)
    if last:
        mo += 1
    first, lastd = dt.date(y, mo, 1), _month_last(y, mo)
    part = (m["part"] or m.group(0).split()[0] if m["ce"] else m["part"] or "").lower()
    if part.startswith(("early", "début", "debut", "au début", "at the beginning", "at the start")):
        return dict(
            first=first,
            last=first + dt.timedelta(days=9),
            gran="month",
            precision=3,
            relative=True,
            date=first,
        )
    if part.startswith(("late", "fin", "à la fin", "at the end")):
        return dict(
            first=lastd - dt.timedelta(days=9),
            last=lastd,
            gran="month",
            precision=3,
            relative=True,
            date=_clamp(lastd, ref),
        )
    if part.startswith(("earlier", "plus")):  # earlier this month: from the 1st up to the report
        lastd = min(lastd, ref)
    coded = dt.date(y, mo, 15)
    if not last and coded > ref:
        coded = first + (min(lastd, ref) - first) / 2
    return dict(first=first, last=lastd, gran="month", precision=3, relative=True, date=coded)


@rule(
    "year_rel",
    "rel",
    r"\b(?:(?P<part>earlier|early|late|later|mid|at\s+the\s+(?:beginning|start|end)\s+of|the\s+end\s+of|the\s+beginning\s+of|end\s+of|début|debut|fin|plus\s+tôt|à\s+la\s+fin\s+de|au\s+début\s+de)[\s-]+(?:d[e']\s*)?)?(?:(?P<which>this|last|the\s+previous|previous|the\s+past|past)\s+year|(?P<fr>l'année|l’année|cette\s+année)(?:\s+(?P<frw>dernière|derniere|passée|passee))?)\b",
)
def _year_rel(m, ref):
    if ref is None:
        return None
    which = (m["which"] or "").lower()
    if m["fr"]:
        fr = m["fr"].lower()
        if fr.startswith("cette"):
            which = "this"
        elif m["frw"]:
            which = "last"
        else:
            return None
    if which in ("past", "the past"):
        return dict(
            first=ref - dt.timedelta(days=364),
            last=ref,
            gran="year",
            precision=3,
            relative=True,
            date=ref - dt.timedelta(days=182),
        )
    y = ref.year - (1 if which in ("last", "previous", "the previous") else 0)
    first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
    part = (m["part"] or "").lower()
    if part:
        if part.startswith(("earlier", "plus")):
            return dict(
                first=first,
                last=min(last, ref),
                gran="year",
                precision=3,
                relative=True,
                date=first + (min(last, ref) - first) / 2,
            )
        a, b = _quarter_of_part(
            part.replace("at the ", "")
            .replace(" of", "")
            .replace("à la ", "")
            .replace(" de", "")
            .replace("au ", "")
            .replace("the ", "")
            .strip(),
            y,
        )
        if part.startswith(("mid",)):
            a, b = dt.date(y, 5, 1), dt.date(y, 8, 31)
        return dict(
            first=a, last=b, gran="quarter", precision=3, relative=True, date=_clamp(a + (b - a) / 2, ref)
        )
    if y == ref.year:
        last = ref
    return dict(
        first=first,
        last=last,
        gran="year",
        precision=3,
        relative=True,
        date=_clamp(first + (last - first) / 2, ref),
    )


_SINCE = re.compile(
    r"(?:\b(?:since|depuis|ever\s+since)\s+(?:(?:the\s+)?(?:start|beginning)\s+of\s+|le\s+début\s+de\s+|le\s+|la\s+)?)$",
    re.IGNORECASE,
)
_LAST_BEFORE = re.compile(r"\b(?:last|this\s+past)\s+$", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------
# scanning


def find_dates(text: str, published: dt.date | str | None, lang: str | None = None) -> list[DateMention]:
    """All date expressions of ``text`` resolved against ``published`` (longest match wins on overlap).

    ``lang`` is accepted for symmetry with the other extractors; the rules cover English and French
    together (a French report quoting an English date is read too).
    """
    ref = _as_date(published)
    cands: list[tuple[int, int, str, dict]] = []
    windows = _all_windows(text)
    seen: set[tuple[int, int, str]] = set()
    for name, rx, fn in _RULES:
        for m in (m for a, b in windows[_RULE_ANCHOR[name]] for m in rx.finditer(text, a, b)):
            if (m.start(), m.end(), name) in seen:
                continue
            seen.add((m.start(), m.end(), name))
            if m.end() - m.start() < 2:
                continue
            s, e = m.start(), m.end()
            # trim spaces the optional groups may have eaten
            while s < e and text[s].isspace():
                s += 1
            if s > 0 and text[s - 1].isalnum():
                continue
            try:
                res = fn(m, ref)
            except (ValueError, OverflowError, KeyError):
                res = None
            if res:
                cands.append((s, e, name, res))
    # longest first, then earliest; drop overlaps
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for s, e, name, res in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        res = dict(res)
        res.pop("_raw", None)
        first, last = res.pop("first"), res.pop("last")
        gran = res.pop("gran")
        mention = _mk(text[s:e], s, e, first, last, gran, ref=ref, rule=name, **res)
        # "last July" (the month rule handles "July last"), "since October"
        before = text[max(0, s - 30) : s]
        lb = _LAST_BEFORE.search(before)
        if lb and gran == "month" and ref is not None and mention.relative:
            mon = mention.first.month
            y = _infer_month_year(mon, ref, strictly_before=True)
            first, last = dt.date(y, mon, 1), _month_last(y, mon)
            mention = _mk(
                text[s - len(lb.group(0)) : e],
                s - len(lb.group(0)),
                e,
                first,
                last,
                "month",
                date=dt.date(y, mon, 15),
                precision=3,
                ref=ref,
                relative=True,
                rule=name + "+last",
            )
            s = mention.start_char
            before = text[max(0, s - 30) : s]
        sm = _SINCE.search(before)
        if sm and ref is not None and mention.first and mention.first <= ref:
            ns = s - len(sm.group(0))
            first = mention.first
            mention = _mk(
                text[ns:e],
                ns,
                e,
                first,
                ref,
                "range",
                date=first,
                ref=ref,
                relative=True,
                rule=mention.rule + "+since",
                explicit_range=True,
            )
        out.append(mention)
    out.sort(key=lambda d: d.start_char)
    return out


def resolve_expression(
    expr: str, published: dt.date | str | None, lang: str | None = None
) -> DateMention | None:
    """Resolve one date expression; our rules first, dateparser as the fallback."""
    found = find_dates(expr, published, lang)
    if found:
        return max(found, key=lambda d: d.end_char - d.start_char)
    ref = _as_date(published)
    d = _dateparser(expr, ref, lang)
    if d is None:
        return None
    return DateMention(expr, 0, len(expr), d, None, 1, "day", d, d, True, "dateparser")


def _dateparser(expr: str, ref: dt.date | None, lang: str | None) -> dt.date | None:
    import dateparser

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
    }
    if ref is not None:
        settings["RELATIVE_BASE"] = dt.datetime(ref.year, ref.month, ref.day, 12)
    langs = [lang] if lang in ("en", "fr") else ["en", "fr"]
    try:
        got = dateparser.parse(expr, languages=langs, settings=settings)
    except Exception:
        return None
    return got.date() if got else None


_DATELINE_NOISE = re.compile(
    r"^(?:published|updated|posted|last\s+updated|publié|mis\s+à\s+jour|modifié)\s*(?:on|le)?\s*:?\s*",
    re.IGNORECASE,
)
_DATELINE_OK = re.compile(r"^[\w\s,.:/'’-]+$")


def parse_standalone_date(line: str, lang: str | None = None) -> dt.date | None:
    """The date of a line that is nothing but a date (a dateline), else None.

    Accepts "3 April 2020", "April 3, 2020", "Friday 3 April 2020 10:32", "Publié le 3 avril 2020",
    "03/04/2020", "2020-04-03". A full date with a year is required; prose lines are rejected.
    """
    s = _DATELINE_NOISE.sub("", line.strip()).strip(" .|–—-")
    if not s or len(s) > 50 or not _DATELINE_OK.match(s) or not re.search(r"(19|20)\d\d", s):
        return None
    words = re.findall(r"[A-Za-zÀ-ÿ]+", s)
    allowed = (
        set(MONTHS)
        | set(WEEKDAYS)
        | {
            "am",
            "pm",
            "gmt",
            "utc",
            "at",
            "à",
            "h",
            "le",
            "on",
            "of",
            "the",
            "st",
            "nd",
            "rd",
            "th",
            "er",
            "t",
            "z",
            "mon",
            "tue",
            "wed",
            "thu",
            "fri",
            "sat",
            "sun",
        }
    )
    if any(w.lower() not in allowed for w in words):
        return None
    found = [d for d in find_dates(s, None) if d.granularity == "day" and d.time_precision == 1]
    if found:
        return found[0].date
    import dateparser

    try:
        got = dateparser.parse(
            s,
            languages=[lang] if lang in ("en", "fr") else ["en", "fr"],
            settings={"STRICT_PARSING": True, "DATE_ORDER": "DMY"},
        )
    except Exception:
        return None
    return got.date() if got else None


# ------------------------------------------------------------------------------------------------
# ACLED notes

_NOTE_LABEL = re.compile(r"^\s*['\"‘“]?\s*(?:[A-Z][A-Za-z /&-]{2,40}:\s+)?")
_NOTE_WEEK = re.compile(
    r"\b(?:around|on\s+or\s+around|about|week\s+of|over|during\s+the\s+week|as\s+reported\s+on|reported\s+on|between)\b",
    re.IGNORECASE,
)
_NOTE_MONTH = re.compile(
    r"\b(?:in|during|throughout|early|late|mid|the\s+end\s+of|the\s+beginning\s+of)\s*-?\s*$", re.IGNORECASE
)


def note_date(text: str, reference: dt.date | str | None) -> DateMention | None:
    """The event date of an ACLED note ("On 30 December 2019, ...", "On February 13, ...").

    ``reference`` is a day on or after the event (the note's publication or upload day): year-less
    dates take the latest year that puts them on or before it. The note's first date expression
    is used; ranges give their first day (ACLED's convention); "around", "week of", "over" give
    time_precision 2, a month alone 3.
    """
    ref = _as_date(reference)
    body_start = _NOTE_LABEL.match(text).end()
    head = text[body_start : body_start + 160]
    found = [d for d in find_dates(head, ref) if d.granularity in ("day", "range", "month", "week")]
    if not found:
        return None
    d = found[0]
    s, e = d.start_char + body_start, d.end_char + body_start
    prefix = text[body_start:s]
    precision = d.time_precision
    date = d.date
    if d.granularity == "range":
        date = d.first or d.date
        precision = (
            1
            if re.match(r"\s*from\b", d.text, re.IGNORECASE)
            else max(precision, 2 if (d.last - d.first).days > 1 else 1)
        )
    if d.granularity == "day":
        precision = (
            2
            if (_NOTE_WEEK.search(prefix) or re.match(r"\s*\(week of\)", text[e : e + 14], re.IGNORECASE))
            else 1
        )
    if d.granularity == "month":
        precision = 3
    return DateMention(
        text[s:e],
        s,
        e,
        date,
        d.date_end,
        precision,
        d.granularity,
        d.first,
        d.last,
        d.relative,
        "note:" + d.rule,
    )


# ------------------------------------------------------------------------------------------------
# spaCy (thin): ``nlp.add_pipe("sahelwatch_dates")`` after ``register_spacy_components()``


def register_spacy_components() -> None:
    """Register ``Doc._.published`` (set it before running), ``Doc._.dates`` and the "sahelwatch_dates" component."""
    from spacy.language import Language
    from spacy.tokens import Doc

    for name in ("published", "dates"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Language.has_factory("sahelwatch_dates"):

        @Language.component("sahelwatch_dates")
        def _dates_component(doc):  # noqa: ANN001 - spaCy signature
            doc._.dates = find_dates(doc.text, doc._.published, doc.lang_)
            return doc
