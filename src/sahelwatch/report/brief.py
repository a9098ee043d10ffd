"""Briefings: a country (or admin1) and a period, from the store, as data, HTML and PDF (issue 15).

    import sahelwatch
    b = sahelwatch.brief(store, country="Mali", period="2019-03")          # a Brief: numbers, tables, figures
    b.numbers["events"].value, b.tables["headline"], b.figures["map"]
    from sahelwatch.report.brief import render
    render(b, ["brief.html", "brief.pdf"])                                   # + brief.json beside the PDF

Every number shown is registered in ``Brief.numbers`` with the filter that produced it (the appendix);
the analyses are the project's own (sahelwatch.analysis), run with fixed seeds on the store's events, so
rebuilding from the same snapshot gives the same numbers. Method: docs/briefings.md.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import figures
from ..analysis import access as ac
from ..analysis import alerts as A
from ..analysis import forecast as fc
from ..analysis import hotspots as H
from ..analysis import influence as I
from ..analysis.coordination import coordination, default_actors
from ..analysis.groups import registry_group_map
from ..analysis.roads import read_roads
from ..analysis.units import assign_units
from ..errors import InputError
from ..figures.base import version
from .i18n import T, event_type_label, month_names
from .periods import BriefError, Period, parse_period
from .render import render_html, write_pdf

__version__ = version()

# thresholds of the arrows (stated in the brief and in docs/briefings.md)
REL_CHANGE = 0.25  # a change counts when it is at least 25% of the comparison period…
MIN_EVENTS = 3  # …and at least 3 events
MIN_FATALITIES = 10  # …or 10 fatalities
ARMED_INTER = {1, 2, 3, 4, 8}  # ACLED inter codes of armed actors (state, rebels, militias, external)


def _d(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


# ------------------------------------------------------------------------------------------ numbers
@dataclass
class Number:
    id: str
    value: Any
    label: str
    filter: dict
    unit: str = ""
    digits: int | None = None  # decimals shown (None: as the value is)

    def as_dict(self) -> dict:
        v = self.value
        if isinstance(v, (np.integer,)):
            v = int(v)
        elif isinstance(v, (np.floating,)):
            v = float(v)
        return {
            "id": self.id,
            "value": v,
            "label": self.label,
            "filter": self.filter,
            "unit": self.unit,
            "digits": self.digits,
        }


@dataclass
class Brief:
    """The content of a brief as data: ``meta``, ``numbers`` (id → Number, the appendix), ``tables`` (pandas
    frames), ``figures`` (name → path), ``sections`` (texts made from numbers)."""

    meta: dict
    numbers: dict[str, Number] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Path] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        id: str,
        value,
        label: str,
        filter: dict,
        unit: str = "",  # noqa: A002
        digits: int | None = None,
    ) -> str:
        if id in self.numbers and self.numbers[id].value != value:
            raise AssertionError(f"number {id} registered twice with different values")
        if isinstance(value, float) and not np.isfinite(value):
            value = None
        self.numbers[id] = Number(id, value, label, filter, unit, digits)
        return id

    def value(self, id: str):  # noqa: A002
        return self.numbers[id].value

    def to_json(self) -> dict:
        def table(df):
            if "geometry" in df.columns:  # GeoDataFrames: the cells' attributes (geometry = the unit id)
                df = pd.DataFrame(df.drop(columns="geometry"))
            df = df.copy()
            df.attrs = {}
            return json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))

        return {
            "meta": self.meta,
            "numbers": [n.as_dict() for n in self.numbers.values()],
            "tables": {k: table(v) for k, v in self.tables.items()},
            "figures": {k: str(v) for k, v in self.figures.items()},
            "sections": self.sections,
        }


# ------------------------------------------------------------------------------------------ checks
def known_countries(store) -> list[str]:
    st = store.stats()
    names = st.get("by_country") or st.get("countries") or {}
    if isinstance(names, dict):
        return sorted(names)
    if isinstance(names, pd.DataFrame) and "country" in names:
        return sorted(names["country"].dropna().astype(str).unique())
    return sorted({str(x.get("country")) for x in names if isinstance(x, dict)})


def _check(store, country: str, admin1: str | None, period: Period) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    try:
        ev = store.events(countries=[country])
    except InputError as exc:  # the store's filter check: an unknown country name
        raise BriefError(f"--country {country!r}: {exc}") from None
    if len(ev) == 0:
        have = sorted(store.events()["country"].dropna().astype(str).unique()) if store.count() else []
        raise BriefError(
            f"--country {country!r}: no event of this country in the store"
            + (f" (countries in the store: {', '.join(have)})" if have else " (the store is empty)")
        )
    name = ev["country"].mode().iat[0]
    first, last = ev["event_date"].min(), ev["event_date"].max()
    if period.start > last or period.end < first:
        raise BriefError(
            f"--period {period.label}: {name}'s events in the store run from {_d(first)} to {_d(last)}; "
            f"the period {_d(period.start)} – {_d(period.end)} is outside them"
        )
    if period.end > last:
        raise BriefError(
            f"--period {period.label} ends on {_d(period.end)}, after the store's last event for {name} "
            f"({_d(last)}): the period is not complete yet"
        )
    if admin1:
        names = sorted(ev["admin1"].dropna().astype(str).unique())
        fold = {_fold(n): n for n in names}
        if _fold(admin1) not in fold:
            raise BriefError(
                f"--admin1 {admin1!r}: no event in this admin1 of {name} (admin1 in the store: "
                f"{', '.join(names)})"
            )
    return name, first, last


def _fold(s) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in s if ch.isalnum())


def snapshot(store, events: pd.DataFrame) -> dict:
    """The store's state: the last import's time and a digest of the events used (ids and content)."""
    try:
        imp = store.imports()
        last = imp["finished_at"].dropna().max() if len(imp) else None
    except Exception:  # noqa: BLE001 - a store without an imports table still has events
        last = None
    cols = [
        c
        for c in (
            "event_id_cnty",
            "event_date",
            "fatalities",
            "event_type",
            "actor1",
            "actor2",
            "admin1",
            "latitude",
            "longitude",
            "timestamp",
        )
        if c in events.columns
    ]
    h = hashlib.sha256()
    for row in events.sort_values("event_id_cnty")[cols].apply(lambda c: c.map(str)).to_numpy().tolist():
        h.update("\x1f".join(row).encode())
        h.update(b"\x1e")
    return {
        "last_import": None if last is None or pd.isna(last) else pd.Timestamp(last).isoformat(),
        "events": int(len(events)),
        "events_sha256": h.hexdigest()[:16],
        "store": _safe_url(store),
    }


def _safe_url(store) -> str:
    url = str(getattr(store, "url", ""))
    return re.sub(r"//[^@/]*@", "//…@", url)


# ------------------------------------------------------------------------------------------ arrows
def arrow(now: float, before: float, *, rel: float = REL_CHANGE, min_abs: float) -> int:
    """+1 when ``now`` is above ``before`` by ≥ ``rel`` of it and by ≥ ``min_abs``; −1 below; else 0."""
    d = now - before
    if abs(d) >= min_abs and abs(d) >= rel * before:
        return 1 if d > 0 else -1
    return 0


def trend(ev_now, ev_prev, fat_now, fat_prev) -> str:
    """deteriorated / improved / unchanged from events and fatalities against the previous period: a
    change in either that meets the thresholds decides, opposite changes cancel (unchanged)."""
    a = arrow(ev_now, ev_prev, min_abs=MIN_EVENTS)
    b = arrow(fat_now, fat_prev, min_abs=MIN_FATALITIES)
    s = a + b
    if a and b and a != b:
        return "unchanged"
    return "deteriorated" if s > 0 else "improved" if s < 0 else "unchanged"


# ------------------------------------------------------------------------------------------ build
def _flt(country, admin1, since, until, **extra) -> dict:
    f = {"country": country}
    if admin1:
        f["admin1"] = admin1
    f.update({"since": _d(since), "until": _d(until)})
    f.update(extra)
    return f


def _count(ev: pd.DataFrame, a, b) -> tuple[int, int]:
    m = (ev["event_date"] >= a) & (ev["event_date"] <= b)
    return int(m.sum()), int(pd.to_numeric(ev.loc[m, "fatalities"], errors="coerce").fillna(0).sum())


def build(
    store,
    *,
    country: str,
    period: str,
    admin1: str | None = None,
    lang: str = "en",
    out_dir: str | Path | None = None,
    roads=None,
    samples: int = 500,
    seed: int = 0,
    figure_format: str = "png",
) -> Brief:
    """The content of one brief (see the module docstring). ``out_dir`` receives the figures (default: a
    temporary folder); ``roads``: road file(s) for the access section (none: the section says so)."""

    if lang not in ("en", "fr"):
        raise BriefError(f"--lang {lang!r}: use en or fr")
    p = parse_period(period)
    name, first, last = _check(store, country, admin1, p)
    t0 = time.perf_counter()
    hist_start = (p.start.to_period("M") - 36).start_time  # three years of history for baselines and models
    all_ev = store.events(countries=[name], since=_d(hist_start), until=_d(p.end))
    a1_name = None
    if admin1:
        a1_name = {_fold(x): x for x in all_ev["admin1"].dropna().unique()}[_fold(admin1)]
    scope_ev = all_ev[all_ev["admin1"] == a1_name] if a1_name else all_ev
    in_p = scope_ev[(scope_ev["event_date"] >= p.start) & (scope_ev["event_date"] <= p.end)]
    prev, yago = p.shift(-1), p.year_before()
    y12_start = (p.end.to_period("M") - 11).start_time
    last12 = scope_ev[(scope_ev["event_date"] >= y12_start) & (scope_ev["event_date"] <= p.end)]
    datasets = sorted(all_ev["dataset"].dropna().astype(str).unique()) if "dataset" in all_ev else []
    meta = {
        "country": name,
        "admin1": a1_name,
        "period": p.label,
        "period_kind": p.kind,
        "start": _d(p.start),
        "end": _d(p.end),
        "previous": prev.label,
        "year_before": yago.label,
        "lang": lang,
        "version": __version__,
        "generated": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC"),
        "snapshot": snapshot(store, all_ev),
        "datasets": datasets,
        "data_first": _d(first),
        "data_last": _d(last),
        "thresholds": {
            "relative_change": REL_CHANGE,
            "min_events": MIN_EVENTS,
            "min_fatalities": MIN_FATALITIES,
        },
    }
    b = Brief(meta)
    rule = {"rule": "arrow thresholds (sahelwatch.report.brief)"}
    b.add("threshold:min_events", MIN_EVENTS, "least change in events for an arrow", rule)
    b.add("threshold:min_fatalities", MIN_FATALITIES, "least change in fatalities for an arrow", rule)
    b.add("threshold:relative", int(REL_CHANGE * 100), "least relative change for an arrow (%)", rule)
    outd = Path(out_dir) if out_dir else Path(__import__("tempfile").mkdtemp(prefix="sahelwatch-brief-"))
    outd.mkdir(parents=True, exist_ok=True)

    # ---- headline: the whole scope and each admin1
    rows = []
    sub = "admin2" if a1_name else "admin1"  # an admin1 brief breaks down by admin2
    b.meta["breakdown"] = sub
    units = [(None, scope_ev)] + [(u, g) for u, g in sorted(scope_ev.groupby(sub), key=lambda x: str(x[0]))]
    for unit, g in units:
        key = "all" if unit is None else f"{'a2' if a1_name else 'a1'}:{unit}"
        vals = {}
        for tag, per in (("now", p), ("prev", prev), ("yago", yago)):
            n, f = _count(g, per.start, per.end)
            vals[tag] = (n, f)
            flt = _flt(name, a1_name if unit is None or a1_name else unit, per.start, per.end)
            if a1_name and unit is not None:
                flt = {
                    "country": name,
                    "admin1": a1_name,
                    "admin2": unit,
                    "since": _d(per.start),
                    "until": _d(per.end),
                }
            b.add(f"{key}:events:{tag}", n, f"events, {per.label}", flt)
            b.add(f"{key}:fatalities:{tag}", f, f"fatalities, {per.label}", flt)
        tr = trend(vals["now"][0], vals["prev"][0], vals["now"][1], vals["prev"][1])
        tr_y = trend(vals["now"][0], vals["yago"][0], vals["now"][1], vals["yago"][1])
        if unit is not None and vals["now"] == (0, 0) and vals["prev"] == (0, 0) and vals["yago"] == (0, 0):
            continue
        rows.append(
            {
                "key": key,
                "admin1": unit,
                "events": vals["now"][0],
                "fatalities": vals["now"][1],
                "events_prev": vals["prev"][0],
                "fatalities_prev": vals["prev"][1],
                "events_yago": vals["yago"][0],
                "fatalities_yago": vals["yago"][1],
                "trend": tr,
                "trend_year": tr_y,
            }
        )
    head = pd.DataFrame(rows)
    b.tables["headline"] = head
    for what in ("events", "fatalities"):
        now, before = b.value(f"all:{what}:now"), b.value(f"all:{what}:prev")
        b.add(
            f"all:{what}:change",
            round(100 * (now - before) / before) if before else None,
            f"change in {what} against {prev.label} (%)",
            _flt(name, a1_name, prev.start, p.end),
            "%",
        )
    b.sections["overall_trend"] = head.iloc[0]["trend"]
    for r in head.itertuples():
        b.add(f"{r.key}:trend", r.trend, "arrow against the previous period", {"rule": "see thresholds"})

    # ---- key figures of the period: civilians, types
    civ = in_p[in_p["event_type"] == "Violence against civilians"]
    b.add(
        "civilian_events",
        int(len(civ)),
        "events of violence against civilians",
        _flt(name, a1_name, p.start, p.end, event_type="Violence against civilians"),
    )
    b.add(
        "civilian_fatalities",
        int(pd.to_numeric(civ["fatalities"], errors="coerce").fillna(0).sum()),
        "fatalities in violence against civilians",
        _flt(name, a1_name, p.start, p.end, event_type="Violence against civilians"),
    )
    types = in_p.groupby("event_type").agg(events=("event_date", "size"), fatalities=("fatalities", "sum"))
    types = types.sort_values("events", ascending=False).reset_index()
    for r in types.itertuples():
        b.add(
            f"type:{r.event_type}:events",
            int(r.events),
            f"events of type {r.event_type}",
            _flt(name, a1_name, p.start, p.end, event_type=r.event_type),
        )
        b.add(
            f"type:{r.event_type}:fatalities",
            int(r.fatalities),
            f"fatalities in events of type {r.event_type}",
            _flt(name, a1_name, p.start, p.end, event_type=r.event_type),
        )
    b.tables["types"] = types

    # ---- hot spots (Gi*, last 12 months) and the map of the period's events over them
    amap = registry_group_map()
    hot = None
    try:
        hot = H.gi_star(last12, "priogrid", "events", permutations=999, seed=12345)
        n_hot = int(hot["class"].astype(str).str.startswith("hot").sum())
        b.add(
            "hot_cells",
            n_hot,
            "PRIO-GRID cells hot (Gi*, FDR) over the last 12 months",
            _flt(
                name,
                a1_name,
                y12_start,
                p.end,
                analysis="hotspots gi, priogrid, events, 999 permutations, seed 12345",
            ),
        )
        hot_ev = 0
        if n_hot:
            hot_units = set(hot.loc[hot["class"].astype(str).str.startswith("hot"), "unit"])

            loc = in_p[in_p["latitude"].notna() & in_p["longitude"].notna()]
            hot_ev = int(assign_units(loc, "priogrid").isin(hot_units).sum()) if len(loc) else 0
        b.add(
            "events_in_hot_cells",
            hot_ev,
            "events of the period inside hot cells",
            _flt(name, a1_name, p.start, p.end, analysis="hotspots of the last 12 months"),
        )
    except InputError as exc:
        b.sections["hotspots_note"] = str(exc)

    tr_ = T(lang)
    labels = {t: event_type_label(t, lang) for t in figures.base.EVENT_TYPES}
    labels.update({"events": tr_("events"), "fatalities": tr_("fatalities"), "killed": tr_("killed")})
    if lang == "fr":
        labels.update({f"hot {c}%": f"chaud {c} %" for c in (90, 95, 99)})
        labels["killed_one"] = "mort"
    if len(in_p):
        b.figures["map"] = figures.draw(
            in_p,
            outd / f"map.{figure_format}",
            kind="events",
            country=name,
            hotspots=hot,
            labels=labels,
            attribution=_attr(datasets),
            title="",
            subtitle=None,
            figsize=(7.2, 4.6),
        )
    b.figures["chart"] = figures.draw(
        last12 if len(last12) else in_p,
        outd / f"chart.{figure_format}",
        kind="timeseries",
        by="week" if p.kind == "week" else "month",
        since=y12_start,
        until=p.end,
        labels=labels,
        month_names=month_names(lang),
        highlight=p.start,
        attribution=_attr(datasets),
    )

    # ---- alerts: every ACLED week (Saturday-Friday) ending in the period
    alert_rows = []
    # ACLED weeks (Saturday-Friday) that start in the period and end by the store's last event
    fridays = [
        f
        for f in pd.date_range(p.start + pd.Timedelta(days=6), p.end + pd.Timedelta(days=6), freq="W-FRI")
        if f <= last
    ]
    for fri in fridays:
        upto = all_ev[all_ev["event_date"] <= fri]
        try:
            al = A.alerts(upto if not a1_name else upto, "admin1", _d(fri), actor_map=amap)
        except InputError:
            continue
        if a1_name and len(al):
            al = al[al["admin1"].astype(str) == a1_name]
        alert_rows.append(al)
    alerts_df = pd.concat(alert_rows, ignore_index=True) if alert_rows else pd.DataFrame()
    if len(alerts_df):
        alerts_df = (
            alerts_df[alerts_df["kind"] != "trend"].reset_index(drop=True)
            if (alerts_df["kind"] != "trend").sum() >= 1
            else alerts_df
        )
        keep = [
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
        ]
        alerts_df = alerts_df[[c for c in keep if c in alerts_df.columns]]
        for i, r in alerts_df.iterrows():
            f = {"analysis": "alerts", "unit": "admin1", "week": str(r["week"]), "country": name}
            b.add(f"alert:{i}:latest", _num(r["latest"]), f"{r['kind']} alert: count in the week", f)
            b.add(
                f"alert:{i}:baseline",
                _num(r["baseline"], 2),
                f"{r['kind']} alert: baseline ({r['baseline_window']})",
                f,
            )
            if r.get("change_pct") is not None and not pd.isna(r.get("change_pct")):
                b.add(f"alert:{i}:change", _num(r["change_pct"], 0), f"{r['kind']} alert: change (%)", f, "%")
            if r.get("latest_fatalities") is not None and not pd.isna(r.get("latest_fatalities")):
                b.add(
                    f"alert:{i}:fatalities",
                    _num(r["latest_fatalities"]),
                    f"{r['kind']} alert: fatalities in the week",
                    f,
                )
    b.add(
        "alerts",
        int(len(alerts_df)),
        "alerts raised in the weeks of the period",
        {"analysis": "alerts", "unit": "admin1", "weeks": [_d(f) for f in fridays], "country": name},
    )
    b.tables["alerts"] = alerts_df

    # ---- key events: the deadliest, and the first in their admin2 for 12 months
    b.tables["key_events"] = _key_events(b, scope_ev, in_p, p, name)

    # ---- influence and relations (last 12 months)
    _influence(b, last12, name, a1_name, y12_start, p.end, amap, I)
    _relations(b, last12, name, a1_name, y12_start, p.end)

    # ---- access
    b.sections["access"] = None
    if roads:
        _access(b, scope_ev, name, a1_name, p, roads)

    # ---- outlook: next month's forecast and the scorecard of last period's forecast
    _outlook(b, all_ev, name, a1_name, p, samples, seed)

    b.meta["build_seconds"] = round(time.perf_counter() - t0, 1)
    return b


def _attr(datasets) -> str:
    pretty = {
        "acled": "ACLED (acleddata.com)",
        "ucdp": "UCDP GED",
        "sample": "synthetic sample (not ACLED)",
        "extracted": "sahelwatch extraction",
    }
    return "Data: " + (", ".join(pretty.get(d.lower(), d) for d in datasets) or "the sahelwatch store")


def _num(v, digits: int | None = None):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return None
    v = float(v)
    if digits is None:
        return int(round(v)) if float(v).is_integer() else round(v, 2)
    return round(v, digits) if digits else int(round(v))


def _key_events(b: Brief, scope_ev, in_p, p: Period, name) -> pd.DataFrame:
    if not len(in_p):
        return pd.DataFrame()
    dead = in_p.assign(_f=pd.to_numeric(in_p["fatalities"], errors="coerce").fillna(0))
    dead = (
        dead[dead["_f"] > 0]
        .sort_values(["_f", "event_date", "event_id_cnty"], ascending=[False, True, True])
        .head(5)
    )
    dead = dead.assign(why="deadliest")
    # unusual: the first event in its admin2 for at least 12 months
    before = scope_ev[
        (scope_ev["event_date"] < p.start) & (scope_ev["event_date"] >= p.start - pd.Timedelta(days=365))
    ]
    seen = set(before["admin2"].dropna().astype(str))
    first = in_p[in_p["admin2"].notna() & ~in_p["admin2"].astype(str).isin(seen)]
    first = first.sort_values(["event_date", "event_id_cnty"]).drop_duplicates("admin2").head(3)
    first = first[~first["event_id_cnty"].isin(dead["event_id_cnty"])].assign(why="first_in_admin2")
    ke = pd.concat([dead, first], ignore_index=True)
    cols = [
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "admin1",
        "admin2",
        "fatalities",
        "source",
        "notes",
        "sentence",
        "document_id",
        "coding_method",
        "dataset",
        "why",
    ]
    ke = ke[[c for c in cols if c in ke.columns]].reset_index(drop=True)
    for r in ke.itertuples():
        b.add(
            f"event:{r.event_id_cnty}:fatalities",
            int(r.fatalities or 0),
            f"fatalities of event {r.event_id_cnty}",
            {"event_id_cnty": r.event_id_cnty},
        )
    b.add(
        "first_in_admin2",
        int(len(first)),
        "events in an admin2 without any event in the previous 12 months",
        _flt(name, b.meta["admin1"], p.start, p.end, rule="admin2 with no event in the 365 days before"),
    )
    return ke


def _influence(b: Brief, ev, name, a1, since, until, amap, I) -> None:  # noqa: E741
    try:
        res = I.influence(ev, "priogrid", actor_map=amap)
    except InputError as exc:
        b.sections["influence_note"] = str(exc)
        b.tables["influence"] = pd.DataFrame()
        return
    active = res[res["status"] != "no activity"]
    f = _flt(name, a1, since, until, analysis="influence priogrid, 40 km bandwidth, 365-day half-life")
    tab = (
        active.groupby("dominant")
        .agg(cells=("unit", "size"), contested=("contested", "sum"))
        .sort_values(["cells", "contested"], ascending=False)
        .reset_index()
    )
    tab["events"] = tab["dominant"].map(res.attrs.get("events_per_group", {})).fillna(0).astype(int)
    tab = tab.head(6)
    for r in tab.itertuples():
        b.add(f"influence:{r.dominant}:cells", int(r.cells), f"cells where {r.dominant} dominates", f)
        b.add(f"influence:{r.dominant}:events", int(r.events), f"armed-group events of {r.dominant}", f)
        b.add(
            f"influence:{r.dominant}:contested",
            int(r.contested),
            f"contested cells where {r.dominant} leads",
            f,
        )
    b.add("influence:active", int(len(active)), "cells with armed-group activity", f)
    b.add("influence:contested", int(active["contested"].sum()), "contested cells", f)
    cont = active[active["contested"].astype(bool)]
    if len(cont):
        loc = ev[ev["latitude"].notna()]
        cells = assign_units(loc, "priogrid")
        by_a1 = loc.assign(unit=cells.to_numpy())[lambda d: d["unit"].isin(set(cont["unit"]))]
        top = by_a1.groupby("admin1").size().sort_values(ascending=False).head(3)
        b.sections["contested_admin1"] = list(top.index)
    b.tables["influence"] = tab


def _relations(b: Brief, ev, name, a1, since, until) -> None:

    mapping = registry_group_map(components=True)
    f = _flt(
        name,
        a1,
        since,
        until,
        analysis="coordination, by all, Knox 50 km / 14 days, 199 permutations, Hawkes 30 bootstraps, seed 0",
    )
    try:
        # the main armed groups: the most active, leaving out unidentified armed groups (not one actor)
        actors = [
            a
            for a in default_actors(ev, actor_map=mapping, top=8)
            if a and not str(a).startswith("Unidentified")
        ][:3]
        if len(actors) < 2:
            raise InputError("fewer than two armed groups active in the last 12 months")
        rel = coordination(ev, actors=actors, actor_map=mapping, by="all", n_perm=199, n_boot=30, seed=0)
    except InputError as exc:
        b.sections["relations_note"] = str(exc)
        b.tables["relations"] = pd.DataFrame()
        return
    keep = [
        "actor_a",
        "actor_b",
        "label",
        "reason",
        "events_a",
        "events_b",
        "clashes",
        "clash_fatalities",
        "joint_events",
        "knox_ratio",
        "knox_p",
    ]
    rel = rel[keep].reset_index(drop=True)
    b.add("rel:knox_km", 50, "Knox test: distance (km)", f)
    b.add("rel:knox_days", 14, "Knox test: time window (days)", f)
    for i, r in rel.iterrows():
        for c in ("events_a", "events_b", "clashes", "clash_fatalities", "joint_events"):
            b.add(f"rel:{i}:{c}", _num(r[c]), f"{r['actor_a']} / {r['actor_b']}: {c}", f)
        b.add(
            f"rel:{i}:knox_ratio",
            _num(r["knox_ratio"], 2),
            f"{r['actor_a']} / {r['actor_b']}: Knox ratio",
            f,
            digits=2,
        )
        b.add(
            f"rel:{i}:knox_p",
            _num(r["knox_p"], 3),
            f"{r['actor_a']} / {r['actor_b']}: Knox p-value",
            f,
            digits=3,
        )
    b.tables["relations"] = rel


def _access(b: Brief, ev, name, a1, p: Period, roads) -> None:

    net = read_roads(roads)
    e = ev[ev["event_date"] <= p.end]
    if e["latitude"].isna().any():
        e = ac.geocode_events(e)
    e = ac.mark_road_related(e)
    towns = ac.towns_from_gazetteer(name, 10_000)
    e = ac.snap_events(e, net, towns=towns)
    model = ac.AccessModel(net, towns)
    st = model.status(e, on=p.end, window_days=30).sort_values("isolation_index", ascending=False)
    st = st[st["level"].isin(["cut off", "disrupted"])].head(8)
    f = _flt(name, a1, p.end - pd.Timedelta(days=29), p.end, analysis="access, 3 km buffer, 30-day window")
    rows = []
    for r in st.itertuples():
        b.add(
            f"access:{r.town}:isolation",
            _num(r.isolation_index, 2),
            f"isolation index of {r.town}",
            f,
            digits=2,
        )
        rows.append({"town": r.town, "level": r.level, "isolation_index": _num(r.isolation_index, 2)})
    danger = ac.segment_danger(net, e, since=p.start, until=p.end)
    stretches = ac.dangerous_stretches(danger, 5)
    for r in stretches.itertuples():
        b.add(f"stretch:{r.rank}:incidents", int(r.incidents), f"incidents on {r.stretch}", f)
    b.tables["access_towns"] = pd.DataFrame(rows)
    b.tables["access_stretches"] = (
        stretches[["rank", "stretch", "incidents", "length_km"]] if len(stretches) else stretches
    )
    b.sections["access"] = "configured"


def _outlook(b: Brief, all_ev, name, a1, p: Period, samples: int, seed: int) -> None:

    origin = p.end.to_period("M")
    if p.end != origin.end_time.normalize():
        origin = origin - 1  # a week ending mid-month: the last complete month
    f_common = {
        "country": name,
        "unit": "admin1",
        "target": "fatalities",
        "model": "lgbm",
        "samples": samples,
        "seed": seed,
    }
    try:
        panel = fc.build_panel(all_ev[all_ev["event_date"] <= origin.end_time], "admin1", "fatalities", "all")
        nxt = fc.summarize(fc.forecast(panel, horizon="1", samples=samples, origin=str(origin), seed=seed))
    except (InputError, ValueError) as exc:
        b.sections["outlook_note"] = str(exc)
        b.tables["forecast"] = pd.DataFrame()
        b.tables["scorecard"] = pd.DataFrame()
        return
    if a1:
        nxt = nxt[nxt["unit"].astype(str) == a1]
    nxt = nxt.sort_values("mean", ascending=False).reset_index(drop=True)
    month = str(nxt["month"].iat[0]) if len(nxt) else str(origin + 1)
    f = {**f_common, "origin": str(origin), "month": month, "history_since": _d(all_ev["event_date"].min())}
    for r in nxt.itertuples():
        b.add(
            f"fc:{r.unit}:p_any",
            _num(r.p_any, 2),
            f"P(at least one fatality) in {r.unit}, {month}",
            f,
            digits=2,
        )
        b.add(f"fc:{r.unit}:q05", _num(r.q05), f"5% quantile of fatalities in {r.unit}, {month}", f)
        b.add(f"fc:{r.unit}:q95", _num(r.q95), f"95% quantile of fatalities in {r.unit}, {month}", f)
        b.add(f"fc:{r.unit}:median", _num(r.median), f"median fatalities in {r.unit}, {month}", f)
    b.tables["forecast"] = nxt[["unit", "month", "p_any", "q05", "median", "q95", "mean"]]
    b.meta["forecast_month"] = month

    # scorecard: the forecast issued one period earlier for the period's last month, against what happened
    prev_origin = origin - 1
    try:
        panel2 = fc.build_panel(
            all_ev[all_ev["event_date"] <= prev_origin.end_time], "admin1", "fatalities", "all"
        )
        sc_rows = []
        truth = all_ev[
            (all_ev["event_date"] >= origin.start_time) & (all_ev["event_date"] <= origin.end_time)
        ]
        obs = pd.to_numeric(truth["fatalities"], errors="coerce").fillna(0).groupby(truth["admin1"]).sum()
        sims = {}
        for model in ("lgbm", "conflictology"):
            s = fc.forecast(
                panel2, horizon="1", samples=samples, origin=str(prev_origin), model=model, seed=seed
            )
            sims[model] = s
        units = sorted(set(sims["lgbm"]["unit"].astype(str)))
        if a1:
            units = [u for u in units if u == a1]
        for u in units:
            row = {"unit": u, "observed": int(obs.get(u, 0))}
            for model, s in sims.items():
                v = s[s["unit"].astype(str) == u]["value"].to_numpy(float)
                row[f"crps_{model}"] = float(fc.crps_ensemble(v, float(row["observed"])))
                lo, hi = np.quantile(v, [0.05, 0.95])
                row[f"in90_{model}"] = bool(lo <= row["observed"] <= hi)
            sc_rows.append(row)
        sc = pd.DataFrame(sc_rows)
        fs = {
            **f_common,
            "origin": str(prev_origin),
            "month": str(origin),
            "scored_against": "events of the month",
        }
        for r in sc.itertuples():
            b.add(
                f"sc:{r.unit}:observed",
                int(r.observed),
                f"observed fatalities in {r.unit}, {origin}",
                _flt(name, r.unit, origin.start_time, origin.end_time.normalize()),
            )
            b.add(
                f"sc:{r.unit}:crps_lgbm",
                round(r.crps_lgbm, 2),
                f"CRPS of the model in {r.unit}",
                fs,
                digits=2,
            )
            b.add(
                f"sc:{r.unit}:crps_conflictology",
                round(r.crps_conflictology, 2),
                f"CRPS of conflictology in {r.unit}",
                fs,
                digits=2,
            )
        mean_m, mean_c = float(sc["crps_lgbm"].mean()), float(sc["crps_conflictology"].mean())
        b.add("sc:crps_lgbm", round(mean_m, 2), "mean CRPS of the model over the units", fs, digits=2)
        b.add(
            "sc:crps_conflictology",
            round(mean_c, 2),
            "mean CRPS of conflictology over the units",
            fs,
            digits=2,
        )
        b.add(
            "sc:gain",
            round(100 * (1 - mean_m / mean_c), 0) if mean_c > 0 else None,
            "CRPS gain of the model over conflictology (%)",
            fs,
            "%",
        )
        b.add(
            "sc:coverage_lgbm",
            int(sc["in90_lgbm"].sum()),
            "units whose outcome fell in the model's 90% interval",
            fs,
        )
        b.add(
            "sc:coverage_conflictology",
            int(sc["in90_conflictology"].sum()),
            "units whose outcome fell in conflictology's 90% interval",
            fs,
        )
        b.add("sc:units", int(len(sc)), "units scored", fs)
        b.add("sc:level", 90, "central interval checked (%): 5% to 95% quantiles of the samples", fs)
        b.tables["scorecard"] = sc
        b.meta["scorecard_month"] = str(origin)
        b.meta["scorecard_origin"] = str(prev_origin)
    except (InputError, ValueError) as exc:
        b.sections["scorecard_note"] = str(exc)
        b.tables["scorecard"] = pd.DataFrame()


# ------------------------------------------------------------------------------------------ render
def render(brief: Brief, outputs, *, json_beside: bool = True) -> list[Path]:
    """Write the brief to each of ``outputs`` (.html, .pdf, .json); a PDF also gets NAME.json beside it."""

    written = []
    html = None
    for o in outputs:
        o = Path(o)
        ext = o.suffix.lower()
        o.parent.mkdir(parents=True, exist_ok=True)
        if ext in (".html", ".htm"):
            html_self = render_html(brief, embed=True)
            o.write_text(html_self, encoding="utf-8")
        elif ext == ".pdf":
            html = html or render_html(brief, embed=False)
            write_pdf(html, o, base=Path(next(iter(brief.figures.values()), o)).parent)
            if json_beside:
                j = o.with_suffix(".json")
                j.write_text(
                    json.dumps(brief.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
                )
                written.append(j)
        elif ext == ".json":
            o.write_text(
                json.dumps(brief.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
            )
        else:
            raise BriefError(
                f"-o {o.name}: a brief is written as .html, .pdf or .json, not {ext or 'no extension'}"
            )
        written.append(o)
    return written


def check_outputs(outputs) -> None:
    for o in outputs:
        if Path(o).suffix.lower() not in (".html", ".htm", ".pdf", ".json"):
            raise BriefError(f"-o {Path(o).name}: a brief is written as .html, .pdf or .json")
