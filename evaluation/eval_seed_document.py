"""Document-level and text facts of the seed article (../shared/seed/EXPECTED.md), pass/fail per fact.

    .venv/bin/python evaluation/eval_seed_document.py [SEED.txt]

Checks intake (publication date, bylines, language, clutter gone, "MaliNiger" repaired when the
gazetteer's ``split_glued`` is available), and the text facts this area extracts: resolved dates,
fatality counts and claims. Reads ../shared (copyrighted text: it is never written anywhere).
Exit status 1 when a fact fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from sahelwatch.extract.claims import find_claims, split_sentences
from sahelwatch.extract.dates import find_dates
from sahelwatch.extract.numbers import count_casualties
from sahelwatch.ingest.documents import read_document

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
_args = [a for i, a in enumerate(sys.argv[1:], 1) if a != "--json" and sys.argv[i - 1] != "--json"]
SEED = _args[0] if _args else str(SEED_DIR / "000_dab180ea3c1df447.txt")


def expected_bylines() -> list[str]:
    """The bylines as EXPECTED.md states them (read at run time: the names stay out of the repository)."""
    m = re.search(r"Bylines:\s*([^.]+)\.", (SEED_DIR / "EXPECTED.md").read_text(encoding="utf-8"))
    return [b.strip() for b in m.group(1).split(",")] if m else []


CLUTTER = [
    "Daily coronavirus briefing",
    "No hype, just the advice",
    "Register with your social account",
    "More to explorer",
    "Newsletter Signup",
    "Sign up to receive",
]

results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, bool(ok), detail))


def sentence_with(text: str, needle: str) -> str:
    i = text.index(needle)
    return next(s.text for s in split_sentences(text) if s.start <= i < s.end)


def main() -> int:
    try:
        from sahelwatch.extract.places import split_glued  # provided by the gazetteer area
    except Exception:  # not there yet
        split_glued = None
    doc = read_document(SEED, split_glued=split_glued)
    pub = doc.published
    check(
        "publication date 2020-04-03 (from the body)",
        pub == dt.date(2020, 4, 3),
        f"{pub} via {doc.meta.get('published_source')}",
    )
    want = expected_bylines()
    check("bylines as in EXPECTED.md", bool(want) and doc.bylines == want, f"{len(doc.bylines)} found")
    check(
        "language en", doc.language == "en" and doc.meta.get("language_supported") is True, str(doc.language)
    )
    for c in CLUTTER:
        check(f"clutter gone: {c!r}", c not in doc.text)
    check(
        "no clutter rule fired on reporting (6 lines removed)",
        len(doc.meta.get("clutter_removed", [])) == 6,
        str(len(doc.meta.get("clutter_removed", []))),
    )
    if split_glued is None:
        results.append(
            (
                "'MaliNiger' repaired as 'Mali, Niger'",
                True,
                "SKIP: sahelwatch.extract.places.split_glued not available",
            )
        )
    else:
        check(
            "'MaliNiger' repaired as 'Mali, Niger'", "MaliNiger" not in doc.text and "Mali, Niger" in doc.text
        )
    check(
        "document id stable (16 hex)",
        len(doc.id) == 16 and doc.id == read_document(SEED, split_glued=split_glued).id,
        doc.id,
    )

    text = doc.text
    dates = {m.text.lower(): m for m in find_dates(text, pub)}
    m = dates.get("late last year")
    check(
        "'late last year' → Q4 2019",
        m is not None
        and (m.first, m.last, m.granularity) == (dt.date(2019, 10, 1), dt.date(2019, 12, 31), "quarter"),
        f"{m.first}..{m.last} {m.granularity}" if m else "not found",
    )
    m = dates.get("since october")
    check(
        "'since October' → range 2019-10-01..2020-04-03",
        m is not None and (m.date, m.date_end) == (dt.date(2019, 10, 1), pub),
        f"{m.date}..{m.date_end}" if m else "not found",
    )
    m = dates.get("since last july")
    check(
        "'since last July' → range from 2019-07-01",
        m is not None and m.date == dt.date(2019, 7, 1) and m.date_end == pub,
        f"{m.date}..{m.date_end}" if m else "not found",
    )
    m = next((d for k, d in dates.items() if "2017" in k), None)
    check(
        "'2017 attack' → year 2017",
        m is not None and m.granularity == "year" and m.first.year == 2017,
        m.text if m else "not found",
    )
    m = next((d for k, d in dates.items() if "2012" in k), None)
    check("'from 2012' → year 2012", m is not None and m.first.year == 2012, m.text if m else "not found")
    m = dates.get("this week")
    check(
        "'this week' → ACLED week of 2020-04-03 (precision 2)",
        m is not None and m.time_precision == 2 and m.first <= pub <= m.last,
        f"{m.date}" if m else "not found",
    )

    s = sentence_with(text, "killed four American soldiers")
    check("fatalities: 2017 Niger attack = 4", count_casualties(s).fatalities == 4)
    s = sentence_with(text, "lost more than 100 soldiers")
    check("fatalities: Mali lost more than 100 soldiers = 100", count_casualties(s).fatalities == 100)
    s = sentence_with(text, "al-Baghdadi was killed")
    c = count_casualties(s[s.index("Islamic State leader") : s.index("late last year") + 15])
    check("fatalities: al-Baghdadi raid = 1", c.fatalities == 1, str(c.fatalities))
    s = sentence_with(text, "bombed bridges")
    check(
        "fatalities: highway campaign gives no number (0, not a default)", count_casualties(s).fatalities == 0
    )

    claims = find_claims(text, document_id=doc.id, published=pub)

    def has(kind, pred, label):
        hit = [c for c in claims if c.kind == kind and pred(c)]
        check(
            label,
            bool(hit),
            (f"{hit[0].subject} / {hit[0].object} / {hit[0].value_text} / by {hit[0].stated_by}")
            if hit
            else "missing",
        )

    has(
        "force_strength",
        lambda c: (
            "JNIM" in c.subject
            and c.value == 2000
            and c.qualifier == "at most"
            and "US report" in (c.stated_by or "")
        ),
        "claim: JNIM as many as 2,000 fighters (a US report)",
    )
    has(
        "affiliation",
        lambda c: "JNIM" in c.subject and c.object == "al-Qaeda",
        "claim: JNIM affiliated to al-Qaeda",
    )
    has(
        "force_strength",
        lambda c: "Greater Sahara" in c.subject and c.value_text and "hundreds strong" in c.value_text,
        "claim: ISGS hundreds strong",
    )
    has(
        "troop_numbers",
        lambda c: c.value == 12000 and "Malian army" in c.subject,
        "claim: Malian army about 12,000 soldiers",
    )
    has("troop_numbers", lambda c: c.value == 1400, "claim: about 1,400 US troops in West Africa")
    has(
        "troop_numbers",
        lambda c: c.value == 4400 and "American" in c.subject,
        "claim: 4,400 American troops in East Africa",
    )
    has(
        "troop_numbers",
        lambda c: c.value == 4500 and c.subject == "France",
        "claim: France about 4,500 troops",
    )
    has(
        "troop_numbers",
        lambda c: c.value == 13000 and "United Nations" in c.subject,
        "claim: UN about 13,000 peacekeepers in Mali",
    )
    has(
        "force_strength",
        lambda c: c.value == 800 and "Issa Haidera" in c.subject,
        "claim: militia of 800 led by Issa Haidera",
    )
    has(
        "alliance",
        lambda c: (
            "al-Qaeda" in c.subject
            and "Islamic State" in (c.object or "")
            and "officials" in (c.stated_by or "")
        ),
        "claim: al-Qaeda and IS affiliates cooperating (US and local officials)",
    )
    has(
        "rivalry",
        lambda c: c.subject == "al-Qaeda" and c.object == "the Islamic State" and "enemies" in c.text,
        "claim: al-Qaeda and the Islamic State enemies in Syria and Yemen",
    )
    has(
        "rivalry",
        lambda c: "al-Qaeda leaders" in c.subject and "outraged" in c.text,
        "claim: al-Qaeda leaders outraged at IS recruiting",
    )
    has(
        "pattern",
        lambda c: "every week" in c.text,
        "claim (pattern): attacks every week on Burkinabe soldiers",
    )
    has(
        "pattern",
        lambda c: "since last July" in c.text,
        "claim (pattern): since July 2019 destroying infrastructure...",
    )
    has(
        "pattern", lambda c: "tri-state border" in c.text, "claim (pattern): leaders meet near the tri-border"
    )
    clutter_claims = [c for c in claims if any(x.lower() in c.text.lower() for x in CLUTTER)]
    check("no claim from clutter", not clutter_claims)

    width = max(len(n) for n, _, _ in results)
    failed = 0
    for name, ok, detail in results:
        status = "SKIP" if detail.startswith("SKIP") else ("pass" if ok else "FAIL")
        failed += status == "FAIL"
        print(f"{status}  {name.ljust(width)}  {detail}")
    print(
        f"\n{sum(ok for _, ok, d in results if not d.startswith('SKIP'))}/{sum(1 for _, _, d in results if not d.startswith('SKIP'))} facts pass"
        f" ({sum(1 for _, _, d in results if d.startswith('SKIP'))} skipped); {len(claims)} claims in total"
    )
    if "--json" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--json") + 1])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(
                {"facts": len(results), "failed": failed, "passed": sum(ok for _, ok, _ in results)}, indent=2
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
