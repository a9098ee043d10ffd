"""Issue 15's figures on the real Mali ACLED file in ../shared: a brief for 2019-03 in English and French.

    .venv/bin/python -m evaluation.eval_brief [--out /tmp/briefs] [--json evaluation/output/brief.json]

Imports the file into a store outside the repository, builds and renders each brief (PDF + HTML + JSON),
and reports per language: build and render seconds, PDF size and pages, images in the PDF, the numbers in
the appendix, and whether every number the text shows is found, with the same value, in the appendix and
no other digit appears in the data parts of the text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import sahelwatch
from sahelwatch.ingest.acled import import_acled
from sahelwatch.report.brief import render

MALI = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "acled"
    / "acled_mali_2017_2019_monadic.csv"
)


def check_numbers(html_text: str) -> dict:
    from lxml import html as lh

    doc = lh.fromstring(html_text)
    appendix = {td.get("data-value"): td.text_content().strip() for td in doc.xpath("//td[@data-value]")}
    spans = doc.xpath("//body//span[@data-ref]")
    missing = [
        s.get("data-ref") for s in spans if appendix.get(s.get("data-ref")) != s.text_content().strip()
    ]
    body = doc.xpath("//body")[0]
    for el in body.xpath(
        "//span[@data-ref]|//time|//span[@class='name']|//span[@class='id']|//p[@class='note']"
        "|//section[contains(@class,'appendix')]|//style|//th|//figcaption|//div[@class='sub']"
        "|//span[@class='src']"
    ):
        if el.getparent() is not None:
            el.drop_tree()
    stray = re.findall(r".{0,25}\d.{0,25}", body.text_content())
    return {
        "numbers_shown": len(spans),
        "distinct_numbers": len(set(s.get("data-ref") for s in spans)),
        "appendix_rows": len(appendix),
        "not_in_appendix": missing,
        "digits_outside_numbers": stray[:10],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--period", default="2019-03")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if not MALI.exists():
        print(f"skipped: {MALI} is absent")
        return 0
    from pypdf import PdfReader

    out = args.out or Path(tempfile.mkdtemp(prefix="sahelwatch-eval-brief-"))
    out.mkdir(parents=True, exist_ok=True)
    store = sahelwatch.open(str(out / "mali.db"))
    if store.count() == 0:
        import_acled(store, MALI)
    res = {}
    for lang in ("en", "fr"):
        t0 = time.perf_counter()
        b = sahelwatch.brief(
            store, country="Mali", period=args.period, lang=lang, out_dir=out / f"fig_{lang}"
        )
        t1 = time.perf_counter()
        paths = render(b, [out / f"brief_{lang}.pdf", out / f"brief_{lang}.html"])
        t2 = time.perf_counter()
        pdf = out / f"brief_{lang}.pdf"
        reader = PdfReader(str(pdf))
        r = {
            "build_s": round(t1 - t0, 1),
            "render_s": round(t2 - t1, 1),
            "total_s": round(t2 - t0, 1),
            "pdf_bytes": pdf.stat().st_size,
            "pages": len(reader.pages),
            "images": sum(len(p.images) for p in reader.pages),
            "files": [str(p) for p in paths],
            **check_numbers((out / f"brief_{lang}.html").read_text(encoding="utf-8")),
        }
        res[lang] = r
        print(
            f"{lang}: {r['total_s']} s (build {r['build_s']}, render {r['render_s']}), {r['pdf_bytes'] / 1e6:.2f} MB, "
            f"{r['pages']} pages, {r['images']} images; {r['numbers_shown']} numbers shown "
            f"({r['distinct_numbers']} distinct), {len(r['not_in_appendix'])} not in the appendix, "
            f"{len(r['digits_outside_numbers'])} stray digits"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1))
    ok = all(not r["not_in_appendix"] and not r["digits_outside_numbers"] for r in res.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
