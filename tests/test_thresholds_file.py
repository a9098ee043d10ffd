"""evaluation/thresholds.yaml is the one file of quality thresholds: it must parse, and every suite must
name an evaluation module that exists and rules of a known form (a merge once left conflict markers in it,
which only `make evaluate` noticed)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_thresholds_parse_and_name_existing_suites():
    suites = yaml.safe_load((ROOT / "evaluation" / "thresholds.yaml").read_text("utf-8"))
    assert isinstance(suites, dict) and suites
    for name, suite in suites.items():
        assert (ROOT / "evaluation" / f"{suite['module']}.py").is_file(), name
        assert suite["metrics"], name
        for metric, rule in suite["metrics"].items():
            assert isinstance(rule, dict) and set(rule) <= {"min", "max", "eq"} and rule, (name, metric)
