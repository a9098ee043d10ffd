"""CLI: extract, claims, train, evaluate, check-document (a thin shell over sahelwatch.extract)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import track
from rich.table import Table

from .. import workflows
from ..cli_common import (
    DbOption,
    OutputOption,
    SinceOption,
    UntilOption,
    console,
    fail,
    open_store,
    out,
    run,
    settings,
)
from ..io import check_output, write_table

#: models trained on ACLED data must not be written inside the installed package (or its source tree)
PACKAGE_ROOT = Path(workflows.__file__).resolve().parent.parent

PublishedOption = Annotated[
    Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD (overrides the page's own).")
]
LangOption = Annotated[
    Optional[str], typer.Option("--lang", help="Language of the documents: en or fr (default: detected).")
]
ModelOption = Annotated[
    Optional[Path],
    typer.Option("--model", help="Model directory from `sahelwatch train` (default: rules only)."),
]


def _inside_package(path: Path) -> bool:
    try:
        path.resolve().relative_to(PACKAGE_ROOT)
        return True
    except ValueError:
        return False


def _events_table(events) -> Table:
    t = Table(title="Extracted events")
    for c in ("date", "type", "sub-type", "actor1", "actor2", "location", "deaths", "how"):
        t.add_column(c)
    for e in events[:50]:
        t.add_row(
            str(e.event_date),
            e.event_type,
            e.sub_event_type or "",
            e.actor1,
            e.actor2 or "",
            f"{e.location or ''} ({e.geo_precision or '-'})",
            str(e.fatalities),
            f"{e.provenance.method} {e.provenance.confidence:.2f}" + (f" [{e.tags}]" if e.tags else ""),
        )
    return t


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        paths: Annotated[
            list[str], typer.Argument(help="Files, folders, feeds, URLs or files listing URLs (fetched).")
        ],
        published: PublishedOption = None,
        lang: LangOption = None,
        model: ModelOption = None,
        country: Annotated[
            Optional[str], typer.Option("--country", help="Country focus for place names, e.g. Mali.")
        ] = None,
        db: DbOption = None,
        output: OutputOption = None,
        no_store: Annotated[
            bool, typer.Option("--no-store", help="Do not write into the store (with -o: only the file).")
        ] = False,
        workers: Annotated[
            Optional[int],
            typer.Option("--workers", help="Extract on a local Dask cluster of N worker processes."),
        ] = None,
        scheduler: Annotated[
            Optional[str],
            typer.Option(
                "--scheduler", help="Extract on a Dask cluster: tcp://HOST:8786 (docs/deployment.md)."
            ),
        ] = None,
    ) -> None:
        """Read reports and code their events (ACLED types, actors, dates, places, deaths) and claims into the store."""
        cfg = settings(db=db, country=country)
        store = None if no_store else open_store(db, create=True)

        def progress(results):
            return track(results, description="extracting", console=console, transient=True)

        scale_out = None
        if workers or scheduler:  # scale-out: one pipeline per Dask worker, the same events as in one process
            # lazy: start-up (Dask distributed, ~1 s on every CLI call)
            from ..watch.distributed import extract_distributed

            scale_out = partial(
                extract_distributed,
                workers=workers,
                scheduler=scheduler,
                model=str(model) if model else None,
                lang=lang or "en",
                country=country,
            )
        res = run(
            workflows.extract_into_store,
            store,
            paths,
            settings=cfg,
            published=published,
            lang=lang,
            model_dir=model,
            country=country,
            output=output,
            wrap=progress,
            extract=scale_out,
        )
        for s in res.skipped:
            console.print(f"[yellow]skipped[/yellow] {s}")
        for doc, m in res.messages:
            console.print(f"[yellow]{doc.path or doc.id}[/yellow]: {m}")
        console.print(
            f"{len(res.documents)} documents: {len(res.events)} events ({res.merged} merged reports), "
            f"{len(res.claims)} claims"
        )
        if res.stored is not None:
            console.print(f"stored: {res.stored.accepted} events accepted, {res.stored.rejected} rejected")
        if res.output:
            console.print(f"written {res.output}")
        out.print(_events_table(res.events))

    @app.command("claims")
    def claims_cmd(
        db: DbOption = None,
        kind: Annotated[
            Optional[str],
            typer.Option("--kind", help="force_strength, troop_numbers, alliance, rivalry, ..."),
        ] = None,
        actor: Annotated[
            Optional[str], typer.Option("--actor", help="Subject actor (name or alias).")
        ] = None,
        output: OutputOption = None,
    ) -> None:
        """List or export the claims (force strengths, alliances, rivalries...) extracted from reports."""
        store = open_store(db)
        if not hasattr(store, "claims"):
            fail("this store has no claims table yet")
        df = store.claims(kind=kind, subject=actor)
        if output:
            run(write_table, df, output, kind="claims")
            console.print(f"written {output} ({len(df)} claims)")
            return
        t = Table(title=f"{len(df)} claims")
        for c in ("kind", "subject", "object", "value_text", "stated_by", "text"):
            t.add_column(c, overflow="fold")
        for r in df.head(200).itertuples():
            t.add_row(
                *[
                    ("" if getattr(r, c) is None else str(getattr(r, c)))[:200]
                    for c in ("kind", "subject", "object", "value_text", "stated_by", "text")
                ]
            )
        out.print(t)

    @app.command("train")
    def train_cmd(
        acled: Annotated[
            Path, typer.Option("--acled", help="Your ACLED export (CSV, dyadic or monadic).", exists=True)
        ],
        output: Annotated[
            Path, typer.Option("-o", "--output", help="Model directory to write (outside the source tree).")
        ],
        until: UntilOption = None,
        published: Annotated[
            str, typer.Option("--published", help="Publication date of a note: 'timestamp' or 'year-end'.")
        ] = "timestamp",
    ) -> None:
        """Train the event-type classifier, the actor normaliser and the coded places on your ACLED export."""
        if _inside_package(output):
            fail(
                f"{output} is inside the sahelwatch source tree: models trained on ACLED data must not be "
                "shipped; write them elsewhere (e.g. evaluation/output/ or ~/sahelwatch-models/)"
            )
        rep = run(workflows.train_model, acled, output, until=until, published=published, settings=settings())
        console.print(
            f"trained on {rep.n_events} events{' up to ' + until if until else ''}: "
            f"{len(rep.classes)} sub-event types; {rep.aliases_learned or 0} actor aliases and "
            f"{rep.places_learned or 0} coded places learned"
        )
        for m in rep.messages:
            console.print(f"[yellow]{m}[/yellow]")
        console.print(f"model written to {rep.model_dir}")

    @app.command("evaluate")
    def evaluate_cmd(
        acled: Annotated[
            Optional[Path],
            typer.Option("--acled", help="ACLED export whose notes are the test documents.", exists=True),
        ] = None,
        articles: Annotated[
            Optional[Path],
            typer.Option(
                "--articles",
                help="Folder of articles with gold.json (hand-coded events): runs the full pipeline on each and scores it.",
                exists=True,
                file_okay=False,
            ),
        ] = None,
        errors: Annotated[
            bool,
            typer.Option(
                "--errors",
                help="With --articles: list missed gold events, spurious predictions and wrong fields per document.",
            ),
        ] = False,
        model: ModelOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        json_file: Annotated[
            Optional[Path], typer.Option("--json", help="Write the metrics as JSON.")
        ] = None,
        predictions: Annotated[
            Optional[Path],
            typer.Option(
                "--predictions",
                help="Write every extracted event (ACLED columns + gold_event_id_cnty) as CSV (with --articles: a folder, one CSV per document).",
            ),
        ] = None,
        published: Annotated[
            str,
            typer.Option(
                "--published",
                help="Publication date of a note: 'timestamp' (ACLED's timestamp day) or 'year-end'.",
            ),
        ] = "timestamp",
        limit: Annotated[
            Optional[int], typer.Option("--limit", help="Only the first N events of the period.")
        ] = None,
    ) -> None:
        """Extract events from the notes of an ACLED export (--acled) or from articles with gold events
        (--articles DIR), and score them against the coding."""
        if articles is not None:
            text = run(
                workflows.evaluate_articles_folder,
                articles,
                predictions,
                model_dir=model,
                json_file=json_file,
                errors=errors,
                settings=settings(),
            )
            out.print(text, markup=False, highlight=False)
            return
        if acled is None:
            fail("give --acled EXPORT.csv (notes) or --articles DIR (articles with gold.json)")
        if published not in ("timestamp", "year-end"):
            fail("--published must be 'timestamp' or 'year-end'")
        if predictions:
            run(check_output, predictions)
        rep = run(
            workflows.evaluate_export,
            acled,
            model_dir=model,
            since=since,
            until=until,
            published=published,
            limit=limit,
            progress=True,
            settings=settings(),
        )
        from ..extract.evaluate import render_table  # lazy: start-up (scikit-learn, spaCy)

        out.print(render_table({"model" if model else "rules": rep}))
        console.print(f"{rep.counts['notes']} events scored ({rep.meta['format']} export)")
        for metric, why in rep.meta.get("not_scored", {}).items():
            console.print(f"[yellow]not scored:[/yellow] {metric}: {why}")
        for metric, why in rep.meta.get("partly_scored", {}).items():
            console.print(f"[yellow]partly scored:[/yellow] {metric}: {why}")
        if json_file:
            json_file.parent.mkdir(parents=True, exist_ok=True)
            json_file.write_text(json.dumps(rep.to_json(), indent=2, default=str), "utf-8")
            console.print(f"written {json_file}")
        if predictions:
            write_table(rep.predictions, predictions, mkdir=True)
            console.print(f"written {predictions} ({len(rep.predictions)} events)")

    @app.command("check-document")
    def check_document_cmd(
        path: Annotated[Path, typer.Argument(help="The document (text, HTML).", exists=True)],
        expect: Annotated[Path, typer.Option("--expect", help="Expectations file (YAML).", exists=True)],
        published: PublishedOption = None,
    ) -> None:
        """Check what sahelwatch extracts from one document against an expectations file."""
        checks = run(workflows.check_document, path, expect, published=published, settings=settings())
        t = Table(title=f"{path.name}: {sum(c.ok for c in checks)}/{len(checks)} expectations met")
        t.add_column("")
        t.add_column("expectation")
        t.add_column("detail", overflow="fold")
        for c in checks:
            t.add_row("[green]ok[/green]" if c.ok else "[red]MISS[/red]", c.what, c.detail)
        out.print(t)
        if not all(c.ok for c in checks):
            raise typer.Exit(1)
