"""Core commands: import, export, events, stats, types, demo."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.markup import escape
from rich.table import Table

from .. import taxonomy, workflows
from ..cli_common import (
    ActorOption,
    Admin1Option,
    Admin2Option,
    BboxOption,
    CountryOption,
    DbOption,
    EventTypeOption,
    Filters,
    MinFatalitiesOption,
    SinceOption,
    UntilOption,
    console,
    fail,
    open_store,
    out,
    run,
)
from ..demo import run_demo
from ..errors import InputError
from ..export import ExportWarning, write_events
from ..ingest.acled import import_acled_rows
from ..io import check_output, write_table
from ..store.filters import EmptyResultWarning
from ..ingest.tabular import check_input_file

import_app = typer.Typer(
    help="Import datasets into the store (idempotent; newer versions replace older ones).",
    no_args_is_help=True,
)

StrictOption = Annotated[
    bool, typer.Option("--strict", help="Abort without writing anything if any row is refused.")
]


def _progress_for(path: Path):
    total = path.stat().st_size
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=total < 2_000_000,
    )
    task = progress.add_task(f"importing {path.name}", total=total)
    return progress, lambda done: progress.update(task, completed=min(done, total))


def _report(rep, show: int = 20) -> None:
    for w in rep.warnings[:10]:
        console.print("[yellow]warning:[/yellow] " + escape(w))
    for line in rep.grouped_warnings():  # one line per reason: count and first line numbers
        console.print("[red]refused[/red] " + escape(line))
    if rep.rejected:
        console.print("details of every refused row: `sahelwatch rejections` (or -o rejections.csv)")
    style = "red" if rep.aborted else "green"
    console.print(f"[{style}]{rep.summary()}[/{style}] ({rep.seconds:.1f} s)")


def _import_file(kind: str, file: Path, db: str | None, strict: bool) -> None:
    try:
        check_input_file(file, "CSV export")  # a folder, a binary file: said before any store is made
    except InputError as exc:
        fail(str(exc))
    store = open_store(db, create=True)
    progress, tick = _progress_for(file)
    with progress:
        rep = run(workflows.import_file, store, file, kind=kind, strict=strict, progress=tick)
    _report(rep)
    if rep.aborted:
        raise typer.Exit(1)


@import_app.command("acled")
def import_acled_cmd(
    file: Annotated[
        Path, typer.Argument(help="ACLED CSV export (current or old format, dyadic or monadic).")
    ],
    db: DbOption = None,
    strict: StrictOption = False,
) -> None:
    """Import an ACLED CSV export."""
    _import_file("acled", file, db, strict)


@import_app.command("ucdp")
def import_ucdp_cmd(
    file: Annotated[Path, typer.Argument(help="UCDP GED CSV (candidate or yearly release).")],
    db: DbOption = None,
    strict: StrictOption = False,
) -> None:
    """Import a UCDP GED CSV, mapped onto ACLED's vocabulary (UCDP ids kept)."""
    _import_file("ucdp", file, db, strict)


@import_app.command("acled-api")
def import_acled_api_cmd(
    country: Annotated[Optional[list[str]], typer.Option("--country", help="Country (repeatable).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    strict: StrictOption = False,
) -> None:
    """Import from the ACLED API (credentials from $ACLED_USERNAME and $ACLED_PASSWORD)."""
    from ..ingest.acled_api import AcledClient  # lazy: start-up (httpx, ~0.4 s on every CLI call)

    user, password = os.environ.get("ACLED_USERNAME"), os.environ.get("ACLED_PASSWORD")
    if not user or not password:
        fail("set ACLED_USERNAME and ACLED_PASSWORD (your ACLED account) to use the API")
    store = open_store(db, create=True)
    try:
        client = AcledClient(user, password)
        rows = (r for c in (country or [None]) for r in client.events(country=c, since=since, until=until))
        rep = import_acled_rows(store, rows, source="ACLED API", strict=strict)
    except InputError as exc:
        fail(str(exc))
    _report(rep)


def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    format: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            help="acled|geojson|gpkg|geoparquet|csv|parquet|shp|xlsx (default: from the extension; `-o -` writes csv, acled or geojson to stdout).",
        ),
    ] = None,  # noqa: A002
    hxl: Annotated[bool, typer.Option("--hxl", help="csv: add the HXL hashtag row (HDX).")] = False,
    monadic: Annotated[bool, typer.Option("--monadic", help="acled: one row per actor.")] = False,
    columns: Annotated[
        Optional[str], typer.Option("--columns", help="Comma-separated columns (acled/csv).")
    ] = None,
    date_format: Annotated[
        str, typer.Option("--date-format", help="strftime format of dates in CSV output.")
    ] = "%Y-%m-%d",
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
) -> None:
    """Export events (filters apply) to ACLED CSV, GeoJSON, GeoPackage, GeoParquet or CSV (+HXL)."""
    filters = Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )
    store = open_store(db)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EmptyResultWarning)  # said below, once
            warnings.simplefilter("ignore", ExportWarning)  # the summary says what was left out
            df = store.events(**filters.kwargs())
            res = write_events(
                df,
                output,
                format,
                hxl=hxl,
                monadic=monadic,
                columns=columns.split(",") if columns else None,
                date_format=date_format,
            )
    except InputError as exc:
        fail(str(exc))
    if df.empty and df.attrs.get("empty_reason"):
        console.print("[yellow]0 events:[/yellow] " + escape(df.attrs["empty_reason"]))
    style = (
        "yellow"
        if res.without_coordinates and res.format in ("geojson", "gpkg", "geoparquet", "shp")
        else "green"
    )
    console.print(f"[{style}]{escape(res.summary())}[/{style}]")


