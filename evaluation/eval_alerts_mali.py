"""Backtest of the alert rules (data/alert_rules.yaml) on the Mali 2017-2019 ACLED file, week by week.

    .venv/bin/python -m evaluation.eval_alerts_mali [--json evaluation/output/alerts_mali.json]

Every ACLED week (Saturday to Friday) from the 53rd week of the file on, the rules see only the events up to
the end of that week, exactly as the watch would; cooldowns apply as in the store. Reported:

- alerts per week per admin1 (mean, max, share of admin1-weeks with an alert) per rule;
- for surge alerts: **precision** = share followed by elevated violence in the next four weeks (their weekly
  mean >= 1.5 x the surge's baseline, the previous four weeks' mean, and >= 1 event a week);
- **recall of later surges**: surge weeks (>= 3 events and >= 2 x the previous four weeks' mean, ACLED's
  definition) announced by an alert of the admin1 in the four weeks before, and the **lead time** in weeks
  (surge week - first announcing alert); also for surge *onsets* (no surge week in the four weeks before),
  which a surge alert cannot announce by construction, so they are scored for all alerts and the naive rule;
- the same figures for a naive rule: "more events than the week before" (n_t > n_t-1, n_t >= 1).

Nothing from the data is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from sahelwatch.analysis.units import acled_week
from sahelwatch.watch import alerting

ELEVATED = 1.5
HORIZON = 4


def weekly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """admin1 x ACLED week -> events (every week of the span, zeros included)."""
    e = events[events["admin1"].notna()].copy()
    e["week"] = e["event_date"].map(acled_week)
    weeks = pd.date_range(e["week"].min(), e["week"].max(), freq="7D")
    tab = e.groupby(["admin1", "week"]).size().unstack(fill_value=0).reindex(columns=weeks, fill_value=0)
    return tab


def surge_weeks(
    tab: pd.DataFrame, min_events: int = 3, factor: float = 2.0, onsets_only: bool = False
) -> list[tuple[str, pd.Timestamp]]:
    """Weeks meeting ACLED's surge definition; with ``onsets_only``, those with no surge week in the 4 before."""
    out = []
    weeks = list(tab.columns)
    for u, row in tab.iterrows():
        n = row.to_numpy()
        surge = np.zeros(len(n), bool)
        for t in range(4, len(n)):
            base = n[t - 4 : t].mean()
            surge[t] = n[t] >= min_events and n[t] >= factor * base
        for t in range(8, len(n)):
            if surge[t] and not (onsets_only and surge[t - 4 : t].any()):
                out.append((u, weeks[t]))
    return out


def elevated_after(tab: pd.DataFrame, unit: str, week: pd.Timestamp) -> bool | None:
    weeks = list(tab.columns)
    t = weeks.index(week)
    if t + HORIZON >= len(weeks) or t < 4:
        return None  # no four weeks after (or before): not scored
    n = tab.loc[unit].to_numpy() if unit in tab.index else np.zeros(len(weeks))
    base, after = n[t - 4 : t].mean(), n[t + 1 : t + 1 + HORIZON].mean()
    return bool(after >= max(ELEVATED * base, 1.0))


