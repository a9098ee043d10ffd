"""Evaluate actor recognition and the registry on an ACLED export (default: the shared Mali file).

    .venv/bin/python evaluation/eval_actors.py [--acled FILE] [--test-year 2019] [--train-until 2018]
                                               [--no-hint] [--json OUT.json] [--limit N] [--errors N]

Reports, on the test year's notes:
  * registry coverage: share of the file's distinct actor1/assoc_actor_1 strings that normalise to an entry;
  * actor1 / actor2 exact match after normalisation (both sides passed through Registry.normalise),
    with the event_type as hint (as the event coder supplies it) and without hint; "lin" columns compare
    lineages (a renamed group or another period of the same state force counts as a match);
  * associated actors (assoc_actor_1 and assoc_actor_2 as sets): micro precision, recall, F1;
  * the same with aliases learned by learn_aliases() on the training years (notes <= --train-until).
Reads ../shared data: evaluation only, nothing derived from it is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from sahelwatch.actors import Registry, split_actors
from sahelwatch.extract.actors import assign_roles, learn_aliases, load_nlp

DEFAULT = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "acled" / "acled_mali_2017_2019_monadic.csv"
)
if not DEFAULT.exists():
    DEFAULT = Path("/work/shared/data/acled/acled_mali_2017_2019_monadic.csv")


def coverage(raw: pd.DataFrame, reg: Registry) -> tuple[float, list[str], int]:
    names: set[str] = set()
    for col in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
        if col in raw.columns:
            for v in raw[col].dropna():
                names.update(split_actors(v))
    missing = sorted(n for n in names if reg.normalise(n) is None)
    return 1 - len(missing) / max(1, len(names)), missing, len(names)


def _norm(reg: Registry, name, country, lineage: bool) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    a = reg.normalise(name, country=country)
    if a is None:
        return name
    return reg.lineage(a.name) if lineage else a.name


def _assoc_set(reg: Registry, value, country) -> set[str]:
    out = set()
    for nm in split_actors(value):
        a = reg.normalise(nm, country=country)
        out.add(a.name if a else nm)
    return out


def score(ev: pd.DataFrame, reg: Registry, hint: bool, docs) -> dict:
    n = ok1 = ok2 = ok1l = ok2l = both = 0
    tp = fp = fn = 0
    rows = []
    for (_, r), doc in zip(ev.iterrows(), docs):
        roles = assign_roles(
            doc,
            country=r["country"],
            date=r["event_date"],
            event_type_hint=r["event_type"] if hint else None,
            registry=reg,
        )
        g1, g2 = (
            _norm(reg, r["actor1"], r["country"], False),
            _norm(reg, r.get("actor2"), r["country"], False),
        )
        p1, p2 = _norm(reg, roles.actor1, r["country"], False), _norm(reg, roles.actor2, r["country"], False)
        a = g1 == p1
        b = g2 == p2
        ok1 += a
        ok2 += b
        both += a and b
        ok1l += _norm(reg, r["actor1"], r["country"], True) == _norm(reg, roles.actor1, r["country"], True)
        ok2l += _norm(reg, r.get("actor2"), r["country"], True) == _norm(
            reg, roles.actor2, r["country"], True
        )
        for gold_col, pred in (
            ("assoc_actor_1", roles.assoc_actor_1),
            ("assoc_actor_2", roles.assoc_actor_2),
        ):
            gs, ps = _assoc_set(reg, r.get(gold_col), r["country"]), _assoc_set(reg, pred, r["country"])
            tp += len(gs & ps)
            fp += len(ps - gs)
            fn += len(gs - ps)
        n += 1
        if not (a and b):
            rows.append((r["notes"], g1, p1, g2, p2))
    return {
        "n": n,
        "actor1": ok1 / n,
        "actor2": ok2 / n,
        "both": both / n,
        "actor1_lineage": ok1l / n,
        "actor2_lineage": ok2l / n,
        "assoc_precision": tp / max(1, tp + fp),
        "assoc_recall": tp / max(1, tp + fn),
        "assoc_f1": 2 * tp / max(1, 2 * tp + fp + fn),
        "errors": rows,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--acled", default=str(DEFAULT))
    ap.add_argument("--test-year", type=int, default=2019)
    ap.add_argument("--train-until", type=int, default=2018)
    ap.add_argument(
        "--score-train", action="store_true", help="score the training years instead (for tuning)"
    )
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="print N mismatches")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    if str(Path(__file__).resolve().parents[1]) not in sys.path:
        # run as a script (``python evaluation/eval_actors.py``): the repository root makes ``evaluation`` importable
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from evaluation._data import acled_events

    all_events = acled_events(args.acled)  # through the importer: monadic or dyadic, current or old format
    ev = all_events[all_events["notes"].notna()]
    train = ev[ev["event_date"].dt.year <= args.train_until]
    test = train if args.score_train else ev[ev["event_date"].dt.year == args.test_year]
    if args.limit:
        test = test.head(args.limit)

    reg = Registry.load()
    cov, missing, distinct = coverage(all_events, reg)
    t0 = time.perf_counter()
    nlp = load_nlp("en")
    docs = list(nlp.pipe(test["notes"].tolist(), batch_size=64))
    t_parse = time.perf_counter() - t0

    out: dict = {
        "file": Path(args.acled).name,
        "test": "train years" if args.score_train else args.test_year,
        "events": len(test),
        "coverage": {"distinct_actor_strings": distinct, "normalised": cov, "missing": missing},
    }
    t1 = time.perf_counter()
    out["rules_hint"] = score(test, reg, True, docs)
    t_roles = time.perf_counter() - t1
    out["rules_no_hint"] = score(test, reg, False, docs)
    aliases = learn_aliases(train, registry=reg)
    reg_l = reg.with_aliases(aliases)
    out["learned_aliases"] = len(aliases)
    out["learned_hint"] = score(test, reg_l, True, docs)
    out["learned_no_hint"] = score(test, reg_l, False, docs)
    out["seconds"] = {
        "parse": round(t_parse, 2),
        "roles_per_note_ms": round(1000 * t_roles / max(1, len(test)), 3),
    }

    print(f"file {out['file']}  test={out['test']}  events={len(test)}")
    print(
        f"registry coverage of distinct actor strings: {cov:.3f} ({distinct - len(missing)}/{distinct})"
        + (f"  missing: {missing}" if missing else "")
    )
    print(
        f"{'setting':<22}{'actor1':>8}{'actor2':>8}{'both':>8}{'a1 lin':>8}{'a2 lin':>8}{'assocP':>8}{'assocR':>8}{'assocF1':>8}"
    )
    for k in ("rules_hint", "rules_no_hint", "learned_hint", "learned_no_hint"):
        s = out[k]
        print(
            f"{k:<22}{s['actor1']:>8.3f}{s['actor2']:>8.3f}{s['both']:>8.3f}{s['actor1_lineage']:>8.3f}{s['actor2_lineage']:>8.3f}"
            f"{s['assoc_precision']:>8.3f}{s['assoc_recall']:>8.3f}{s['assoc_f1']:>8.3f}"
        )
    print(
        f"learned aliases: {len(aliases)}; role assignment {out['seconds']['roles_per_note_ms']} ms/note "
        f"(parse {out['seconds']['parse']} s for {len(test)} notes)"
    )
    if args.errors:
        for row in out["rules_hint"]["errors"][: args.errors]:
            print("-", row[0][:200], "\n   gold:", row[1], "|", row[3], "\n   pred:", row[2], "|", row[4])
    if args.json:
        for k in ("rules_hint", "rules_no_hint", "learned_hint", "learned_no_hint"):
            out[k] = {kk: v for kk, v in out[k].items() if kk != "errors"}
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
