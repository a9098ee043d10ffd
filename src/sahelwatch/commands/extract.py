"""CLI: extract, claims, train, evaluate, check-document (a thin shell over sahelwatch.extract)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import DbOption, OutputOption, SinceOption, UntilOption, console, fail, open_store, out

PublishedOption = Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD (overrides the page's own).")]
LangOption = Annotated[Optional[str], typer.Option("--lang", help="Language of the documents: en or fr (default: detected).")]
ModelOption = Annotated[Optional[Path], typer.Option("--model", help="Model directory from `sahelwatch train` (default: rules only).")]


def _events_frame(events):
    import pandas as pd

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


def _write_frame(df, path: Path) -> None:
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix == ".json":
        path.write_text(df.to_json(orient="records", date_format="iso", force_ascii=False, indent=1), "utf-8")
    elif suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        fail(f"-o {path}: use .csv, .json or .parquet here")


def _inside_package(path: Path) -> bool:
    import sahelwatch

    pkg = Path(sahelwatch.__file__).resolve().parent
    try:
        path.resolve().relative_to(pkg.parent)
        return True
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        paths: Annotated[list[str], typer.Argument(help="Files, folders, feeds, URLs or files listing URLs (fetched).")],
        published: PublishedOption = None,
        lang: LangOption = None,
        model: ModelOption = None,
        country: Annotated[Optional[str], typer.Option("--country", help="Country focus for place names, e.g. Mali.")] = None,
        db: DbOption = None,
        output: OutputOption = None,
        no_store: Annotated[bool, typer.Option("--no-store", help="Do not write into the store (with -o: only the file).")] = False,
        workers: Annotated[Optional[int], typer.Option("--workers", help="Extract on a local Dask cluster of N worker processes.")] = None,
        scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Extract on a Dask cluster: tcp://HOST:8786 (docs/deployment.md).")] = None,
    ) -> None:
        """Read reports and code their events (ACLED types, actors, dates, places, deaths) and claims into the store."""
        from ..errors import InputError
        from ..extract.pipeline import Pipeline, extract_documents
        from ..ingest.documents import iter_documents

        try:
            from ..extract.places import split_glued
        except Exception:  # gazetteer not installed: no repair of glued tokens
            split_glued = None
        skipped: list = []
        try:
            docs = list(iter_documents(paths, published=published, lang=lang, split_glued=split_glued, skipped=skipped))
        except InputError as exc:
            fail(str(exc))
        for s in skipped:
            console.print(f"[yellow]skipped[/yellow] {s}")
        if not docs:
            fail("no readable document")
        if workers or scheduler:   # scale-out: one pipeline per Dask worker, the same events as below
            from ..watch.distributed import extract_distributed

            merged, claims, messages, n_events = extract_distributed(
                docs, workers=workers, scheduler=scheduler, model=str(model) if model else None, lang=lang or "en",
                country=country)
        else:
            pipe = Pipeline.load(model, lang=lang or "en", country_focus=country)
            from rich.progress import track

            merged, claims, messages, n_events = extract_documents(
                pipe, docs, wrap=lambda rs: track(rs, total=len(docs), description="extracting", console=console,
                                                  transient=True))
        for doc, m in messages:
            console.print(f"[yellow]{doc.path or doc.id}[/yellow]: {m}")
        console.print(f"{len(docs)} documents: {len(merged)} events ({n_events - len(merged)} merged reports), "
                      f"{len(claims)} claims")
        if not no_store:
            store = open_store(db, create=True)
            if hasattr(store, "add_documents"):
                store.add_documents(docs)
            rep = store.add_events(merged, dataset="extract")
            if hasattr(store, "add_claims"):
                store.add_claims(claims)
            console.print(f"stored: {getattr(rep, 'accepted', '?')} events accepted, "
                          f"{getattr(rep, 'rejected', 0)} rejected")
        if output:
            _write_frame(_events_frame(merged), output)
            console.print(f"written {output}")
        from rich.table import Table

        t = Table(title="Extracted events")
        for c in ("date", "type", "sub-type", "actor1", "actor2", "location", "deaths", "how"):
            t.add_column(c)
        for e in merged[:50]:
            t.add_row(str(e.event_date), e.event_type, e.sub_event_type or "", e.actor1, e.actor2 or "",
                      f"{e.location or ''} ({e.geo_precision or '-'})", str(e.fatalities),
                      f"{e.provenance.method} {e.provenance.confidence:.2f}" + (f" [{e.tags}]" if e.tags else ""))
        out.print(t)

    @app.command("claims")
    def claims_cmd(
        db: DbOption = None,
        kind: Annotated[Optional[str], typer.Option("--kind", help="force_strength, troop_numbers, alliance, rivalry, ...")] = None,
        actor: Annotated[Optional[str], typer.Option("--actor", help="Subject actor (name or alias).")] = None,
        output: OutputOption = None,
    ) -> None:
        """List or export the claims (force strengths, alliances, rivalries...) extracted from reports."""
        store = open_store(db)
        if not hasattr(store, "claims"):
            fail("this store has no claims table yet")
        df = store.claims(kind=kind, subject=actor)
        if output:
            _write_frame(df, output)
            console.print(f"written {output} ({len(df)} claims)")
            return
        from rich.table import Table

        t = Table(title=f"{len(df)} claims")
        for c in ("kind", "subject", "object", "value_text", "stated_by", "text"):
            t.add_column(c, overflow="fold")
        for r in df.head(200).itertuples():
            t.add_row(*[("" if getattr(r, c) is None else str(getattr(r, c)))[:200] for c in
                        ("kind", "subject", "object", "value_text", "stated_by", "text")])
        out.print(t)

    @app.command("train")
    def train_cmd(
        acled: Annotated[Path, typer.Option("--acled", help="Your ACLED export (CSV, dyadic or monadic).", exists=True)],
        output: Annotated[Path, typer.Option("-o", "--output", help="Model directory to write (outside the source tree).")],
        until: UntilOption = None,
        published: Annotated[str, typer.Option("--published", help="Publication date of a note: 'timestamp' or 'year-end'.")] = "timestamp",
    ) -> None:
        """Train the event-type classifier, the actor normaliser and the coded places on your ACLED export."""
        from ..extract.train import train

        if _inside_package(output):
            fail(f"{output} is inside the sahelwatch source tree: models trained on ACLED data must not be "
                 "shipped; write them elsewhere (e.g. evaluation/output/ or ~/sahelwatch-models/)")
        try:
            rep = train(acled, output, until=until, published=published)
        except ValueError as exc:
            fail(str(exc))
        console.print(f"trained on {rep.n_events} events{' up to ' + until if until else ''}: "
                      f"{len(rep.classes)} sub-event types; {rep.aliases_learned or 0} actor aliases and "
                      f"{rep.places_learned or 0} coded places learned")
        for m in rep.messages:
            console.print(f"[yellow]{m}[/yellow]")
        console.print(f"model written to {rep.model_dir}")

    @app.command("evaluate")
    def evaluate_cmd(
        acled: Annotated[Optional[Path], typer.Option("--acled", help="ACLED export whose notes are the test documents.", exists=True)] = None,
        articles: Annotated[Optional[Path], typer.Option("--articles", help="Folder of articles with gold.json (hand-coded events): runs the full pipeline on each and scores it.", exists=True, file_okay=False)] = None,
        errors: Annotated[bool, typer.Option("--errors", help="With --articles: list missed gold events, spurious predictions and wrong fields per document.")] = False,
        model: ModelOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        json_file: Annotated[Optional[Path], typer.Option("--json", help="Write the metrics as JSON.")] = None,
        predictions: Annotated[Optional[Path], typer.Option("--predictions", help="Write every extracted event (ACLED columns + gold_event_id_cnty) as CSV (with --articles: a folder, one CSV per document).")] = None,
        published: Annotated[str, typer.Option("--published", help="Publication date of a note: 'timestamp' (ACLED's timestamp day) or 'year-end'.")] = "timestamp",
        limit: Annotated[Optional[int], typer.Option("--limit", help="Only the first N events of the period.")] = None,
    ) -> None:
        """Extract events from the notes of an ACLED export (--acled) or from articles with gold events
        (--articles DIR), and score them against the coding."""
        from ..extract.evaluate import evaluate, render_table

        if articles is not None:
            from ..errors import SahelwatchError
            from ..extract.evaluate_articles import evaluate_articles_folder

            try:
                text = evaluate_articles_folder(articles, predictions, model_dir=model, json_file=json_file,
                                                errors=errors)
            except (SahelwatchError, ValueError, FileNotFoundError) as exc:
                fail(str(exc))
            out.print(text, markup=False, highlight=False)
            return
        if acled is None:
            fail("give --acled EXPORT.csv (notes) or --articles DIR (articles with gold.json)")
        if published not in ("timestamp", "year-end"):
            fail("--published must be 'timestamp' or 'year-end'")
        try:
            rep = evaluate(acled, model_dir=model, since=since, until=until, published=published, limit=limit,
                           progress=True)
        except (ValueError, FileNotFoundError) as exc:
            fail(str(exc))
        out.print(render_table({"model" if model else "rules": rep}))
        if rep.meta.get("components_missing"):
            console.print(f"[yellow]components missing (fallbacks used):[/yellow] {', '.join(rep.meta['components_missing'])}")
        if json_file:
            json_file.parent.mkdir(parents=True, exist_ok=True)
            json_file.write_text(json.dumps(rep.to_json(), indent=2, default=str), "utf-8")
            console.print(f"written {json_file}")
        if predictions:
            predictions.parent.mkdir(parents=True, exist_ok=True)
            rep.predictions.to_csv(predictions, index=False)
            console.print(f"written {predictions} ({len(rep.predictions)} events)")

    @app.command("check-document")
    def check_document_cmd(
        path: Annotated[Path, typer.Argument(help="The document (text, HTML).", exists=True)],
        expect: Annotated[Path, typer.Option("--expect", help="Expectations file (YAML).", exists=True)],
        published: PublishedOption = None,
    ) -> None:
        """Check what sahelwatch extracts from one document against an expectations file."""
        from ..extract.evaluate import check_document

        checks = check_document(path, expect, published=published)
        from rich.table import Table

        t = Table(title=f"{path.name}: {sum(c.ok for c in checks)}/{len(checks)} expectations met")
        t.add_column("")
        t.add_column("expectation")
        t.add_column("detail", overflow="fold")
        for c in checks:
            t.add_row("[green]ok[/green]" if c.ok else "[red]MISS[/red]", c.what, c.detail)
        out.print(t)
        if not all(c.ok for c in checks):
            raise typer.Exit(1)
