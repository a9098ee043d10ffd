"""Alerts and watchlist: what changed in the latest ACLED week (Saturday to Friday), per admin unit.

Five kinds of alert, each a row carrying the numbers that raised it and a plain-language message:

``trend``           the week's events against the weekly average of the previous 4 weeks and of the previous
                    52 weeks, in classes after ACLED's trend tools (thresholds and the low-baseline rule in
                    :func:`trend_class`); raised when either comparison is a large rise or a large fall by at
                    least ``min_change`` (2) events.
``surge``           the week's events ≥ ``surge_factor`` (2, i.e. +100%) × the previous 4 weeks' weekly
                    average, with at least ``min_events`` events.
``spread``          events in a PRIO-GRID cell or an admin2 that had none in the previous ``quiet_weeks``
                    (52) weeks.
``emerging_actor``  an actor seen in the unit this week and never before in the available history of that
                    unit (civilians, protesters, rioters and "Unidentified ..." actors are left out).
``lethality_jump``  fatalities per event this week ≥ ``lethality_factor`` (2) × the previous 52 weeks' rate
                    (rate floored at 0.5), with at least ``min_fatalities`` deaths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..taxonomy import UNARMED
from ._checks import AnalysisInputError, add_message, prepare
from .units import ActorMap, acled_week, actor_long, assign_units, parse_unit

#: the trend classes, from the top (thresholds in trend_class).
TREND_CLASSES = ("large rise", "moderate rise", "limited change", "moderate fall", "large fall")
#: a baseline below this many events per week is "low": see trend_class.
LOW_BASELINE = 1.0
NOT_ACTORS = UNARMED  # rioters, protesters, civilians
GENERIC_ACTOR = re.compile(r"^Unidentified\b|\band/or\b", re.IGNORECASE)

ALERT_COLUMNS = [
    "week",
    "kind",
    "unit_type",
    "unit",
    "admin1",
    "level",
    "actor",
    "latest",
    "baseline",
    "baseline_window",
    "change_pct",
    "latest_fatalities",
    "message",
]


def trend_class(latest: float, baseline: float, *, low_baseline: float = LOW_BASELINE) -> tuple[str, bool]:
    """Trend class of ``latest`` events against a weekly ``baseline`` average; and whether the baseline is low.

    Normal baseline (≥ ``low_baseline`` events/week): relative change r = latest/baseline − 1;
    r > +25% large rise; +10% < r ≤ +25% moderate rise; −10% ≤ r ≤ +10% limited change;
    −25% ≤ r < −10% moderate fall; r < −25% large fall.
    Low baseline (< 1 event/week): percentages mislead (1 event against 0.25 is +300%), so the absolute
    difference decides: latest − baseline ≥ 2.5 large rise; ≥ 1.5 moderate rise; otherwise limited change
    (a fall from under one event a week is not classified).
    """
    if baseline < low_baseline:
        diff = latest - baseline
        if diff >= 2.5:
            return "large rise", True
        if diff >= 1.5:
            return "moderate rise", True
        return "limited change", True
    r = round(latest / baseline - 1, 9)  # 11/10 - 1 is 0.10000000000000009 in floating point
    if r > 0.25:
        return "large rise", False
    if r > 0.10:
        return "moderate rise", False
    if r >= -0.10:
        return "limited change", False
    if r >= -0.25:
        return "moderate fall", False
    return "large fall", False


def _week_bounds(df: pd.DataFrame, week) -> pd.Timestamp:
    if week is None:
        return acled_week(df["event_date"].max())
    try:
        return acled_week(pd.Timestamp(week))
    except (ValueError, TypeError):
        raise AnalysisInputError(
            f"week {week!r}: expected a date YYYY-MM-DD (any day of the ACLED week)"
        ) from None


def _weekly(df: pd.DataFrame, key: str, w0: pd.Timestamp, n_weeks: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and fatalities per unit × week index (0 = the latest week, 1 = the week before, ...)."""
    k = (((w0 - df["event_date"]).dt.days + 6) // 7).where(df["event_date"] < w0, 0)
    k = k.where(df["event_date"] < w0 + pd.Timedelta(days=7), -1)
    sel = df[(k >= 0) & (k <= n_weeks)].assign(_k=k)
    ev = sel.pivot_table(index=key, columns="_k", values="event_date", aggfunc="size", fill_value=0)
    fat = sel.pivot_table(index=key, columns="_k", values="fatalities", aggfunc="sum", fill_value=0)
    cols = range(n_weeks + 1)
    return ev.reindex(columns=cols, fill_value=0), fat.reindex(index=ev.index, columns=cols, fill_value=0)


def _parent(df: pd.DataFrame, key: str, kind: str) -> dict:
    """admin1 of each unit (the most frequent one)."""
    if kind == "admin1" or "admin1" not in df.columns:
        return {}
    return (
        df.dropna(subset=[key])
        .groupby(key)["admin1"]
        .agg(lambda s: s.mode().iloc[0] if s.notna().any() else None)
        .to_dict()
    )


def trends(
    events: pd.DataFrame, unit: str = "admin1", week=None, *, low_baseline: float = LOW_BASELINE
) -> pd.DataFrame:
    """Per unit: the latest week's events against the previous 4 and 52 weeks' weekly averages, with classes.

    Columns: ``week, unit, admin1, latest, latest_fatalities, mean_4w, change_4w_pct, class_4w, low_baseline_4w,
    mean_52w, change_52w_pct, class_52w, low_baseline_52w``. Units without any event in the 53 weeks are
    left out. With a zero baseline the change in percent is missing (not infinite) and the class follows the
    low-baseline rule.
    """
    kind, _ = parse_unit(unit)
    if kind not in ("admin1", "admin2"):
        raise AnalysisInputError(f"trends are per admin unit (admin1, admin2), not {unit!r}")
    df = prepare(events, "trends")
    w0 = _week_bounds(df, week)
    df["_unit"] = assign_units(df, unit)
    no_unit = int(df["_unit"].isna().sum())
    df = df[df["_unit"].notna()]
    ev, fat = _weekly(df, "_unit", w0, 52)
    parent = _parent(df, "_unit", kind)
    rows = []
    for u in ev.index:
        latest = int(ev.loc[u, 0])
        m4 = float(ev.loc[u, 1:4].sum()) / 4
        m52 = float(ev.loc[u, 1:52].sum()) / 52
        c4, low4 = trend_class(latest, m4, low_baseline=low_baseline)
        c52, low52 = trend_class(latest, m52, low_baseline=low_baseline)
        rows.append(
            {
                "week": w0.date().isoformat(),
                "unit": u,
                "admin1": parent.get(u, u if kind == "admin1" else None),
                "latest": latest,
                "latest_fatalities": int(fat.loc[u, 0]),
                "mean_4w": round(m4, 3),
                "change_4w_pct": round(100 * (latest / m4 - 1), 1) if m4 > 0 else None,
                "class_4w": c4,
                "low_baseline_4w": low4,
                "mean_52w": round(m52, 3),
                "change_52w_pct": round(100 * (latest / m52 - 1), 1) if m52 > 0 else None,
                "class_52w": c52,
                "low_baseline_52w": low52,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "week",
            "unit",
            "admin1",
            "latest",
            "latest_fatalities",
            "mean_4w",
            "change_4w_pct",
            "class_4w",
            "low_baseline_4w",
            "mean_52w",
            "change_52w_pct",
            "class_52w",
            "low_baseline_52w",
        ],
    )
    out = out.sort_values(["latest", "unit"], ascending=[False, True]).reset_index(drop=True)
    out.attrs.update({"week": w0.date().isoformat(), "unit": unit})
    if no_unit:
        add_message(out, f"{no_unit} event(s) have no {kind} name and are not counted.")
    return out


def _pct(latest: float, base: float):
    return round(100 * (latest / base - 1), 1) if base > 0 else None


def alerts(
    events: pd.DataFrame,
    unit: str = "admin1",
    week=None,
    *,
    actor_map: ActorMap | None = None,
    trend_levels: Iterable[str] = ("large rise", "large fall"),
    surge_factor: float = 2.0,
    min_events: int = 3,
    quiet_weeks: int = 52,
    spread_units: Iterable[str] = ("priogrid", "admin2"),
    lethality_factor: float = 2.0,
    min_fatalities: int = 5,
    low_baseline: float = LOW_BASELINE,
    min_change: float = 2.0,
) -> pd.DataFrame:
    """All alerts for one ACLED week (default: the week of the latest event), per admin unit.

    Trend alerts are raised for the classes in ``trend_levels`` when the week also differs from that
    baseline by at least ``min_change`` events (2), so that one event more or less is never an alert.
    ``unit`` (admin1 or admin2) is the unit of the trend, surge, emerging-actor and lethality alerts;
    spread alerts use ``spread_units``. The events should reach back at least ``quiet_weeks`` weeks before
    the week; when they do not, spread and emerging-actor alerts are not raised and a message says why.

    Returns a DataFrame with :data:`ALERT_COLUMNS` (``latest``/``baseline`` are events per week, or deaths
    per event for lethality jumps; ``baseline_window`` names the comparison); ``attrs['trends']`` holds the
    full trend table.
    """
    kind, _ = parse_unit(unit)
    if kind not in ("admin1", "admin2"):
        raise AnalysisInputError(f"alerts are per admin unit (admin1, admin2), not {unit!r}")
    df = prepare(events, "alerts")
    w0 = _week_bounds(df, week)
    wlabel = w0.date().isoformat()
    wend = w0 + pd.Timedelta(days=6)
    history_weeks = int((w0 - df["event_date"].min()).days // 7)
    rows: list[dict] = []
    messages: list[str] = []
    in_week = df[(df["event_date"] >= w0) & (df["event_date"] <= wend)]
    if not len(in_week):
        messages.append(
            f"no event in the week {wlabel} to {wend.date().isoformat()}: only falls can be reported."
        )
    if df["event_date"].min() > wend:  # the week of the first event itself is fine
        raise AnalysisInputError(
            f"alerts: the week {wlabel} is before the first event ({df['event_date'].min().date()})"
        )

    tr = trends(df, unit, w0, low_baseline=low_baseline)
    levels = set(trend_levels)
    for r in tr.itertuples(index=False):
        # a class alone is not enough: 1 event against 1.25 a week is a "large fall" of one event
        hit4 = r.class_4w in levels and abs(r.latest - r.mean_4w) >= min_change
        hit52 = r.class_52w in levels and abs(r.latest - r.mean_52w) >= min_change
        if not (hit4 or hit52):
            continue
        level = r.class_4w if hit4 else r.class_52w

        def part(mean, pct, cls, low, n):
            ch = f"{pct:+.0f}%" if pct is not None else "from none"
            return f"{cls} against the previous {n} weeks (average {mean:.2f}/week, {ch}{', low baseline' if low else ''})"

        msg = (
            f"{r.unit} ({kind}): {r.latest} event(s) in the week of {wlabel}; "
            f"{part(r.mean_4w, r.change_4w_pct, r.class_4w, r.low_baseline_4w, 4)}; "
            f"{part(r.mean_52w, r.change_52w_pct, r.class_52w, r.low_baseline_52w, 52)}."
        )
        rows.append(
            {
                "kind": "trend",
                "unit_type": kind,
                "unit": r.unit,
                "admin1": r.admin1,
                "level": level,
                "latest": r.latest,
                "baseline": r.mean_4w if hit4 else r.mean_52w,
                "baseline_window": "previous 4 weeks" if hit4 else "previous 52 weeks",
                "change_pct": r.change_4w_pct if hit4 else r.change_52w_pct,
                "latest_fatalities": r.latest_fatalities,
                "message": msg,
            }
        )
    # surge: ≥ +100% over the previous month's weekly average
    for r in tr.itertuples(index=False):
        if r.latest >= min_events and r.latest >= surge_factor * r.mean_4w:
            ch = f"{r.change_4w_pct:+.0f}%" if r.change_4w_pct is not None else "none the 4 weeks before"
            rows.append(
                {
                    "kind": "surge",
                    "unit_type": kind,
                    "unit": r.unit,
                    "admin1": r.admin1,
                    "level": f"x{r.latest / r.mean_4w:.1f}" if r.mean_4w > 0 else "from zero",
                    "latest": r.latest,
                    "baseline": r.mean_4w,
                    "baseline_window": "previous 4 weeks",
                    "change_pct": r.change_4w_pct,
                    "latest_fatalities": r.latest_fatalities,
                    "message": f"Surge in {r.unit} ({kind}): {r.latest} events in the week of {wlabel} against "
                    f"{r.mean_4w:.2f} a week over the previous 4 weeks ({ch}).",
                }
            )

    # lethality jump: deaths per event this week against the previous 52 weeks
    df["_unit"] = assign_units(df, unit)
    dfu = df[df["_unit"].notna()]
    ev, fat = _weekly(dfu, "_unit", w0, 52)
    parent = dict(zip(tr["unit"], tr["admin1"]))
    for u in ev.index:
        n_now, f_now = int(ev.loc[u, 0]), int(fat.loc[u, 0])
        if n_now == 0 or f_now < min_fatalities:
            continue
        n_before, f_before = int(ev.loc[u, 1:52].sum()), int(fat.loc[u, 1:52].sum())
        rate_now = f_now / n_now
        rate_before = f_before / n_before if n_before else 0.0
        if rate_now >= lethality_factor * max(rate_before, 0.5):
            base_txt = (
                f"{rate_before:.2f} over the previous 52 weeks ({f_before} deaths in {n_before} events)"
                if n_before
                else "no event in the previous 52 weeks"
            )
            rows.append(
                {
                    "kind": "lethality_jump",
                    "unit_type": kind,
                    "unit": u,
                    "admin1": parent.get(u),
                    "level": f"x{rate_now / max(rate_before, 0.5):.1f}",
                    "latest": round(rate_now, 2),
                    "baseline": round(rate_before, 2),
                    "baseline_window": "deaths/event, previous 52 weeks",
                    "change_pct": _pct(rate_now, rate_before),
                    "latest_fatalities": f_now,
                    "message": f"Deadlier violence in {u} ({kind}): {f_now} deaths in {n_now} event(s) in the week "
                    f"of {wlabel} ({rate_now:.1f} per event) against {base_txt}.",
                }
            )

    enough_history = history_weeks >= quiet_weeks
    if not enough_history:
        messages.append(
            f"the events start {history_weeks} week(s) before {wlabel}: spread and emerging-actor alerts "
            f"need {quiet_weeks} weeks of history and were not raised (widen --since)."
        )
    else:
        # spread: first events in a cell / admin2 quiet for `quiet_weeks`
        for su in spread_units:
            skind, _ = parse_unit(su)
            df["_s"] = assign_units(df, su)
            d = df[df["_s"].notna()]
            evs, fats = _weekly(d, "_s", w0, quiet_weeks)
            new = evs.index[(evs[0] > 0) & (evs.loc[:, 1:quiet_weeks].sum(axis=1) == 0)]
            sub = d[(d["event_date"] >= w0) & (d["event_date"] <= wend)]
            for s in new:
                rows_s = sub[sub["_s"] == s]
                place = (
                    rows_s["location"].mode().iloc[0]
                    if "location" in rows_s and rows_s["location"].notna().any()
                    else None
                )
                a1 = (
                    rows_s["admin1"].mode().iloc[0]
                    if "admin1" in rows_s and rows_s["admin1"].notna().any()
                    else None
                )
                where = (
                    f"PRIO-GRID cell {s}"
                    if skind == "priogrid"
                    else (f"H3 cell {s}" if skind == "h3" else f"{s} ({skind})")
                )
                near = f" near {place}" if place and skind in ("priogrid", "h3") else ""
                rows.append(
                    {
                        "kind": "spread",
                        "unit_type": su,
                        "unit": str(s),
                        "admin1": a1,
                        "level": "first events",
                        "latest": int(evs.loc[s, 0]),
                        "baseline": 0.0,
                        "baseline_window": f"previous {quiet_weeks} weeks",
                        "change_pct": None,
                        "latest_fatalities": int(fats.loc[s, 0]),
                        "message": f"Spread: {int(evs.loc[s, 0])} event(s) in {where}{near} in the week of {wlabel}, "
                        f"after {quiet_weeks} weeks without any.",
                    }
                )
        # emerging actor: first appearance in the unit's history
        long = actor_long(dfu.reset_index(drop=True), actor_map)
        long = long[~long["inter"].isin(NOT_ACTORS)]
        long = long[~long["actor"].map(lambda a: bool(GENERIC_ACTOR.search(a)))]
        base = dfu.reset_index(drop=True)
        long["unit"] = base["_unit"].to_numpy()[long["_row"].to_numpy()]
        long["date"] = base["event_date"].to_numpy()[long["_row"].to_numpy()]
        long["fat"] = base["fatalities"].to_numpy()[long["_row"].to_numpy()]
        long = long[long["date"] <= wend]
        first = long.groupby(["unit", "actor"]).agg(first=("date", "min"))
        fresh = first[first["first"] >= w0].reset_index()
        for r in fresh.itertuples(index=False):
            now = long[(long["unit"] == r.unit) & (long["actor"] == r.actor) & (long["date"] >= w0)]
            rows.append(
                {
                    "kind": "emerging_actor",
                    "unit_type": kind,
                    "unit": r.unit,
                    "admin1": parent.get(r.unit),
                    "level": "first appearance",
                    "actor": r.actor,
                    "latest": len(now),
                    "baseline": 0.0,
                    "baseline_window": f"all {history_weeks} weeks of history",
                    "change_pct": None,
                    "latest_fatalities": int(now["fat"].sum()),
                    "message": f"New actor in {r.unit} ({kind}): {r.actor}, {len(now)} event(s) in the week of "
                    f"{wlabel}, never recorded there in the previous {history_weeks} weeks.",
                }
            )
    out = pd.DataFrame(rows)
    for c in ALERT_COLUMNS:
        if c not in out.columns:
            out[c] = None
    out["week"] = wlabel
    out = out[ALERT_COLUMNS]
    if len(out):
        order = {"surge": 0, "trend": 1, "lethality_jump": 2, "spread": 3, "emerging_actor": 4}
        out = out.sort_values(
            ["kind", "latest"],
            key=lambda s: s.map(order) if s.name == "kind" else -pd.to_numeric(s, errors="coerce"),
            kind="stable",
        ).reset_index(drop=True)
    out.attrs.update({"week": wlabel, "unit": unit, "trends": tr, "history_weeks": history_weeks})
    for m in messages + list(tr.attrs.get("messages", [])):
        add_message(out, m)
    if not len(out):
        add_message(out, f"no alert for the week of {wlabel}.")
    return out
