"""The operations every shell calls: the CLI, the demo, the web server, the briefings and the service add
no logic of their own on top of these plain functions.

    from sahelwatch import Settings, workflows
    settings = Settings.load()                                   # defaults < sahelwatch.toml < env < flags
    store = workflows.open_store(settings)
    workflows.import_file(store, "acled.csv")                    # ACLED (or kind="ucdp")
    run = workflows.extract_into_store(store, ["reports/"], settings=settings)
    hot = workflows.run_analysis("hotspots", store.events(), output="hot.geojson")

Each function takes what it works on (a store, paths, a frame) and the :class:`~sahelwatch.settings.Settings`
that say which reference data to use; nothing here reads the environment or prints.

Start-up cost: the analysis, forecasting and extraction modules pull in spaCy, scikit-learn, LightGBM, esda
and geopandas; importing them all costs ~3x the CLI's start-up (`sahelwatch --help`: 2.3 s -> 6.4 s on the
2-core machine, measured with /usr/bin/time). Every command module imports this one, so those imports are
made inside the functions that need them (marked "lazy: start-up"); everything else is imported here.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .ingest.acled import AcledFile, import_acled, read_acled
from .ingest.documents import iter_documents, read_document
from .ingest.rows import import_mapped_csv
from .ingest.ucdp import is_ucdp_header, map_ucdp_row
from .io import check_output, write_table
from .model import Claim, Document, Event
from .reports import ImportReport
from .settings import Settings
from .store import EventStore

ProgressFn = Callable[[int], None]


# ============================================================================================ store


def open_store(settings: Settings | None = None, db: str | None = None, *, create: bool = True) -> EventStore:
    """The store of ``settings`` (or ``db``), with the settings' actor registry for the ``actors=`` filter.
    ``create=False``: a store that does not exist is an error (read-only uses), nothing is created."""
    settings = settings or Settings.load()
    return EventStore.open(db or settings.db, actors=settings.actors, create=create)


# ============================================================================================ import

IMPORT_KINDS = ("acled", "ucdp")


def import_file(
    store: EventStore,
    path: str | Path,
    *,
    kind: str = "acled",
    strict: bool = False,
    dataset: str | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Import one dataset file (``kind``: acled or ucdp) into the store; idempotent."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if kind == "acled":
        return import_acled(store, path, strict=strict, dataset=dataset or "acled", progress=progress)
    if kind == "ucdp":
        return import_mapped_csv(
            store,
            path,
            map_ucdp_row,
            dataset=dataset or "ucdp",
            strict=strict,
            check_header=is_ucdp_header,
            progress=progress,
        )
    raise InputError(f"unknown import kind {kind!r}; expected one of {', '.join(IMPORT_KINDS)}")


# ============================================================================================ extraction


@dataclass
class Extraction:
    """What :func:`extract_into_store` did."""

    documents: list[Document]
    events: list[Event]  # merged across documents
    claims: list[Claim]
    reports: int = 0  # events before merging (one per document report)
    messages: list[tuple[Document, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # inputs that were not documents, and why
    stored: ImportReport | None = None  # None when nothing was written to a store
    output: Path | None = None

    @property
    def merged(self) -> int:
        return self.reports - len(self.events)


def read_documents(
    paths: Sequence[str],
    *,
    published: str | None = None,
    lang: str | None = None,
    skipped: list | None = None,
) -> list[Document]:
    """Files, folders, feeds, URLs or files listing URLs as cleaned documents (glued tokens repaired)."""
    from .extract.places import split_glued  # lazy: start-up (extract.places imports spaCy)

    return list(
        iter_documents(
            paths,
            published=published,
            lang=lang,
            split_glued=split_glued,
            skipped=skipped if skipped is not None else [],
        )
    )


def load_pipeline(
    settings: Settings | None = None,
    *,
    model_dir: str | Path | None = None,
    lang: str = "en",
    country: str | None = None,
):
    """The extraction pipeline with the settings' actor registry, gazetteer, rules and country focus."""
    from .extract.pipeline import Pipeline  # lazy: start-up (spaCy)

    return Pipeline.from_settings(settings or Settings.load(), model_dir, lang=lang, country_focus=country)


