"""Run every evaluation suite of thresholds.yaml on ../shared data and check its thresholds.

    .venv/bin/python -m evaluation.run_all [suite ...]

Prints one line per metric (value, threshold, pass/fail) and exits 1 when any fails. A suite
whose data is absent is reported as skipped, with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "output"
SHARED = HERE.parents[1] / "shared"


def lookup(data: dict, path: str):
    cur = data
    for part in path.split("."):
        if isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        elif isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            raise KeyError(path)
    return cur


def check(value, rule: dict) -> bool:
    if "eq" in rule:
        return value == rule["eq"]
    ok = True
    if "min" in rule:
        ok &= value is not None and value >= rule["min"]
    if "max" in rule:
        ok &= value is not None and value <= rule["max"]
    return bool(ok)


def main(argv: list[str]) -> int:
    suites = yaml.safe_load((HERE / "thresholds.yaml").read_text())
    chosen = argv or list(suites)
    OUT.mkdir(exist_ok=True)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent; the evaluation reads its real data")
        return 0
    failed = 0
    for name in chosen:
        suite = suites[name]
        # a suite's script writes its JSON where --json says, or (json_arg: null) where `output` says
        out = HERE.parent / suite["output"] if "output" in suite else OUT / f"{name}.json"
        json_arg = suite.get("json_arg", "--json")
        cmd = [sys.executable, "-m", f"evaluation.{suite['module']}", *suite.get("args", [])]
        if json_arg:
            cmd += [json_arg, str(out)]
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True)
        secs = time.perf_counter() - t
        if proc.returncode != 0:
            print(f"[{name}] FAILED to run ({secs:.0f} s):\n{proc.stderr[-3000:]}")
            failed += 1
            continue
        data = json.loads(out.read_text())
        print(f"[{name}] ran in {secs:.0f} s")
        for metric, rule in suite["metrics"].items():
            try:
                value = lookup(data, metric)
            except KeyError:
                print(f"  {metric}: missing from the output  FAIL")
                failed += 1
                continue
            ok = check(value, rule)
            failed += not ok
            print(f"  {metric}: {value}  (needs {rule})  {'ok' if ok else 'FAIL'}")
    print("all thresholds met" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
