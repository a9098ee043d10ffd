"""Write endpoints (import, extract): a token is required (``Authorization: Bearer TOKEN``, from
`sahelwatch token create`); a missing or wrong token is a 401 and nothing is written.

Uploads are the request body, read in chunks up to the server's limit (413 beyond it). The body goes to a
temporary file the server names itself: nothing in a request names a path on the server.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from ..errors import InputError
from ..store import query as Q
from . import render as R
from .params import no_unknown_params
from ..ingest.acled import import_acled
from ..extract.pipeline import Pipeline, extract_documents
from ..ingest.documents import read_document


def require_token(request: Request) -> str:
    auth = request.headers.get("authorization") or ""
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401,
            "a write needs a token: Authorization: Bearer TOKEN (sahelwatch token create)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    name = Q.verify_token(request.app.state.store, token.strip())
    if name is None:
        raise HTTPException(401, "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"})
    request.state.token_name = name
    return name


# the token is checked first: without one, nothing about the request is examined further
router = APIRouter(prefix="/api", dependencies=[Depends(require_token), Depends(no_unknown_params)])


async def _body_to_file(request: Request, suffix: str) -> Path:
    limit = request.app.state.max_upload
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(
            413, f"upload of {int(declared)} bytes is over this server's limit of {limit} bytes"
        )
    fd, name = tempfile.mkstemp(prefix="sahelwatch-upload-", suffix=suffix)
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise HTTPException(413, f"upload over this server's limit of {limit} bytes")
                fh.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    if size == 0:
        os.unlink(name)
        raise HTTPException(400, "empty upload: send the file as the request body")
    return Path(name)


@router.post(
    "/import/acled", summary="Import an ACLED CSV sent as the request body (token needed)", status_code=200
)
async def import_acled_upload(
    request: Request,
    strict: Annotated[bool, Query(description="Refuse the whole file on any bad row.")] = False,
    filename: Annotated[
        Optional[str], Query(max_length=200, pattern=r"^[\w .,()-]+$", description="A label for provenance.")
    ] = None,
):
    who = request.state.token_name
    path = await _body_to_file(request, ".csv")
    try:
        store = request.app.state.store
        try:
            rep = await run_in_threadpool(import_acled, store, path, strict=strict)
        except InputError as exc:
            raise HTTPException(400, str(exc).replace(str(path), filename or "upload")) from None
    finally:
        path.unlink(missing_ok=True)
    label = filename or "upload"
    return R.json_response(
        {
            "by": who,
            "summary": rep.summary(),
            "rows": rep.rows,
            "inserted": rep.inserted,
            "updated": rep.updated,
            "unchanged": rep.unchanged,
            "merged": rep.merged,
            "rejected": rep.rejected,
            "aborted": rep.aborted,
            "rejections": [
                {"line": r.line, "field": r.field, "reason": r.reason, "file": label}
                for r in rep.rejections[:200]
            ],
        },
        status=422 if rep.aborted else 200,
    )


@router.post(
    "/extract", summary="Read one report (text or HTML body) and store its events and claims (token)"
)
async def extract_upload(
    request: Request,
    country: Annotated[Optional[str], Query(max_length=64)] = None,
    published: Annotated[Optional[str], Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    lang: Annotated[Optional[str], Query(pattern=r"^(en|fr)$")] = None,
):
    who = request.state.token_name
    ctype = (request.headers.get("content-type") or "text/plain").lower()
    if not (ctype.startswith("text/plain") or ctype.startswith("text/html")):
        raise HTTPException(415, "send the report as text/plain or text/html")
    path = await _body_to_file(request, ".html" if "html" in ctype else ".txt")
    try:
        store = request.app.state.store

        def work():

            raw = path.read_bytes()
            doc = read_document(raw, published=published, lang=lang, fetch=False)
            pipe = Pipeline.load(None, lang=lang or doc.language or "en", country_focus=country)
            merged, claims, messages, _n = extract_documents(pipe, [doc])
            store.add_documents([doc])
            rep = store.add_events(merged, dataset="extract")
            store.add_claims(claims)
            return doc, merged, claims, messages, rep

        try:
            doc, merged, claims, messages, rep = await run_in_threadpool(work)
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
    finally:
        path.unlink(missing_ok=True)
    return R.json_response(
        {
            "by": who,
            "document_id": doc.id,
            "events": [e.event_id_cnty for e in merged],
            "claims": len(claims),
            "stored": rep.summary(),
            "messages": [str(m) for _d, m in messages],
        }
    )