def events_cmd(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show (0 = all).")] = 20,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Also write them (format from the extension).")
    ] = None,
) -> None:
    """List events matching the filters; -o events.png|.svg draws them on a map."""
    picture = output is not None and output.suffix.lower() in (".png", ".svg")
    if picture:
        run(check_output, output, kind="events")
    filters = Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )
    store = open_store(db)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EmptyResultWarning)  # said below, once
            df = store.events(**filters.kwargs())
    except InputError as exc:
        fail(str(exc))
    if df.empty and df.attrs.get("empty_reason"):
        console.print("[yellow]0 events:[/yellow] " + escape(df.attrs["empty_reason"]))
    if output is not None and str(output) == "-":  # the events themselves on stdout, no table
        res = run(write_events, df, output)
        console.print(escape(res.summary()))
        return
    shown = df if limit == 0 else df.tail(limit)
    table = Table(title=f"{len(df)} events" + (f" (last {len(shown)})" if len(shown) < len(df) else ""))
    for c in (
        "event_id_cnty",
        "event_date",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "admin1",
        "fatalities",
    ):
        table.add_column(c, overflow="fold")
    for r in shown.itertuples():
        table.add_row(
            r.event_id_cnty,
            str(r.event_date.date()),
            str(r.sub_event_type or r.event_type),
            str(r.actor1 or ""),
            "" if r.actor2 is None or r.actor2 != r.actor2 else str(r.actor2),
            str(r.location or ""),
            str(r.admin1 or ""),
            str(r.fatalities),
        )
    out.print(table)
    if picture:
        console.print(
            "[green]wrote "
            + str(
                run(
                    write_table,
                    df,
                    output,
                    kind="events",
                    title=f"{len(df)} events",
                    subtitle=filters.describe(),
                    country=filters.country,
                )
            )
            + "[/green]"
        )
    elif output is not None:
        res = run(write_events, df, output)
        console.print("[green]" + escape(res.summary()) + "[/green]")


def stats_cmd(
    db: DbOption = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Counts by dataset, country, year and event type."""
    s = open_store(db).stats()
    if as_json:
        out.print_json(json.dumps(s, default=str))
        return
    out.print(
        f"[bold]{s['store']}[/bold] (schema {s['schema_revision']}): {s['events']} events, "
        f"{s['fatalities']} fatalities, {s['first_date']} … {s['last_date']}; "
        f"{s['without_coordinates']} without coordinates; {s['history_versions']} earlier versions kept; "
        f"{s['documents']} documents, {s['claims']} claims, {s['imports']} imports"
    )
    for key, title in (
        ("by_dataset", "dataset"),
        ("by_country", "country"),
        ("by_year", "year"),
        ("by_event_type", "event type"),
    ):
        t = Table(title=f"by {title}")
        t.add_column(title)
        t.add_column("events", justify="right")
        t.add_column("fatalities", justify="right")
        for name, n, f in s[key]:
            t.add_row(str(name), str(n), str(f))
        out.print(t)


def types_cmd() -> None:
    """ACLED's event types, sub-event types and inter codes."""
    t = Table(title="ACLED event types")
    t.add_column("event_type")
    t.add_column("sub_event_type")
    t.add_column("disorder_type")
    for et in taxonomy.event_types():
        for st in taxonomy.sub_event_types(et):
            t.add_row(et, st, taxonomy.disorder_type(et, st))
    out.print(t)
    codes = Table(title="inter codes")
    codes.add_column("code")
    codes.add_column("actor category")
    for k, v in taxonomy.inter_codes().items():
        codes.add_row(str(k), v)
    out.print(codes)


def rejections_cmd(
    db: DbOption = None,
    import_id: Annotated[
        Optional[int], typer.Option("--import", help="One import's id (default: the last).")
    ] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write them to CSV.")] = None,
) -> None:
    """Rows refused by an import, with file:line, field and reason."""
    store = open_store(db)
    imports = store.imports()
    if imports.empty:
        fail("no import in this store yet")
    iid = import_id if import_id is not None else int(imports["import_id"].iloc[-1])
    df = store.rejections(iid)
    if output:
        run(write_table, df, output, kind="rejections")
        console.print(f"wrote {len(df)} rejections to {output}")
        return
    for r in df.itertuples():
        out.print(f"{r.file}:{r.line}: {r.field}: {r.reason}" + (f" (value {r.value!r})" if r.value else ""))
    console.print(f"{len(df)} rejections in import {iid}")


def demo_cmd(
    db: DbOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the summary and exports.")] = Path(
        "demo-output"
    ),
) -> None:
    """Load the bundled (synthetic) sample into the store and write a summary and exports."""
    run_demo(db or str(out_dir / "demo.db"), out_dir, console=out)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.command("export")(export_cmd)
    app.command("events")(events_cmd)
    app.command("stats")(stats_cmd)
    app.command("types")(types_cmd)
    app.command("rejections")(rejections_cmd)
    app.command("demo")(demo_cmd)
