"""`sahelwatch brief`: a country (or admin1) briefing for one period, as HTML and PDF (issue 15).

    sahelwatch brief --country Mali --period 2019-03 -o brief.pdf -o brief.html
    sahelwatch brief --country Mali --admin1 Mopti --period 2019-Q2 --lang fr -o note.pdf

A shell over ``sahelwatch.report.brief`` (``sahelwatch.brief`` in Python); see docs/briefings.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import DbOption, console, fail, open_store


def register(app: typer.Typer) -> None:
    app.command(
        "brief", help="A briefing for one country (or admin1) and period: HTML, PDF (+ JSON appendix)."
    )(brief_command)


def brief_command(
    country: Annotated[str, typer.Option("--country", help="Country, as in the store (e.g. Mali).")],
    period: Annotated[str, typer.Option("--period", help="2019-W14 (ISO week), 2019-04 (month) or 2019-Q2.")],
    output: Annotated[
        list[Path],
        typer.Option(
            "-o", "--output", help="brief.pdf (also writes brief.json), brief.html, brief.json (repeatable)."
        ),
    ],
    admin1: Annotated[Optional[str], typer.Option("--admin1", help="One admin1 of the country.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or fr.")] = "en",
    roads: Annotated[
        Optional[list[Path]], typer.Option("--roads", help="Road file(s) for the access section.")
    ] = None,
    samples: Annotated[int, typer.Option("--samples", help="Forecast samples per unit.")] = 500,
    db: DbOption = None,
) -> None:
    """Build the brief from the store and write it; every number is listed in the data appendix."""
    # lazy: start-up (the analyses, matplotlib and WeasyPrint take seconds to import on every CLI call)
    from ..report.brief import BriefError, build, check_outputs, render

    try:
        check_outputs(output)
        with console.status("building the brief…"):
            b = build(
                open_store(db),
                country=country,
                period=period,
                admin1=admin1,
                lang=lang,
                out_dir=output[0].parent / f".{output[0].stem}_figures",
                roads=roads,
                samples=samples,
            )
            paths = render(b, output)
    except BriefError as exc:
        fail(str(exc))
    for p in paths:
        console.print(f"wrote {p}")
    console.print(f"{len(b.numbers)} numbers in the appendix; built in {b.meta['build_seconds']:.1f} s")
