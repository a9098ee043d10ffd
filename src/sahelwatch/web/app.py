"""The web server: the REST API (`/api/...`, OpenAPI at `/openapi.json`, docs at `/docs`) and the dashboard
(`/`), one FastAPI application over one store.

    from sahelwatch.web.app import create_app
    app = create_app("sahelwatch.db")          # or a PostgreSQL URL
"""

from __future__ import annotations

import logging
from importlib import resources
from importlib.metadata import version as _package_version
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..errors import InputError
from ..store import EventStore
from . import analyses, api, write

__version__ = _package_version("sahelwatch")
from .params import ParamError
from ..analysis.roads import read_roads

log = logging.getLogger("sahelwatch.web")

MAX_UPLOAD = 50 * 1024 * 1024

#: Headers on every answer: no inline script, nothing from other origins (the dashboard ships its own files).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def static_dir() -> Path:
    return Path(str(resources.files("sahelwatch.web").joinpath("static")))


def create_app(store: EventStore | str | None = None, *, roads=None, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The application over ``store`` (an EventStore, a path or a URL). ``roads`` (a path or a RoadNetwork)
    enables /api/analyses/access."""
    if not isinstance(store, EventStore):
        store = EventStore.open(store)
    app = FastAPI(
        title="sahelwatch API",
        version=__version__,
        description="ACLED-coded events of the Sahel: events with their sources, aggregates, "
        "the change feed, the store as it was (as_of), analyses. Read endpoints are open; "
        "writes need `Authorization: Bearer TOKEN` (sahelwatch token create).",
    )
    app.state.store = store
    app.state.max_upload = int(max_upload)
    app.state.analysis_cache = analyses._Cache()
    if roads is not None and not hasattr(roads, "segments"):
        roads = read_roads([Path(p) for p in (roads if isinstance(roads, (list, tuple)) else [roads])])
    app.state.roads = roads

    @app.exception_handler(ParamError)
    async def _param(_req: Request, exc: ParamError):
        return JSONResponse({"detail": str(exc), "parameter": exc.parameter}, status_code=400)

    @app.exception_handler(InputError)
    async def _input(_req: Request, exc: InputError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError):
        errs = exc.errors()
        names = [".".join(str(p) for p in e.get("loc", ())[1:]) or str(e.get("loc")) for e in errs]
        msg = "; ".join(f"{n}: {e.get('msg')}" for n, e in zip(names, errs))
        return JSONResponse(
            {
                "detail": msg,
                "parameter": names[0] if names else None,
                "errors": [{"parameter": n, "message": e.get("msg")} for n, e in zip(names, errs)],
            },
            status_code=422,
        )

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        resp: Response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            resp.headers.setdefault(k, v)
        return resp

    app.include_router(api.router)
    app.include_router(analyses.router)
    app.include_router(write.router)

    static = static_dir()
    index = static / "index.html"

    @app.get("/", include_in_schema=False)
    async def _index():
        if not index.is_file():
            return JSONResponse(
                {
                    "detail": "the dashboard is not built: run `make dashboard` (npm ci + build); "
                    "the API is at /api and its documentation at /docs"
                },
                status_code=503,
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    if (static / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=static / "assets"), name="assets")
    return app
