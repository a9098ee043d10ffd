"""Settings: where the store is and which reference data the pipeline, the store and the analyses use.

One :class:`Settings` object, built once by a shell (CLI, web server, service) and passed down explicitly:

    defaults  <  sahelwatch.toml (the project folder, or ``--config FILE``)  <  environment  <  flags

=================  ==========================  =====================================================
field              environment variable        meaning
=================  ==========================  =====================================================
db                 SAHELWATCH_DB               store: a SQLite path or a SQLAlchemy URL
actors             SAHELWATCH_ACTORS           actor registry (YAML, the layout of data/actors.yaml)
gazetteer          SAHELWATCH_GAZETTEER        gazetteer folder (the layout of data/gazetteer/)
lexicons           SAHELWATCH_LEXICONS         lexicon folder (the layout of data/lexicons/)
rules              SAHELWATCH_RULES            event trigger rules (the layout of data/event_triggers.yaml)
country            SAHELWATCH_COUNTRY          country focus for place names (e.g. Mali)
=================  ==========================  =====================================================

``None`` for a reference path means the data shipped with sahelwatch. ``sahelwatch.toml`` holds the same
keys at top level or under ``[sahelwatch]``; relative paths in it are read from the file's folder.
Core layer: this module imports no other sahelwatch module.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DB = "sahelwatch.db"
CONFIG_NAME = "sahelwatch.toml"
ENV_PREFIX = "SAHELWATCH_"
PATH_FIELDS = ("actors", "gazetteer", "lexicons", "rules")


class SettingsError(ValueError):
    """A configuration file or value that cannot be used (names the file and the key)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the store is and which reference data to use (``None``: the shipped data)."""

    db: str = DEFAULT_DB
    actors: Path | None = None
    gazetteer: Path | None = None
    lexicons: Path | None = None
    rules: Path | None = None
    country: str | None = None
    #: the configuration file these settings were read from, if any
    config_file: Path | None = None

    @classmethod
    def load(
        cls,
        config: str | Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        **flags: Any,
    ) -> Settings:
        """Defaults < ``config`` (or ./sahelwatch.toml when present) < environment < ``flags``.

        ``flags`` are the values a shell was given (``db=``, ``actors=``, ...); ``None`` values are
        ignored, so a CLI can pass its options as they are."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        file: Path | None = None
        if config is not None:
            file = Path(config)
            if not file.is_file():
                raise SettingsError(f"{file}: no such configuration file")
        else:
            candidate = Path(cwd or Path.cwd()) / CONFIG_NAME
            file = candidate if candidate.is_file() else None
        if file is not None:
            values.update(_read_toml(file))
        for name in _field_names():
            v = env.get(ENV_PREFIX + name.upper())
            if v:
                values[name] = v
        unknown = sorted(set(flags) - set(_field_names()))
        if unknown:
            raise TypeError(f"Settings.load: unknown setting(s) {', '.join(unknown)}")
        values.update({k: v for k, v in flags.items() if v is not None})
        return cls.from_values(values, config_file=file)

    @classmethod
    def from_values(cls, values: Mapping[str, Any], *, config_file: Path | None = None) -> Settings:
        kw: dict[str, Any] = {}
        for name, v in values.items():
            if v is None or v == "":
                continue
            kw[name] = Path(v).expanduser() if name in PATH_FIELDS else str(v)
        return cls(**kw, config_file=config_file)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (``None`` values are ignored)."""
        changes = {k: (Path(v) if k in PATH_FIELDS else v) for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)

    def describe(self) -> dict[str, str]:
        """Each setting as text, with 'shipped' for the bundled reference data."""
        out = {"db": self.db}
        for name in PATH_FIELDS:
            v = getattr(self, name)
            out[name] = str(v) if v is not None else "shipped"
        out["country"] = self.country or "none"
        out["config_file"] = str(self.config_file) if self.config_file else "none"
        return out


def _field_names() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(Settings) if f.name != "config_file")


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{file}: not valid TOML: {exc}") from exc
    section = data.get("sahelwatch", data)
    if not isinstance(section, dict):
        raise SettingsError(f"{file}: [sahelwatch] must be a table")
    known = set(_field_names())
    out: dict[str, Any] = {}
    for key, value in section.items():
        if key == "sahelwatch" and isinstance(value, dict):
            continue
        if key not in known:
            raise SettingsError(f"{file}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        if not isinstance(value, str):
            raise SettingsError(f"{file}: {key} must be a string, got {type(value).__name__}")
        if key in PATH_FIELDS:
            p = Path(value).expanduser()
            value = str(p if p.is_absolute() else (file.parent / p))
        elif key == "db" and "://" not in value and value != ":memory:":
            p = Path(value).expanduser()
            value = str(p if p.is_absolute() else (file.parent / p))
        out[key] = value
    return out


def default_db(env: Mapping[str, str] | None = None) -> str:
    """The store used when none is named: $SAHELWATCH_DB, else ./sahelwatch.db."""
    env = os.environ if env is None else env
    return env.get(ENV_PREFIX + "DB") or DEFAULT_DB


__all__ = ["Settings", "SettingsError", "DEFAULT_DB", "CONFIG_NAME", "default_db"]
