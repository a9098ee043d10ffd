"""`sahelwatch token create|list|revoke`: tokens for the web API's write endpoints (stored hashed)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cli_common import DbOption, console, fail, open_store, out
from ..errors import InputError
from ..store.query import create_token
from ..store.query import list_tokens
from ..store.query import revoke_token

token_app = typer.Typer(
    help="Tokens for the web API's write endpoints (only a SHA-256 digest is stored).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


@token_app.command("create")
def create_cmd(
    name: Annotated[str, typer.Option("--name", help="Who or what uses the token.")] = "default",
    db: DbOption = None,
) -> None:
    """Make a token and print it once (keep it: the store keeps only its digest)."""

    try:
        tok = create_token(open_store(db), name)
    except InputError as exc:
        fail(str(exc))
    out.print(tok, markup=False, highlight=False)
    console.print(f"token {name!r} created; send it as 'Authorization: Bearer TOKEN'. It is not shown again.")


@token_app.command("list")
def list_cmd(db: DbOption = None) -> None:
    """Tokens (id, name, created, last used, revoked); never the tokens themselves."""
    for t in list_tokens(open_store(db)):
        out.print(
            f"{t['token_id']}\t{t['name']}\tcreated {t['created_at']}\tlast used {t['last_used_at'] or '-'}"
            f"\t{'revoked ' + str(t['revoked_at']) if t['revoked_at'] else 'active'}",
            markup=False,
        )


@token_app.command("revoke")
def revoke_cmd(
    token_id: Annotated[int, typer.Argument(help="Id from `sahelwatch token list`.")], db: DbOption = None
) -> None:
    """Revoke a token: writes with it get 401 from then on."""
    if not revoke_token(open_store(db), token_id):
        fail(f"no active token with id {token_id}")
    console.print(f"token {token_id} revoked")
