"""CLI: the actor registry (a thin shell over sahelwatch.actors and sahelwatch.extract.actors).

sahelwatch actors normalise EIGS --date 2019-05-01
sahelwatch actors normalise soldiers --country "Burkina Faso" --date 2023-02-01
sahelwatch actors find "Suspected JNIM militants ambushed a FAMa convoy near Boni" --date 2019-05-03
sahelwatch actors roles "Unknown gunmen killed two Fulani herders near Menaka." --country Mali --date 2019-05-03
sahelwatch actors list --country Mali -o actors.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table

from ..actors import Registry
from ..cli_common import OutputOption, fail, out, run, settings
from ..io import write_table

CountryOpt = Annotated[
    Optional[str], typer.Option("--country", help="The event's country (needed for generic words).")
]
DateOpt = Annotated[
    Optional[str], typer.Option("--date", help="The event's date YYYY-MM-DD (picks the period name).")
]
ModelOpt = Annotated[
    Optional[Path], typer.Option("--model", help="Model directory with learned aliases (actor_aliases.json).")
]


def _registry(model: Path | None) -> Registry:
    """The settings' actor registry (``--actors``, $SAHELWATCH_ACTORS, sahelwatch.toml; else the shipped one),
    with the aliases learned into ``model``."""
    path = settings().actors
    if model is not None:
        if not (model / "actor_aliases.json").exists() and not model.is_file():
            fail(f"{model}: no actor_aliases.json in this model directory")
        return Registry.load(path, extra_aliases=str(model))
    return Registry.load(path)


def _emit(rows: list[dict], output: Path | None, columns: list[str]) -> None:
    if output is not None:
        run(write_table, pd.DataFrame(rows, columns=columns), output, kind="actors")
        out.print(f"{len(rows)} rows written to {output}")
        return
    t = Table(*columns)
    for r in rows:
        t.add_row(*["" if r.get(c) is None else str(r.get(c)) for c in columns])
    out.print(t)


def _text_arg(source: str) -> str:
    p = Path(source)
    if len(source) < 4096 and p.is_file():
        return p.read_text("utf-8", errors="replace")
    return source


def register(app: typer.Typer) -> None:
    act = typer.Typer(
        help="The Sahel actor registry: normalise names, find mentions, assign roles.", no_args_is_help=True
    )
    app.add_typer(act, name="actors")

    @act.command("normalise")
    def normalise(
        name: Annotated[
            str, typer.Argument(help="A name, alias or abbreviation (EIGS, FAMa, gendarmes...).")
        ],
        country: CountryOpt = None,
        date: DateOpt = None,
        model: ModelOpt = None,
        output: OutputOption = None,
    ) -> None:
        """The ACLED-style name of NAME: `sahelwatch actors normalise EIGS --date 2019-05-01`."""
        reg = _registry(model)
        a = reg.normalise(name, country=country, date=date)
        if a is None:
            fail(
                f"{name!r} is not in the registry" + ("" if country else " (generic words need --country)"),
                code=1,
            )
        _emit(
            [
                {
                    "input": name,
                    "name": a.name,
                    "inter": reg.inter(a.name, country),
                    "kind": a.kind,
                    "affiliation": a.affiliation,
                    "parent": a.parent,
                    "country": a.country,
                }
            ],
            output,
            ["input", "name", "inter", "kind", "affiliation", "parent", "country"],
        )

    @act.command("find")
    def find(
        source: Annotated[str, typer.Argument(help="A text, or the path of a text file.")],
        country: CountryOpt = None,
        date: DateOpt = None,
        generic: Annotated[
            bool,
            typer.Option(
                "--generic/--named", help="Also generic words (gunmen, soldiers, villagers); needs --country."
            ),
        ] = False,
        model: ModelOpt = None,
        output: OutputOption = None,
    ) -> None:
        """Actor mentions in a text with character offsets."""
        reg = _registry(model)
        text = _text_arg(source)
        rows = [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "name": m.actor.name,
                "inter": reg.inter(m.actor.name, country),
                "generic": m.generic,
            }
            for m in reg.match_text(text, country=country, date=date, generic=generic)
        ]
        _emit(rows, output, ["start", "end", "text", "name", "inter", "generic"])

    @act.command("roles")
    def roles(
        source: Annotated[str, typer.Argument(help="One event's text, or the path of a text file.")],
        country: Annotated[str, typer.Option("--country", help="The event's country.")] = "Mali",
        date: DateOpt = None,
        event_type: Annotated[
            Optional[str], typer.Option("--event-type", help="ACLED event_type, if known.")
        ] = None,
        lang: Annotated[Optional[str], typer.Option("--lang", help="en or fr (default: guessed).")] = None,
        model: ModelOpt = None,
        output: OutputOption = None,
    ) -> None:
        """actor1/assoc_actor_1/inter1 and actor2/assoc_actor_2/inter2 for one event's text."""
        from ..extract.actors import assign_roles  # lazy: start-up (spaCy, ~1 s on every CLI call)

        reg = _registry(model)
        r = assign_roles(
            _text_arg(source), country=country, date=date, event_type_hint=event_type, registry=reg, lang=lang
        )
        d = r.as_dict()
        _emit([d], output, list(d))

    @act.command("list")
    def list_(
        country: CountryOpt = None,
        kind: Annotated[
            Optional[str],
            typer.Option("--kind", help="state, rebel, militia, external, civilians, identity, social, ..."),
        ] = None,
        output: OutputOption = None,
    ) -> None:
        """Canonical names of the registry (optionally one country's or one kind)."""
        reg = _registry(None)
        rows = []
        for name in reg.canonical_names():
            a = reg.actors[name]
            if country and a.country not in (country, None):
                continue
            if kind and a.kind != kind:
                continue
            rows.append(
                {
                    "name": a.name,
                    "inter": a.inter,
                    "kind": a.kind,
                    "affiliation": a.affiliation,
                    "parent": a.parent,
                    "country": a.country,
                    "active_from": a.active_from,
                    "active_to": a.active_to,
                    "aliases": "; ".join(a.aliases[:6]),
                }
            )
        _emit(
            rows,
            output,
            [
                "name",
                "inter",
                "kind",
                "affiliation",
                "parent",
                "country",
                "active_from",
                "active_to",
                "aliases",
            ],
        )