def extract_into_store(
    store: EventStore | None,
    inputs: Sequence[str] | Sequence[Document],
    *,
    settings: Settings | None = None,
    pipeline=None,
    published: str | None = None,
    lang: str | None = None,
    model_dir: str | Path | None = None,
    country: str | None = None,
    output: str | Path | None = None,
    dataset: str = "extract",
    wrap: Callable[[Iterable], Iterable] | None = None,
    extract: Callable[[list[Document]], tuple] | None = None,
) -> Extraction:
    """Read documents (paths or :class:`Document` objects), code their events and claims, merge the reports
    of one event, write documents, events and claims into ``store`` (None: no store) and, with ``output``,
    the events as a table. ``wrap`` can put a progress bar around the stream of results. ``extract``: another
    way to run the pipeline over the documents with the result of ``extract_documents`` (the Dask scale-out
    of ``sahelwatch extract --workers``, sahelwatch.watch.distributed)."""
    from .extract.pipeline import extract_documents  # lazy: start-up (spaCy)

    if output is not None:
        check_output(output)
    skipped: list = []
    if inputs and all(isinstance(d, Document) for d in inputs):
        docs = list(inputs)  # type: ignore[arg-type]
    else:
        docs = read_documents([str(p) for p in inputs], published=published, lang=lang, skipped=skipped)
    if not docs:
        raise InputError(
            "no readable document" + (f" ({'; '.join(map(str, skipped[:3]))})" if skipped else "")
        )
    if extract is not None:
        events, claims, messages, n_reports = extract(docs)
    else:
        pipe = pipeline or load_pipeline(settings, model_dir=model_dir, lang=lang or "en", country=country)
        events, claims, messages, n_reports = extract_documents(pipe, docs, wrap=wrap or (lambda rs: rs))
    run = Extraction(docs, events, claims, n_reports, messages, [str(s) for s in skipped])
    if store is not None:
        store.add_documents(docs)
        run.stored = store.add_events(events, dataset=dataset)
        store.add_claims(claims)
    if output is not None:
        run.output = write_table(events_frame(events), output, kind="events")
    return run


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    """Extracted events as a table: ACLED columns + date_end, dataset, how each was coded and from what."""
    rows = []
    for e in events:
        r = e.acled_row()
        r["date_end"] = e.date_end
        r["dataset"] = "extract"
        r["coding_method"] = e.provenance.method
        r["confidence"] = e.provenance.confidence
        r["document_ids"] = "; ".join(dict.fromkeys(s.document_id for s in e.sources if s.document_id))
        r["sentence"] = e.provenance.sentence
        rows.append(r)
    df = pd.DataFrame(rows)
    if not df.empty:
        df["event_date"] = pd.to_datetime(df["event_date"])
        df["date_end"] = pd.to_datetime(df["date_end"])
    return df


# ============================================================================================ training, scoring


def read_acled_export(path: str | Path) -> AcledFile:
    """An ACLED export read by the importer's reader; an :class:`InputError` saying why (column and an
    example value) when no event can be read from it."""
    got = read_acled(path)
    if got.frame.empty:
        raise InputError(got.why_empty())
    return got


def train_model(
    acled: str | Path,
    model_dir: str | Path,
    *,
    until: str | None = None,
    published: str = "timestamp",
    settings: Settings | None = None,
    pipeline=None,
):
    """Train the event typer, the actor aliases and the coded places on an ACLED export (a model folder)."""
    from .extract.train import train  # lazy: start-up (spaCy, scikit-learn)

    export = read_acled_export(acled)
    pipe = pipeline or load_pipeline(settings)
    return train(export.frame, model_dir, until=until, pipeline=pipe, published=published, source=str(acled))


