"""Web clutter removal: newsletter boxes, sign-up and log-in prompts, cookie notices, related links.

The patterns live in ``data/clutter.yaml`` (data, not code). Removal is line based and conservative:
a line goes only when it matches a pattern *and* is short (each pattern has a word limit), so a
sentence of reporting that happens to mention a newsletter or cookies is kept.

    >>> clean, removed = strip_clutter(text)
    >>> [r.pattern_id for r in removed]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class ClutterRule:
    id: str
    regex: re.Pattern[str]
    max_words: int
    whole_line: bool


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line dropped as clutter: its text, 0-based line number in the input, and the rule that matched."""

    line: str
    line_no: int
    pattern_id: str


def _compile(entries: list[dict[str, Any]], default_max: int, whole: bool) -> list[ClutterRule]:
    rules = []
    for e in entries or []:
        try:
            rx = re.compile(e["pattern"], re.IGNORECASE)
        except re.error as exc:  # a broken pattern in the data file is a bug worth a clear message
            raise ValueError(f"clutter.yaml: pattern {e.get('id')!r} is not a valid regex: {exc}") from exc
        rules.append(ClutterRule(e["id"], rx, int(e.get("max_words", default_max)), whole))
    return rules


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> tuple[ClutterRule, ...]:
    """Rules from ``data/clutter.yaml`` (or another YAML file of the same shape)."""
    if path is None:
        text = resources.files("sahelwatch.data").joinpath("clutter.yaml").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    data = yaml.safe_load(text) or {}
    default_max = int(data.get("default_max_words", 30))
    return tuple(
        _compile(data.get("line", []), default_max, True)
        + _compile(data.get("contains", []), default_max, False)
    )


def clutter_rule(line: str, rules: tuple[ClutterRule, ...] | None = None) -> str | None:
    """The id of the rule that marks this line as clutter, or None when it is content."""
    s = line.strip()
    if not s:
        return None
    n_words = len(s.split())
    for rule in rules if rules is not None else load_rules():
        if n_words > rule.max_words:
            continue
        if rule.whole_line:
            if rule.regex.fullmatch(s):
                return rule.id
        elif rule.regex.search(s):
            return rule.id
    return None


def strip_clutter(text: str, rules: tuple[ClutterRule, ...] | None = None) -> tuple[str, list[RemovedLine]]:
    """Drop clutter lines. Returns the cleaned text (blank-line runs collapsed) and what was removed."""
    rules = rules if rules is not None else load_rules()
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for i, line in enumerate(text.splitlines()):
        rid = clutter_rule(line, rules)
        if rid is None:
            kept.append(line.rstrip())
        else:
            removed.append(RemovedLine(line.strip(), i, rid))
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    return out, removed
