"""The full pipeline on real articles with hand-coded gold events (../shared/data/articles), scored by the
shared scorer (../shared/tools/score_articles.py), overall and by language.

    .venv/bin/python -m evaluation.eval_articles [DIR] [--json FILE] [--pred PRED_DIR] [--model DIR]
        [--doc NN ...] [--errors [FIELD,...]] [--score-only] [--country-focus]

Each document is extracted alone, with its publication date when gold.json gives one and its language
(``sahelwatch.extract.evaluate_articles``); one ACLED-column CSV per document goes into PRED_DIR (default
evaluation/output/articles_pred, outside the package). The official figures are the shared scorer's, run at
run time from ../shared (never copied here); by language, the scorer is run on the gold documents of one
language; the fields over all gold events (``*_of_gold``, a missed event counting wrong) come from the
library. The library's own implementation of the same matching (used by ``sahelwatch evaluate
--articles``) is scored too, and ``scorer_agreement`` says whether both give identical figures.

--errors lists, per document, the gold events missed (with their evidence), the predictions that match
nothing (with their sentence) and the wrong fields of matched events (``--errors place,adm1`` limits the
fields shown). --doc limits the run to some documents (development only: figures are then on those).
--country-focus gives each document the gold's country_focus as `--country` would (not the default: a
user hands documents in without it).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from sahelwatch.extract import evaluate_articles as ea
from sahelwatch.extract.pipeline import Pipeline
from sahelwatch.ingest.documents import read_document

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
ARTICLES = SHARED / "data" / "articles"
SCORER = SHARED / "tools" / "score_articles.py"
KEYS = (
    "event_recall",
    "event_precision",
    "event_f1",
    "end_to_end",
    "etype_matched",
    "sub_matched",
    "a1_matched",
    "a2_matched",
    "date_matched",
    "place_matched",
    "adm1_matched",
    "fat_matched",
)


def shared_scorer():
    spec = importlib.util.spec_from_file_location("score_articles", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_scorer(scorer, gold: list[dict], pred_dir: Path) -> dict:
    """The shared scorer on these gold documents (written to a temporary gold.json; nothing is kept)."""
    with tempfile.TemporaryDirectory(prefix="sw-articles-") as tmp:
        (Path(tmp) / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            scorer.main(tmp, str(pred_dir))
    return json.loads(err.getvalue())


def of_gold(figures: dict) -> dict:
    """The fields over all gold events (the library's, on the matching checked identical to the scorer's)."""
    return {k: v for k, v in figures.items() if k.endswith("_of_gold")}


def agree(official: dict, own: dict) -> list[str]:
    return [
        f"{k}: scorer {official.get(k)} vs library {own.get(k)}"
        for k in KEYS
        if official.get(k) is None or abs(float(official[k]) - float(own[k])) > 1e-9
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default=str(ARTICLES))
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--pred", default=str(HERE / "output" / "articles_pred"))
    ap.add_argument("--model", default=None, help="model directory from `sahelwatch train` (default: rules)")
    ap.add_argument("--doc", action="append", default=[], help="only this document (stem); repeatable")
    ap.add_argument(
        "--errors",
        nargs="?",
        const=",".join(ea.FIELDS),
        default=None,
        help="list errors per document (optionally only these fields: place,adm1,...)",
    )
    ap.add_argument("--score-only", action="store_true", help="score the predictions already in --pred")
    ap.add_argument(
        "--country-focus", action="store_true", help="give each document the gold's country_focus"
    )
    a = ap.parse_args(argv)
    folder = Path(a.folder)
    if not (folder / "gold.json").is_file():
        print(f"skipped: {folder / 'gold.json'} is absent (../shared holds the evaluation data)")
        return 0
    pred = Path(a.pred)
    t0 = time.perf_counter()
    if a.score_only:
        gold = ea.load_gold(folder)
        if a.doc:
            gold = [d for d in gold if Path(d["doc"]).stem in {Path(x).stem for x in a.doc}]
        rep = ea.score_folder(folder, pred, gold)
    else:
        from sahelwatch.extract.places import split_glued

        pipe = Pipeline.load(a.model, lang="en")
        rep = ea.evaluate_articles(
            folder,
            pred,
            pipe,
            read_document,
            split_glued=split_glued,
            docs=a.doc or None,
            country_focus_from_gold=a.country_focus,
        )
    secs = time.perf_counter() - t0

    result: dict = {
        "meta": {
            "folder": str(folder),
            "predictions": str(pred),
            "seconds": round(secs, 1),
            "model": a.model,
            "documents": len(rep.gold),
            "country_focus": a.country_focus,
        }
    }
    mismatches: list[str] = []
    if SCORER.is_file():
        scorer = shared_scorer()
        official = run_scorer(scorer, rep.gold, pred)
        mismatches += agree(official, rep.overall)
        result.update({k: official[k] for k in ("docs", "gold_events", "predicted_events", *KEYS)})
        result.update(of_gold(rep.overall))
        result["by_language"] = {}
        for lang, own in rep.by_language.items():
            sub = [d for d in rep.gold if d.get("lang") == lang]
            off = run_scorer(scorer, sub, pred)
            mismatches += [f"[{lang}] {m}" for m in agree(off, own)]
            result["by_language"][lang] = {
                k: off[k] for k in ("docs", "gold_events", "predicted_events", *KEYS)
            }
            result["by_language"][lang].update(of_gold(own))
        result["scorer"] = str(SCORER)
        result["scorer_agreement"] = not mismatches
        result["scorer_mismatches"] = mismatches
    else:
        result.update(rep.overall)
        result["by_language"] = rep.by_language
        result["scorer"] = None
        result["scorer_agreement"] = None
    result["library"] = {"overall": rep.overall, "by_language": rep.by_language}

    print(ea.render_summary(rep))
    print(f"({len(rep.gold)} documents in {secs:.0f} s; predictions in {pred})")
    if SCORER.is_file():
        if mismatches:
            print("SHARED SCORER AND LIBRARY DISAGREE:\n  " + "\n  ".join(mismatches), file=sys.stderr)
        else:
            print("shared scorer and library agree")
    if a.errors is not None:
        print()
        print(ea.render_errors(rep, only=[f for f in a.errors.split(",") if f]))
    if a.json_out:
        Path(a.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json_out).write_text(json.dumps(result, indent=1, default=float), encoding="utf-8")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