def evaluate_export(
    acled: str | Path,
    *,
    model_dir: str | Path | None = None,
    since: str | None = None,
    until: str | None = None,
    published: str = "timestamp",
    limit: int | None = None,
    settings: Settings | None = None,
    pipeline=None,
    progress: bool = False,
):
    """Extract events from the notes of an ACLED export and score them against its coding."""
    from .extract.evaluate import evaluate  # lazy: start-up (spaCy, scikit-learn)

    export = read_acled_export(acled)
    pipe = pipeline or load_pipeline(settings, model_dir=model_dir)
    rep = evaluate(
        export.frame,
        model_dir=model_dir,
        since=since,
        until=until,
        pipeline=pipe,
        published=published,
        limit=limit,
        progress=progress,
    )
    rep.meta["file"] = str(acled)
    rep.meta["format"] = ("old upper-case" if export.legacy else "current") + (
        ", monadic" if export.monadic else ", dyadic"
    )
    rep.meta["rows_refused"] = export.report.rejected
    return rep


def check_document(
    path: str | Path,
    expect: str | Path | dict,
    *,
    published: str | None = None,
    settings: Settings | None = None,
    pipeline=None,
):
    """Check what sahelwatch extracts from one document against an expectations file (YAML)."""
    from .extract.evaluate import check_extraction  # lazy: start-up (spaCy)
    from .extract.places import split_glued  # lazy: start-up (spaCy)

    doc = read_document(path, published=published, split_glued=split_glued)
    pipe = pipeline or load_pipeline(settings, lang=doc.language if doc.language in ("en", "fr") else "en")
    return check_extraction(doc, expect, pipe)


def evaluate_articles_folder(
    folder: str | Path,
    pred_dir: str | Path | None = None,
    *,
    model_dir: str | Path | None = None,
    json_file: str | Path | None = None,
    errors: bool = False,
    lang: str = "en",
    settings: Settings | None = None,
) -> str:
    """``sahelwatch evaluate --articles``: the pipeline (rules, or the model of ``model_dir``) on every document
    of ``folder``, the predictions written to ``pred_dir`` (a temporary folder, removed, when None), the
    figures as a text table (and JSON in ``json_file``), with the error listing when ``errors``."""
    # lazy: start-up (spaCy, scikit-learn)
    from .extract import evaluate_articles as ea
    from .extract.places import split_glued

    ea.load_gold(folder)  # a bad folder fails before the models load
    pipe = load_pipeline(settings, model_dir=model_dir, lang=lang)
    with tempfile.TemporaryDirectory(prefix="sahelwatch-articles-") as tmp:
        target = Path(pred_dir) if pred_dir is not None else Path(tmp)
        rep = ea.evaluate_articles(folder, target, pipe, read_document, split_glued=split_glued)
    if json_file:
        Path(json_file).parent.mkdir(parents=True, exist_ok=True)
        Path(json_file).write_text(json.dumps(rep.to_json(), indent=1, default=str), encoding="utf-8")
    text = ea.render_summary(rep)
    if pred_dir is not None:
        text += f"\npredictions: one CSV per document in {pred_dir}"
    if errors:
        text += "\n\n" + ea.render_errors(rep)
    return text


# ============================================================================================ analyses


def analyses() -> dict[str, tuple[Callable[..., Any], str]]:
    """Analysis name -> (function taking the events frame first, kind of table it returns)."""
    # lazy: start-up (esda, libpysal, scikit-learn, LightGBM, networkx)
    from .analysis import alerts, coordination, hotspots, influence, network
    from .analysis import forecast as fc

    return {
        "hotspots": (hotspots.gi_star, "hotspots"),
        "emerging": (hotspots.emerging_hotspots, "emerging"),
        "clusters": (hotspots.st_clusters, "clusters"),
        "influence": (influence.influence, "influence"),
        "influence_changes": (influence.influence_changes, "influence_changes"),
        "alerts": (alerts.alerts, "alerts"),
        "trends": (alerts.trends, "trends"),
        "coordination": (coordination.coordination, "coordination"),
        "network": (network.network_edges, "network"),
        "forecast": (fc.forecast, "forecast"),
    }


def actor_map(settings: Settings | None = None, *, raw_names: bool = False, components: bool = True):
    """The actor grouping of the analyses: the settings' registry (or names as written)."""
    from .analysis.groups import default_actor_map, registry_group_map  # lazy: start-up (analysis imports)

    if raw_names:
        return default_actor_map
    return registry_group_map(actors=(settings or Settings.load()).actors, components=components)


