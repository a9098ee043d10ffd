"""Which sentences of an article tell an event of their own, as data (``data/rules/document_events.yaml``).

    from sahelwatch.extract.document_events import DocumentRules
    rules = DocumentRules.load()                   # the shipped lists, plus any files given (extend, never replace)
    rules.relative_days("Le lendemain, ...")       # 1: an event told relative to the one before
    rules.flags("More than 100 soldiers have been killed since October.")   # {'aggregate'}

Concepts (one list per concept and language): ``relative_to_event`` (an offset in days from the event told
before), ``aggregate`` (many events or a trend at once), ``forecast`` (what may happen) and ``denial``.
Each concept carries example sentences that the tests run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from ..errors import InputError

FLAG_CONCEPTS = ("aggregate", "forecast", "denial", "another_event")
#: how far before a date (characters) a word of a statement makes it the statement's day
STATEMENT_WINDOW = 45
LANGS = ("en", "fr")


def _phrase_rx(phrases: Iterable[str]) -> re.Pattern | None:
    ps = sorted({p.strip().lower() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not ps:
        return None
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in ps)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


def _read(path: str | Path | None) -> dict:
    if path is None:
        text = resources.files("sahelwatch.data").joinpath("rules/document_events.yaml").read_text("utf-8")
        name = "data/rules/document_events.yaml"
    else:
        name = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise InputError(f"{name}: cannot read the rules file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a mapping of concepts")
    known = {"relative_to_event", "statement", *FLAG_CONCEPTS}
    for k in data:
        if k not in known:
            raise InputError(f"{name}: unknown concept {k!r} (known: {', '.join(sorted(known))})")
    for i, r in enumerate(data.get("relative_to_event") or []):
        if not isinstance(r, dict) or not isinstance(r.get("days"), int):
            raise InputError(f"{name}: relative_to_event entry {i + 1} needs an integer 'days'")
    return data


@dataclass
class DocumentRules:
    """The compiled lists. ``sources`` names the files they came from."""

    relative: list[tuple[int, re.Pattern]] = field(default_factory=list)
    statement_rx: re.Pattern | None = None
    flag_rx: dict[str, re.Pattern] = field(default_factory=dict)
    examples: list[tuple[str, str, bool, object]] = field(
        default_factory=list
    )  # (concept, sentence, expected, value)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> "DocumentRules":
        return _load(tuple(str(p) for p in extra))

    def relative_days(self, sentence: str) -> int | None:
        """Offset in days from the event told before ("the next day" -> 1), or None."""
        best = None
        for days, rx in self.relative:
            m = rx.search(sentence)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), days)
        return best[1] if best else None

    def statement_day(self, text: str, date_start: int) -> bool:
        """The date starting at ``date_start`` in ``text`` is the day a statement was made: a word of a
        statement ends just before it, with no full stop between ("the army said on Sunday")."""
        if self.statement_rx is None:
            return False
        before = text[max(0, date_start - STATEMENT_WINDOW) : date_start]
        ends = [m.end() for m in self.statement_rx.finditer(before)]
        return bool(ends) and not re.search(r"[.;!?]", before[ends[-1] :])

    def flags(self, sentence: str) -> set[str]:
        """The concepts among aggregate/forecast/denial/another_event that the sentence shows."""
        return {c for c, rx in self.flag_rx.items() if rx.search(sentence)}


@lru_cache(maxsize=8)
def _load(extra: tuple[str, ...]) -> DocumentRules:
    datas = [(None, _read(None))] + [(p, _read(p)) for p in extra]
    rel: dict[int, list[str]] = {}
    flags: dict[str, list[str]] = {c: [] for c in FLAG_CONCEPTS}
    examples = []
    statement: list[str] = []
    for _, data in datas:
        spec = data.get("statement") or {}
        statement.extend(p for lang in LANGS for p in (spec.get(lang) or []))
        examples += [("statement", x, True, None) for x in spec.get("examples") or []]
        examples += [("statement", x, False, None) for x in spec.get("counter_examples") or []]
        for r in data.get("relative_to_event") or []:
            rel.setdefault(r["days"], []).extend(p for lang in LANGS for p in (r.get(lang) or []))
            examples += [("relative_to_event", s, True, r["days"]) for s in r.get("examples") or []]
            examples += [("relative_to_event", s, False, r["days"]) for s in r.get("counter_examples") or []]
        for c in FLAG_CONCEPTS:
            spec = data.get(c) or {}
            flags[c].extend(p for lang in LANGS for p in (spec.get(lang) or []))
            examples += [(c, s, True, None) for s in spec.get("examples") or []]
            examples += [(c, s, False, None) for s in spec.get("counter_examples") or []]
    out = DocumentRules(sources=["data/rules/document_events.yaml", *extra], examples=examples)
    out.statement_rx = _phrase_rx(statement)
    out.relative = [(d, rx) for d, ps in sorted(rel.items()) if (rx := _phrase_rx(ps)) is not None]
    out.flag_rx = {c: rx for c, ps in flags.items() if (rx := _phrase_rx(ps)) is not None}
    return out


__all__ = ["DocumentRules", "FLAG_CONCEPTS"]
