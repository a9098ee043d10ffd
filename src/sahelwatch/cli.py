"""The command line: a thin veneer over the Python API.

Each capability lives in a module of ``sahelwatch.commands`` with a ``register(app)``
function; this file only assembles them, so adding a capability never edits it.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import version as _package_version
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import cli_common, commands

__version__ = _package_version("sahelwatch")

app = typer.Typer(
    name="sahelwatch",
    help="Conflict monitoring and early warning for the Sahel (ACLED-coded events, analysis, forecasts).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sahelwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Only errors (and the data on stdout).")
    ] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Also log messages on stderr.")] = False,
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            help="Settings file (default ./sahelwatch.toml when present).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    actors: Annotated[
        Optional[Path],
        typer.Option(
            "--actors",
            help="Actor registry YAML to use instead of the shipped one ($SAHELWATCH_ACTORS).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    gazetteer: Annotated[
        Optional[Path],
        typer.Option(
            "--gazetteer",
            help="Gazetteer folder to use instead of the shipped one ($SAHELWATCH_GAZETTEER).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """sahelwatch: see `sahelwatch COMMAND --help`."""
    cli_common.set_verbosity(quiet, verbose)
    cli_common.ROOT_OPTIONS.clear()
    cli_common.ROOT_OPTIONS.update(
        {k: v for k, v in (("config", config), ("actors", actors), ("gazetteer", gazetteer)) if v is not None}
    )


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{commands.__name__}.{_info.name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
