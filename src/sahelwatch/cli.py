"""The command line: a thin veneer over the Python API.

Each capability lives in a module of ``sahelwatch.commands`` with a ``register(app)``
function; this file only assembles them, so adding a capability never edits it.
"""
from __future__ import annotations

import importlib
import pkgutil

import typer

from . import __version__, commands

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
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
          quiet: bool = typer.Option(False, "-q", "--quiet", help="Only errors (and the data on stdout)."),
          verbose: bool = typer.Option(False, "-v", "--verbose", help="Also log messages on stderr.")) -> None:
    """sahelwatch: see `sahelwatch COMMAND --help`."""
    from .cli_common import set_verbosity

    set_verbosity(quiet, verbose)


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{commands.__name__}.{_info.name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