def run_analysis(
    name: str,
    events: pd.DataFrame,
    *,
    output: str | Path | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    country: str | None = None,
    **params: Any,
) -> Any:
    """Run the analysis ``name`` on the events and, with ``output``, write its table (format from the
    suffix; .png/.svg where a picture of that kind exists, ``subtitle`` saying the period and filters and
    ``country`` framing the map). The output is checked before the work starts."""
    table = analyses()
    if name not in table:
        raise InputError(f"unknown analysis {name!r}; expected one of {', '.join(sorted(table))}")
    fn, kind = table[name]
    if output is not None:
        check_output(output, kind=kind)
    result = fn(events, **params)
    if output is not None:
        frame = result[0] if isinstance(result, tuple) else result
        write_table(frame, output, kind=kind, title=title, subtitle=subtitle, country=country)
    return result


SUMMARY_SUFFIXES = (".geojson", ".gpkg", ".json")


def write_forecast(samples: pd.DataFrame, path: str | Path, panel=None) -> Path:
    """Forecast samples to .parquet/.csv (long format); .geojson/.gpkg get the per unit-month summary with
    the unit's geometry (the cell's square, or the admin unit's centroid); .json the summary as records."""
    from shapely.geometry import Point, box

    # lazy: start-up (LightGBM, statsmodels)
    from .analysis.forecast import summarize
    from .analysis.forecast.targets import priogrid_centroid

    p = Path(path)
    ext = p.suffix.lower()
    check_output(p, kind="forecast")
    if ext not in SUMMARY_SUFFIXES:
        table = samples.copy()
        table["unit"] = table["unit"].astype(str)
        return write_table(table, p, kind="forecast")
    summary = summarize(samples)
    if ext == ".json":
        return write_table(summary, p, kind="forecast")
    if panel is None:
        raise InputError(f"{p}: the summary's geometry needs the forecast's panel")
    if panel.unit == "priogrid":
        lat, lon = priogrid_centroid(np.asarray(panel.units, dtype=int))
        shapes = [box(x - 0.25, y - 0.25, x + 0.25, y + 0.25) for x, y in zip(lon, lat)]
        geom = dict(zip(panel.units.tolist(), shapes))
    else:
        geom = {
            u: (Point(lo, la) if np.isfinite(la) and np.isfinite(lo) else None)
            for u, la, lo in zip(panel.units, panel.lat, panel.lon)
        }
    import geopandas as gpd  # lazy: start-up (~1 s)

    summary["unit"] = summary["unit"].astype(object)
    g = gpd.GeoDataFrame(summary, geometry=[geom.get(u) for u in summary["unit"]], crs="EPSG:4326")
    g["unit"] = g["unit"].astype(str)
    return write_table(g, p, kind="forecast")


def write_backtest(result, path: str | Path, *, title: str | None = None) -> Path:
    """A backtest as its HTML report (.html) or its results table (any table suffix)."""
    from .analysis.forecast import write_report  # lazy: start-up (LightGBM)

    p = Path(path)
    if p.suffix.lower() == ".html":
        write_report(result, p, title=title)
        return p
    return write_table(result.table, p, kind="backtest")


GRAPH_SUFFIXES = (".graphml", ".json")


def actor_network(
    events: pd.DataFrame | None,
    claims: pd.DataFrame | None = None,
    *,
    output: str | Path | None = None,
    **params: Any,
):
    """Who fights whom and who is allied: (edges, graph). ``output`` .graphml/.json writes the graph,
    any table suffix the edges."""
    from .analysis.network import actor_network as network_of, write_graph  # lazy: start-up (networkx)

    graph_file = output is not None and Path(output).suffix.lower() in GRAPH_SUFFIXES
    if output is not None and not graph_file:
        check_output(output, kind="network")
    edges, graph = network_of(events, claims, **params)
    if graph_file:
        write_graph(graph, output)  # type: ignore[arg-type]
    elif output is not None:
        write_table(edges, output, kind="network")
    return edges, graph


