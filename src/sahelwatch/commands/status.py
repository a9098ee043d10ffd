"""CLI: status (the health of the watched sources, the ledger, the alerts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import DbOption, console, fail, open_store, out


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_cmd(
        config: Annotated[
            Optional[Path], typer.Option("--config", help="The watch configuration (freshness targets).")
        ] = None,
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Source health: failing, silent (past their freshness target) or suddenly empty sources are flagged."""
        # lazy: start-up (the watch package imports httpx and the store's service tables, ~1 s on every CLI call)
        from ..errors import InputError
        from ..watch import load_config, status

        cfg = None
        if config:
            try:
                cfg = load_config(config)
            except InputError as exc:
                fail(str(exc))
        st = status(open_store(db or (cfg.db if cfg else None)), cfg.sources if cfg else None)
        if as_json:
            out.print_json(json.dumps(st, default=str))
        else:
            from rich.table import Table

            t = Table(title=f"{len(st['sources'])} sources, {st['flagged']} flagged")
            for c in (
                "source",
                "kind",
                "flag",
                "last success",
                "last new",
                "docs done/pending/failed",
                "detail",
            ):
                t.add_column(c, overflow="fold")
            for h in st["sources"]:
                d = h["documents"]
                style = "" if h["flag"] == "ok" else "[red]"
                t.add_row(
                    h["source"],
                    h["kind"] or "",
                    f"{style}{h['flag']}",
                    h["last_success"] or "-",
                    h["last_new"] or "-",
                    f"{d.get('done', 0)}/{d.get('pending', 0)}/{d.get('failed', 0)}",
                    h["detail"],
                )
            out.print(t)
            console.print(f"alerts: {st['alerts'] or 'none'}")
            if not st["sources"]:
                console.print(
                    "no source known: run `sahelwatch watch --config watch.toml --once`, or pass --config"
                )
        if st["flagged"]:
            raise typer.Exit(1)
