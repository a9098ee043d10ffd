"""`sahelwatch analyze coordination` and `sahelwatch analyze network` (issue 4 §4 and §6).

The commands are added to the ``analyze`` sub-app of :mod:`sahelwatch.commands.analyze`.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import workflows
from ..taxonomy import UNARMED
from ..cli_common import (
    ActorOption,
    Admin1Option,
    Admin2Option,
    BboxOption,
    CountryOption,
    DbOption,
    EventTypeOption,
    Filters,
    MinFatalitiesOption,
    OutputOption,
    SinceOption,
    UntilOption,
    console,
    fail,
    open_store,
    out,
    run,
    settings,
)

from .analyze import analyze_app as _app


def register(app: typer.Typer) -> None:
    """The commands hang on the ``analyze`` sub-app, which analyze.py registers."""


ByOption = Annotated[str, typer.Option("--by", help="Period: year, quarter, month or all.")]


def _events(db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities):
    filters = Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )
    store = open_store(db)
    return store, store.events(**filters.kwargs())


@_app.command("coordination")
def coordination_cmd(
    actors: Annotated[
        Optional[list[str]],
        typer.Option(
            "--actors", help="A group (repeatable, at least two); default the 4 most active armed groups."
        ),
    ] = None,
    by: ByOption = "year",
    d_km: Annotated[float, typer.Option("--d-km", help="Knox distance threshold, km.")] = 50.0,
    t_days: Annotated[float, typer.Option("--t-days", help="Knox time threshold, days.")] = 14.0,
    n_perm: Annotated[int, typer.Option("--permutations", help="Knox permutations.")] = 499,
    n_boot: Annotated[int, typer.Option("--bootstrap", help="Hawkes parametric bootstrap fits.")] = 30,
    min_clashes: Annotated[int, typer.Option("--min-clashes", help="Clashes that make a pair rival.")] = 2,
    min_joint: Annotated[
        int,
        typer.Option(
            "--min-joint", help="Joint events (both groups on one side) that make a pair coordinating."
        ),
    ] = 2,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    components: Annotated[
        bool,
        typer.Option(
            "--components/--no-components", help="Count a group's components (katibas) as the group."
        ),
    ] = True,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
    output: OutputOption = None,
) -> None:
    """Coordination, independence or rivalry per pair of groups and period, with the evidence (Hawkes, Knox, clashes)."""
    if by not in ("year", "quarter", "month", "all"):
        fail(f"--by {by!r}: use year, quarter, month or all")
    _, ev = _events(db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    mapping = workflows.actor_map(settings(), components=components)
    names = [mapping(a) or a for a in actors] if actors else None
    tab = run(
        workflows.run_analysis,
        "coordination",
        ev,
        output=output,
        actors=names,
        actor_map=mapping,
        by=by,
        d_km=d_km,
        t_days=t_days,
        n_perm=n_perm,
        n_boot=n_boot,
        min_clashes=min_clashes,
        min_joint=min_joint,
        seed=seed,
        status="coordination: Knox permutations and Hawkes fits...",
    )
    for note in sorted(set(n for n in tab["note"] if n)):
        console.print(f"[yellow]note:[/yellow] {note}")
    if output is None:
        out.print(tab.to_string(index=False) if len(tab) else "(no rows)")
    else:
        console.print(f"wrote {len(tab)} rows to {output}")


@_app.command("network")
def network_cmd(
    by: ByOption = "all",
    claims: Annotated[
        bool, typer.Option("--claims/--no-claims", help="Add alliance/rivalry claims from the store.")
    ] = True,
    armed_only: Annotated[
        bool, typer.Option("--armed-only", help="Leave out rioters, protesters and civilians (inter 5-7).")
    ] = False,
    components: Annotated[
        bool,
        typer.Option("--components/--no-components", help="Merge group components (katibas) into the group."),
    ] = False,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
    output: OutputOption = None,
) -> None:
    """Who fights whom and who is allied: edges weighted by events and fatalities; .graphml or .json (graph), .csv/.parquet (edges)."""
    if by not in ("year", "quarter", "month", "all"):
        fail(f"--by {by!r}: use year, quarter, month or all")
    store, ev = _events(db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    cl = None
    if claims:
        try:
            cl = store.claims()
        except Exception as exc:  # noqa: BLE001 - a store without claims support still gives the event network
            console.print(f"[yellow]note:[/yellow] claims not read: {exc}")
    if len(ev) == 0 and (cl is None or len(cl) == 0):
        fail("no events in the selection (and no claims): widen the filters or import data first")
    mapping = workflows.actor_map(settings(), components=True) if components else None
    edges, graph = run(
        workflows.actor_network,
        ev,
        cl,
        output=output,
        actor_map=mapping,
        by=None if by == "all" else by,
        exclude_inter=UNARMED if armed_only else (),
    )
    if output is None:
        out.print(edges.head(30).to_string(index=False) if len(edges) else "(no edges)")
    elif output.suffix.lower() in workflows.GRAPH_SUFFIXES:
        console.print(
            f"wrote {graph.number_of_nodes()} actors and {graph.number_of_edges()} edges to {output}"
        )
    else:
        console.print(f"wrote {len(edges)} edges to {output}")