def influence_layers(result: pd.DataFrame, directory: str | Path) -> list[Path]:
    """One GeoJSON per group's zone and one of the contested cells of an influence result."""
    from .analysis.influence import write_layers  # lazy: start-up (analysis imports)

    return write_layers(result, directory)


# ============================================================================================ access


@dataclass
class Access:
    """What :func:`access_report` found: the town access status on ``day`` and what it rests on."""

    day: pd.Timestamp
    status: pd.DataFrame  # one row per town (isolation index, level, routes hit/cut)
    danger: pd.DataFrame  # per road segment: incidents, fatalities, per km
    stretches: pd.DataFrame  # the most dangerous stretches, ranked
    routes: dict[str, pd.DataFrame]  # town name -> its routes' status (towns asked for)
    timeline: pd.DataFrame | None  # weekly levels (with --timeline or towns asked for)
    notes: list[str] = field(
        default_factory=list
    )  # road network summary, geocoding, snapping, partial result
    written: list[Path] = field(default_factory=list)
    picked: list[int] = field(default_factory=list)
    town_names: dict[int, str] = field(default_factory=dict)
    town_weeks: list[str] = field(default_factory=list)  # per town asked for: weeks at each access level


def access_report(
    store: EventStore,
    roads: Sequence[str | Path],
    *,
    filters: dict[str, Any] | None = None,
    towns: Sequence[str] = (),
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    buffer_km: float = 3.0,
    window_days: int = 30,
    min_population: int = 10_000,
    k: int = 3,
    snap_m: float = 50.0,
    assume_crs: str | None = None,
    timeline: bool = False,
    geocode: bool = True,
    top: int = 10,
    outputs: Sequence[str | Path] = (),
) -> Access:
    """Roads hit by incidents and towns being cut off (docs/access.md): read the road files, link the store's
    events to roads, model each town's routes and write ``outputs`` (.png map, .geojson/.gpkg danger layer,
    .csv/.parquet/.json town status or timeline). Outputs are checked before any work."""
    # lazy: start-up (geopandas, networkx, matplotlib: ~2 s on every CLI call)
    from .analysis import access as ac
    from .analysis.roads import read_roads

    for o in outputs:
        if Path(o).suffix.lower() not in (".png", ".svg"):
            check_output(o, kind="access")
    notes: list[str] = []
    net = read_roads(list(roads), snap_m=snap_m, assume_crs=assume_crs)
    notes.append(net.report.summary())
    fetch = dict(filters or {})
    if since:  # the window of the first weeks reaches back before --since
        try:
            fetch["since"] = str((pd.Timestamp(since) - pd.Timedelta(days=window_days)).date())
        except ValueError:
            raise InputError(f"since {since!r}: expected a date YYYY-MM-DD") from None
    events = store.events(**fetch)
    if len(events) == 0:
        raise InputError(
            "no events match the filters; widen them or import data (sahelwatch import acled FILE)"
        )
    cty = country or events["country"].mode().iat[0]
    if geocode and events["latitude"].isna().any():
        events = ac.geocode_events(events)
        g = events.attrs["geocoding"]
        notes.append(
            f"geocoded {g['placed']}/{g['needed']} events without coordinates (levels {g['by_level']})"
        )
    events = ac.mark_road_related(events)
    town_table = ac.add_towns(ac.towns_from_gazetteer(cty, min_population), list(towns), cty)
    if len(town_table) < 2:
        raise InputError(f"fewer than two towns of {min_population}+ people in {cty!r}; lower min_population")
    events = ac.snap_events(events, net, buffer_km=buffer_km, towns=town_table)
    notes.append(f"events: {events.attrs['snapping']}; road-related {int(events['road_related'].sum())}")
    model = ac.AccessModel(net, town_table, k=k)
    picked = [ac.resolve_town(t, model.towns) for t in towns]
    day = pd.Timestamp(until) if until else events["event_date"].max()
    status = model.status(events, on=day, window_days=window_days)
    hit = model.hit_segments(events, day, window_days)
    routes = {}
    for i in picked:
        rs = model.route_status(hit)
        rs = rs[rs["town_idx"] == i].assign(
            base_km=lambda d: d["base_m"] / 1000, new_km=lambda d: d["new_m"] / 1000
        )
        routes[str(model.towns.loc[i, "name"])] = rs.reset_index(drop=True)
    tl = None
    if timeline or picked:
        tl = model.timeline(
            events,
            since=since or events["event_date"].min(),
            until=day,
            window_days=window_days,
            towns=picked or None,
        )
    danger = ac.segment_danger(net, events, since=since, until=day)
    if net.report.partial:
        notes.append("partial result: the road network is incomplete (see the summary above)")
    rep = Access(
        day,
        status,
        danger,
        ac.dangerous_stretches(danger, top),
        routes,
        tl,
        notes,
        picked=picked,
        town_names={i: str(model.towns.loc[i, "name"]) for i in picked},
    )
    for i in picked:
        weeks = tl[tl["town_idx"] == i]  # type: ignore[index]
        counts = weeks["level"].value_counts()
        rep.town_weeks.append(
            f"{rep.town_names[i]}: {len(weeks)} weeks — "
            + ", ".join(f"{lv} {int(counts.get(lv, 0))}" for lv in ac.LEVELS)
            + f"; mean isolation {weeks['isolation_index'].mean():.2f}"
        )
    for o in outputs:
        o = Path(o)
        if o.suffix.lower() in (".png", ".svg"):  # drawn by sahelwatch.figures (kind access)
            write_table(
                ac.danger_layer(danger, model, status, picked, hit),
                o,
                kind="access",
                title=f"Road incidents and town access, {day.date()} ({window_days}-day window)",
            )
        elif o.suffix.lower() in (".geojson", ".gpkg"):
            write_table(ac.danger_layer(danger, model, status, picked, hit), o, kind="access")
        else:
            table = tl if (timeline and tl is not None) else status
            write_table(
                table.drop(columns=[c for c in ("town_idx",) if c in table.columns]), o, kind="access"
            )
        rep.written.append(o)
    return rep


