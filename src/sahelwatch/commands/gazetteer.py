"""CLI: gazetteer look-ups, geocoding of ACLED-style rows, toponym resolution (thin shell over
sahelwatch.gazetteer and sahelwatch.extract.places)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table

from ..cli_common import OutputOption, console, fail, out, run, settings
from ..gazetteer import Gazetteer
from ..io import write_table

CountryOpt = Annotated[
    Optional[str], typer.Option("--country", help="Country name or ISO code (Mali, BF, NER).")
]


def _write(rows: list[dict], output: Path | None, title: str, show: list[str] | None = None) -> None:
    df = pd.DataFrame(rows)
    if output is None:
        if show:
            df = df[[c for c in show if c in df.columns]]
        t = Table(title=title)
        for c in df.columns:
            t.add_column(str(c))
        for r in df.itertuples(index=False):
            t.add_row(*["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in r])
        out.print(t)
        return
    run(write_table, df, output, kind="places", mkdir=True)
    console.print(f"wrote {len(df)} rows to {output}")


def _place_row(p) -> dict:
    d = asdict(p)
    d["alternate_names"] = "; ".join(d["alternate_names"][:8])
    return d


def register(app: typer.Typer) -> None:
    gz_app = typer.Typer(
        help="The gazetteer (GeoNames-derived): look up places, geocode names, resolve toponyms.",
        no_args_is_help=True,
    )
    app.add_typer(gz_app, name="gazetteer")

    @gz_app.command("lookup")
    def lookup(
        name: Annotated[str, typer.Argument(help="A place name (accents, case and hyphens ignored).")],
        country: CountryOpt = None,
        feature_class: Annotated[
            Optional[str], typer.Option("--class", help="GeoNames classes, e.g. P or PA.")
        ] = None,
        admin1: Annotated[Optional[str], typer.Option("--admin1")] = None,
        output: OutputOption = None,
    ) -> None:
        """Places named NAME, best first: `sahelwatch gazetteer lookup Djibo --country BF`."""
        gz = Gazetteer.load(settings().gazetteer)
        rows = [
            _place_row(p)
            for p in gz.lookup(name, country=country, feature_classes=feature_class, admin1=admin1)
        ]
        if not rows:
            fail(f"no place named {name!r}" + (f" in {country}" if country else ""), code=1)
        _write(
            rows,
            output,
            f"{name}: {len(rows)} places",
            [
                "name",
                "latitude",
                "longitude",
                "country_code",
                "feature_code",
                "admin1",
                "admin2",
                "admin3",
                "population",
                "geonameid",
            ],
        )

    @gz_app.command("geocode")
    def geocode(
        country: Annotated[str, typer.Option("--country", help="Country name or ISO code.")],
        admin1: Annotated[Optional[str], typer.Option("--admin1")] = None,
        admin2: Annotated[Optional[str], typer.Option("--admin2")] = None,
        admin3: Annotated[Optional[str], typer.Option("--admin3")] = None,
        location: Annotated[Optional[str], typer.Option("--location")] = None,
        output: OutputOption = None,
    ) -> None:
        """Coordinates and ACLED geo_precision for names without coordinates:
        `sahelwatch gazetteer geocode --country "Burkina Faso" --admin1 Sahel --admin2 Soum --location Djibo`."""
        g = Gazetteer.load(settings().gazetteer).geocode(country, admin1, admin2, admin3, location)
        if g is None:
            fail(f"unknown country {country!r}", code=1)
        row = {
            "latitude": g.latitude,
            "longitude": g.longitude,
            "geo_precision": g.geo_precision,
            "matched_level": g.matched_level,
            "place": g.place.name if g.place else None,
            "geonameid": g.place.geonameid if g.place else None,
            "admin1": g.admin1,
            "admin2": g.admin2,
            "admin3": g.admin3,
        }
        _write(
            [row],
            output,
            "geocode",
            [
                "latitude",
                "longitude",
                "geo_precision",
                "matched_level",
                "place",
                "admin1",
                "admin2",
                "admin3",
            ],
        )

    @gz_app.command("places")
    def places(
        source: Annotated[str, typer.Argument(help="A text, or the path of a text file.")],
        country: CountryOpt = None,
        output: OutputOption = None,
    ) -> None:
        """Place mentions of a text with coordinates, precision and relation:
        `sahelwatch gazetteer places "Gunmen attacked soldiers near Boni (Douentza, Mopti)." --country Mali`."""
        from ..extract.places import resolve_places  # lazy: start-up (spaCy, ~1 s on every CLI call)

        p = Path(source)
        text = p.read_text("utf-8") if len(source) < 4096 and p.is_file() else source
        rows = []
        gz = Gazetteer.load(settings().gazetteer)
        for m in resolve_places(text, country_focus=country, gazetteer=gz):
            rows.append(
                {
                    "text": m.text,
                    "start": m.start_char,
                    "end": m.end_char,
                    "kind": m.kind,
                    "relation": m.relation,
                    "name": m.name,
                    "latitude": m.latitude,
                    "longitude": m.longitude,
                    "geo_precision": m.geo_precision,
                    "country": m.country,
                    "admin1": m.admin1,
                    "admin2": m.admin2,
                    "admin3": m.admin3,
                    "score": m.score,
                    "geonameid": m.place.geonameid if m.place else None,
                }
            )
        if not rows:
            console.print("no place found")
            raise typer.Exit(0)
        _write(
            rows,
            output,
            "places",
            [
                "text",
                "kind",
                "relation",
                "name",
                "latitude",
                "longitude",
                "geo_precision",
                "admin1",
                "admin2",
                "score",
            ],
        )
