"""The watch configuration (``watch.toml``): sources with their intervals and freshness targets, alerts,
delivery channels.

    db = "sahelwatch.db"                 # optional; --db and $SAHELWATCH_DB win
    country = "Mali"                     # country focus for place names (optional)
    pause = "0s"                         # wait after each document (share a busy machine); default none

    [[source]]
    name = "sahel-wire"                  # unique; the ledger and the health table use it
    kind = "feed"                        # feed | urls | folder | acled | ucdp
    url = "https://example.org/sahel.rss"
    interval = "15m"                     # s, m, h, d; default 1h
    freshness = "2d"                     # flagged silent when nothing new for longer (default 3 x interval, >= 1d)

    [[source]]
    name = "bulletins"
    kind = "folder"
    path = "drop/"                       # a drop folder: every new or changed file is read

    [alerts]
    rules = "default"                    # or a YAML file in the format of data/alert_rules.yaml
    deliver = false                      # dry run by default: alerts are stored and shown, not sent
    [[alerts.channel]]
    kind = "webhook"                     # webhook | email | atom | file
    url = "https://hooks.example.org/sahel"

Every mistake is an error naming the file and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

KINDS = ("feed", "urls", "folder", "acled", "ucdp")
CHANNELS = ("webhook", "email", "atom", "file")
_DUR = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(value: Any, where: str) -> float:
    """'15m' -> 900.0; numbers are seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _DUR.match(str(value))
    if not m:
        raise InputError(f"{where}: {value!r} is not a duration (e.g. 30s, 15m, 6h, 2d)")
    return float(m.group(1)) * _UNIT[m.group(2)]


@dataclass
class Source:
    name: str
    kind: str
    url: str | None = None
    path: Path | None = None
    interval: float = 3600.0
    freshness: float = 86400.0
    country: str | None = None
    lang: str | None = None
    timeout: float = 20.0
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Channel:
    kind: str
    options: dict[str, Any]


@dataclass
class WatchConfig:
    path: Path | None
    sources: list[Source]
    db: str | None = None
    country: str | None = None
    rules: str = "default"
    deliver: bool = False
    channels: list[Channel] = field(default_factory=list)
    unit: str = "admin1"
    model: str | None = None
    pause: float = 0.0  # seconds to wait after each document (to share a busy machine)


def load_config(path: str | Path) -> WatchConfig:
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{p}: no such watch configuration") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: not valid TOML ({exc})") from None
    return parse_config(raw, p)


def parse_config(raw: dict[str, Any], path: Path | None = None) -> WatchConfig:
    where = str(path or "<config>")
    base = path.parent if path else Path.cwd()
    allowed = {"db", "country", "source", "alerts", "model", "pause"}
    for k in raw:
        if k not in allowed:
            raise InputError(f"{where}: unknown key {k!r} (expected one of {', '.join(sorted(allowed))})")
    srcs = raw.get("source") or []
    if not isinstance(srcs, list) or not srcs:
        raise InputError(f"{where}: no [[source]] table: a watch needs at least one source")
    sources: list[Source] = []
    names: set[str] = set()
    for i, s in enumerate(srcs, start=1):
        w = f"{where}: source {i}"
        if not isinstance(s, dict):
            raise InputError(f"{w}: expected a table")
        name = s.get("name")
        if not name or not isinstance(name, str):
            raise InputError(f"{w}: 'name' is missing")
        w = f"{where}: source {name!r}"
        if name in names:
            raise InputError(f"{w}: the name is used twice")
        names.add(name)
        kind = s.get("kind")
        if kind not in KINDS:
            raise InputError(f"{w}: kind {kind!r} is not one of {', '.join(KINDS)}")
        url, fpath = s.get("url"), s.get("path")
        if kind in ("feed", "urls") and not (url or fpath):
            raise InputError(f"{w}: a {kind} source needs 'url' (or 'path' for a local file)")
        if kind in ("folder", "ucdp") and not fpath:
            raise InputError(f"{w}: a {kind} source needs 'path'")
        interval = seconds(s.get("interval", "1h"), f"{w}: interval")
        if interval <= 0:
            raise InputError(f"{w}: interval must be positive")
        fresh = seconds(s["freshness"], f"{w}: freshness") if "freshness" in s else max(3 * interval, 86400.0)
        known = {"name", "kind", "url", "path", "interval", "freshness", "country", "lang", "timeout"}
        sources.append(
            Source(
                name=name,
                kind=kind,
                url=url,
                path=(base / fpath) if fpath else None,
                interval=interval,
                freshness=fresh,
                country=s.get("country", raw.get("country")),
                lang=s.get("lang"),
                timeout=seconds(s.get("timeout", 20), f"{w}: timeout"),
                options={k: v for k, v in s.items() if k not in known},
            )
        )
    al = raw.get("alerts") or {}
    channels = []
    for j, c in enumerate(al.get("channel") or [], start=1):
        if c.get("kind") not in CHANNELS:
            raise InputError(
                f"{where}: alerts.channel {j}: kind {c.get('kind')!r} is not one of {', '.join(CHANNELS)}"
            )
        need = {"webhook": ("url",), "email": ("host", "to"), "atom": ("path",), "file": ("path",)}[c["kind"]]
        for n in need:
            if not c.get(n):
                raise InputError(f"{where}: alerts.channel {j} ({c['kind']}): {n!r} is missing")
        opts = dict(c)
        if "path" in opts:
            opts["path"] = str(base / opts["path"])
        channels.append(Channel(c["kind"], opts))
    rules = al.get("rules", "default")
    if rules != "default":
        rules = str(base / rules)
    db = raw.get("db")
    if db and "://" not in db and db != ":memory:":
        db = str(base / db)
    return WatchConfig(
        path=path,
        sources=sources,
        db=db,
        country=raw.get("country"),
        rules=rules,
        deliver=bool(al.get("deliver", False)),
        channels=channels,
        unit=al.get("unit", "admin1"),
        model=raw.get("model"),
        pause=seconds(raw.get("pause", 0), f"{where}: pause"),
    )
