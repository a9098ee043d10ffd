"""`sahelwatch serve`: the REST API and the dashboard over one store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import DbOption, console, open_store


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        db: DbOption = None,
        host: Annotated[
            str, typer.Option("--host", help="Address to bind (default loopback only).")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
        roads: Annotated[
            Optional[list[Path]], typer.Option("--roads", help="Road file(s) for /api/analyses/access.")
        ] = None,
        max_upload_mb: Annotated[
            int, typer.Option("--max-upload-mb", help="Largest accepted upload (MiB).")
        ] = 50,
    ) -> None:
        """Serve the API (/api, docs at /docs) and the dashboard (/) on http://HOST:PORT."""
        # lazy: start-up (FastAPI and the analyses the API serves: seconds on every CLI call)
        from ..web.server import serve

        serve(
            open_store(db),
            host=host,
            port=port,
            roads=roads,
            max_upload=max_upload_mb * 1024 * 1024,
            say=console.print,
        )
