"""CLI: watch (cycles over the configured sources) and alerts (list, acknowledge, dismiss, deliver)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import DbOption, console, fail, open_store, out

NoteOption = Annotated[Optional[str], typer.Option("--note", help="Why (kept with the alert).")]


def _print_cycle(rep) -> None:
    for s in rep.sources:
        if s.skipped:
            continue
        what = (
            "error: " + s.error
            if s.error
            else ("not modified" if s.not_modified else f"{s.fetched} items, {s.new} new")
        )
        console.print(f"  {s.source}: {what}")
    console.print(
        f"cycle {rep.started}: {rep.documents_new} new documents, {rep.documents_processed} processed "
        f"({rep.documents_failed} failed); events: {rep.events_new} new, {rep.events_merged} merged into "
        f"existing ones; {rep.claims_new} claims; {rep.rows_imported} dataset rows, {rep.events_deleted} "
        f"deleted; alerts: {rep.alerts_new} new, {rep.alerts_suppressed} suppressed (already raised or "
        f"cooling down) ({rep.seconds:.1f} s)"
    )
    for a in rep.alerts:
        console.print(f"  [bold]alert[/bold] {a['alert_id'][:10]} [{a['severity']}] {a['message']}")
    for d in rep.deliveries:
        if d["alerts"]:
            console.print(
                f"  deliver {d['channel']}: {d['alerts']} alert(s) "
                + ("sent" if d["sent"] else f"not sent ({d['error']})")
            )
    for h in rep.health:
        if h["flag"] != "ok":
            console.print(f"  [yellow]source {h['source']}: {h['flag']}[/yellow] ({h['detail']})")


def register(app: typer.Typer) -> None:
    @app.command("watch")
    def watch_cmd(
        config: Annotated[Path, typer.Option("--config", help="The watch configuration (TOML).")] = Path(
            "watch.toml"
        ),
        once: Annotated[bool, typer.Option("--once", help="One cycle over every source, then stop.")] = False,
        deliver: Annotated[
            Optional[bool],
            typer.Option(
                "--deliver/--dry-run",
                help="Send alerts (default: the configuration's `deliver`, else dry run).",
            ),
        ] = None,
        db: DbOption = None,
        json_file: Annotated[
            Optional[Path], typer.Option("--json", help="Write the cycle report(s) as JSON lines.")
        ] = None,
    ) -> None:
        """Watch feeds, URL lists, drop folders, the ACLED API and UCDP files: fetch, extract what is new, merge, alert."""
        # lazy: start-up (the watch package imports httpx and the store's service tables, ~1 s on every CLI call)
        from ..errors import InputError
        from ..watch import load_config, run_cycle, run_forever

        try:
            cfg = load_config(config)
        except InputError as exc:
            fail(str(exc))
        store = open_store(db or cfg.db, create=True)

        def emit(rep) -> None:
            _print_cycle(rep)
            if json_file:
                with open(json_file, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(rep.to_json(), default=str) + "\n")

        if once:
            emit(run_cycle(store, cfg, force=True, deliver=deliver))
            return
        try:
            run_forever(store, cfg, on_cycle=emit, deliver=deliver)
        except KeyboardInterrupt:
            console.print("stopped")

    alerts_app = typer.Typer(
        help="Alerts raised by the watch: list them, triage them (ack, dismiss), deliver.",
        no_args_is_help=True,
    )
    app.add_typer(alerts_app, name="alerts")

    @alerts_app.command("list")
    def alerts_list(
        state: Annotated[
            Optional[str], typer.Option("--state", help="new, acknowledged or dismissed.")
        ] = None,
        rule: Annotated[Optional[str], typer.Option("--rule", help="Only this rule id.")] = None,
        db: DbOption = None,
        output: Annotated[Optional[Path], typer.Option("-o", "--output", help="CSV or JSON file.")] = None,
    ) -> None:
        """The stored alerts, newest week first."""
        # lazy: start-up (the watch package imports httpx and the store's service tables, ~1 s on every CLI call)
        from ..errors import InputError
        from ..watch.alerting import list_alerts

        try:
            df = list_alerts(open_store(db), state=state, rule=rule)
        except InputError as exc:
            fail(str(exc))
        if output:
            (
                df.to_json(output, orient="records", date_format="iso", indent=1)
                if output.suffix == ".json"
                else df.to_csv(output, index=False)
            )
            console.print(f"written {output} ({len(df)} alerts)")
            return
        if df.empty:
            console.print(
                "no alert" + (f" in state {state}" if state else "") + " (has `sahelwatch watch` run?)"
            )
            return
        from rich.table import Table

        t = Table(title=f"{len(df)} alerts")
        for c in ("id", "week", "severity", "rule", "state", "message"):
            t.add_column(c, overflow="fold")
        for r in df.itertuples():
            t.add_row(r.alert_id[:10], str(r.week), r.severity, r.rule, r.state, r.message)
        out.print(t)

    def _set(alert_id: str, state: str, note: str | None, db: str | None) -> None:
        # lazy: start-up (the watch package imports httpx and the store's service tables, ~1 s on every CLI call)
        from ..errors import InputError
        from ..watch.alerting import set_state

        try:
            row = set_state(open_store(db), alert_id, state, note)
        except InputError as exc:
            fail(str(exc))
        console.print(f"alert {row['alert_id']} ({row['rule']}, {row['place']}, week {row['week']}): {state}")

    @alerts_app.command("ack")
    def alerts_ack(
        alert_id: Annotated[str, typer.Argument(help="Alert id (or its first characters).")],
        note: NoteOption = None,
        db: DbOption = None,
    ) -> None:
        """Acknowledge an alert: seen, being followed."""
        _set(alert_id, "acknowledged", note, db)

    @alerts_app.command("dismiss")
    def alerts_dismiss(
        alert_id: Annotated[str, typer.Argument(help="Alert id (or its first characters).")],
        note: NoteOption = None,
        db: DbOption = None,
    ) -> None:
        """Dismiss an alert: not relevant (it leaves the Atom feed; the cooldown still applies)."""
        _set(alert_id, "dismissed", note, db)

    @alerts_app.command("reopen")
    def alerts_reopen(
        alert_id: Annotated[str, typer.Argument(help="Alert id (or its first characters).")],
        note: NoteOption = None,
        db: DbOption = None,
    ) -> None:
        """Set an alert back to new."""
        _set(alert_id, "new", note, db)