# ============================================================================================ demo

Step = Callable[[EventStore, Path], list[str]]


def run_demo(
    db: str,
    out: Path,
    steps: Sequence[tuple[str, Step]],
    *,
    settings: Settings | None = None,
    status: Callable[[str], Any] | None = None,
    echo: Callable[[str], Any] | None = None,
) -> dict:
    """Run named demo steps on one store; write ``summary.md`` and ``summary.json`` (lines and seconds per
    step) into ``out``. ``status(name)`` may return a context manager shown while a step runs; ``echo``
    receives each summary line."""
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(settings, db=db)
    summary: dict[str, list[str]] = {}
    timings: dict[str, float] = {}
    try:
        for name, step in steps:
            t0 = time.perf_counter()
            if status is not None:
                with status(name):
                    summary[name] = step(store, out)
            else:
                summary[name] = step(store, out)
            timings[name] = round(time.perf_counter() - t0, 2)
            for line in summary[name]:
                if echo is not None:
                    echo(f"[bold]{name}[/bold]: {line}")
        md = [
            "# sahelwatch demo",
            "",
            f"Store: `{store.url}`. Data: the bundled synthetic sample "
            "(invented events at real towns; not ACLED data).",
            "",
        ]
        for name, lines in summary.items():
            md += [f"## {name}", "", *[f"- {x}" for x in lines], ""]
        (out / "summary.md").write_text("\n".join(md), encoding="utf-8")
        (out / "summary.json").write_text(
            json.dumps({"summary": summary, "seconds": timings}, indent=2), encoding="utf-8"
        )
    finally:
        store.close()
    return summary


__all__ = [
    "open_store",
    "import_file",
    "extract_into_store",
    "Extraction",
    "read_documents",
    "load_pipeline",
    "events_frame",
    "read_acled_export",
    "train_model",
    "evaluate_export",
    "evaluate_articles_folder",
    "check_document",
    "analyses",
    "actor_map",
    "run_analysis",
    "access_report",
    "Access",
    "write_forecast",
    "write_backtest",
    "actor_network",
    "influence_layers",
    "run_demo",
    "check_output",
    "IMPORT_KINDS",
]
