"""The demo: the bundled synthetic sample through the whole tool, with the embedded store.

Each step takes the store and the output folder and returns lines for the summary, so later
capabilities add a step here and nothing else changes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
from rich.console import Console

from . import workflows
from .export import export_events
from .store import EventStore
from .workflows import Step

SAMPLE = "sample/sample_events.csv"


def sample_path() -> Path:
    return Path(str(resources.files("sahelwatch.data").joinpath(SAMPLE)))


def step_import(store: EventStore, out: Path) -> list[str]:
    rep = workflows.import_file(store, sample_path(), kind="acled", dataset="sample")
    return [f"Imported the bundled sample: {rep.summary()}."]


def step_import_ucdp(store: EventStore, out: Path) -> list[str]:
    path = Path(str(resources.files("sahelwatch.data").joinpath("sample/sample_ucdp_ged.csv")))
    rep = workflows.import_file(store, path, kind="ucdp", dataset="ucdp-sample")
    return [f"Imported the bundled UCDP GED sample, mapped onto ACLED's vocabulary: {rep.summary()}."]


def step_overview(store: EventStore, out: Path) -> list[str]:
    df = store.events(datasets=["sample"])
    lines = [
        f"{len(df)} events, {int(df['fatalities'].sum())} fatalities, "
        f"{df['event_date'].min():%Y-%m-%d} to {df['event_date'].max():%Y-%m-%d}."
    ]
    by = (
        df.groupby(["country", "admin1"])
        .agg(events=("event_id_cnty", "size"), fatalities=("fatalities", "sum"))
        .sort_values("events", ascending=False)
        .head(5)
    )
    lines.append(
        "Busiest admin1 areas: "
        + "; ".join(f"{a1} ({c}): {r.events} events, {r.fatalities} killed" for (c, a1), r in by.iterrows())
        + "."
    )
    actors = pd.concat([df["actor1"], df["actor2"]]).dropna().value_counts().head(4)
    lines.append("Most active actors: " + "; ".join(f"{a} ({n})" for a, n in actors.items()) + ".")
    q = df.set_index("event_date").resample("QE")["event_id_cnty"].count()
    lines.append(
        "Events per quarter: " + ", ".join(f"{p:%Y}Q{(p.month - 1) // 3 + 1} {n}" for p, n in q.items()) + "."
    )
    jnim = store.count(actors=["JNIM"], datasets=["sample"])
    lines.append(f"Filter by alias: `actors=['JNIM']` finds {jnim} events.")
    by_ds = {d: n for d, n, _ in store.stats()["by_dataset"]}
    lines.append("Events by dataset: " + ", ".join(f"{d} {n}" for d, n in by_ds.items()) + ".")
    return lines


def step_exports(store: EventStore, out: Path) -> list[str]:
    df = store.events(datasets=["sample"])
    files = []
    for name, kw in (
        ("events_acled.csv", {"format": "acled"}),
        ("events.geojson", {}),
        ("events.gpkg", {}),
        ("events.geoparquet", {"format": "geoparquet"}),
        ("events_hxl.csv", {"format": "csv", "hxl": True}),
    ):
        files.append(export_events(df, out / name, **kw).name)
    return ["Exports: " + ", ".join(files) + "."]


def step_analysis(store: EventStore, out: Path) -> list[str]:
    """Hot spots, areas of influence, alerts and the JNIM–ISGS relation on the sample."""
    run = workflows.run_analysis
    ev = store.events(datasets=["sample"])
    groups = workflows.actor_map()
    lines = []
    hot = run("hotspots", ev, unit="priogrid", permutations=199, seed=1, output=out / "hotspots.geojson")
    n_hot = int(hot["class"].astype(str).str.startswith("hot").sum())
    lines.append(
        f"Getis-Ord Gi* on PRIO-GRID cells: {n_hot} hot cells of {len(hot)} "
        "(false-discovery-rate corrected) → hotspots.geojson."
    )
    inf = run(
        "influence",
        ev,
        unit="priogrid",
        groups=["JNIM", "ISGS"],
        actor_map=groups,
        output=out / "influence.geojson",
    )
    dom = inf["dominant"].value_counts() if "dominant" in inf else pd.Series(dtype=int)
    contested = int(inf["contested"].sum()) if "contested" in inf else 0
    lines.append(
        "Areas of influence (cells dominated): "
        + ", ".join(f"{g} {n}" for g, n in dom.items())
        + f"; {contested} contested cells → influence.geojson."
    )
    al = run("alerts", ev, unit="admin1", actor_map=groups, output=out / "alerts.csv")
    lines.append(
        f"Alerts for the latest ACLED week: {len(al)}"
        + (
            " — " + " | ".join(al["message"].astype(str).str.rstrip(".").head(3))
            if len(al) and "message" in al
            else ""
        )
        + " → alerts.csv."
    )
    pair = [groups(a) or a for a in ("JNIM", "ISGS")]
    rel = run(
        "coordination",
        ev,
        actors=pair,
        actor_map=groups,
        by="year",
        n_perm=199,
        n_boot=20,
        output=out / "coordination.csv",
    )
    if len(rel) and "label" in rel:
        lines.append(
            "JNIM–ISGS relation by year: "
            + "; ".join(
                f"{r['period']}: {r['label']} ({r['clashes']} clashes, {r['joint_events']} joint events, "
                f"Knox ratio {r['knox_ratio']:.2f})"
                for _, r in rel.iterrows()
            )
            + " → coordination.csv."
        )
    return lines


def step_forecast(store: EventStore, out: Path) -> list[str]:
    """Next quarter's fatalities per PRIO-GRID cell, and a short honest backtest."""
    # lazy: start-up (LightGBM); every CLI call imports this module through the demo command
    from .analysis.forecast import backtest, summarize, write_report

    ev = store.events(datasets=["sample"])
    fc = workflows.run_analysis(
        "forecast",
        ev,
        unit="priogrid",
        target="fatalities",
        horizon="1-3",
        samples=500,
        seed=0,
        output=out / "forecast.parquet",
    )
    summ = summarize(fc)
    top = summ[summ["horizon"] == 1].sort_values("mean", ascending=False).head(3)
    lines = [
        f"Forecast of fatalities per PRIO-GRID cell for {summ['month'].min()}…{summ['month'].max()} "
        f"({fc['unit'].nunique()} cells × 3 months × 500 samples) → forecast.parquet. Highest next month: "
        + "; ".join(
            f"cell {r.unit}: mean {r.mean:.1f} (90% interval {r.q05:.0f}–{r.q95:.0f}), "
            f"P(any death) {r.p_any:.2f}"
            for r in top.itertuples()
        )
        + "."
    ]
    bt = backtest(
        ev,
        unit="priogrid",
        target="fatalities",
        first_origin="2020-04",
        last_origin="2020-09",
        horizon="1-3",
        samples=300,
        seeds=(0,),
    )
    write_report(bt, out / "forecast_backtest.html", title="Backtest on the synthetic sample")
    head = bt.headline()
    if len(head):
        lines.append(
            "Backtest, 6 origins (CRPS, lower is better): "
            + "; ".join(
                f"h={int(r['horizon'])}: model {r['model']:.3f} vs best baseline ({r['best_baseline']}) "
                f"{r['baseline']:.3f}, gain {100 * r['gain_vs_best']:+.1f}%"
                for _, r in head.iterrows()
            )
            + " → forecast_backtest.html."
        )
    return lines


