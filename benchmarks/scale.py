"""Batch speed on this machine: the catalog with --jobs 1 and 2, the activation-search screen,
and cold start-up. Runs the installed `actverify` command in subprocesses, as users do.

Usage: python benchmarks/scale.py [--only catalog|search|startup] [--candidates N]

- catalog: every property with the cross-check (the default rule set), wall seconds,
  per-activation median and slowest (the worker wall time each result records), decided
  fraction. Target on 2 cores: 60 s or less with --jobs 2.
- search: the first N candidates (default 500, spread over the space) of `actverify
  search-space` checked with --rules search --jobs 2: candidates per second and the peak
  resident memory of the largest process (parent or worker). Target: 10 candidates/s.
- startup: `actverify check --expr x --no-crosscheck` cold, five runs. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verifier import search_space

COMMAND = [sys.executable, "-m", "verifier"]


def run(arguments: list[str], cwd: Path) -> tuple[float, dict | None]:
    started = time.perf_counter()
    done = subprocess.run(COMMAND + arguments, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(arguments)} exited {done.returncode}: {done.stderr}")
    return seconds, json.loads(done.stdout) if "--format" in arguments else None


def catalog(work: Path) -> None:
    print(f"{'catalog run':<14}{'wall s':>8}{'median s':>10}  {'slowest':<24}{'decided':>10}")
    for jobs in (1, 2):
        seconds, report = run(["check", "--jobs", str(jobs), "--format", "json", "-q"], work)
        per = sorted((a["seconds"], a["name"]) for a in report["activations"])
        verdicts = [p["verdict"] for a in report["activations"] for p in
                    a["properties"].values()]
        decided = sum(v != "unknown" for v in verdicts)
        print(f"{f'--jobs {jobs}':<14}{seconds:>8.1f}{statistics.median(t for t, _ in per):>10.2f}"
              f"  {f'{per[-1][1]} {per[-1][0]:.1f} s':<24}"
              f"{f'{decided}/{len(verdicts)}':>10}")


def search(work: Path, count: int) -> None:
    pairs = search_space.candidates()
    stride = max(1, len(pairs) // count)
    chosen = pairs[::stride][:count]
    path = work / "candidates.toml"
    path.write_text(search_space.candidate_file(chosen), encoding="utf-8")
    seconds, report = run(["check", str(path), "--rules", "search", "--jobs", "2", "--format",
                           "json", "-q"], work)
    survivors = sum(not a["findings"] and not a["error"] for a in report["activations"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'search screen':<18}{'candidates':>11}{'wall s':>8}{'cand/s':>8}{'survive':>9}"
          f"{'peak MiB':>10}")
    print(f"{'--rules search':<18}{len(chosen):>11}{seconds:>8.1f}{len(chosen) / seconds:>8.1f}"
          f"{survivors:>9}{peak:>10.0f}")


def startup(work: Path) -> None:
    times = [run(["check", "--expr", "x", "--no-crosscheck", "-q"], work)[0] for _ in range(5)]
    print(f"{'start-up':<14}{'min s':>8}{'median s':>10}")
    print(f"{'--expr x':<14}{min(times):>8.2f}{statistics.median(times):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("catalog", "search", "startup"))
    parser.add_argument("--candidates", type=int, default=500)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)   # no pyproject.toml here: the defaults apply
        if options.only in (None, "startup"):
            startup(work)
        if options.only in (None, "search"):
            search(work, options.candidates)
        if options.only in (None, "catalog"):
            catalog(work)


if __name__ == "__main__":
    main()
