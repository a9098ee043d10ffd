"""The demo: the bundled synthetic sample through the whole tool, with the embedded store.

Each step takes the store and the output folder and returns lines for the summary, so later
capabilities add a step here and nothing else changes.
"""
from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path
from typing import Callable

import pandas as pd
from rich.console import Console

import sahelwatch

SAMPLE = "sample/sample_events.csv"
Step = Callable[["sahelwatch.store.EventStore", Path], list[str]]


def sample_path() -> Path:
    return Path(str(resources.files("sahelwatch.data").joinpath(SAMPLE)))


def step_import(store, out: Path) -> list[str]:
    from .ingest.acled import import_acled

    rep = import_acled(store, sample_path(), dataset="sample")
    return [f"Imported the bundled sample: {rep.summary()}."]


def step_import_ucdp(store, out: Path) -> list[str]:
    from .ingest.rows import import_mapped_csv
    from .ingest.ucdp import is_ucdp_header, map_ucdp_row

    path = Path(str(resources.files("sahelwatch.data").joinpath("sample/sample_ucdp_ged.csv")))
    rep = import_mapped_csv(store, path, map_ucdp_row, dataset="ucdp-sample", check_header=is_ucdp_header)
    return [f"Imported the bundled UCDP GED sample, mapped onto ACLED's vocabulary: {rep.summary()}."]


def step_overview(store, out: Path) -> list[str]:
    df = store.events(datasets=["sample"])
    lines = [f"{len(df)} events, {int(df['fatalities'].sum())} fatalities, "
             f"{df['event_date'].min():%Y-%m-%d} to {df['event_date'].max():%Y-%m-%d}."]
    by = (df.groupby(["country", "admin1"]).agg(events=("event_id_cnty", "size"), fatalities=("fatalities", "sum"))
          .sort_values("events", ascending=False).head(5))
    lines.append("Busiest admin1 areas: " + "; ".join(
        f"{a1} ({c}): {r.events} events, {r.fatalities} killed" for (c, a1), r in by.iterrows()) + ".")
    actors = pd.concat([df["actor1"], df["actor2"]]).dropna().value_counts().head(4)
    lines.append("Most active actors: " + "; ".join(f"{a} ({n})" for a, n in actors.items()) + ".")
    q = df.set_index("event_date").resample("QE")["event_id_cnty"].count()
    lines.append("Events per quarter: " + ", ".join(f"{p:%Y}Q{(p.month - 1) // 3 + 1} {n}" for p, n in q.items()) + ".")
    jnim = store.count(actors=["JNIM"], datasets=["sample"])
    lines.append(f"Filter by alias: `actors=['JNIM']` finds {jnim} events.")
    by_ds = {d: n for d, n, _ in store.stats()["by_dataset"]}
    lines.append("Events by dataset: " + ", ".join(f"{d} {n}" for d, n in by_ds.items()) + ".")
    return lines


def step_exports(store, out: Path) -> list[str]:
    from .export import export_events

    df = store.events(datasets=["sample"])
    files = []
    for name, kw in (("events_acled.csv", {"format": "acled"}), ("events.geojson", {}), ("events.gpkg", {}),
                     ("events.geoparquet", {"format": "geoparquet"}), ("events_hxl.csv", {"format": "csv", "hxl": True})):
        files.append(export_events(df, out / name, **kw).name)
    return ["Exports: " + ", ".join(files) + "."]


def step_analysis(store, out: Path) -> list[str]:
    """Hot spots, areas of influence, alerts and the JNIM–ISGS relation on the sample."""
    from .analysis import alerts as A
    from .analysis import hotspots as H
    from .analysis import influence as I
    from .analysis.coordination import coordination
    from .analysis.units import registry_group_map
    from .commands.analyze import write_output

    ev = store.events(datasets=["sample"])
    groups = registry_group_map()
    lines = []
    hot = H.gi_star(ev, "priogrid", permutations=199, seed=1)
    write_output(hot, out / "hotspots.geojson")
    n_hot = int(hot["class"].astype(str).str.startswith("hot").sum())
    lines.append(f"Getis-Ord Gi* on PRIO-GRID cells: {n_hot} hot cells of {len(hot)} "
                 "(false-discovery-rate corrected) → hotspots.geojson.")
    inf = I.influence(ev, "priogrid", groups=["JNIM", "ISGS"], actor_map=groups)
    write_output(inf, out / "influence.geojson")
    dom = inf["dominant"].value_counts() if "dominant" in inf else pd.Series(dtype=int)
    contested = int(inf["contested"].sum()) if "contested" in inf else 0
    lines.append("Areas of influence (cells dominated): " + ", ".join(f"{g} {n}" for g, n in dom.items())
                 + f"; {contested} contested cells → influence.geojson.")
    al = A.alerts(ev, "admin1", actor_map=groups)
    write_output(al, out / "alerts.csv")
    lines.append(f"Alerts for the latest ACLED week: {len(al)}"
                 + (" — " + " | ".join(al["message"].astype(str).str.rstrip(".").head(3)) if len(al) and "message" in al else "")
                 + " → alerts.csv.")
    pair = [groups(a) or a for a in ("JNIM", "ISGS")]
    rel = coordination(ev, actors=pair, mapping=groups, by="year", n_perm=199, n_boot=20)
    write_output(rel, out / "coordination.csv")
    if len(rel) and "label" in rel:
        lines.append("JNIM–ISGS relation by year: " + "; ".join(
            f"{r['period']}: {r['label']} ({r['clashes']} clashes, {r['joint_events']} joint events, "
            f"Knox ratio {r['knox_ratio']:.2f})" for _, r in rel.iterrows()) + " → coordination.csv.")
    return lines