def step_extract(store: EventStore, out: Path) -> list[str]:
    """Two bundled reports (written for sahelwatch, invented events) through the extraction pipeline."""
    folder = sample_path().with_name("reports")
    run = workflows.extract_into_store(store, [str(folder)])
    docs, events, claims, rep = run.documents, run.events, run.claims, run.stored
    assert rep is not None
    lines = [
        f"Read {len(docs)} reports ({', '.join(sorted(d.language or '?' for d in docs))}): "
        f"{rep.inserted + rep.unchanged} events stored, {len(claims)} claims."
    ]
    for e in events:
        lines.append(
            f"{e.event_date} {e.sub_event_type}: {e.actor1} vs {e.actor2 or '-'} at {e.location} "
            f"(geo {e.geo_precision}, {e.admin1}), {e.fatalities} killed — from “{' '.join((e.provenance.sentence or '').split())[:90]}…”"
        )
    for c in claims[:3]:
        lines.append(
            f"claim ({c.kind}): {c.subject} {c.value_text or ''} — stated by {c.stated_by or 'the report'}"
        )
    return lines


STEPS: list[tuple[str, Step]] = [
    ("import", step_import),
    ("import UCDP", step_import_ucdp),
    ("extract", step_extract),
    ("overview", step_overview),
    ("exports", step_exports),
    ("analysis", step_analysis),
    ("forecast", step_forecast),
]


def step_dashboard(store, out: Path) -> list[str]:
    """How to open the dashboard and the API on this store (issue 14)."""
    built = resources.files("sahelwatch.web").joinpath("static/index.html").is_file()
    db = store.url.removeprefix("sqlite:///")
    lines = [
        f"Dashboard and API: `sahelwatch serve --db {db}`, then open http://127.0.0.1:8000/ "
        "(map, filters, event cards with their source sentence, alerts, network; EN/FR) and "
        "http://127.0.0.1:8000/docs (the API, OpenAPI at /openapi.json)."
    ]
    if not built:
        lines.append(
            "The dashboard's files are not built here (`make dashboard` needs Node.js and npm); the API works."
        )
    return lines


STEPS.append(("dashboard", step_dashboard))


def run_demo(db: str, out: Path, console: Console | None = None) -> dict:
    """The demo's steps on the store ``db`` (see :func:`sahelwatch.workflows.run_demo`)."""
    console = console or Console()
    summary = workflows.run_demo(
        db, out, STEPS, status=lambda name: console.status(f"demo: {name}…"), echo=console.print
    )
    console.print(f"[green]demo done: {out / 'summary.md'}[/green]")
    return summary
