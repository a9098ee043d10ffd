"""Running the application with uvicorn."""

from __future__ import annotations

from typing import Callable

from .app import create_app


def serve(
    store,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    roads=None,
    max_upload: int | None = None,
    say: Callable[[str], None] = print,
    log_level: str = "warning",
) -> None:
    import uvicorn

    kw = {} if max_upload is None else {"max_upload": max_upload}
    app = create_app(store, roads=roads, **kw)
    say(f"sahelwatch serving {store.dialect} store on http://{host}:{port}/  (API /api, docs /docs)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(
            f"[yellow]note:[/yellow] bound to {host}: reachable from other machines; writes still need a token"
        )
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