def step_forecast(store, out: Path) -> list[str]:
    """Next quarter's fatalities per PRIO-GRID cell, and a short honest backtest."""
    from .analysis.forecast import backtest, forecast, summarize, write_report

    ev = store.events(datasets=["sample"])
    fc = forecast(ev, unit="priogrid", target="fatalities", horizon="1-3", samples=500, seed=0)
    fc.to_parquet(out / "forecast.parquet", index=False)
    summ = summarize(fc)
    top = summ[summ["horizon"] == 1].sort_values("mean", ascending=False).head(3)
    lines = [f"Forecast of fatalities per PRIO-GRID cell for {summ['month'].min()}…{summ['month'].max()} "
             f"({fc['unit'].nunique()} cells × 3 months × 500 samples) → forecast.parquet. Highest next month: "
             + "; ".join(f"cell {r.unit}: mean {r.mean:.1f} (90% interval {r.q05:.0f}–{r.q95:.0f}), "
                         f"P(any death) {r.p_any:.2f}" for r in top.itertuples()) + "."]
    bt = backtest(ev, unit="priogrid", target="fatalities", first_origin="2020-04", last_origin="2020-09",
                  horizon="1-3", samples=300, seeds=(0,))
    write_report(bt, out / "forecast_backtest.html", title="Backtest on the synthetic sample")
    head = bt.headline()
    if len(head):
        lines.append("Backtest, 6 origins (CRPS, lower is better): " + "; ".join(
            f"h={int(r['horizon'])}: model {r['model']:.3f} vs best baseline ({r['best_baseline']}) "
            f"{r['baseline']:.3f}, gain {100 * r['gain_vs_best']:+.1f}%" for _, r in head.iterrows())
            + " → forecast_backtest.html.")
    return lines


def step_extract(store, out: Path) -> list[str]:
    """Two bundled reports (written for sahelwatch, invented events) through the extraction pipeline."""
    from .extract.pipeline import Pipeline, extract_documents
    from .extract.places import split_glued
    from .ingest.documents import iter_documents

    folder = sample_path().with_name("reports")
    docs = list(iter_documents([str(folder)], split_glued=split_glued))
    events, claims, _messages, _n = extract_documents(Pipeline.load(), docs)
    store.add_documents(docs)
    rep = store.add_events(events, dataset="extract")
    store.add_claims(claims)
    lines = [f"Read {len(docs)} reports ({', '.join(sorted(d.language or '?' for d in docs))}): "
             f"{rep.inserted + rep.unchanged} events stored, {len(claims)} claims."]
    for e in events:
        lines.append(f"{e.event_date} {e.sub_event_type}: {e.actor1} vs {e.actor2 or '-'} at {e.location} "
                     f"(geo {e.geo_precision}, {e.admin1}), {e.fatalities} killed — from “{' '.join((e.provenance.sentence or '').split())[:90]}…”")
    for c in claims[:3]:
        lines.append(f"claim ({c.kind}): {c.subject} {c.value_text or ''} — stated by {c.stated_by or 'the report'}")
    return lines


def step_brief(store, out: Path) -> list[str]:
    """A briefing (HTML + PDF + JSON appendix) for Mali, September 2020, from the store (issue 15)."""
    from .report.brief import render

    b = sahelwatch.brief(store, country="Mali", period="2020-09", out_dir=out / "brief_figures", samples=200)
    paths = render(b, [out / "brief.pdf", out / "brief.html"])
    return [f"Brief for Mali, 2020-09: {b.value('all:events:now')} events, {b.value('all:fatalities:now')} fatalities, "
            f"{b.sections['overall_trend']} against 2020-08; {len(b.numbers)} numbers in the appendix → "
            + ", ".join(p.name for p in paths) + "."]


STEPS: list[tuple[str, Step]] = [("import", step_import), ("import UCDP", step_import_ucdp),
                                 ("extract", step_extract), ("overview", step_overview), ("exports", step_exports),
                                 ("analysis", step_analysis), ("forecast", step_forecast),
                                 ("brief", step_brief)]


def run_demo(db: str, out: Path, console: Console | None = None) -> dict:
    console = console or Console()
    out.mkdir(parents=True, exist_ok=True)
    store = sahelwatch.open(db)
    summary: dict[str, list[str]] = {}
    timings: dict[str, float] = {}
    for name, step in STEPS:
        t0 = time.perf_counter()
        with console.status(f"demo: {name}…"):
            summary[name] = step(store, out)
        timings[name] = round(time.perf_counter() - t0, 2)
        for line in summary[name]:
            console.print(f"[bold]{name}[/bold]: {line}")
    md = ["# sahelwatch demo", "", f"Store: `{store.url}`. Data: the bundled synthetic sample "
          "(invented events at real towns; not ACLED data).", ""]
    for name, lines in summary.items():
        md += [f"## {name}", "", *[f"- {x}" for x in lines], ""]
    (out / "summary.md").write_text("\n".join(md), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps({"summary": summary, "seconds": timings}, indent=2), encoding="utf-8")
    console.print(f"[green]demo done: {out / 'summary.md'}[/green]")
    store.close()
    return summary
