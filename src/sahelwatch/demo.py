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


STEPS: list[tuple[str, Step]] = [("import", step_import), ("import UCDP", step_import_ucdp),
                                 ("overview", step_overview), ("exports", step_exports)]


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