def announced(alerts: dict[str, set], onsets, tab) -> dict:
    weeks = list(tab.columns)
    hits, leads = 0, []
    scored = 0
    for u, w in onsets:
        t = weeks.index(w)
        before = {weeks[k] for k in range(max(0, t - HORIZON), t)}
        got = sorted(before & alerts.get(u, set()))
        scored += 1
        if got:
            hits += 1
            leads.append((w - got[0]).days // 7)
    return {
        "targets": scored,
        "announced": hits,
        "recall": round(hits / scored, 3) if scored else None,
        "lead_weeks_median": float(np.median(leads)) if leads else None,
        "lead_weeks_mean": round(float(np.mean(leads)), 2) if leads else None,
    }


def precision(alerts: list[tuple[str, pd.Timestamp]], tab) -> dict:
    scored = [elevated_after(tab, u, w) for u, w in alerts]
    scored = [s for s in scored if s is not None]
    return {
        "alerts_scored": len(scored),
        "followed_by_elevated": int(sum(scored)),
        "precision": round(sum(scored) / len(scored), 3) if scored else None,
    }


def run(events: pd.DataFrame, rules=None, *, first_week: int = 53) -> dict:
    rules = rules or alerting.load_rules()
    tab = weekly_counts(events)
    weeks = list(tab.columns)
    raised: dict = {}
    all_alerts: list[alerting.Alert] = []
    t0 = time.perf_counter()
    for w in weeks[first_week:]:
        upto = events[events["event_date"] <= w + pd.Timedelta(days=6)]
        cands = alerting.evaluate(upto, rules, week=w)
        kept, _ = alerting.apply_cooldowns(cands, rules, raised)
        all_alerts.extend(kept)
    seconds = time.perf_counter() - t0
    n_weeks = len(weeks[first_week:])
    n_units = len(tab.index)

    def a1(a: alerting.Alert) -> str | None:
        return (
            a.admin1
            if a.admin1
            else (a.place.split(":", 1)[1].split("|")[0] if a.place.startswith("admin1:") else None)
        )

    by_rule: dict[str, dict] = {}
    for rid in sorted({a.rule for a in all_alerts}):
        xs = [a for a in all_alerts if a.rule == rid]
        cnt = Counter((a1(a), a.week) for a in xs)
        by_rule[rid] = {
            "alerts": len(xs),
            "per_week": round(len(xs) / n_weeks, 2),
            "per_week_per_admin1": round(len(xs) / n_weeks / n_units, 3),
            "max_in_one_admin1_week": max(cnt.values()) if cnt else 0,
            "admin1_weeks_with_alert_share": round(len(cnt) / (n_weeks * n_units), 3),
            "by_severity": dict(Counter(a.severity for a in xs)),
        }
    per_admin1 = Counter(a1(a) for a in all_alerts)
    cell = Counter((a1(a), a.week) for a in all_alerts if a1(a))
    dist = Counter(cell.values())
    later = [(u, w) for u, w in surge_weeks(tab) if w >= weeks[first_week]]
    onsets = [(u, w) for u, w in surge_weeks(tab, onsets_only=True) if w >= weeks[first_week]]
    surges = [(a1(a), pd.Timestamp(a.week)) for a in all_alerts if a.kind == "surge"]
    any_alert = defaultdict(set)
    surge_alert = defaultdict(set)
    for a in all_alerts:
        u = a1(a)
        if u:
            any_alert[u].add(pd.Timestamp(a.week))
            if a.kind == "surge":
                surge_alert[u].add(pd.Timestamp(a.week))
    # naive rule: more events than the week before
    naive = []
    for u, row in tab.iterrows():
        n = row.to_numpy()
        for t in range(max(1, first_week), len(n)):
            if n[t] >= 1 and n[t] > n[t - 1]:
                naive.append((u, weeks[t]))
    naive_sets = defaultdict(set)
    for u, w in naive:
        naive_sets[u].add(w)
    return {
        "weeks": n_weeks,
        "admin1_units": n_units,
        "first_week": str(weeks[first_week].date()),
        "last_week": str(weeks[-1].date()),
        "seconds": round(seconds, 1),
        "alerts_total": len(all_alerts),
        "alerts_per_week": round(len(all_alerts) / n_weeks, 2),
        "alerts_per_week_per_admin1": round(len(all_alerts) / n_weeks / n_units, 3),
        "admin1_weeks_with_alert_share": round(len(cell) / (n_weeks * n_units), 3),
        "max_alerts_in_one_admin1_week": max(cell.values()) if cell else 0,
        "admin1_weeks_by_alert_count": {str(k): v for k, v in sorted(dist.items())},
        "by_rule": by_rule,
        "by_admin1": dict(per_admin1.most_common()),
        "surge": {
            **precision(surges, tab),
            **{f"later_surges_{k}": v for k, v in announced(surge_alert, later, tab).items()},
        },
        "any_alert": {
            **precision([(a1(a), pd.Timestamp(a.week)) for a in all_alerts if a1(a)], tab),
            **{f"later_surges_{k}": v for k, v in announced(any_alert, later, tab).items()},
            **{f"onsets_{k}": v for k, v in announced(any_alert, onsets, tab).items()},
        },
        "naive": {
            "rule": "n_t > n_t-1 and n_t >= 1",
            "alerts": len(naive),
            "alerts_per_week": round(len(naive) / n_weeks, 2),
            **precision(naive, tab),
            **{f"later_surges_{k}": v for k, v in announced(naive_sets, later, tab).items()},
            **{f"onsets_{k}": v for k, v in announced(naive_sets, onsets, tab).items()},
        },
        "definitions": {
            "elevated": f"mean of the next {HORIZON} weeks >= {ELEVATED} x the previous 4 weeks' mean "
            "and >= 1 event/week",
            "surge_week": "week with >= 3 events and >= 2 x the previous 4 weeks' mean",
            "surge_onset": "a surge week with no surge week in the 4 weeks before",
            "announced": f"an alert of the admin1 in the {HORIZON} weeks before the onset",
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from evaluation._data import MALI, acled_events

    events = acled_events(MALI)
    res = run(events)
    print(json.dumps(res, indent=1, default=str))
    s, nv = res["surge"], res["naive"]
    print(
        f"{res['alerts_total']} alerts over {res['weeks']} weeks x {res['admin1_units']} admin1 "
        f"({res['alerts_per_week_per_admin1']} per admin1-week); surge alerts: precision {s['precision']} "
        f"({s['followed_by_elevated']}/{s['alerts_scored']}), recall of later surges {s['later_surges_recall']} "
        f"(lead {s['later_surges_lead_weeks_median']} weeks); naive: precision {nv['precision']}, recall "
        f"{nv['later_surges_recall']}, {nv['alerts_per_week']} alerts/week"
    )
    a = res["any_alert"]
    print(
        f"all event alerts: precision {a['precision']}, later surges announced {a['later_surges_recall']}, "
        f"onsets announced {a['onsets_recall']} (lead {a['onsets_lead_weeks_median']} weeks); naive onsets "
        f"{nv['onsets_recall']}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    main()
