"""Options shared by every command: one grammar for the whole CLI (see docs/cli.md).

Command modules in ``sahelwatch.commands`` use these so that ``--db`` and the filters
(``--since --until --country --admin1 --actor --event-type --bbox``) read the same everywhere, and
:func:`settings` so that every command sees the same :class:`~sahelwatch.settings.Settings` (defaults <
sahelwatch.toml or ``--config`` < environment < the root options ``--actors``/``--gazetteer`` < the
command's own flags).
"""

from __future__ import annotations

import logging
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from . import workflows
from .errors import InputError, SahelwatchError
from .settings import Settings, SettingsError
from .store import EventStore

# Not a terminal (a pipe, a file, a log): lines are not wrapped at 80 columns.
console = Console(stderr=True, soft_wrap=not sys.stderr.isatty())
out = Console(soft_wrap=not sys.stdout.isatty(), width=None if sys.stdout.isatty() else 250)

#: what the root command was given (``sahelwatch --config F --actors A ...``); set by cli.py
ROOT_OPTIONS: dict[str, Any] = {}

_python_showwarning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
    """Our own warnings (an empty result and why, events left out of an export) as one plain line."""
    if issubclass(category, UserWarning) and category.__module__.startswith("sahelwatch"):
        console.print("[yellow]warning:[/yellow] " + escape(str(message)))
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


warnings.showwarning = _show_warning


def settings(**flags: Any) -> Settings:
    """The settings of this command line: the root options and the command's own ``flags`` on top of the
    environment, sahelwatch.toml (or ``--config``) and the defaults."""
    merged = {k: v for k, v in ROOT_OPTIONS.items() if k != "config"}
    merged.update({k: v for k, v in flags.items() if v is not None})
    try:
        return Settings.load(ROOT_OPTIONS.get("config"), **merged)
    except SettingsError as exc:
        fail(str(exc))


DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        help="Store: a SQLite path or a SQLAlchemy URL (default $SAHELWATCH_DB, else ./sahelwatch.db).",
    ),
]
SinceOption = Annotated[Optional[str], typer.Option("--since", help="First day, YYYY-MM-DD.")]
UntilOption = Annotated[Optional[str], typer.Option("--until", help="Last day, YYYY-MM-DD.")]
CountryOption = Annotated[Optional[list[str]], typer.Option("--country", help="Country name (repeatable).")]
Admin1Option = Annotated[Optional[list[str]], typer.Option("--admin1", help="Admin1 name (repeatable).")]
Admin2Option = Annotated[Optional[list[str]], typer.Option("--admin2", help="Admin2 name (repeatable).")]
ActorOption = Annotated[
    Optional[list[str]], typer.Option("--actor", help="Actor name or alias, e.g. JNIM (repeatable).")
]
EventTypeOption = Annotated[
    Optional[list[str]], typer.Option("--event-type", help="ACLED event or sub-event type (repeatable).")
]
BboxOption = Annotated[Optional[str], typer.Option("--bbox", help="min_lon,min_lat,max_lon,max_lat")]
MinFatalitiesOption = Annotated[
    Optional[int], typer.Option("--min-fatalities", help="Only events with at least this many deaths.")
]
OutputOption = Annotated[
    Optional[Path], typer.Option("-o", "--output", help="Output file; the format follows the extension.")
]


@dataclass
class Filters:
    """The filter options of a command, ready for ``EventStore.events(**filters.kwargs())``."""

    since: str | None = None
    until: str | None = None
    countries: list[str] | None = None
    admin1: list[str] | None = None
    admin2: list[str] | None = None
    actors: list[str] | None = None
    event_types: list[str] | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None

    @classmethod
    def from_options(
        cls,
        since=None,
        until=None,
        country=None,
        admin1=None,
        admin2=None,
        actor=None,
        event_type=None,
        bbox=None,
        min_fatalities=None,
    ) -> "Filters":
        box = None
        if bbox:
            try:
                parts = tuple(float(x) for x in bbox.split(","))
            except ValueError:
                raise typer.BadParameter(
                    f"--bbox {bbox!r}: expected four numbers min_lon,min_lat,max_lon,max_lat"
                ) from None
            if len(parts) != 4:
                raise typer.BadParameter(f"--bbox {bbox!r}: expected four numbers, got {len(parts)}")
            box = parts  # type: ignore[assignment]
        return cls(
            since,
            until,
            country or None,
            admin1 or None,
            admin2 or None,
            actor or None,
            event_type or None,
            box,
            min_fatalities,
        )

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``EventStore.events``; event types and sub-types are split there."""
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def describe(self) -> str:
        """The period and filters in words, for a picture's subtitle: "Mali · 2019-01-01 to 2019-06-30 · JNIM"."""
        parts = [", ".join(v) for v in (self.countries, self.admin1, self.admin2) if v]
        if self.since or self.until:
            parts.append(f"{self.since or 'first event'} to {self.until or 'last event'}")
        for label, v in (("actor", self.actors), ("type", self.event_types)):
            if v:
                parts.append(f"{label} {', '.join(v)}")
        if self.bbox:
            parts.append("box " + ",".join(f"{x:g}" for x in self.bbox))
        if self.min_fatalities:
            parts.append(f"{self.min_fatalities}+ killed")
        return " · ".join(parts) or "all events in the store"

    @property
    def country(self) -> str | None:
        """The one country filtered on, if one (a picture's map extent)."""
        return self.countries[0] if self.countries and len(self.countries) == 1 else None


def open_store(db: str | None, *, create: bool = False) -> EventStore:
    """The store of ``--db`` (else the settings'), with the settings' actor registry. Only commands that
    write (imports, extraction) pass ``create=True``: elsewhere a store that does not exist is an error
    ("no store at PATH"), and nothing is created."""
    s = settings(db=db)
    try:
        return workflows.open_store(s, create=create)
    except InputError as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - a wrong URL or an unreachable server: say so plainly
        fail(f"cannot open store {s.db!r}: {exc}")


def fail(message: str, code: int = 2) -> NoReturn:
    _error(message)
    raise typer.Exit(code)


def _error(message: str) -> None:
    """Errors are printed even with -q."""
    quiet, console.quiet = console.quiet, False
    try:
        console.print(f"[red]error:[/red] {escape(message)}")
    finally:
        console.quiet = quiet


def set_verbosity(quiet: bool = False, verbose: bool = False) -> None:
    """``-q``: only errors and the data itself (stdout); ``-v``: also log messages (INFO) on stderr."""
    console.quiet = bool(quiet)
    if verbose:
        logging.basicConfig(
            level=logging.INFO,
            format="%(name)s: %(message)s",
            handlers=[RichHandler(console=console, show_time=False, show_path=False)],
        )


def run(fn, *args: Any, status: str | None = None, **kwargs: Any) -> Any:
    """Call a library function; an input problem (any SahelwatchError, ValueError) becomes a clear error
    message and exit code 2, not a traceback."""
    try:
        if status:
            with console.status(status):
                return fn(*args, **kwargs)
        return fn(*args, **kwargs)
    except (SahelwatchError, ValueError) as exc:
        fail(str(exc))
