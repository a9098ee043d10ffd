"""Extraction throughput vs the bare spaCy model (the parse is the floor).

    .venv/bin/python benchmarks/bench_extraction.py [--notes 1000] [--articles 40] [--mali] [--repeat 2] [--model DIR]

Compares, on the same texts, in one process (one core):
  bare      spacy.load(<model>) with every default component, ``list(nlp.pipe(texts))``
  pipeline  ``list(Pipeline.load(MODEL).pipe(documents))``: parse + cues + dates + places + deaths + actors +
            typing + claims, events built with provenance (``--model DIR``: the trained pipeline, with its
            typer, coded places and region model; default: rules only).
Texts: 1,000 short notes (synthetic, generated here from templates; ``--mali`` uses the Mali ACLED notes
from ../shared instead) and long articles (synthetic, ~35 sentences: background with a few dated events).
Prints documents per second (per core: a single process) and the ratio pipeline/bare (target >= 0.75).
Writes benchmarks/output/extraction.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PLACES = [
    "Boni",
    "Douentza",
    "Menaka",
    "Gao",
    "Kidal",
    "Boulkessi",
    "Mondoro",
    "Djibo",
    "Sevare",
    "Bankass",
    "Koro",
    "Tenenkou",
    "Ansongo",
    "Niono",
    "Macina",
    "Dioura",
    "Hombori",
    "Gossi",
    "Tessit",
    "Aguelhok",
]
ACTORS = [
    "unknown gunmen",
    "suspected JNIM militants",
    "presumed ISGS militants",
    "Dozo militiamen",
    "Fulani militiamen",
    "the Malian army",
    "French forces",
    "Dan Na Ambassagou militiamen",
]
VICTIMS = [
    "villagers",
    "herders",
    "traders",
    "civilians",
    "soldiers",
    "gendarmes",
    "peacekeepers",
    "militants",
]
NOTE_TEMPLATES = [
    "On {date}, {actor} attacked the village of {place} and killed {n} {victims}.",
    "On {date}, {actor} ambushed an army patrol near {place}; {n} soldiers were killed and others wounded.",
    "On {date}, a vehicle struck an IED between {place} and {place2}, killing {n} {victims}.",
    "On {date}, {actor} abducted {n} {victims} near {place}. They were released the next day.",
    "On {date}, residents of {place} staged a protest against insecurity and blocked the main road.",
    "On {date}, {actor} burned houses and seized livestock in {place} (coded as {place} at geoprecision 1).",
    "On {date}, French aircraft carried out strikes near {place}, killing {n} militants.",
    "On {date}, militants fired mortar shells at the MINUSMA camp in {place}; no casualties were reported.",
]
BACKGROUND = [
    "Officials in the capital said the security situation had worsened over the past year.",
    "Aid agencies say thousands of families have fled their homes since the start of the rainy season.",
    "The government has promised to send more troops and to rebuild the roads.",
    "Analysts say the armed groups exploit local disputes over land and water.",
    "A regional summit is planned for next month to discuss cooperation on border security.",
    "Residents describe markets that open only a few days a week because of the threat.",
    "The United Nations mission has about thirteen thousand personnel in the country.",
    "Teachers in several districts have not been paid for months, according to their union.",
]


def synthetic_notes(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _i in range(n):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(360))
        out.append(
            rnd.choice(NOTE_TEMPLATES).format(
                date=day.strftime("%B %-d"),
                actor=rnd.choice(ACTORS),
                place=rnd.choice(PLACES),
                place2=rnd.choice(PLACES),
                n=rnd.choice(["two", "three", "4", "five", "12", "several"]),
                victims=rnd.choice(VICTIMS),
            )
        )
    return out


def synthetic_articles(n: int, seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    notes = synthetic_notes(n * 4, seed)
    out = []
    for i in range(n):
        sents = [rnd.choice(BACKGROUND) for _ in range(30)]
        for k in range(4):
            sents.insert(rnd.randrange(len(sents)), notes[i * 4 + k])
        out.append(" ".join(sents))
    return out


def mali_notes(n: int) -> list[str] | None:
    path = HERE.parent.parent / "shared" / "data" / "acled" / "acled_mali_2017_2019_monadic.csv"
    if not path.exists():
        return None
    import pandas as pd

    notes = pd.read_csv(path, usecols=["event_id_cnty", "notes"]).drop_duplicates("event_id_cnty")["notes"]
    return notes.dropna().astype(str).head(n).tolist()


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench(texts: list[str], label: str, repeat: int, batch_size: int, model_dir: str | None = None) -> dict:
    import spacy

    from sahelwatch.extract.pipeline import SPACY_MODELS, Pipeline
    from sahelwatch.model import Document

    bare = None
    model_name = None
    for model_name in SPACY_MODELS["en"]:
        try:
            bare = spacy.load(model_name)
            break
        except OSError:
            continue
    pipe = Pipeline.load(model_dir)
    # the same spaCy components as the pipeline uses (the honest floor: what our own code costs on top)
    same = spacy.load(model_name, exclude=[c for c in bare.pipe_names if c not in pipe.nlp.pipe_names])
    pub = dt.date(2019, 12, 31)
    docs = [Document(id=f"b{i}", text=t, published=pub, language="en") for i, t in enumerate(texts)]
    # warm both (lazy tables, gazetteer and registry caches)
    list(bare.pipe(texts[:20]))
    list(same.pipe(texts[:20]))
    list(pipe.pipe(docs[:20]))
    t_bare = timed(lambda: list(bare.pipe(texts, batch_size=batch_size)), repeat)
    t_same = timed(lambda: list(same.pipe(texts, batch_size=batch_size)), repeat)
    n_events = 0

    def run():
        nonlocal n_events
        n_events = sum(len(r.events) for r in pipe.pipe(docs, batch_size=batch_size))

    t_pipe = timed(run, repeat)
    chars = sum(map(len, texts))
    return {
        "texts": label,
        "documents": len(texts),
        "mean_chars": round(chars / len(texts)),
        "bare_components": bare.pipe_names,
        "pipeline_components": pipe.nlp.pipe_names,
        "bare_docs_per_s": round(len(texts) / t_bare, 1),
        "pipeline_docs_per_s": round(len(texts) / t_pipe, 1),
        "same_components_docs_per_s": round(len(texts) / t_same, 1),
        "ratio": round(t_bare / t_pipe, 3),
        "ratio_vs_same_components": round(t_same / t_pipe, 3),
        "events": n_events,
        "model": model_dir,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="extraction throughput vs bare nlp.pipe")
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument(
        "--mali", action="store_true", help="use the Mali ACLED notes from ../shared as short texts"
    )
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument(
        "--model",
        default=None,
        help="a model directory from `sahelwatch train` (typer, aliases, "
        "coded places, region model): bench the trained pipeline",
    )
    args = ap.parse_args(argv)
    short = mali_notes(args.notes) if args.mali else None
    label = "Mali ACLED notes" if short else "synthetic notes"
    short = short or synthetic_notes(args.notes)
    results = [
        bench(short, label, args.repeat, args.batch_size, args.model),
        bench(synthetic_articles(args.articles), "synthetic long articles", args.repeat, 8, args.model),
    ]
    for r in results:
        print(
            f"{r['texts']:>26}: {r['documents']} docs, {r['mean_chars']} chars avg | bare {r['bare_docs_per_s']} docs/s/core"
            f" | pipeline {r['pipeline_docs_per_s']} docs/s/core | ratio {r['ratio']:.2f} (target >= 0.75)"
            f" | vs same spaCy components {r['ratio_vs_same_components']:.2f}"
            f" | {r['events']} events{' (trained model)' if r['model'] else ''}"
        )
    out = HERE / "output"
    out.mkdir(exist_ok=True)
    (out / "extraction.json").write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
